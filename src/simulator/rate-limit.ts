/**
 * Okta's rate limits (https://developer.okta.com/docs/reference/rl-best-practices/): each
 * bucket has its own window, which starts with the bucket's first request after the previous
 * window ended (windows are not aligned to the clock). Every response says where its bucket
 * stands in `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch
 * seconds). Scaled windows (under a minute) start on whole seconds so that `Reset` is exact.
 * @module
 */
import type { BucketName } from './buckets.js';

/** Where a bucket stands, as the `X-Rate-Limit-*` headers say. */
export interface RateState {
  /** Whether this request fits in the window. */
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window ends. */
  reset: number;
}

interface Window {
  start: number;
  end: number;
  used: number;
}

/** Per-bucket request windows. */
export class RateLimiter {
  readonly #limits: Record<BucketName, number>;
  readonly #windowMs: number;
  readonly #clock: () => number;
  readonly #windows = new Map<BucketName, Window>();

  constructor(limits: Record<BucketName, number>, windowMs: number, clock: () => number) {
    this.#limits = limits;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  #current(bucket: BucketName, open: boolean): Window {
    const now = this.#clock();
    const w = this.#windows.get(bucket);
    if (w && now < w.end) return w;
    const start = this.#windowMs < 60_000 ? Math.floor(now / 1_000) * 1_000 : now;
    const fresh = { start, end: start + this.#windowMs, used: 0 };
    if (open) this.#windows.set(bucket, fresh);
    return fresh;
  }

  #state(bucket: BucketName, w: Window, allowed: boolean): RateState {
    const limit = this.#limits[bucket];
    return { allowed, limit, remaining: Math.max(0, limit - w.used), reset: Math.ceil(w.end / 1_000) };
  }

  /** Counts one request against the bucket (opening a window when none is open). */
  take(bucket: BucketName): RateState {
    const w = this.#current(bucket, true);
    w.used++;
    return this.#state(bucket, w, w.used <= this.#limits[bucket]);
  }

  /** The bucket's state without counting a request (for 401 and 405 answers). */
  peek(bucket: BucketName): RateState {
    return this.#state(bucket, this.#current(bucket, false), true);
  }
}
