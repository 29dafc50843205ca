/**
 * The synced index as a memory image: named Int32 columns, byte chunks and a few JSON values. A
 * snapshot takes one at an instant: the arrays are the store's own, shared copy-on-write (the
 * store copies an array before it next writes to it, so the image keeps the index as it was while
 * the file is written, and what does not change is never copied). A warm start maps one back from
 * the file's bytes (views, no copy and no per-row work), so a 100,000-person index with its lookup
 * tables is answering in the time it takes to read the file.
 * @module
 */

/** A part of the index that saves itself under a name, and loads back from it. */
export interface SavedPart {
  save(image: StoreImage, name: string): void;
  load(image: StoreImage, name: string): void;
}

/** What a snapshot holds of the index, or what a file gave back. */
export class StoreImage {
  readonly arrays = new Map<string, Int32Array<ArrayBufferLike> | Buffer>();
  readonly values: Record<string, unknown> = {};

  /** Keeps a JSON value (counts, free lists, the apps, the groups). */
  set(name: string, value: unknown): void {
    this.values[name] = value;
  }

  /** A JSON value kept under `name`; throws when there is none (the image is not one this code wrote). */
  value<T>(name: string): T {
    if (!(name in this.values)) throw new Error(`the index has no ${name}`);
    return this.values[name] as T;
  }

  setInts(name: string, data: Int32Array<ArrayBufferLike>): void {
    this.arrays.set(name, data);
  }

  setBytes(name: string, data: Buffer): void {
    this.arrays.set(name, data);
  }

  /** The Int32 column kept under `name`. */
  ints(name: string): Int32Array<ArrayBufferLike> {
    const data = this.arrays.get(name);
    if (!(data instanceof Int32Array)) throw new Error(`the index has no column ${name}`);
    return data;
  }

  /** The bytes kept under `name`. */
  bytes(name: string): Buffer {
    const data = this.arrays.get(name);
    if (!Buffer.isBuffer(data)) throw new Error(`the index has no bytes ${name}`);
    return data;
  }
}
