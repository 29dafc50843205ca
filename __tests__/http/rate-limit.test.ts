import { describe, expect, it } from '@jest/globals';
import { BucketBudget, RateLimiter } from '../../src/http/rate-limit.js';
import { FakeClock } from '../helpers/clock.js';

const headers = (limit: number, remaining: number, resetMs: number) => ({ limit, remaining, reset: resetMs / 1000 });

describe('BucketBudget', () => {
  it('lets one request probe alone until the first response tells the limit', async () => {
    const clock = new FakeClock();
    const budget = new BucketBudget('apps', 1, clock, { rateLimitWaits: 0, rateLimitWaitMs: 0 });
    await budget.acquire();
    let second = false;
    const pending = budget.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    budget.release(headers(100, 99, clock.now() + 60_000));
    await pending;
    expect(second).toBe(true);
  });

  it('spends only the configured share of the limit, then sleeps until the reset', async () => {
    const clock = new FakeClock();
    const stats = { rateLimitWaits: 0, rateLimitWaitMs: 0 };
    const budget = new BucketBudget('apps', 0.5, clock, stats);
    const reset = clock.now() + 60_000;
    await budget.acquire();
    budget.release(headers(10, 9, reset));
    // 5 of 10 allowed: one used, four more may go now.
    for (let i = 0; i < 4; i++) await budget.acquire();
    let fifth = false;
    const pending = budget.acquire().then(() => (fifth = true));
    await Promise.resolve();
    expect(fifth).toBe(false); // waits for a response while requests are in flight
    for (let i = 0; i < 4; i++) budget.release(headers(10, 8 - i, reset));
    await pending;
    expect(fifth).toBe(true);
    expect(clock.now()).toBe(reset); // slept until the window reset
    expect(stats.rateLimitWaits).toBe(1);
  });

  it('takes the smallest remaining of one window and ignores late answers of an old window', async () => {
    const clock = new FakeClock();
    const budget = new BucketBudget('users', 1, clock, { rateLimitWaits: 0, rateLimitWaitMs: 0 });
    const reset1 = clock.now() + 1000;
    const reset2 = clock.now() + 61_000;
    await budget.acquire();
    budget.release(headers(3, 0, reset1));
    // Out of budget until reset1.
    await budget.acquire();
    expect(clock.now()).toBe(reset1);
    budget.release(headers(3, 2, reset2));
    await budget.acquire();
    budget.release(headers(3, 1, reset2));
    await budget.acquire();
    budget.release(headers(3, 0, reset1)); // late, from the old window: must not lower the new window's remaining
    // The new window has 1 left (the smallest of 2 and 1), so this goes without sleeping.
    const before = clock.now();
    await budget.acquire();
    expect(clock.now()).toBe(before);
  });

  it('ignores the concurrency 429 signal (Limit 0, Remaining 0) for the budget', async () => {
    const clock = new FakeClock();
    const budget = new BucketBudget('users', 1, clock, { rateLimitWaits: 0, rateLimitWaitMs: 0 });
    await budget.acquire();
    budget.release(headers(0, 0, clock.now() + 60_000));
    await budget.acquire(); // still probing: nothing learned
    expect(clock.sleeps).toEqual([]);
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const clock = new FakeClock();
    const budget = new BucketBudget('users', 1, clock, { rateLimitWaits: 0, rateLimitWaitMs: 0 });
    await budget.acquire();
    const controller = new AbortController();
    const pending = budget.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('RateLimiter', () => {
  it('keeps a budget per bucket so one spent bucket does not hold another', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(1, 4, clock);
    const apps = limiter.bucket('apps');
    await apps.acquire();
    apps.release(headers(1, 0, clock.now() + 60_000));
    await limiter.bucket('users').acquire();
    expect(clock.sleeps).toEqual([]);
    expect(limiter.bucket('apps')).toBe(apps);
    await limiter.stop();
  });

  it('caps requests in flight across buckets', async () => {
    const limiter = new RateLimiter(1, 2, new FakeClock());
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
