import { setTimeout as delay } from 'node:timers/promises';
import { OktaValidationError } from './errors.js';

/**
 * The longest wait a Node timer supports (2^31-1 ms, about 24.8 days): a longer one fires after
 * 1 ms with a TimeoutOverflowWarning. Every duration option is validated against it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Time as the client sees it; tests pass a fake one so waits take no real time. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    // Every wait is bounded by a validated option; this guards the timer itself (NaN or a value
    // past its range would fire after 1 ms, and a loop around it would spin).
    if (!(ms <= MAX_TIMER_MS)) throw new OktaValidationError(`sleep: ${ms} ms is beyond the longest timer (${MAX_TIMER_MS} ms)`, 'ms');
    if (ms <= 0) return signal?.throwIfAborted();
    try {
      await delay(ms, undefined, signal ? { signal } : {});
    } catch (error) {
      // timers/promises rejects with its own AbortError; the contract (and every other wait) is the
      // signal's reason, so a call stopped by close() ends in OktaClosedError wherever it waited.
      signal?.throwIfAborted();
      throw error;
    }
  },
};

