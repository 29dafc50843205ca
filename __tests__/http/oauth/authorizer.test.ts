import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { OktaAuthenticationError, OktaForbiddenError, OktaHttpError } from '../../../src/errors.js';
import { OAuthAuthorizer } from '../../../src/http/oauth/authorizer.js';
import { accessTokenHash } from '../../../src/http/oauth/dpop.js';
import { OktaOAuthError, OktaScopeError } from '../../../src/http/oauth/errors.js';
import { FakeClock } from '../../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, useMswServer } from '../../helpers/msw.js';
import { ecKey, keyTexts, rsaKey, type TestKey } from '../../helpers/keys.js';
import { CLIENT_ID, mswOAuth, TOKEN_URL, type MswOAuthOptions } from '../../helpers/msw-oauth.js';

const server = useMswServer();
const rsa = rsaKey();
const ec = ecKey();

function setup(options: { key?: TestKey; signWith?: TestKey; config?: Partial<OktaConfig>; org?: Partial<MswOAuthOptions> } = {}) {
  const key = options.key ?? rsa;
  const clock = new FakeClock();
  const org = mswOAuth(server, { publicJwk: key.publicJwk, now: () => clock.now(), ...options.org });
  const config = resolveConfig({ hostname: HOSTNAME, oauth: { clientId: CLIENT_ID, privateKey: (options.signWith ?? key).pem, keyId: key.jwk.kid }, ...options.config });
  const authorizer = new OAuthAuthorizer({ origin: ORIGIN, oauth: config.oauth!, policy: config, clock, random: () => 0.5 });
  const client = new OktaClient(config, { clock, random: () => 0.5, authorizer });
  return { org, clock, client, authorizer };
}

describe('OAuthAuthorizer against a token endpoint (msw)', () => {
  it.each([
    ['RS256', rsa],
    ['ES256', ec],
  ])('gets a DPoP-bound token with a %s private key JWT, answering the nonce challenge', async (alg, key) => {
    const { org, client } = setup({ key });
    await client.get('/api/v1/users', { query: { limit: 1 } });

    // Okta answers the first token request 400 use_dpop_nonce with a DPoP-Nonce header; the second carries it.
    expect(org.tokenRequests.map((r) => r.status)).toEqual([400, 200]);
    expect(org.tokenRequests[0]!.proof.nonce).toBeUndefined();
    expect(org.tokenRequests[1]!.proof.nonce).toBe(org.nonces[0]);
    const { form, assertion, assertionHeader, proof, proofHeader } = org.tokenRequests[1]!;
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('okta.users.read okta.groups.read okta.apps.read okta.logs.read');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.get('client_id')).toBeNull();
    expect(assertionHeader).toMatchObject({ alg, kid: key.jwk.kid });
    expect(assertion).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: TOKEN_URL });
    expect(Number(assertion.exp) - Number(assertion.iat)).toBe(300);
    expect(org.tokenRequests[0]!.assertion.jti).not.toBe(assertion.jti);
    expect(proofHeader).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(Object.keys(proofHeader.jwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(proof).toMatchObject({ htm: 'POST', htu: TOKEN_URL });
    expect(proof.ath).toBeUndefined();

    const call = org.apiRequests[0]!;
    expect(call.status).toBe(200);
    expect(call.authorization).toBe(`DPoP ${org.issued[0]}`);
    expect(call.proof).toMatchObject({ htm: 'GET', htu: `${ORIGIN}/api/v1/users`, ath: accessTokenHash(org.issued[0]!) });
    await client.close();
  });

  it('reuses the token, renews it shortly before expires_in, and keeps the nonce', async () => {
    const { org, client, clock, authorizer } = setup({ org: { expiresIn: 3600 } });
    for (let i = 0; i < 5; i++) await client.get('/api/v1/users');
    expect(authorizer.tokenRequests).toBe(2);
    clock.current += 3600_000 - 61_000;
    await client.get('/api/v1/groups');
    expect(authorizer.tokenRequests).toBe(2);
    clock.current += 2_000; // inside the last minute: renewed before Okta would refuse it
    await client.get('/api/v1/groups');
    expect(authorizer.tokenRequests).toBe(3);
    expect(org.apiRequests.every((r) => r.status === 200)).toBe(true);
    expect(org.apiRequests.at(-1)!.authorization).toBe(`DPoP ${org.issued[1]}`);
    await client.close();
  });

  it('fetches a new token once after a 401', async () => {
    const { org, client, authorizer } = setup();
    await client.get('/api/v1/users');
    org.revoke();
    await client.get('/api/v1/users');
    expect(authorizer.tokenRequests).toBe(3);
    expect(org.apiRequests.map((r) => [r.status, r.authorization])).toEqual([
      [200, `DPoP ${org.issued[0]}`],
      [401, `DPoP ${org.issued[0]}`],
      [200, `DPoP ${org.issued[1]}`],
    ]);
    await client.close();
  });

  it('makes concurrent 401s for one token share one refresh, and ignores a late 401 for a replaced token', async () => {
    const { org, authorizer } = setup();
    const url = new URL(`${ORIGIN}/api/v1/users`);
    const old = await authorizer.headers(url);
    org.revoke();
    const refused = { headers: { 'www-authenticate': 'DPoP error="invalid_token"' } };
    expect(await Promise.all(Array.from({ length: 8 }, () => authorizer.retryUnauthorized(refused, undefined, old)))).toEqual(Array(8).fill(true));
    const fresh = await Promise.all(Array.from({ length: 8 }, () => authorizer.headers(url)));
    expect(new Set(fresh.map((h) => h.authorization))).toEqual(new Set([`DPoP ${org.issued[1]}`]));
    expect(new Set(fresh.map((h) => h.dpop)).size).toBe(8); // one proof per request, never reused
    expect(authorizer.tokenRequests).toBe(3);
    await authorizer.retryUnauthorized(refused, undefined, old);
    await authorizer.headers(url);
    expect(authorizer.tokenRequests).toBe(3);
  });

  it('shares one token request among concurrent first requests', async () => {
    const { client, authorizer } = setup();
    await Promise.all(Array.from({ length: 10 }, () => client.get('/api/v1/users')));
    expect(authorizer.tokenRequests).toBe(2);
    await client.close();
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    const { org, client } = setup();
    await client.get('/api/v1/users');
    server.use(http.get(`${ORIGIN}/api/v1/logs`, () => HttpResponse.json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, { status: 401, headers: { ...okHeaders(), 'www-authenticate': 'DPoP error="invalid_token"' } })));
    const error = await client.get('/api/v1/logs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaAuthenticationError);
    expect((error as Error).message).toMatch(/OAuth access token/);
    expect(org.tokenRequests.filter((r) => r.status === 200)).toHaveLength(2);
    await client.close();
  });

  it('surfaces a refused client assertion as OktaOAuthError (an OktaAuthenticationError), not retried, without the key', async () => {
    const { org, client } = setup({ signWith: rsaKey('rsa-key-1') });
    const error = await client.get('/api/v1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaOAuthError);
    expect(error).toBeInstanceOf(OktaAuthenticationError);
    expect(error).toMatchObject({ oauthError: 'invalid_client', status: 401, path: '/oauth2/v1/token', code: 'unauthorized' });
    expect((error as Error).message).toMatch(/invalid_client.*registered on the service app/);
    // Okta checks the DPoP nonce first (one round trip), then refuses the assertion, once.
    expect(org.tokenRequests.map((r) => r.status)).toEqual([400, 401]);
    expect(org.apiRequests).toHaveLength(0);
    expect(client.stats.retries).toBe(0);
    for (const text of keyTexts(rsa)) expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(text);
    await client.close();
  });

  it('learns which scope is missing from invalid_scope and reports it per resource', async () => {
    const { org, client } = setup({ org: { granted: ['okta.users.read', 'okta.groups.read', 'okta.apps.read'] } });
    await client.get('/api/v1/users');
    // 1 nonce round trip + the refused combined request + 4 single-scope probes + the granted three.
    expect(org.tokenRequests.map((r) => r.form.get('scope'))).toEqual([
      'okta.users.read okta.groups.read okta.apps.read okta.logs.read',
      'okta.users.read okta.groups.read okta.apps.read okta.logs.read',
      'okta.users.read',
      'okta.groups.read',
      'okta.apps.read',
      'okta.logs.read',
      'okta.users.read okta.groups.read okta.apps.read',
    ]);
    const error = await client.get('/api/v1/logs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaForbiddenError);
    expect(error).toMatchObject({ status: 403, errorCode: 'insufficient_scope' });
    expect((error as Error).message).toMatch(/lacks the scope.*okta\.logs\.read/);
    await client.close();
  });

  it('throws OktaScopeError naming the scope when none is granted, and does not hammer the token endpoint', async () => {
    const { org, client, clock } = setup({ org: { granted: [] } });
    const users = await client.get('/api/v1/users').catch((e: unknown) => e);
    expect(users).toBeInstanceOf(OktaScopeError);
    expect(users).toBeInstanceOf(OktaForbiddenError);
    expect(users).toMatchObject({ scope: 'okta.users.read', path: '/api/v1/users' });
    const before = org.tokenRequests.length;
    await expect(client.get('/api/v1/apps')).rejects.toMatchObject({ scope: 'okta.apps.read' });
    expect(org.tokenRequests).toHaveLength(before);
    clock.current += 61_000;
    await expect(client.get('/api/v1/apps')).rejects.toBeInstanceOf(OktaScopeError);
    expect(org.tokenRequests.length).toBeGreaterThan(before);
    expect(org.apiRequests).toHaveLength(0);
    await client.close();
  });

  it('waits for the reset after a 429 on the token request, then retries', async () => {
    const clockNow = Date.UTC(2026, 10, 28, 12, 0, 0);
    const reset = String(Math.floor(clockNow / 1000) + 30);
    const { client, clock, authorizer } = setup({
      org: { tokenFailures: [{ status: 429, body: { errorCode: 'E0000047' }, headers: { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } }] },
    });
    await client.get('/api/v1/users');
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(30_000);
    expect(authorizer.tokenRequests).toBe(3);
    await client.close();
  });

  it('retries a 503 on the token request a bounded number of times', async () => {
    const failures = Array.from({ length: 3 }, () => ({ status: 503 }));
    const { client, authorizer } = setup({ config: { retries: 2 }, org: { tokenFailures: failures } });
    const error = await client.get('/api/v1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaHttpError);
    expect(error).toMatchObject({ status: 503, code: 'server_error', path: '/oauth2/v1/token' });
    expect(authorizer.tokenRequests).toBe(3);
    await client.close();
  });

  it('never follows a redirect from the token endpoint', async () => {
    const elsewhere: string[] = [];
    server.use(
      http.post(TOKEN_URL, () => new HttpResponse(null, { status: 307, headers: { location: 'https://attacker.example/token' } })),
      http.all('https://attacker.example/*', ({ request }) => {
        elsewhere.push(request.url);
        return HttpResponse.json({});
      }),
    );
    const { client } = setup();
    server.use(http.post(TOKEN_URL, () => new HttpResponse(null, { status: 307, headers: { location: 'https://attacker.example/token' } })));
    await expect(client.get('/api/v1/users')).rejects.toMatchObject({ status: 307, path: '/oauth2/v1/token' });
    expect(elsewhere).toEqual([]);
    await client.close();
  });

  it('answers a resource server use_dpop_nonce challenge with the nonce it sent', async () => {
    const { org, client } = setup();
    await client.get('/api/v1/users');
    let challenged = false;
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, async ({ request }) => {
        const proof = JSON.parse(Buffer.from(request.headers.get('dpop')!.split('.')[1]!, 'base64url').toString()) as { nonce?: string };
        if (proof.nonce !== 'rs-nonce-7') {
          challenged = true;
          return HttpResponse.json({}, { status: 401, headers: { ...okHeaders(), 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'dpop-nonce': 'rs-nonce-7' } });
        }
        return HttpResponse.json([], { headers: okHeaders() });
      }),
    );
    await client.get('/api/v1/groups');
    expect(challenged).toBe(true);
    expect(org.tokenRequests).toHaveLength(2);
    await client.close();
  });

  it('uses Bearer without proofs when Okta issues an unbound token', async () => {
    const seen: (string | null)[][] = [];
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: 'bearer-SECRET' })),
      http.get(`${ORIGIN}/api/v1/users`, ({ request }) => {
        seen.push([request.headers.get('authorization'), request.headers.get('dpop')]);
        return HttpResponse.json([], { headers: okHeaders() });
      }),
    );
    const clock = new FakeClock();
    const config = resolveConfig({ hostname: HOSTNAME, oauth: { clientId: CLIENT_ID, privateKey: rsa.pem } });
    const client = new OktaClient(config, { clock });
    await client.get('/api/v1/users');
    expect(seen).toEqual([['Bearer bearer-SECRET', null]]);
    await client.close();
  });

  it('scrubs the access token and the key from error messages', async () => {
    const { client, org } = setup();
    await client.get('/api/v1/users');
    server.use(
      http.get(`${ORIGIN}/api/v1/apps`, ({ request }) =>
        HttpResponse.json({ errorCode: 'E0000001', errorSummary: `echo ${request.headers.get('authorization')} ${rsa.d}` }, { status: 400, headers: okHeaders() }),
      ),
    );
    const error = (await client.get('/api/v1/apps').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/echo DPoP \[redacted\] \[redacted\]/);
    expect(error.message).not.toContain(org.issued[0]);
    await client.close();
  });
});
