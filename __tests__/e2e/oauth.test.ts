import { afterEach, describe, expect, it } from '@jest/globals';
import createDebug from 'debug';
import { format, inspect } from 'node:util';
import { systemClock, type Clock } from '../../src/clock.js';
import { OAuthAuthorizer } from '../../src/http/oauth/authorizer.js';
import { OktaOAuthError } from '../../src/http/oauth/errors.js';
import { generateProofKey, SigningKey } from '../../src/config/keys.js';
import { resolveConfig } from '../../src/config/config.js';
import { OktaAuthenticationError, OktaIdentityProvider } from '../../src/index.js';
import type { ConnectorWarning, Identity } from '../../src/sdk.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { ecKey, keyTexts, rsaKey, type TestKey } from '../helpers/keys.js';

const rsa = rsaKey('rsa-key-1');
const ec = ecKey('ec-key-1');
const RSA_CLIENT = '0oa1rsaserviceapp0001';
const EC_CLIENT = '0oa1ecserviceapp00001';
const ALL = ['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.logs.read'];
const FAST = { limits: { apps: 100_000, users: 100_000, user: 100_000, groups: 100_000, logs: 100_000, token: 100_000 } };

const running: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await ('stop' in r ? r.stop() : r.close());
});

interface StartOptions {
  scopes?: string[];
  ttl?: number;
  apiNonce?: boolean;
}

async function simulator(options: StartOptions = {}): Promise<OktaSimulator> {
  const scopes = options.scopes ?? ALL;
  const sim = new OktaSimulator({
    seed: 5,
    users: 40,
    apps: 5,
    groups: 4,
    rateLimits: FAST,
    oauth: {
      clients: [
        { clientId: RSA_CLIENT, publicJwk: rsa.publicJwk, scopes },
        { clientId: EC_CLIENT, publicJwk: ec.publicJwk, scopes },
      ],
      ...(options.ttl ? { accessTokenTtlSeconds: options.ttl } : {}),
      ...(options.apiNonce ? { apiNonce: true } : {}),
    },
  });
  await sim.start();
  running.push(sim);
  return sim;
}

function connector(sim: OktaSimulator, key: TestKey = rsa, options: { clientId?: string; clock?: Clock; warnings?: ConnectorWarning[]; scopes?: string[] } = {}) {
  const provider = new OktaIdentityProvider(
    {
      hostname: 'example.okta.com',
      baseUrl: sim.baseUrl,
      retryBaseDelayMs: 1,
      oauth: { clientId: options.clientId ?? (key === ec ? EC_CLIENT : RSA_CLIENT), privateKey: key.pem, ...(options.scopes ? { scopes: options.scopes } : {}) },
      onWarning: (w) => options.warnings?.push(w),
    },
    options.clock ? { clock: options.clock } : {},
  );
  running.push(provider);
  return provider;
}

async function list(provider: OktaIdentityProvider): Promise<Identity[]> {
  const out: Identity[] = [];
  for await (const identity of provider.listIdentities()) out.push(identity);
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A clock that reads the simulator's, so that advancing it ages the connector's token too. */
function simClock(sim: OktaSimulator): Clock {
  return { now: () => sim.now(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

describe('OAuth 2.0 service app against the simulator', () => {
  it.each([
    ['RS256', rsa],
    ['ES256', ec],
  ])('reads the whole org with a %s key: private key JWT, DPoP, nonce round trip', async (_alg, key) => {
    const sim = await simulator();
    const provider = connector(sim, key);
    expect(await list(provider)).toEqual(sim.expectedIdentities());
    const oauth = sim.oauth!.stats;
    // The first proof has no nonce: 400 use_dpop_nonce, then the token; one token for the whole sync.
    expect(oauth).toMatchObject({ tokenRequests: 2, tokensIssued: 1, rejected: { use_dpop_nonce: 1 } });
    expect(sim.stats.requests - oauth.tokenRequests).toBeGreaterThan(5);
  });

  it('shares one token among concurrent first requests and reuses it', async () => {
    const sim = await simulator();
    const provider = connector(sim);
    const report = await provider.checkAccess();
    expect(report.ok).toBe(true);
    await provider.checkAccess();
    await list(provider);
    expect(sim.oauth!.stats).toMatchObject({ tokenRequests: 2, tokensIssued: 1 });
  });

  it('renews the token shortly before it expires, without a 401', async () => {
    const sim = await simulator({ ttl: 600 });
    const provider = connector(sim, rsa, { clock: simClock(sim) });
    await provider.checkAccess();
    sim.advanceClock(500_000);
    await provider.checkAccess();
    expect(sim.oauth!.stats.tokensIssued).toBe(1);
    sim.advanceClock(50_000); // 550 s of 600: inside the last tenth
    expect((await provider.checkAccess()).ok).toBe(true);
    expect(sim.oauth!.stats.tokensIssued).toBe(2);
    expect(sim.oauth!.stats.rejected.invalid_token).toBeUndefined();
  });

  it('fetches a new token once after a 401 (token revoked or expired early)', async () => {
    const sim = await simulator();
    const provider = connector(sim);
    await provider.checkAccess();
    sim.oauth!.revokeTokens();
    expect(await list(provider)).toEqual(sim.expectedIdentities());
    const stats = sim.oauth!.stats;
    expect(stats.tokensIssued).toBe(2);
    expect(stats.rejected.invalid_token).toBeGreaterThanOrEqual(1);
  });

  it('makes concurrent requests that hit a refused token share one refresh', async () => {
    const sim = await simulator();
    const provider = connector(sim);
    await provider.checkAccess();
    sim.oauth!.revokeTokens(); // expired early at the server; the connector cannot know
    await Promise.all([provider.checkAccess(), provider.checkAccess(), list(provider)]);
    expect(sim.oauth!.stats.tokensIssued).toBe(2);
  });

  it('follows a rotated nonce on the token endpoint and answers an API nonce challenge', async () => {
    const sim = await simulator({ ttl: 600, apiNonce: true });
    const provider = connector(sim, ec, { clock: simClock(sim) });
    expect((await provider.checkAccess()).ok).toBe(true);
    // The token endpoint once, then the first API calls (sent together, before any knew the nonce).
    const challenged = sim.oauth!.stats.rejected.use_dpop_nonce!;
    expect(challenged).toBeGreaterThanOrEqual(2);
    expect((await provider.checkAccess()).ok).toBe(true);
    expect(sim.oauth!.stats.rejected.use_dpop_nonce).toBe(challenged); // the nonce is kept
    sim.oauth!.rotateNonce();
    sim.advanceClock(590_000); // the token is due for renewal: the token request meets the new nonce
    expect((await provider.checkAccess()).ok).toBe(true);
    expect(sim.oauth!.stats.tokensIssued).toBe(2);
    expect(sim.oauth!.stats.rejected.use_dpop_nonce).toBeGreaterThan(challenged);
    expect(sim.oauth!.stats.rejected.invalid_dpop_proof).toBeUndefined();
  });

  it('surfaces a client assertion signed with an unregistered key as OktaOAuthError', async () => {
    const sim = await simulator();
    const provider = connector(sim, rsaKey('rsa-key-1'), { clientId: RSA_CLIENT });
    const error = await list(provider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaOAuthError);
    expect(error).toBeInstanceOf(OktaAuthenticationError);
    expect(error).toMatchObject({ oauthError: 'invalid_client' });
    expect((error as Error).message).toMatch(/client_assertion signature is invalid/);
    const report = await provider.checkAccess();
    expect(report.permissions.map((p) => p.status)).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized']);
    expect(sim.stats.byBucket.users + sim.stats.byBucket.apps).toBe(0);
  });

  it('surfaces a DPoP proof whose signature does not match its jwk as OktaOAuthError', async () => {
    const sim = await simulator();
    const honest = generateProofKey();
    // Signs with one key but shows another's public JWK: the proof's signature cannot verify.
    class LyingKey extends SigningKey {
      override readonly publicJwk = honest.publicJwk;
    }
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    const config = resolveConfig({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, oauth: { clientId: RSA_CLIENT, privateKey: rsa.pem } });
    const authorizer = new OAuthAuthorizer({ origin: sim.baseUrl, oauth: config.oauth!, policy: config, proofKey: new LyingKey(privateKey, 'ES256', undefined) });
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, oauth: { clientId: RSA_CLIENT, privateKey: rsa.pem } }, { authorizer });
    running.push(provider);
    const error = await list(provider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaOAuthError);
    expect(error).toMatchObject({ oauthError: 'invalid_dpop_proof', status: 400 });
    expect((error as Error).message).toMatch(/DPoP proof JWT signature is invalid/);
  });

  it('reports each missing scope per permission and skips what it covers with a forbidden warning naming it', async () => {
    const sim = await simulator({ scopes: ['okta.users.read', 'okta.groups.read'] });
    const warnings: ConnectorWarning[] = [];
    const provider = connector(sim, rsa, { warnings });
    const report = await provider.checkAccess();
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.permissions.slice(0, 4).map((p) => [p.permission, p]));
    expect(byName['okta.users.read']!.status).toBe('ok');
    expect(byName['okta.groups.read']!.status).toBe('ok');
    expect(byName['okta.apps.read']).toMatchObject({ status: 'forbidden' });
    expect(byName['okta.apps.read']!.message).toMatch(/okta\.apps\.read/);
    expect(byName['okta.logs.read']).toMatchObject({ status: 'forbidden' });
    expect(byName['okta.logs.read']!.message).toMatch(/insufficient_scope.*okta\.logs\.read/);

    const identities = await list(provider);
    expect(identities).toHaveLength(sim.expectedIdentities().length);
    expect(identities.every((i) => i.accounts.length === 0)).toBe(true);
    expect(warnings.some((w) => w.code === 'forbidden' && /okta\.apps\.read/.test(w.message))).toBe(true);
  });

  it('reports every permission forbidden, naming its scope, when the app was granted none', async () => {
    const sim = await simulator({ scopes: [] });
    const report = await connector(sim).checkAccess();
    for (const p of report.permissions) {
      expect(p.status).toBe('forbidden');
      expect(p.message).toContain(p.permission);
    }
    expect(sim.stats.byBucket.users).toBe(0);
  });

  it('narrows the request to the configured scopes', async () => {
    const sim = await simulator();
    const report = await connector(sim, rsa, { scopes: ['okta.users.read', 'okta.apps.read', 'okta.groups.read'] }).checkAccess();
    expect(report.permissions.filter((p) => p.status !== 'ok').map((p) => p.permission)).toEqual(['okta.logs.read']);
  });

  it('keeps SSWS working next to OAuth', async () => {
    const sim = await simulator();
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, retryBaseDelayMs: 1 });
    running.push(provider);
    expect(await list(provider)).toEqual(sim.expectedIdentities());
    expect(sim.oauth!.stats.tokenRequests).toBe(0);
  });

  it('never puts the private key, the assertion, a proof or the token in debug output, errors, warnings or inspect', async () => {
    const lines: string[] = [];
    const originalLog = createDebug.log;
    const enabled = createDebug.disable();
    createDebug.log = (...args: unknown[]) => void lines.push(format(...(args as [unknown, ...unknown[]])));
    createDebug.enable('okta-idp:*');
    try {
      const sim = await simulator({ scopes: ['okta.users.read', 'okta.apps.read'], apiNonce: true });
      const warnings: ConnectorWarning[] = [];
      const good = connector(sim, rsa, { warnings });
      const report = await good.checkAccess();
      await list(good);
      sim.oauth!.revokeTokens();
      await list(good);
      const bad = connector(sim, rsaKey('rsa-key-1'), { clientId: RSA_CLIENT, warnings });
      const error = await list(bad).catch((e: unknown) => e);
      const badReport = await bad.checkAccess();

      expect(lines.some((l) => l.includes('okta-idp:oauth'))).toBe(true);
      expect(lines.some((l) => /valid until/.test(l))).toBe(true);
      const seen = [
        ...lines,
        JSON.stringify(report),
        JSON.stringify(badReport),
        JSON.stringify(warnings),
        String(error),
        (error as Error).stack ?? '',
        inspect(error, { depth: 10 }),
        inspect(good, { depth: 10, showHidden: true }),
        JSON.stringify(good),
      ].join('\n');
      for (const text of keyTexts(rsa)) expect(seen).not.toContain(text);
      expect(seen).not.toMatch(/sim\.[A-Za-z0-9_-]{20,}/); // access tokens
      expect(seen).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./); // any JWT: assertion or proof
    } finally {
      createDebug.log = originalLog;
      createDebug.disable();
      if (enabled) createDebug.enable(enabled);
    }
  });
});
