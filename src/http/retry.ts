/**
 * The retry policy: one pure function deciding "retry? after how long?" from the attempt, the
 * outcome and the rate-limit headers, so tests call it directly (after got's
 * calculate-retry-delay and ky's retry timing).
 */

/** Statuses worth another attempt: Okta's transient server errors. */
export const RETRY_STATUSES: readonly number[] = [500, 502, 503, 504];

/** What one attempt ended with. */
export type AttemptOutcome =
  /** `dateMs`: the response's `Date` header, Okta's clock (see {@link untilResetMs}). */
  | { kind: 'status'; status: number; rateLimit?: RateLimitHeaders | undefined; dateMs?: number | undefined }
  /** Connection reset/refused, timeout, body cut off or not JSON: the exchange itself failed. */
  | { kind: 'transport' };

/** Okta's `X-Rate-Limit-*` headers, parsed. `reset` is epoch seconds. */
export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  reset: number;
}

/** The retry knobs, a subset of the resolved config. */
export interface RetryPolicy {
  retries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  maxRateLimitWaitMs: number;
}

/**
 * How long an Okta rate-limit window lasts: Okta's org-wide limits are per minute
 * (https://developer.okta.com/docs/reference/rl2-limits/). No honest reset is further away.
 */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** `Date` and `X-Rate-Limit-Reset` have whole-second resolution: clocks closer than this agree. */
const CLOCK_RESOLUTION_MS = 2_000;

/**
 * Milliseconds from `nowMs` (our clock) until the window of `h` resets; 0 when it has.
 *
 * `X-Rate-Limit-Reset` is on Okta's clock. When the response's `Date` (also Okta's clock) differs
 * from ours by more than the headers' resolution, the wait is `Reset - Date`, measured on Okta's
 * clock, which corrects a skewed local clock. That is only done when the two headers agree with
 * each other, i.e. `Reset - Date` is a window at most: a Date that disagrees with its own Reset
 * (a cached or rewritten response: an hour-old Date once stretched a 30 s wait to 3,630 s) says
 * nothing about the clocks, and our clock is used.
 */
export function untilResetMs(h: RateLimitHeaders, dateMs: number | undefined, nowMs: number): number {
  const resetMs = h.reset * 1000;
  if (dateMs !== undefined && Math.abs(dateMs - nowMs) > CLOCK_RESOLUTION_MS) {
    const onOktaClock = resetMs - dateMs;
    if (onOktaClock >= -CLOCK_RESOLUTION_MS && onOktaClock <= RATE_LIMIT_WINDOW_MS + CLOCK_RESOLUTION_MS) return Math.max(0, onOktaClock);
  }
  return Math.max(0, resetMs - nowMs);
}

/**
 * Okta signals its org-wide concurrency limit with a 429 whose Limit and Remaining are both 0:
 * that is not an exhausted bucket, so it backs off instead of waiting for a reset.
 * https://developer.okta.com/docs/reference/rl-additional-limits/#concurrent-rate-limits
 */
export function isConcurrencyLimit(h: RateLimitHeaders | undefined): boolean {
  return h !== undefined && h.limit === 0 && h.remaining === 0;
}

/**
 * Milliseconds to wait before the next attempt, or null to give up.
 * `attempt` counts the failed attempts so far (1 after the first failure).
 * Backoff is exponential with equal jitter: half fixed, half random, capped at maxRetryDelayMs.
 * A 429 waits until Okta's reset time plus a little jitter, if that is within maxRateLimitWaitMs.
 */
export function retryDelay(attempt: number, outcome: AttemptOutcome, policy: RetryPolicy, nowMs: number, random: () => number = Math.random): number | null {
  if (attempt > policy.retries) return null;
  const backoff = (): number => {
    const ceiling = Math.min(policy.maxRetryDelayMs, policy.retryBaseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
  if (outcome.kind === 'transport') return backoff();
  if (outcome.status === 429) {
    const h = outcome.rateLimit;
    if (h === undefined || isConcurrencyLimit(h)) return backoff();
    const untilReset = untilResetMs(h, outcome.dateMs, nowMs);
    if (untilReset > policy.maxRateLimitWaitMs) return null;
    // A little jitter so that requests held by the same reset do not arrive in one burst; never past the bound.
    return Math.min(policy.maxRateLimitWaitMs, untilReset + Math.round(random() * Math.min(250, policy.retryBaseDelayMs)));
  }
  return RETRY_STATUSES.includes(outcome.status) ? backoff() : null;
}

/**
 * The `Date` header in epoch ms, or undefined when absent or not a date.
 */
export function parseDate(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = headers.date;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses the three `X-Rate-Limit-*` headers; undefined unless all three are numbers.
 */
export function parseRateLimit(headers: Record<string, string | string[] | undefined>): RateLimitHeaders | undefined {
  const num = (name: string): number => {
    const v = headers[name];
    const text = Array.isArray(v) ? v[0] : v;
    return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  };
  const limit = num('x-rate-limit-limit');
  const remaining = num('x-rate-limit-remaining');
  const reset = num('x-rate-limit-reset');
  if (![limit, remaining, reset].every((n) => Number.isFinite(n) && n >= 0)) return undefined;
  return { limit, remaining, reset };
}
