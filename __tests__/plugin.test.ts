import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { OktaConfigError, OktaIdentityProvider, plugin, Secret, type OktaConfig } from '../src/index.js';
import { rsaKey } from './helpers/keys.js';

/** The host's path through the public entry point: validate the settings, then create the provider. */
const hostname = 'example.okta.com';
const token = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
const rsa = rsaKey();

const settings: [string, OktaConfig][] = [
  ['an API token', { hostname, token }],
  ['an OAuth service app with a PEM key', { hostname, oauth: { clientId: '0oa1b2c3', privateKey: rsa.pem } }],
  ['an OAuth service app with a JWK object', { hostname, oauth: { clientId: '0oa1b2c3', privateKey: rsa.jwk as unknown as Record<string, unknown>, keyId: 'k1' } }],
];

describe('plugin: the host contract', () => {
  it.each(settings)('create(configSchema.parse(settings)) builds the provider, with %s', async (_name, config) => {
    const parsed: OktaConfig = plugin.configSchema.parse(config);
    const provider = plugin.create(parsed);
    expect(provider).toBeInstanceOf(OktaIdentityProvider);
    await provider.close();
  });

  it.each(settings)('create(settings) builds the provider, with %s', async (_name, config) => {
    const provider = plugin.create(config);
    expect(provider).toBeInstanceOf(OktaIdentityProvider);
    await provider.close();
  });

  it('parse() keeps the credentials as Secrets, and parsing its output again changes nothing', () => {
    const once = plugin.configSchema.parse({ hostname, token });
    expect(once.token).toBeInstanceOf(Secret);
    expect(inspect(once)).not.toContain(token);
    const twice = plugin.configSchema.parse(once);
    expect(twice.token instanceof Secret && twice.token.reveal()).toBe(token);
    const oauth = plugin.configSchema.parse(plugin.configSchema.parse({ hostname, oauth: { clientId: '0oa1', privateKey: rsa.pem } })).oauth;
    expect(oauth?.privateKey instanceof Secret && oauth.privateKey.reveal()).toBe(rsa.pem);
  });

  it('a Secret that holds no valid credential is refused like its text', () => {
    expect(() => plugin.create({ hostname, token: new Secret('two words') })).toThrow(/token must be printable ASCII/);
    expect(() => plugin.create({ hostname, oauth: { clientId: '0oa1', privateKey: new Secret('not a key') } })).toThrow(OktaConfigError);
  });

  it('reports an empty token once, as empty', () => {
    expect(() => plugin.create({ hostname, token: '   ' })).toThrow(expect.objectContaining({ problems: ['token is empty'] }));
  });

  it('accepts a short token (test servers and simulators use them)', async () => {
    const provider = plugin.create({ hostname, token: 'x' });
    await provider.close();
  });
});
