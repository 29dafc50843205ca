/**
 * The storage under {@link IdentityStore}: growable number columns, a hash index from Okta ids
 * to row numbers, interned values (and strings packed off the V8 heap, in arena.ts). A full sync of a large org keeps
 * hundreds of thousands of people and accounts; as JS objects and strings they cost about
 * three times their bytes and make V8 size its heap to match, so they are kept as bytes.
 * @module
 */
import type { StoreImage } from './image.js';

/**
 * An Int32 column that grows by doubling. Unwritten rows read as 0. A snapshot being written
 * shares its array (copy on write: the next write copies it first, so the snapshot keeps the
 * column as it was when it was taken, and a snapshot costs no copy of what does not change).
 */
export class IntColumn {
  private data: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  /** One past the last row written. */
  private length = 0;
  /** Whether a snapshot holds `data`. */
  private shared = false;

  get(row: number): number {
    return this.data[row] ?? 0;
  }

  set(row: number, value: number): void {
    if (row >= this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, row + 1, 1024));
      grown.set(this.data);
      this.data = grown;
      this.shared = false;
    } else if (this.shared) {
      this.data = this.data.slice();
      this.shared = false;
    }
    if (row >= this.length) this.length = row + 1;
    this.data[row] = value;
  }

  /** One past the last row written. */
  get size(): number {
    return this.length;
  }

  /** Gives `image` the written rows (shared until the next write). */
  save(image: StoreImage, name: string): void {
    image.setInts(name, this.data.subarray(0, this.length));
    this.shared = true;
  }

  /** Takes the rows of `image` (a view: written in place until the column grows). */
  load(image: StoreImage, name: string): void {
    this.data = image.ints(name);
    this.length = this.data.length;
  }
}

/**
 * Checks chains of rows loaded from an image (each head, and each row's `next`, a row + 1; 0 ends
 * a chain): they stay within `rows` and never meet or loop, so that no walk of a forged or damaged
 * file can run forever. Throws when one does.
 */
export function checkChains(heads: Iterable<number>, next: IntColumn, rows: number, name: string): void {
  const seen = new Uint8Array(rows + 1);
  for (const head of heads) {
    for (let s = head; s !== 0; s = next.get(s - 1)) {
      if (s < 0 || s > rows || seen[s] === 1) throw new Error(`the index's ${name} are malformed (a chain loops or leaves its rows)`);
      seen[s] = 1;
    }
  }
}

/** The values of rows 0 to `column.size - 1`, and `extra`. */
export function* values(column: IntColumn, ...extra: number[]): Generator<number> {
  for (let row = 0; row < column.size; row++) yield column.get(row);
  yield* extra;
}

/** FNV-1a over the UTF-16 code units of an id. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const EMPTY = 0;
const DELETED = -1;

/**
 * Okta ids to row numbers: open addressing over an Int32Array (row + 1; 0 empty, -1 deleted),
 * the ids themselves read back through `idOf` (from the arena), so no JS string is kept per id.
 */
export class IdIndex {
  private table: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  private used = 0;
  private count = 0;
  /** Whether a snapshot holds `table` (copied before the next write). */
  private shared = false;

  constructor(private readonly idOf: (row: number) => string | null) {}

  /** Number of ids. */
  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const mask = this.table.length - 1;
    for (let slot = hash(id) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === EMPTY) return undefined;
      if (entry !== DELETED && this.idOf(entry - 1) === id) return entry - 1;
    }
  }

  /** Adds `id` (which must not be present) for `row`. */
  set(id: string, row: number): void {
    if ((this.used + 1) * 2 > this.table.length) this.resize();
    else this.own();
    const mask = this.table.length - 1;
    let slot = hash(id) & mask;
    while (this.table[slot] !== EMPTY && this.table[slot] !== DELETED) slot = (slot + 1) & mask;
    if (this.table[slot] === EMPTY) this.used++;
    this.table[slot] = row + 1;
    this.count++;
  }

  delete(id: string): void {
    const mask = this.table.length - 1;
    for (let slot = hash(id) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === EMPTY) return;
      if (entry !== DELETED && this.idOf(entry - 1) === id) {
        this.own();
        this.table[slot] = DELETED;
        this.count--;
        return;
      }
    }
  }

  save(image: StoreImage, name: string): void {
    image.setInts(name, this.table);
    image.set(name, { used: this.used, count: this.count });
    this.shared = true;
  }

  load(image: StoreImage, name: string): void {
    const table = image.ints(name);
    const { used, count } = image.value<{ used: number; count: number }>(name);
    if ((table.length & (table.length - 1)) !== 0 || table.length === 0 || !(count <= used && used * 2 <= table.length) || !table.includes(EMPTY)) throw new Error(`the index's ${name} is malformed`);
    this.table = table;
    this.used = used;
    this.count = count;
  }

  private own(): void {
    if (!this.shared) return;
    this.table = this.table.slice();
    this.shared = false;
  }

  /** Rebuilds the table (without deleted slots), doubled when it is more than a quarter full. */
  private resize(): void {
    const old = this.table;
    this.table = new Int32Array(this.count * 4 > old.length ? old.length * 2 : old.length);
    this.shared = false;
    this.used = 0;
    this.count = 0;
    for (const entry of old) if (entry > 0) this.set(this.idOf(entry - 1)!, entry - 1);
  }
}

/** Values shared by many rows (statuses), stored once and referred to by number. */
export class Interned {
  private readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();

  numberOf(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.push(value) - 1;
      this.numbers.set(value, n);
    }
    return n;
  }

  valueOf(n: number): string {
    return this.values[n]!;
  }

  save(image: StoreImage, name: string): void {
    image.set(name, [...this.values]);
  }

  load(image: StoreImage, name: string): void {
    const values = image.value<unknown[]>(name);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new Error(`the index's ${name} is malformed`);
    for (const value of values) this.numberOf(value);
  }
}
