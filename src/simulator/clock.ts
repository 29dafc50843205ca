/**
 * The simulator's clock for the System Log and for timestamps that mutations write: the
 * `now` option (default `Date.now`) plus whatever {@link SimClock.advance} added, never going
 * backwards.
 * @module
 */

/** A monotonic clock that tests can push forward. */
export class SimClock {
  readonly #source: () => number;
  #offset = 0;
  #last = -Infinity;

  constructor(source: () => number) {
    this.#source = source;
  }

  /** The current time in epoch milliseconds. */
  now(): number {
    const t = this.#source() + this.#offset;
    if (!Number.isFinite(t)) throw new RangeError('the simulator clock returned a non-finite time');
    this.#last = Math.max(this.#last, t);
    return this.#last;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceClock takes a finite, non-negative number of milliseconds');
    this.#offset += ms;
  }
}
