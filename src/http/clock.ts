import { setTimeout as delay } from 'node:timers/promises';

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
    if (ms <= 0) return signal?.throwIfAborted();
    await delay(ms, undefined, signal ? { signal } : {});
  },
};

