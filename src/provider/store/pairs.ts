/**
 * A hash set of rows keyed by a pair of numbers, in one Int32Array: open addressing with linear
 * probing, deletion by backward shift (no tombstones), the key of each row read back through
 * two functions. It holds 4 to 8 bytes per row, so 2,000,000 memberships cost 8 to 16 MB, and finds,
 * adds and deletes in constant time.
 * @module
 */

/** Rows (numbers >= 1) by a pair of non-negative numbers. */
export class PairIndex {
  /** 0: empty; else a row. The capacity is a power of two, at most half full. */
  private table = new Int32Array(1024);
  private count = 0;

  /** @param first the first number of a stored row's pair; `second` its second. */
  constructor(
    private readonly first: (row: number) => number,
    private readonly second: (row: number) => number,
  ) {}

  /** The row of pair (a, b), or 0. */
  find(a: number, b: number): number {
    const mask = this.table.length - 1;
    for (let i = hash(a, b) & mask; ; i = (i + 1) & mask) {
      const row = this.table[i]!;
      if (row === 0) return 0;
      if (this.first(row) === a && this.second(row) === b) return row;
    }
  }

  /** Stores `row` (whose pair is not stored yet). */
  add(row: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    this.place(this.table, row);
    this.count++;
  }

  /** Forgets `row`. */
  delete(row: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let i = this.home(row, mask);
    while (table[i] !== row) {
      if (table[i] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward shift: move up each following entry that its probe would no longer reach.
    for (let j = (i + 1) & mask; table[j] !== 0; j = (j + 1) & mask) {
      const home = this.home(table[j]!, mask);
      const reaches = i <= j ? home <= i || home > j : home <= i && home > j;
      if (reaches) {
        table[i] = table[j]!;
        i = j;
      }
    }
    table[i] = 0;
    this.count--;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    for (const row of old) if (row !== 0) this.place(this.table, row);
  }

  private home(row: number, mask: number): number {
    return hash(this.first(row), this.second(row)) & mask;
  }

  private place(table: Int32Array, row: number): void {
    const mask = table.length - 1;
    let i = this.home(row, mask);
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = row;
  }
}

/** Mixes two 32-bit numbers (murmur3's finalizer over a multiplicative combination). */
function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
