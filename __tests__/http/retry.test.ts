import { describe, expect, it } from '@jest/globals';
import { parseRateLimit, retryDelay, type RetryPolicy } from '../../src/http/retry.js';

const policy: RetryPolicy = { retries: 3, retryBaseDelayMs: 100, maxRetryDelayMs: 1000, maxRateLimitWaitMs: 60_000 };
const now = 1_800_000_000_000;

describe('retryDelay', () => {
  it('backs off exponentially with jitter within [d/2, d]', () => {
    expect(retryDelay(1, { kind: 'status', status: 503 }, policy, now, () => 0)).toBe(50);
    expect(retryDelay(1, { kind: 'status', status: 503 }, policy, now, () => 1)).toBe(100);
    expect(retryDelay(2, { kind: 'status', status: 500 }, policy, now, () => 1)).toBe(200);
    expect(retryDelay(3, { kind: 'transport' }, policy, now, () => 1)).toBe(400);
  });

  it('caps the backoff at maxRetryDelayMs', () => {
    expect(retryDelay(3, { kind: 'transport' }, { ...policy, retryBaseDelayMs: 5000 }, now, () => 1)).toBe(1000);
  });

  it('gives up after the configured number of retries', () => {
    expect(retryDelay(4, { kind: 'status', status: 503 }, policy, now)).toBeNull();
    expect(retryDelay(1, { kind: 'transport' }, { ...policy, retries: 0 }, now)).toBeNull();
  });

  it.each([400, 401, 403, 404, 405, 501])('never retries %d', (status) => {
    expect(retryDelay(1, { kind: 'status', status }, policy, now)).toBeNull();
  });

  it('waits for the reset time of a 429', () => {
    const rateLimit = { limit: 100, remaining: 0, reset: now / 1000 + 7 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit }, policy, now, () => 0)).toBe(7000);
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit }, policy, now, () => 1)).toBe(7100);
  });

  it('gives up on a 429 whose reset is beyond maxRateLimitWaitMs', () => {
    const rateLimit = { limit: 100, remaining: 0, reset: now / 1000 + 61 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit }, policy, now)).toBeNull();
  });

  it('measures a 429’s reset on Okta’s clock when its Date agrees with it (a skewed local clock)', () => {
    const okta = now - 3_600_000; // Okta's clock is an hour behind ours
    const rateLimit = { limit: 100, remaining: 0, reset: okta / 1000 + 30 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit, dateMs: okta }, policy, now, () => 0)).toBe(30_000);
  });

  it('ignores a Date that disagrees with its own Reset (no window is an hour long)', () => {
    const rateLimit = { limit: 100, remaining: 0, reset: now / 1000 + 30 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit, dateMs: now - 3_600_000 }, policy, now, () => 0)).toBe(30_000);
  });

  it('never waits longer than maxRateLimitWaitMs, jitter included', () => {
    const rateLimit = { limit: 100, remaining: 0, reset: now / 1000 + 60 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit }, policy, now, () => 1)).toBe(60_000);
  });

  it('backs off (does not wait for a reset) on the concurrency 429 with Limit and Remaining 0', () => {
    const rateLimit = { limit: 0, remaining: 0, reset: now / 1000 + 50 };
    expect(retryDelay(1, { kind: 'status', status: 429, rateLimit }, policy, now, () => 1)).toBe(100);
  });
});

describe('parseRateLimit', () => {
  it('reads the three headers', () => {
    expect(parseRateLimit({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '3', 'x-rate-limit-reset': '1700000000' })).toEqual({ limit: 100, remaining: 3, reset: 1_700_000_000 });
  });
  it('is undefined when one is missing, empty or not a number', () => {
    expect(parseRateLimit({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '3' })).toBeUndefined();
    expect(parseRateLimit({ 'x-rate-limit-limit': '', 'x-rate-limit-remaining': '3', 'x-rate-limit-reset': '1' })).toBeUndefined();
    expect(parseRateLimit({ 'x-rate-limit-limit': 'x', 'x-rate-limit-remaining': '3', 'x-rate-limit-reset': '1' })).toBeUndefined();
  });
});
