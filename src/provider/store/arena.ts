/**
 * Strings kept off the V8 heap, as UTF-8 bytes in 1 MB chunks (see columns.ts for why the store
 * keeps bytes rather than JS strings).
 * @module
 */
import type { StoreImage } from './image.js';

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
  /** Per chunk, whether a snapshot holds it (copied before a string in it is zeroed). */
  private shared: boolean[] = [];
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
    // A snapshot holds a chunk up to its last string: a string added after it is past its view.
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
    const buffer = this.own(Math.floor(handle / CHUNK));
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
    this.shared = [];
    this.offset = CHUNK;
    this.liveBytes = 0;
    this.deadBytes = 0;
    rewrite((handle) => (handle === NO_STRING ? NO_STRING : this.add(old.get(handle)!)));
  }

  /** Gives `image` every chunk's bytes up to its last string (no byte the process never wrote), shared until the next write to the chunk. */
  save(image: StoreImage, name: string): void {
    this.chunks.forEach((chunk, i) => image.setBytes(`${name}.${i}`, chunk.subarray(0, this.ends[i])));
    this.shared = this.chunks.map(() => true);
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

  /** Chunk `i`, copied first when a snapshot holds it (copy on write, see IntColumn). */
  private own(i: number): Buffer {
    if (this.shared[i]) {
      const copy = Buffer.allocUnsafeSlow(this.chunks[i]!.length);
      this.chunks[i]!.copy(copy);
      this.chunks[i] = copy;
      this.shared[i] = false;
    }
    return this.chunks[i]!;
  }
}
