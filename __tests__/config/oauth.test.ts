import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { OktaConfigError, resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaIdentityProvider } from '../../src/index.js';
import { ecKey, keyTexts, rsaKey } from '../helpers/keys.js';

const rsa = rsaKey();
const ec = ecKey();
const hostname = 'example.okta.com';

function problems(config: unknown): string[] {
  try {
    resolveConfig(config as OktaConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(OktaConfigError);
    return (error as OktaConfigError).problems;
  }
  throw new Error('expected an OktaConfigError');
}

describe('oauth configuration', () => {
  it('accepts a service app with a PEM key and fills in the default scopes', () => {
    const config = resolveConfig({ hostname, oauth: { clientId: '0oa1', privateKey: rsa.pem } });
    expect(config.token).toBeUndefined();
    expect(config.oauth?.scopes).toEqual(['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.logs.read']);
    expect(config.oauth?.privateKey.reveal()).toBe(rsa.pem);
  });

  it('accepts a JWK object, keyId and narrower scopes', () => {
    const config = resolveConfig({ hostname, oauth: { clientId: '0oa1', privateKey: ec.jwk as unknown as Record<string, unknown>, keyId: 'k1', scopes: ['okta.users.read'] } });
    expect(config.oauth).toMatchObject({ keyId: 'k1', scopes: ['okta.users.read'] });
  });

  it('requires exactly one of token and oauth', () => {
    expect(problems({ hostname })).toEqual(['give either token (an API token) or oauth (an OAuth 2.0 service app: clientId and privateKey)']);
    expect(problems({ hostname, token: 'abc', oauth: { clientId: '0oa1', privateKey: rsa.pem } })).toEqual(['give either token or oauth, not both']);
  });

  it.each([
    [{ clientId: '', privateKey: rsa.pem }, /oauth\.clientId is empty/],
    [{ clientId: 'a b', privateKey: rsa.pem }, /oauth\.clientId contains whitespace/],
    [{ clientId: '0oa1' }, /oauth\.privateKey is required/],
    [{ clientId: '0oa1', privateKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, /oauth\.privateKey is a public key/],
    [{ clientId: '0oa1', privateKey: rsa.publicJwk }, /oauth\.privateKey is a public JWK/],
    [{ clientId: '0oa1', privateKey: 42 }, /oauth\.privateKey must be a PEM text or a JWK object/],
    [{ clientId: '0oa1', privateKey: rsa.pem, scopes: [] }, /oauth\.scopes is empty/],
    [{ clientId: '0oa1', privateKey: rsa.pem, scopes: ['okta.users.read okta.apps.read'] }, /invalid scope name/],
    [{ clientId: '0oa1', privateKey: rsa.pem, scopes: ['okta.users.read', 'okta.users.read'] }, /twice/],
    [{ clientId: '0oa1', privateKey: rsa.pem, privatekey: 'typo' }, /privatekey/],
  ])('refuses oauth %#: %s', (oauth, why) => {
    const found = problems({ hostname, oauth });
    expect(found.join('; ')).toMatch(why);
    for (const text of keyTexts(rsa)) expect(found.join('; ')).not.toContain(text);
  });

  it('never quotes a malformed key in its message', () => {
    // One base64 line left out: the DER lengths no longer add up, whatever the key.
    const broken = rsa.pem.split('\n').filter((_line, i) => i !== 5).join('\n');
    const message = problems({ hostname, oauth: { clientId: '0oa1', privateKey: broken } }).join('; ');
    expect(message).toMatch(/oauth\.privateKey/);
    for (const text of keyTexts(rsa)) expect(message).not.toContain(text);
  });

  it('never shows the private key in inspect, JSON or String of the config or the provider', () => {
    const config = resolveConfig({ hostname, oauth: { clientId: '0oa1', privateKey: rsa.pem } });
    const provider = new OktaIdentityProvider({ hostname, oauth: { clientId: '0oa1', privateKey: ec.jwk as unknown as Record<string, unknown> } });
    const shown = [
      inspect(config, { depth: 10, showHidden: true }),
      JSON.stringify(config),
      String(config.oauth?.privateKey),
      inspect(provider, { depth: 10, showHidden: true }),
      JSON.stringify(provider),
    ].join('\n');
    for (const text of [...keyTexts(rsa), ...keyTexts(ec)]) expect(shown).not.toContain(text);
    return provider.close();
  });
});
