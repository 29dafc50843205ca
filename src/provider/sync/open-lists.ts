/**
 * How many lists of one kind (app user lists, group member lists) a full sync reads at once.
 *
 * Many more than the concurrency slots: every list's first page then waits for a slot at the
 * same time, and the slots (`http/slots.ts`) choose among them, continuations first, so a long
 * list never waits behind short ones for a reader to come free. Bounded all the same, so that an
 * org of thousands of apps does not hold thousands of open reads.
 */
export const LISTS_PER_SLOT = 16;

/** The lists read at once with `slots` concurrency slots. */
export function openLists(slots: number): number {
  return Math.max(1, slots) * LISTS_PER_SLOT;
}
