import { describe, expect, it } from '@jest/globals';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaRateLimitError } from '../../src/errors.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, useMswServer } from '../helpers/msw.js';
import { rsaKey } from './keys.js';
import { CLIENT_ID, mswOAuth } from './msw-oauth.js';

/**
 * The token POST is metered in Okta's `token` rate-limit bucket, by the client's own limiter (the
 * production wiring: no authorizer passed in), like every GET is in its bucket.
 */
const server = useMswServer();
const key = rsaKey();

function setup(config: Partial<OktaConfig> = {}) {
  const clock = new FakeClock();
  const reset = Math.floor(clock.now() / 1000) + 30;
  const sentAt: number[] = [];
  // The token bucket: 4 a window; the nonce round trip leaves 3, then other clients spend the rest.
  const org = mswOAuth(server, {
    publicKey: key.publicKey,
    now: () => clock.now(),
    tokenHeaders: (n) => {
      sentAt.push(clock.now());
      return { 'x-rate-limit-limit': '4', 'x-rate-limit-remaining': n === 1 ? '3' : '0', 'x-rate-limit-reset': String(reset), date: new Date(clock.now()).toUTCString() };
    },
  });
  const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, oauth: { clientId: CLIENT_ID, privateKey: key.pem, keyId: key.jwk.kid }, ...config }), { clock, random: () => 0.5 });
  return { org, clock, client, reset, sentAt };
}

describe('the OAuth token request and the token rate-limit bucket', () => {
  it('waits for the token bucket’s reset before asking for a new token once the bucket is spent', async () => {
    const { org, clock, client, reset, sentAt } = setup();
    await client.get('/api/v1/users');
    expect(org.tokenRequests).toHaveLength(2);
    org.revoke();
    await client.get('/api/v1/users');
    expect(org.tokenRequests.map((r) => r.status)).toEqual([400, 200, 200]);
    expect(clock.sleeps).toEqual([reset * 1000 - sentAt[1]!]);
    expect(sentAt[2]).toBeGreaterThanOrEqual(reset * 1000);
    expect(client.stats.rateLimitWaits).toBe(1);
    await client.close();
  });

  it('fails with OktaRateLimitError naming the token POST, without sending it, when the reset is beyond maxRateLimitWaitMs', async () => {
    const { org, clock, client } = setup({ maxRateLimitWaitMs: 10_000 });
    await client.get('/api/v1/users');
    org.revoke();
    const error = await client.get('/api/v1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, path: '/oauth2/v1/token' });
    expect((error as Error).message).toMatch(/^POST \/oauth2\/v1\/token: the token rate-limit bucket is spent/);
    expect(org.tokenRequests).toHaveLength(2);
    expect(clock.sleeps).toEqual([]);
    await client.close();
  });
});
