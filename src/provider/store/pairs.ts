/**
 * Rows by a pair of numbers (a membership by its person and group): a {@link RowHash} whose keys'
 * pairs are read back through two functions. 2,000,000 memberships cost 8 to 16 MB.
 * @module
 */
import type { StoreImage } from './image.js';
import { pairHash, RowHash } from './row-hash.js';

/** Rows (numbers >= 1) by a pair of non-negative numbers. */
export class PairIndex {
  private readonly rows: RowHash;

  /** @param first the first number of a stored row's pair; `second` its second. */
  constructor(
    private readonly first: (row: number) => number,
    private readonly second: (row: number) => number,
  ) {
    this.rows = new RowHash((row) => pairHash(first(row), second(row)));
  }

  /** The row of pair (a, b), or 0. */
  find(a: number, b: number): number {
    return this.rows.find(pairHash(a, b), (row) => this.first(row) === a && this.second(row) === b);
  }

  /** Stores `row` (whose pair is not stored yet). */
  add(row: number): void {
    this.rows.add(row);
  }

  /** Forgets `row`. */
  delete(row: number): void {
    this.rows.delete(row);
  }

  save(image: StoreImage, name: string): void {
    this.rows.save(image, name);
  }

  load(image: StoreImage, name: string): void {
    this.rows.load(image, name);
  }
}
