/**
 * Hash sets of row keys in one Int32Array, for the store's lookups (memberships by person and
 * group, accounts by userName and externalId, people by login and email): open addressing with
 * linear probing and deletion by backward shift (no tombstones). A key's hash is read back through
 * a function (from a column, or computed from the row), so a table holds 4 to 8 bytes per key, is
 * saved in a snapshot as it is, and finds, adds and deletes in constant time.
 * @module
 */
import type { StoreImage } from './image.js';

/** Keys (numbers >= 1) by a 32-bit hash the owner keeps; several keys may share a hash. */
export class RowHash {
  /** 0: empty; else a key. The capacity is a power of two, at most half full. */
  private table: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  private count = 0;
  /** Whether a snapshot holds `table` (copied before the next write: see IntColumn). */
  private shared = false;

  /** @param hashOf the hash of a stored key (an Int32: see {@link textHash}, {@link pairHash}). */
  constructor(private readonly hashOf: (key: number) => number) {}

  /** The first key of hash `h` that `matches` accepts, or 0. */
  find(h: number, matches: (key: number) => boolean): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const key = table[i]!;
      if (key === 0) return 0;
      if (this.hashOf(key) === h && matches(key)) return key;
    }
  }

  /** Calls `visit` with every key of hash `h`. */
  each(h: number, visit: (key: number) => void): void {
    this.find(h, (key) => {
      visit(key);
      return false;
    });
  }

  /** Stores `key` (which must not be stored). */
  add(key: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    else this.own();
    this.place(this.table, key);
    this.count++;
  }

  /** Forgets `key` (its hash must be the one it was stored with). */
  delete(key: number): void {
    this.own();
    const table = this.table;
    const mask = table.length - 1;
    let i = this.hashOf(key) & mask;
    while (table[i] !== key) {
      if (table[i] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward shift: move up each following entry that its probe would no longer reach.
    for (let j = (i + 1) & mask; table[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashOf(table[j]!) & mask;
      const reaches = i <= j ? home <= i || home > j : home <= i && home > j;
      if (reaches) {
        table[i] = table[j]!;
        i = j;
      }
    }
    table[i] = 0;
    this.count--;
  }

  save(image: StoreImage, name: string): void {
    image.setInts(name, this.table);
    image.set(name, this.count);
    this.shared = true;
  }

  load(image: StoreImage, name: string): void {
    const table = image.ints(name);
    const count = image.value<number>(name);
    // A table with no empty slot would make a probe run forever.
    if (table.length < 2 || (table.length & (table.length - 1)) !== 0 || !Number.isInteger(count) || count * 2 > table.length || !table.includes(0)) throw new Error(`the index's table ${name} is malformed`);
    this.table = table;
    this.count = count;
  }

  private own(): void {
    if (!this.shared) return;
    this.table = this.table.slice();
    this.shared = false;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.shared = false;
    for (const key of old) if (key !== 0) this.place(this.table, key);
  }

  private place(table: Int32Array, key: number): void {
    const mask = table.length - 1;
    let i = this.hashOf(key) & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = key;
  }
}

/** murmur3's finalizer: spreads a number's bits over the low ones the tables index by. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of a pair of 32-bit numbers. */
export function pairHash(a: number, b: number): number {
  return mix(Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77));
}

/** The hash of `text` (its UTF-16 code units, FNV-1a) under `seed` (an app's number, or 0). */
export function textHash(seed: number, text: string): number {
  let h = Math.imul(0x811c9dc5 ^ seed, 0x01000193);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}
