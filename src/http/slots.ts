/**
 * The concurrency slots every API request takes (`maxConcurrency`; Okta caps an org's requests in
 * flight), and the one decision of the order in which waiting requests get them.
 *
 * A full sync is a set of chains: each list (the apps' user lists, the user list's slices, the
 * groups' member lists) is read page after page, each page needing the previous one's `next`
 * link. When Okta answers slowly and the rate limits are high, a sync lasts as long as its
 * longest chain, or as its requests divided by the slots, whichever is more, provided no long
 * chain waits for a slot while short ones take them. Okta says nothing of a list's length before
 * it is read (no counts on apps, none in `Link` headers), so the order uses only what the read has
 * learned: whether a list has a next page, and how many pages it has given.
 * @module
 */
import { OktaClosedError } from '../errors.js';

/** Where a request stands in its list. */
export interface SlotTicket {
  /** Pages of the same list read before this one: 0 for a first page (or a single request). */
  pagesRead: number;
  /** The pages the list is expected to have left, this one included, when something says (the last sync). */
  pagesLeft?: number | undefined;
}

/** Continuations may hold this share of the slots while first pages wait (rounded up). */
export const CONTINUATION_SHARE = 0.75;

interface Waiter {
  ticket: SlotTicket;
  grant(): void;
  drop(error: Error): void;
}

/** A list expected to go on for this many pages or more is a known long one. */
const knownLong = (ticket: SlotTicket): boolean => (ticket.pagesLeft ?? 0) >= 2;

/** A request of a list known to go on: a continuation, or the first page of a known long list. */
const isContinuation = (ticket: SlotTicket): boolean => ticket.pagesRead > 0 || knownLong(ticket);

/** Whether `a` goes before `b`, both continuations: the longest expected rest, then the fewest pages read. */
function before(a: SlotTicket, b: SlotTicket): boolean {
  const restA = knownLong(a) ? a.pagesLeft! : 0;
  const restB = knownLong(b) ? b.pagesLeft! : 0;
  return restA !== restB ? restA > restB : a.pagesRead < b.pagesRead;
}

/**
 * Which waiting request gets the free slot (its index in `waiting`, which is in arrival order):
 *
 * - A page that continues a list goes before a first page: its list is known to go on, while a
 *   first page's list is, as often as not, one page long (most apps have fewer than 500 users).
 * - A list known to be long (the last sync read it: `pagesLeft`) goes first, the longest rest
 *   first, its first page included: the critical path is then known.
 * - Among other continuations, the list that has given the fewest pages goes first (then the
 *   earliest asked): with lengths unknown, this keeps every known chain moving, so that the
 *   longest one, wherever it sits in the app list, is never far behind (in a model of the
 *   benchmark's org, fewest-pages-first needs 26 round trips, most-pages-first 32; BENCHMARKS.md).
 * - While first pages wait, continuations hold at most {@link CONTINUATION_SHARE} of the slots:
 *   every list's first page is read early, so a long list that has not started yet does not
 *   wait for the ones that did to end.
 */
export function pickWaiter(waiting: readonly { ticket: SlotTicket }[], runningContinuations: number, slots: number): number {
  let first = -1;
  let best = -1;
  for (let i = 0; i < waiting.length; i++) {
    const { ticket } = waiting[i]!;
    if (!isContinuation(ticket)) {
      if (first < 0) first = i;
    } else if (best < 0 || before(ticket, waiting[best]!.ticket)) best = i;
  }
  if (best < 0) return first;
  if (first < 0) return best;
  return runningContinuations < Math.ceil(slots * CONTINUATION_SHARE) ? best : first;
}

/** `size` slots; a request waits for one in the order {@link pickWaiter} decides. */
export class Slots {
  #running = 0;
  #runningContinuations = 0;
  #stopped = false;
  #dispatching = false;
  readonly #waiting: Waiter[] = [];

  constructor(readonly size: number) {}

  /** Runs `send` once a slot is free, and frees it when `send` settles. */
  async run<T>(ticket: SlotTicket, send: () => Promise<T>): Promise<T> {
    await this.#take(ticket);
    try {
      return await send();
    } finally {
      this.#release(ticket);
    }
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Refuses new requests and drops the waiting ones (they reject with OktaClosedError). */
  stop(): void {
    this.#stopped = true;
    for (const waiter of this.#waiting.splice(0)) waiter.drop(new OktaClosedError());
  }

  #take(ticket: SlotTicket): Promise<void> {
    if (this.#stopped) return Promise.reject(new OktaClosedError());
    return new Promise((grant, drop) => {
      this.#waiting.push({ ticket, grant, drop });
      this.#dispatchSoon();
    });
  }

  /**
   * Gives the free slots out on the next turn of the event loop, never at once: the list whose
   * page just freed a slot asks for its next page within the same turn (its response is read,
   * its `next` link known), and that continuation must be among the candidates, or a first page
   * queued earlier would take the slot and the list would wait a whole round trip. The requests
   * asked within one turn are all candidates for the slots free at its end. (And a loop of
   * requests always lets the event loop turn, timers included, as Bottleneck's queue did.)
   */
  #dispatchSoon(): void {
    if (this.#dispatching || this.#running >= this.size) return;
    this.#dispatching = true;
    setImmediate(() => {
      this.#dispatching = false;
      while (this.#running < this.size && this.#waiting.length > 0) {
        const [next] = this.#waiting.splice(pickWaiter(this.#waiting, this.#runningContinuations, this.size), 1);
        this.#hold(next!.ticket);
        next!.grant();
      }
    });
  }

  #hold(ticket: SlotTicket): void {
    this.#running++;
    if (isContinuation(ticket)) this.#runningContinuations++;
  }

  #release(ticket: SlotTicket): void {
    this.#running--;
    if (isContinuation(ticket)) this.#runningContinuations--;
    if (this.#waiting.length > 0) this.#dispatchSoon();
  }
}
