import { describe, expect, it } from '@jest/globals';
import { resolveConfig, type OktaConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { OktaRateLimitError } from '../../../src/errors.js';
import { FakeClock } from '../../helpers/clock.js';
import { HOSTNAME, useMswServer } from '../../helpers/msw.js';
import { rsaKey } from '../../helpers/keys.js';
import type { OktaSimulator } from '../../../src/simulator/index.js';
import { CLIENT_ID, mswOAuth, TOKEN_URL } from '../../helpers/msw-oauth.js';

/**
 * The token POST is metered in Okta's `token` rate-limit bucket, by the client's own limiter (the
 * production wiring: no authorizer passed in), like every GET is in its bucket.
 */
const server = useMswServer();
const key = rsaKey();

function setup(config: Partial<OktaConfig> = {}) {
  const clock = new FakeClock();
  // The token bucket: 4 a 30-second window (starting on a whole second); the nonce round trip
  // leaves 3, then other clients of the org spend 2 before the token request spends the last.
  const reset = Math.floor(clock.now() / 1000) + 30;
  const otherClients = async (n: number, sim: OktaSimulator): Promise<void> => {
    if (n === 1) for (let i = 0; i < 2; i++) await sim.fetch(new Request(TOKEN_URL, { method: 'POST' }));
  };
  const org = mswOAuth(server, { publicJwk: key.publicJwk, now: () => clock.now(), rateLimits: { limits: { token: 4 }, windowMs: 30_000 }, afterToken: otherClients });
  const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, oauth: { clientId: CLIENT_ID, privateKey: key.pem, keyId: key.jwk.kid }, ...config }), { clock, random: () => 0.5 });
  const sentAt = (): number[] => org.tokenRequests.map((r) => r.at);
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
    expect(clock.sleeps).toEqual([reset * 1000 - sentAt()[1]!]);
    expect(sentAt()[2]).toBeGreaterThanOrEqual(reset * 1000);
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
