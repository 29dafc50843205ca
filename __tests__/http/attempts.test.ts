import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaNetworkError, OktaRateLimitError, OktaResponseError } from '../../src/errors.js';
import { FakeClock } from '../helpers/clock.js';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/** The attempt loop (attempts.ts), through OktaClient.get: retries, and the bucket each request waits in. */
const server = useMswServer();

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

describe('retries', () => {
  it('retries a 429 after the reset time and returns the complete result', async () => {
    const clock = new FakeClock();
    const reset = Math.floor(clock.now() / 1000) + 30;
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, () => {
        calls++;
        if (calls === 1) return HttpResponse.json(errorBody('ErrorTooManyRequests'), { status: 429, headers: { ...okHeaders(), 'x-rate-limit-limit': '60', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
        return HttpResponse.json([{ uuid: 'e1' }], { headers: okHeaders() });
      }),
    );
    const { client: c } = client({}, clock);
    const res = await c.get('/api/v1/logs');
    expect(res.body).toEqual([{ uuid: 'e1' }]);
    expect(calls).toBe(2);
    expect(c.stats.rateLimited).toBe(1);
    // It waited until Okta's reset (epoch seconds), not a fixed backoff.
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000);
    expect(clock.now()).toBeLessThan(reset * 1000 + 1000);
  });

  it('fails with OktaRateLimitError when 429s outlast the retries', async () => {
    const clock = new FakeClock();
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, () =>
        HttpResponse.json(errorBody('ErrorTooManyRequests'), { status: 429, headers: { ...okHeaders(), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 1) } }),
      ),
    );
    const { client: c } = client({ retries: 2 }, clock);
    const error = await c.get('/api/v1/logs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(error).toMatchObject({ status: 429, errorCode: 'E0000047', path: '/api/v1/logs' });
    expect(c.stats.requests).toBe(3);
  });

  it.each([500, 502, 503, 504])('retries %d with backoff', async (status) => {
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, () => {
        calls++;
        return calls < 3 ? HttpResponse.json(errorBody('ErrorInternalServer'), { status, headers: okHeaders() }) : HttpResponse.json([], { headers: okHeaders() });
      }),
    );
    const { client: c, clock } = client({ retryBaseDelayMs: 100 });
    await expect(c.get('/api/v1/groups')).resolves.toMatchObject({ status: 200 });
    expect(calls).toBe(3);
    expect(c.stats.retries).toBe(2);
    expect(clock.sleeps).toEqual([75, 150]);
  });

  it('retries a reset connection and returns the complete result', async () => {
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, () => {
        calls++;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json([{ id: 'g' }], { headers: okHeaders() });
      }),
    );
    const { client: c } = client();
    await expect(c.get('/api/v1/groups')).resolves.toMatchObject({ body: [{ id: 'g' }] });
    expect(calls).toBe(2);
  });

  it('gives up on a connection that keeps failing with a typed error naming the path', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => HttpResponse.error()));
    const { client: c } = client({ retries: 2 });
    const error = await c.get('/api/v1/groups').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaNetworkError);
    expect((error as OktaNetworkError).path).toBe('/api/v1/groups');
    expect(c.stats.requests).toBe(3);
  });

  it('retries a 200 that is not JSON (an HTML proxy page) and fails clearly if it persists', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => new HttpResponse('<html>proxy</html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    const { client: c } = client({ retries: 1 });
    const error = await c.get('/api/v1/groups').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaResponseError);
    expect(c.stats.requests).toBe(2);
  });
});

describe('OktaClient: rate-limit headers and the bucket budget', () => {
  const spent = (clock: FakeClock, extra: Record<string, string>) =>
    HttpResponse.json([], { headers: { 'content-type': 'application/json', 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(clock.now() / 1000 + 30), ...extra } });

  it('a response whose Date is an hour behind its reset makes the next call wait for the reset (30 s), not 3,630 s', async () => {
    const clock = new FakeClock();
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => spent(clock, { date: new Date(clock.now() - 3_600_000).toUTCString() })));
    const { client: c } = client({}, clock);
    await c.get('/api/v1/users');
    await c.get('/api/v1/users');
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('a spent bucket whose reset is further than maxRateLimitWaitMs fails with OktaRateLimitError without sleeping or sending', async () => {
    const clock = new FakeClock();
    let calls = 0;
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => (calls++, spent(clock, { date: new Date(clock.now()).toUTCString() }))));
    const { client: c } = client({ maxRateLimitWaitMs: 10_000 }, clock);
    await c.get('/api/v1/users');
    const error = await c.get('/api/v1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(error).toMatchObject({ code: 'rate_limited', path: '/api/v1/users' });
    expect(clock.sleeps).toEqual([]);
    expect(calls).toBe(1);
  });

  it('without X-Rate-Limit-* headers (stripped by a proxy) a bucket still sends maxConcurrency requests at once', async () => {
    const APPS = 24;
    const CONCURRENCY = 8;
    let arrived = 0;
    let inFlight = 0;
    let peak = 0;
    // Each answer is held until the bucket has as many requests in flight as it may (or no more
    // can come), so the peak is what the bucket allows, not how fast msw answers. A serialised
    // bucket never fills the barrier: after 2 s without a new arrival the watchdog stops holding,
    // so that the (failing) run ends with its peak rather than a timeout.
    let holding = true;
    let stalled = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const held: Array<() => void> = [];
    const release = (): void => {
      clearTimeout(watchdog);
      for (const go of held.splice(0)) go();
    };
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/:id/users`, async () => {
        // The first request probes the bucket alone; what it answers decides the rest.
        if (++arrived === 1) return HttpResponse.json([], { headers: { 'content-type': 'application/json' } });
        inFlight++;
        peak = Math.max(peak, inFlight);
        if (!holding || inFlight >= CONCURRENCY || arrived === APPS) release();
        else {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            stalled = true;
            holding = false;
            release();
          }, 2_000);
          await new Promise<void>((resolve) => held.push(resolve));
        }
        inFlight--;
        return HttpResponse.json([], { headers: { 'content-type': 'application/json' } });
      }),
    );
    const { client: c, clock } = client({ maxConcurrency: CONCURRENCY });
    await Promise.all(Array.from({ length: APPS }, (_, i) => c.get(`/api/v1/apps/0oa${i}/users`)));
    expect(arrived).toBe(APPS);
    expect(stalled).toBe(false);
    expect(peak).toBe(CONCURRENCY);
    expect(clock.sleeps).toEqual([]);
    await c.close();
  });
});
