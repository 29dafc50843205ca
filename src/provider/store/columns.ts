/**
 * The storage under {@link IdentityStore}: growable number columns, strings packed off the
 * V8 heap, and a hash index from Okta ids to row numbers. A full sync of a large org keeps
 * hundreds of thousands of people and accounts; as JS objects and strings they cost about
 * three times their bytes and make V8 size its heap to match, so they are kept as bytes.
 * @module
 */
import type { StoreImage } from './image.js';

/** An Int32 column that grows by doubling. Unwritten rows read as 0. */
export class IntColumn {
  private data: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  /** One past the last row written. */
  private length = 0;

  get(row: number): number {
    return this.data[row] ?? 0;
  }

  set(row: number, value: number): void {
    if (row >= this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, row + 1, 1024));
      grown.set(this.data);
      this.data = grown;
    }
    if (row >= this.length) this.length = row + 1;
    this.data[row] = value;
  }

  /** Keeps a copy of the written rows in `image`. */
  save(image: StoreImage, name: string): void {
    image.setInts(name, this.data.slice(0, this.length));
  }

  /** Takes the rows of `image` (a view: written in place until the column grows). */
  load(image: StoreImage, name: string): void {
    this.data = image.ints(name);
    this.length = this.data.length;
  }
}

/** The handle of no string (null). */
export const NO_STRING = -1;

/** Bytes per chunk of the arena; a longer string gets a chunk of its own. */
const CHUNK = 1 << 20;
/** Chunks addressable by an Int32 handle (chunk × CHUNK + offset). */
const MAX_CHUNKS = 2047;

/**
 * Strings as UTF-8 bytes in 1 MB chunks outside the V8 heap, each addressed by a number
 * (its chunk and offset) and prefixed by its length (one byte below 128, else four). Freed
 * strings are only counted; the owner rewrites its handles through {@link StringArena.compact}
 * when more than half of the bytes are dead.
 */
export class StringArena {
  private chunks: Buffer[] = [];
  /** Per chunk, the end of its last string (a snapshot keeps no byte past it). */
  private ends: number[] = [];
  private offset = CHUNK;
  private liveBytes = 0;
  private deadBytes = 0;

  /** Stores `value`; returns its handle. */
  add(value: string): number {
    const length = Buffer.byteLength(value, 'utf8');
    const size = length + (length < 0x80 ? 1 : 4);
    if (this.offset + size > CHUNK || this.chunks.length === 0) {
      if (this.chunks.length >= MAX_CHUNKS) throw new RangeError('the identity store is full (2 GB of strings)');
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(CHUNK, size)));
      this.ends.push(0);
      this.offset = 0;
    }
    const chunk = this.chunks.length - 1;
    const buffer = this.chunks[chunk]!;
    const start = this.offset;
    if (length < 0x80) buffer[start] = length;
    else buffer.writeUInt32BE((length | 0x80000000) >>> 0, start);
    buffer.write(value, start + size - length, length, 'utf8');
    // A chunk holding one long string is full.
    this.offset = size > CHUNK ? CHUNK : start + size;
    this.ends[chunk] = start + size;
    this.liveBytes += size;
    return chunk * CHUNK + start;
  }

  /** The string of `handle`, or null for {@link NO_STRING}. */
  get(handle: number): string | null {
    if (handle === NO_STRING) return null;
    const buffer = this.chunks[Math.floor(handle / CHUNK)]!;
    const start = handle % CHUNK;
    const short = buffer[start]! < 0x80;
    const length = short ? buffer[start]! : buffer.readUInt32BE(start) & 0x7fffffff;
    const from = start + (short ? 1 : 4);
    return buffer.toString('utf8', from, from + length);
  }

  /**
   * Marks the string of `handle` as no longer used, and zeroes its bytes (a snapshot of the arena
   * then holds nothing of a person the index forgot); negative handles (no string) are ignored.
   */
  free(handle: number): void {
    if (handle < 0) return;
    const buffer = this.chunks[Math.floor(handle / CHUNK)]!;
    const start = handle % CHUNK;
    const short = buffer[start]! < 0x80;
    const size = short ? buffer[start]! + 1 : (buffer.readUInt32BE(start) & 0x7fffffff) + 4;
    // A dead string's length prefix stays readable: compact() never reads one.
    buffer.fill(0, start + (short ? 1 : 4), start + size);
    this.liveBytes -= size;
    this.deadBytes += size;
  }

  /** Bytes held (all chunks). */
  get bytes(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.length;
    return total;
  }

  /** Whether more than half of the bytes (and over a chunk) are dead. */
  get wasteful(): boolean {
    return this.deadBytes > CHUNK && this.deadBytes > this.liveBytes;
  }

  /**
   * Copies the live strings into fresh chunks. `rewrite` is called once; it must pass every
   * live handle through `move` and store the result.
   */
  compact(rewrite: (move: (handle: number) => number) => void): void {
    const old = new StringArena();
    old.chunks = this.chunks;
    this.chunks = [];
    this.ends = [];
    this.offset = CHUNK;
    this.liveBytes = 0;
    this.deadBytes = 0;
    rewrite((handle) => (handle === NO_STRING ? NO_STRING : this.add(old.get(handle)!)));
  }

  /** Keeps a copy of every chunk's bytes up to its last string (no uninitialized byte) in `image`. */
  save(image: StoreImage, name: string): void {
    this.chunks.forEach((chunk, i) => image.setBytes(`${name}.${i}`, Buffer.from(chunk.subarray(0, this.ends[i]))));
    image.set(name, { chunks: this.chunks.length, offset: this.offset, live: this.liveBytes, dead: this.deadBytes });
  }

  /** Takes the chunks of `image`: views, but the last one (still written to) is copied into a whole chunk. */
  load(image: StoreImage, name: string): void {
    const { chunks, offset, live, dead } = image.value<{ chunks: number; offset: number; live: number; dead: number }>(name);
    if (![chunks, offset, live, dead].every(Number.isInteger) || chunks > MAX_CHUNKS) throw new Error(`the index's ${name} is malformed`);
    this.chunks = Array.from({ length: chunks }, (_, i) => image.bytes(`${name}.${i}`));
    this.ends = this.chunks.map((chunk) => chunk.length);
    const last = this.chunks.length - 1;
    if (last >= 0 && offset < CHUNK) {
      const whole = Buffer.allocUnsafeSlow(CHUNK);
      this.chunks[last]!.copy(whole);
      this.chunks[last] = whole;
    }
    this.offset = offset;
    this.liveBytes = live;
    this.deadBytes = dead;
  }
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
        this.table[slot] = DELETED;
        this.count--;
        return;
      }
    }
  }

  save(image: StoreImage, name: string): void {
    image.setInts(name, this.table.slice());
    image.set(name, { used: this.used, count: this.count });
  }

  load(image: StoreImage, name: string): void {
    const table = image.ints(name);
    const { used, count } = image.value<{ used: number; count: number }>(name);
    if ((table.length & (table.length - 1)) !== 0 || table.length === 0 || !(count <= used && used * 2 <= table.length)) throw new Error(`the index's ${name} is malformed`);
    this.table = table;
    this.used = used;
    this.count = count;
  }

  /** Rebuilds the table (without deleted slots), doubled when it is more than a quarter full. */
  private resize(): void {
    const old = this.table;
    this.table = new Int32Array(this.count * 4 > old.length ? old.length * 2 : old.length);
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
