import { describe, expect, it } from '@jest/globals';
import { BucketBudget, RateLimiter } from '../../src/http/rate-limit.js';
import { OktaRateLimitError } from '../../src/errors.js';
import { FakeClock } from '../helpers/clock.js';

const headers = (limit: number, remaining: number, resetMs: number) => ({ limit, remaining, reset: resetMs / 1000 });
/** What a 200 carrying these rate-limit headers (and this Date) tells its bucket. */
const answered = (rateLimit: ReturnType<typeof headers> | undefined, dateMs?: number, status = 200) => ({ status, rateLimit, dateMs });
const budgetOf = (clock: FakeClock, share = 1, maxWaitMs = 120_000, stats = { rateLimitWaits: 0, rateLimitWaitMs: 0 }) => new BucketBudget('apps', share, clock, stats, maxWaitMs);

describe('BucketBudget', () => {
  it('lets one request probe alone until the first response tells the limit', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    await budget.acquire();
    let second = false;
    const pending = budget.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    budget.release(answered(headers(100, 99, clock.now() + 60_000)));
    await pending;
    expect(second).toBe(true);
  });

  it('spends only the configured share of the limit, then sleeps until the reset', async () => {
    const clock = new FakeClock();
    const stats = { rateLimitWaits: 0, rateLimitWaitMs: 0 };
    const budget = budgetOf(clock, 0.5, 120_000, stats);
    const reset = clock.now() + 60_000;
    await budget.acquire();
    budget.release(answered(headers(10, 9, reset)));
    // 5 of 10 allowed: one used, four more may go now.
    for (let i = 0; i < 4; i++) await budget.acquire();
    let fifth = false;
    const pending = budget.acquire().then(() => (fifth = true));
    await Promise.resolve();
    expect(fifth).toBe(false); // waits for a response while requests are in flight
    for (let i = 0; i < 4; i++) budget.release(answered(headers(10, 8 - i, reset)));
    await pending;
    expect(fifth).toBe(true);
    expect(clock.now()).toBe(reset); // slept until the window reset
    expect(stats.rateLimitWaits).toBe(1);
  });

  it('takes the smallest remaining of one window and ignores late answers of an old window', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    const reset1 = clock.now() + 1000;
    const reset2 = clock.now() + 61_000;
    await budget.acquire();
    budget.release(answered(headers(3, 0, reset1)));
    // Out of budget until reset1.
    await budget.acquire();
    expect(clock.now()).toBe(reset1);
    budget.release(answered(headers(3, 2, reset2)));
    await budget.acquire();
    budget.release(answered(headers(3, 1, reset2)));
    await budget.acquire();
    budget.release(answered(headers(3, 0, reset1))); // late, from the old window: must not lower the new window's remaining
    // The new window has 1 left (the smallest of 2 and 1), so this goes without sleeping.
    const before = clock.now();
    await budget.acquire();
    expect(clock.now()).toBe(before);
  });

  it('ignores the concurrency 429 signal (Limit 0, Remaining 0) for the budget', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    await budget.acquire();
    budget.release(answered(headers(0, 0, clock.now() + 60_000), undefined, 429));
    await budget.acquire(); // still probing: nothing learned
    expect(clock.sleeps).toEqual([]);
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    await budget.acquire();
    const controller = new AbortController();
    const pending = budget.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('BucketBudget: every proactive wait is bounded', () => {
  const HOUR = 3_600_000;

  it('believes a spent window for one Okta window (60 s) at most: a reset an hour away does not sleep an hour', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    await budget.acquire();
    budget.release(answered(headers(100, 0, clock.now() + HOUR)));
    await budget.acquire();
    // Then a request asks Okta: its answer (a 429 past maxRateLimitWaitMs fails) decides.
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('never sleeps past a timer’s range, whatever the reset says', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock, 1, 2 ** 31 - 1);
    await budget.acquire();
    budget.release(answered(headers(100, 0, clock.now() + 2 ** 31 + 5_000)));
    await budget.acquire();
    expect(clock.sleeps).toEqual([60_000]);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('fails with OktaRateLimitError (rate_limited) instead of sleeping longer than maxRateLimitWaitMs', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock, 1, 10_000);
    await budget.acquire();
    budget.release(answered(headers(100, 0, clock.now() + 30_000)));
    const error = await budget.acquire(undefined, '/api/v1/apps').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, path: '/api/v1/apps' });
    expect((error as Error).message).toContain('maxRateLimitWaitMs');
    expect(clock.sleeps).toEqual([]);
    // A wait within the bound is slept.
    clock.current += 25_000;
    await budget.acquire();
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('maxRateLimitWaitMs 0: a spent bucket fails at once', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock, 1, 0);
    await budget.acquire();
    budget.release(answered(headers(100, 0, clock.now() + 1_000)));
    await expect(budget.acquire()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(clock.sleeps).toEqual([]);
  });

  it('a Date header an hour behind a reset on our clock (a cached or rewritten response) does not stretch the wait', async () => {
    const clock = new FakeClock();
    const budget = budgetOf(clock);
    await budget.acquire();
    // Reset - Date is 3,630 s: no Okta window is that long, so Date says nothing about the clocks.
    budget.release(answered(headers(100, 0, clock.now() + 30_000), clock.now() - HOUR));
    await budget.acquire();
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('measures the reset on Okta’s clock when Okta’s Date and Reset agree with each other (a skewed clock)', async () => {
    for (const skew of [-HOUR, +HOUR, -10_000]) {
      const clock = new FakeClock();
      const budget = budgetOf(clock);
      await budget.acquire();
      const okta = clock.now() + skew;
      budget.release(answered(headers(100, 0, okta + 30_000), okta));
      await budget.acquire();
      expect(clock.sleeps).toEqual([30_000]);
    }
  });
});

describe('BucketBudget: a bucket whose responses carry no rate-limit headers (a proxy strips them)', () => {
  it('admits concurrent requests once a response came back without headers', async () => {
    const budget = budgetOf(new FakeClock());
    await budget.acquire();
    budget.release(answered(undefined));
    // No limit to learn: requests are not serialised; only the global concurrency cap applies.
    for (let i = 0; i < 20; i++) await budget.acquire();
  });

  it('goes back to one request at a time after a 429 without headers, and resumes on the next success', async () => {
    const budget = budgetOf(new FakeClock());
    await budget.acquire();
    budget.release(answered(undefined));
    await budget.acquire();
    await budget.acquire();
    budget.release(answered(undefined, undefined, 429));
    let admitted = false;
    const pending = budget.acquire().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false); // one still in flight: the bucket probes alone
    budget.release(answered(undefined));
    await pending;
    await budget.acquire(); // a success without headers: concurrent again
  });

  it('still probes alone while the only answers were failed exchanges', async () => {
    const budget = budgetOf(new FakeClock());
    await budget.acquire();
    budget.release(undefined);
    await budget.acquire();
    let admitted = false;
    void budget.acquire().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('keeps a budget per bucket so one spent bucket does not hold another', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(1, 4, clock, 120_000);
    const apps = limiter.bucket('apps');
    await apps.acquire();
    apps.release(answered(headers(1, 0, clock.now() + 60_000)));
    await limiter.bucket('users').acquire();
    expect(clock.sleeps).toEqual([]);
    expect(limiter.bucket('apps')).toBe(apps);
    await limiter.stop();
  });

  it('caps requests in flight across buckets', async () => {
    const limiter = new RateLimiter(1, 2, new FakeClock(), 120_000);
    let running = 0;
    let peak = 0;
    const job = () =>
      limiter.withSlot(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      });
    await Promise.all([job(), job(), job(), job(), job()]);
    expect(peak).toBe(2);
    await limiter.stop();
  });
});
