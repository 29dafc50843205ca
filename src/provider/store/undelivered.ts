/**
 * The people of a store the host may not have yet: a bit per row (12.5 KB for 100,000 people, not
 * a set of their ids). Rows are the store's own: a person leaves when delivered (put) or removed,
 * before their row can be reused, so a bit never comes to name someone else.
 * @module
 */
import { clearBit, hasBit, newBitset, setBit } from '../../util/bitset.js';

export class Undelivered implements Iterable<string> {
  readonly #bits: Uint8Array;
  #size = 0;

  /** Every row of `rows` for which `listed` holds; `rowOf` and `idOf` are the store's. */
  constructor(
    rows: number,
    listed: (row: number) => boolean,
    private readonly rowOf: (id: string) => number | undefined,
    private readonly idOf: (row: number) => string,
  ) {
    this.#bits = newBitset(rows);
    for (let row = 0; row < rows; row++) {
      if (!listed(row)) continue;
      setBit(this.#bits, row);
      this.#size++;
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Takes `id` out (delivered); false when they were not in. */
  delete(id: string): boolean {
    const row = this.rowOf(id);
    if (row === undefined || !hasBit(this.#bits, row)) return false;
    clearBit(this.#bits, row);
    this.#size--;
    return true;
  }

  /** The ids of those still in, by row. */
  *[Symbol.iterator](): Generator<string> {
    for (let row = 0; row < this.#bits.length * 8; row++) if (hasBit(this.#bits, row)) yield this.idOf(row);
  }
}
