/**
 * One task shared by every concurrent caller: the token refresh, so that a burst of requests
 * (or of 401s) costs one token request, not one each.
 * @module
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

/**
 * Runs `task` at most once at a time; callers that arrive while it runs share its result. Each
 * caller may abort its own wait; the task itself is aborted only when every waiter has left.
 */
export class SingleFlight<T> {
  readonly #task: (signal: AbortSignal) => Promise<T>;
  #current: Flight<T> | undefined;

  constructor(task: (signal: AbortSignal) => Promise<T>) {
    this.#task = task;
  }

  /**
   * True while a task runs.
   */
  get running(): boolean {
    return this.#current !== undefined;
  }

  /**
   * Joins the running task or starts one; rejects early with `signal`'s reason when it aborts.
   */
  async run(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const flight = this.#current ?? this.#start();
    flight.waiters++;
    try {
      return await abortable(flight.promise, signal);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.settled) {
        flight.controller.abort(signal?.reason);
        if (this.#current === flight) this.#current = undefined;
      }
    }
  }

  #start(): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = { controller, waiters: 0, settled: false, promise: Promise.resolve(undefined as T) };
    flight.promise = this.#task(controller.signal).finally(() => {
      flight.settled = true;
      if (this.#current === flight) this.#current = undefined;
    });
    // Nobody may be left to await it (every waiter aborted): its rejection is not "unhandled".
    flight.promise.catch(() => undefined);
    this.#current = flight;
    return flight;
  }
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
