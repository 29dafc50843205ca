import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { accessTokenHash } from '../../src/http/oauth/dpop.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { ecKey, rsaKey } from '../helpers/keys.js';

/**
 * The simulator's authorization server checks, one at a time, with JWTs built by hand: a
 * tampered or wrong assertion or proof must be refused with Okta's error, so the connector's
 * tests exercise real verification.
 */
const rsa = rsaKey('rsa-key-1');
const CLIENT = '0oa1verifyclient00001';
let sim: OktaSimulator;
let tokenUrl: string;
const proofKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const proofJwk = proofKey.publicKey.export({ format: 'jwk' }) as JWK;

beforeAll(async () => {
  sim = new OktaSimulator({ users: 5, apps: 1, groups: 1, oauth: { clients: [{ clientId: CLIENT, publicJwk: rsa.publicJwk, scopes: ['okta.users.read'] }] } });
  await sim.start();
  tokenUrl = `${sim.baseUrl}/oauth2/v1/token`;
});
afterAll(() => sim.stop());

const now = () => Math.floor(sim.now() / 1000);

function assertion(claims: Record<string, unknown> = {}, key: KeyObject = rsa.privateKey, header: Record<string, unknown> = { kid: 'rsa-key-1' }): Promise<string> {
  return new SignJWT({ iss: CLIENT, sub: CLIENT, aud: tokenUrl, iat: now(), exp: now() + 300, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'RS256', ...header })
    .sign(key);
}

function proof(claims: Record<string, unknown> = {}, options: { key?: KeyObject; jwk?: JWK; typ?: string } = {}): Promise<string> {
  return new SignJWT({ htm: 'POST', htu: tokenUrl, iat: now(), jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'dpop+jwt', jwk: options.jwk ?? proofJwk })
    .sign(options.key ?? proofKey.privateKey);
}

async function tokenRequest(form: Record<string, string>, dpop?: string): Promise<{ status: number; body: Record<string, string>; nonce: string | null }> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string>, nonce: res.headers.get('dpop-nonce') };
}

async function nonce(): Promise<string> {
  const first = await tokenRequest({ client_assertion: await assertion() }, await proof());
  expect(first).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
  return first.nonce!;
}

async function token(): Promise<string> {
  const n = await nonce();
  const ok = await tokenRequest({ client_assertion: await assertion() }, await proof({ nonce: n }));
  expect(ok.status).toBe(200);
  expect(ok.body.token_type).toBe('DPoP');
  return ok.body.access_token!;
}

function tamper(jwt: string, part: 0 | 1 | 2): string {
  const parts = jwt.split('.');
  if (part === 2) parts[2] = `${parts[2]!.slice(0, -4)}${parts[2]!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  else {
    const json = JSON.parse(Buffer.from(parts[part]!, 'base64url').toString()) as Record<string, unknown>;
    json[part === 1 ? 'sub' : 'kid'] = part === 1 ? 'someone-else' : 'rsa-key-1';
    if (part === 1) json.iss = 'someone-else';
    parts[part] = Buffer.from(JSON.stringify({ ...json, x: 1 })).toString('base64url');
  }
  return parts.join('.');
}

describe('simulator token endpoint verification', () => {
  it('issues a DPoP token after the nonce round trip', async () => {
    expect(await token()).toMatch(/^sim\./);
  });

  it.each([
    ['a flipped signature', async () => tamper(await assertion(), 2), /signature is invalid/],
    ['a changed payload', async () => tamper(await assertion(), 1), /not known|signature is invalid/],
    ['another key', async () => assertion({}, rsaKey().privateKey), /signature is invalid/],
    ['an unknown kid', async () => assertion({}, rsa.privateKey, { kid: 'other' }), /kid/],
    ['a wrong audience', async () => assertion({ aud: 'https://example.okta.com/oauth2/v1/token' }), /aud/],
    ['sub other than the client', async () => assertion({ sub: 'someone' }), /sub/],
    ['an expired exp', async () => assertion({ iat: now() - 900, exp: now() - 600 }), /exp/],
    ['an exp beyond one hour', async () => assertion({ exp: now() + 7200 }), /one hour/],
  ])('refuses a client assertion with %s: 401 invalid_client', async (_name, make, why) => {
    const n = await nonce();
    const res = await tokenRequest({ client_assertion: await make() }, await proof({ nonce: n }));
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(res.body.error_description).toMatch(why);
  });

  it('refuses a replayed client assertion jti', async () => {
    const n = await nonce();
    const jti = randomUUID();
    expect((await tokenRequest({ client_assertion: await assertion({ jti }) }, await proof({ nonce: n }))).status).toBe(200);
    const again = await tokenRequest({ client_assertion: await assertion({ jti }) }, await proof({ nonce: n }));
    expect(again).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringMatching(/already been used/) } });
  });

  it.each([
    ['no proof', async () => undefined, /missing/],
    ['a flipped signature', async (n: string) => tamper(await proof({ nonce: n }), 2), /signature is invalid/],
    ['another key than its jwk', async (n: string) => proof({ nonce: n }, { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }), /signature is invalid/],
    ['a private jwk', async (n: string) => proof({ nonce: n }, { jwk: proofKey.privateKey.export({ format: 'jwk' }) as JWK }), /private/],
    ['typ JWT', async (n: string) => proof({ nonce: n }, { typ: 'JWT' }), /typ/],
    ['htm GET', async (n: string) => proof({ nonce: n, htm: 'GET' }), /htm/],
    ['another htu', async (n: string) => proof({ nonce: n, htu: 'https://example.okta.com/oauth2/v1/token' }), /htu/],
    ['a query in htu', async (n: string) => proof({ nonce: n, htu: `${tokenUrl}?x=1` }), /htu/],
    ['an old iat', async (n: string) => proof({ nonce: n, iat: now() - 600 }), /iat/],
  ])('refuses a token request DPoP proof with %s: 400 invalid_dpop_proof', async (_name, make, why) => {
    const n = await nonce();
    const res = await tokenRequest({ client_assertion: await assertion() }, await make(n));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof' } });
    expect(res.body.error_description).toMatch(why);
  });

  it('refuses a stale nonce with a fresh one, and a replayed proof jti', async () => {
    const n = await nonce();
    sim.oauth!.rotateNonce();
    const stale = await tokenRequest({ client_assertion: await assertion() }, await proof({ nonce: n }));
    expect(stale).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    expect(stale.nonce).not.toBe(n);
    const replayed = await proof({ nonce: stale.nonce });
    expect((await tokenRequest({ client_assertion: await assertion() }, replayed)).status).toBe(200);
    const again = await tokenRequest({ client_assertion: await assertion() }, replayed);
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof', error_description: expect.stringMatching(/jti/) } });
  });

  it('refuses scopes the client was not granted: 400 invalid_scope', async () => {
    const n = await nonce();
    const res = await tokenRequest({ client_assertion: await assertion(), scope: 'okta.users.read okta.logs.read' }, await proof({ nonce: n }));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_scope', error_description: expect.stringMatching(/okta\.logs\.read/) } });
  });

  it('accepts only POST with a form body', async () => {
    expect((await fetch(tokenUrl)).status).toBe(405);
    const json = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });
});

describe('simulator API checks of DPoP-bound tokens', () => {
  const users = () => `${sim.baseUrl}/api/v1/users`;
  async function api(accessToken: string, dpop: string | undefined, scheme = 'DPoP', url = users()) {
    const res = await fetch(`${url}?limit=1`, { headers: { authorization: `${scheme} ${accessToken}`, ...(dpop ? { dpop } : {}) } });
    return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '' };
  }
  const apiProof = (accessToken: string, claims: Record<string, unknown> = {}, key?: KeyObject, jwk?: JWK) =>
    proof({ htm: 'GET', htu: users(), ath: accessTokenHash(accessToken), ...claims }, { ...(key ? { key } : {}), ...(jwk ? { jwk } : {}) });

  it('accepts the bound token with a good proof, once per proof', async () => {
    const at = await token();
    const p = await apiProof(at);
    expect((await api(at, p)).status).toBe(200);
    expect(await api(at, p)).toMatchObject({ status: 401, challenge: expect.stringMatching(/invalid_dpop_proof/) });
  });

  it.each([
    ['no proof', async () => undefined],
    ['a wrong ath', async (at: string) => apiProof(at, { ath: accessTokenHash(`${at}x`) })],
    ['no ath', async (at: string) => apiProof(at, { ath: undefined })],
    ['htm POST', async (at: string) => apiProof(at, { htm: 'POST' })],
    ['another path in htu', async (at: string) => apiProof(at, { htu: `${sim.baseUrl}/api/v1/groups` })],
    ['a key other than the bound one', async (at: string) => {
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return apiProof(at, {}, other.privateKey, other.publicKey.export({ format: 'jwk' }) as JWK);
    }],
    ['a flipped signature', async (at: string) => tamper(await apiProof(at), 2)],
  ])('refuses a proof with %s: 401 invalid_dpop_proof', async (_name, make) => {
    const at = await token();
    expect(await api(at, await make(at))).toMatchObject({ status: 401, challenge: expect.stringMatching(/^DPoP .*error="invalid_dpop_proof"/) });
  });

  it('refuses a bound token sent as Bearer, an unknown token and a revoked one: 401 invalid_token', async () => {
    const at = await token();
    expect(await api(at, undefined, 'Bearer')).toMatchObject({ status: 401, challenge: expect.stringMatching(/invalid_token/) });
    expect(await api('sim.nope', await apiProof('sim.nope'))).toMatchObject({ status: 401, challenge: expect.stringMatching(/invalid_token/) });
    sim.oauth!.revokeTokens();
    expect(await api(at, await apiProof(at))).toMatchObject({ status: 401, challenge: expect.stringMatching(/invalid_token/) });
  });

  it("answers a path outside the token's scopes 403 insufficient_scope naming the scope", async () => {
    const at = await token();
    const url = `${sim.baseUrl}/api/v1/logs`;
    const res = await api(at, await proof({ htm: 'GET', htu: url, ath: accessTokenHash(at) }), 'DPoP', url);
    expect(res.status).toBe(403);
    expect(res.challenge).toMatch(/^DPoP .*scope="okta\.logs\.read", error="insufficient_scope"/);
  });

  it('keeps accepting SSWS', async () => {
    const res = await fetch(`${users()}?limit=1`, { headers: { authorization: `SSWS ${sim.token}` } });
    expect(res.status).toBe(200);
  });
});

describe('simulator oauth options', () => {
  it.each([
    [{ clients: 'x' }, /oauth\.clients must be an array/],
    [{ clients: [{ clientId: 'a', publicJwk: rsa.jwk, scopes: [] }] }, /private member/],
    [{ clients: [{ clientId: 'a', publicJwk: { kty: 'RSA' }, scopes: [] }] }, /not a valid public JWK/],
    [{ clients: [], accessTokenTtlSeconds: 0 }, /accessTokenTtlSeconds/],
    [{ clients: [], bogus: 1 }, /unknown option oauth\.bogus/],
  ])('refuses %#', (oauth, why) => {
    expect(() => new OktaSimulator({ oauth } as never)).toThrow(why);
  });

  it('accepts EC keys and several keys per client', () => {
    const ec = ecKey('e1');
    expect(() => new OktaSimulator({ users: 1, oauth: { clients: [{ clientId: 'a', publicJwk: [rsa.publicJwk, ec.publicJwk], scopes: ['okta.users.read'] }] } })).not.toThrow();
  });
});
