import createDebug from 'debug';
import type { BucketName } from '../okta/endpoints.js';
import type { Clock } from '../clock.js';
import { OktaRateLimitError } from '../errors.js';
import { Slots, type SlotTicket } from './slots.js';
import { isConcurrencyLimit, RATE_LIMIT_WINDOW_MS, untilResetMs, type RateLimitHeaders } from './retry.js';

const debug = createDebug('okta-idp:rate-limit');

/** Counters the client reports in `stats`. */
export interface RateLimitStats {
  /** Times a request waited for a bucket's window to reset. */
  rateLimitWaits: number;
  /** Total milliseconds spent in those waits (overlapping waits add up). */
  rateLimitWaitMs: number;
}

/**
 * What a finished request tells its bucket: its status, with the rate-limit headers and the `Date`
 * it carried. Undefined when the exchange failed (no response).
 */
export interface BucketFeedback {
  status: number;
  rateLimit: RateLimitHeaders | undefined;
  dateMs: number | undefined;
}

/**
 * One Okta rate-limit bucket's budget, fed by the `X-Rate-Limit-*` headers of its responses.
 *
 * Okta's windows are not aligned to the clock and each response says when its window resets,
 * so this is a small gate rather than a fixed-interval reservoir (Bottleneck's): a request is
 * admitted while the requests this window has seen (limit - remaining), plus those in flight,
 * stay under `share` of the limit. Until the first response teaches the limit, one request
 * probes alone; a response without the headers (a proxy stripped them) leaves nothing to learn,
 * so the bucket then admits requests freely (under the global cap) until a 429. When the budget
 * is spent and nothing is in flight it sleeps until the reset: never longer than one Okta window,
 * and it fails with {@link OktaRateLimitError} rather than sleep longer than `maxWaitMs`.
 */
export class BucketBudget {
  private limit: number | undefined;
  /** True once a response came back without rate-limit headers: no limit will be learned. */
  private unmetered = false;
  private remaining = 0;
  /** The current window's `X-Rate-Limit-Reset` as Okta sent it: identifies the window. */
  private windowReset = 0;
  /** When the current window ends, on our clock. */
  private resetAtMs = 0;
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: BucketName,
    private readonly share: number,
    private readonly clock: Clock,
    private readonly stats: RateLimitStats,
    /** `maxRateLimitWaitMs`: the longest this budget sleeps for a reset. */
    private readonly maxWaitMs: number,
  ) {}

  /**
   * Waits until a request may be sent in this bucket, then counts it as in flight.
   * @throws OktaRateLimitError (naming `method` and `path`) when the budget is spent for longer than `maxWaitMs`.
   */
  async acquire(signal?: AbortSignal, path = `(the ${this.name} bucket)`, method = 'GET'): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.admit();
      if (wait === 0) {
        this.inFlight++;
        return;
      }
      if (wait < 0) {
        await this.nextRelease(signal);
      } else {
        if (wait > this.maxWaitMs) {
          throw new OktaRateLimitError(
            `${method} ${path}: the ${this.name} rate-limit bucket is spent for another ${Math.ceil(wait / 1000)} s, longer than maxRateLimitWaitMs (${this.maxWaitMs} ms); not waiting.`,
            'rate_limited',
            { status: 429, path },
          );
        }
        this.stats.rateLimitWaits++;
        this.stats.rateLimitWaitMs += wait;
        debug('%s: budget spent, waiting %dms for the window to reset', this.name, wait);
        await this.clock.sleep(wait, signal);
      }
    }
  }

  /** Ends an in-flight request, learning from its response when there was one. */
  release(response?: BucketFeedback): void {
    this.inFlight--;
    if (response?.rateLimit) {
      if (!isConcurrencyLimit(response.rateLimit)) this.learn(response.rateLimit, response.dateMs);
    } else if (response) {
      // Headers stripped: serialising on a limit that will never arrive would only slow the
      // bucket down; a 429 sends it back to probing alone until a request gets through.
      this.unmetered = response.status !== 429;
    }
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** 0: send now; > 0: sleep that long for the reset; < 0: wait for an in-flight response. */
  private admit(): number {
    if (this.limit === undefined) return this.unmetered || this.inFlight === 0 ? 0 : -1;
    const now = this.clock.now();
    const windowOver = now >= this.resetAtMs;
    const used = windowOver ? 0 : this.limit - this.remaining;
    const allowed = Math.max(1, Math.floor(this.limit * this.share));
    if (used + this.inFlight < allowed) return 0;
    if (this.inFlight > 0) return -1;
    return windowOver ? 0 : this.resetAtMs - now;
  }

  private learn(h: RateLimitHeaders, dateMs: number | undefined): void {
    if (this.limit === undefined || h.reset > this.windowReset) {
      // A new window (or the first we see): take its numbers as they are. A reset further than
      // one window away (a proxy's header, a nonsense value) is believed for one window only;
      // after it a request asks Okta, whose 429 then decides.
      const now = this.clock.now();
      this.windowReset = h.reset;
      this.resetAtMs = now + Math.min(untilResetMs(h, dateMs, now), RATE_LIMIT_WINDOW_MS);
      this.remaining = h.remaining;
    } else if (h.reset === this.windowReset) {
      // Responses of one window can arrive out of order: the smallest remaining is the latest.
      this.remaining = Math.min(this.remaining, h.remaining);
    } // else: a late answer from a window that has already ended; it says nothing about now.
    this.limit = h.limit;
  }

  private nextRelease(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(wake);
        reject(signal!.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * The client's scheduler: one {@link BucketBudget} per Okta bucket, so work in different buckets
 * proceeds at the same time, and the global concurrency cap's {@link Slots} (Okta caps an org at
 * 75 requests in flight, shared with every other integration), which decide the order of a read.
 */
export class RateLimiter {
  private readonly buckets = new Map<BucketName, BucketBudget>();
  private readonly slots: Slots;
  readonly stats: RateLimitStats = { rateLimitWaits: 0, rateLimitWaitMs: 0 };

  constructor(
    private readonly share: number,
    maxConcurrency: number,
    private readonly clock: Clock,
    /** `maxRateLimitWaitMs`: the longest a bucket sleeps for its reset. */
    private readonly maxWaitMs: number,
  ) {
    this.slots = new Slots(maxConcurrency);
  }

  /** The budget of one bucket, created on first use. */
  bucket(name: BucketName): BucketBudget {
    let budget = this.buckets.get(name);
    if (!budget) {
      budget = new BucketBudget(name, this.share, this.clock, this.stats, this.maxWaitMs);
      this.buckets.set(name, budget);
    }
    return budget;
  }

  /** Runs `send` within the global concurrency cap, when {@link Slots} gives `ticket` a slot. */
  withSlot<T>(send: () => Promise<T>, ticket: SlotTicket = { pagesRead: 0 }): Promise<T> {
    return this.slots.run(ticket, send);
  }

  /** Stops the limiter; requests waiting for a slot are dropped. Safe to call again. */
  stop(): Promise<void> {
    this.slots.stop();
    return Promise.resolve();
  }
}
