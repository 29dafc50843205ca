/**
 * A set of Okta ids kept as bytes (see columns.ts): the ids a change of many people plans by id
 * alone (a page's tail, 100,000 holders of a relabelled app) cost about a third of a Set of
 * strings, and nothing on the V8 heap that a long plan would make it promote and keep.
 * @module
 */
import { NO_STRING, StringArena } from './arena.js';
import { IdIndex, IntColumn } from './columns.js';

/** Okta ids, each once, iterated in the order they were added. */
export class IdSet implements Iterable<string> {
  readonly #strings = new StringArena();
  /** Each entry's string handle, in order added; NO_STRING once deleted. */
  readonly #handles = new IntColumn();
  readonly #index = new IdIndex((entry) => this.#strings.get(this.#handles.get(entry)));
  #entries = 0;

  get size(): number {
    return this.#index.size;
  }

  add(id: string): this {
    if (this.#index.get(id) !== undefined) return this;
    const entry = this.#entries++;
    this.#handles.set(entry, this.#strings.add(id));
    this.#index.set(id, entry);
    return this;
  }

  has(id: string): boolean {
    return this.#index.get(id) !== undefined;
  }

  delete(id: string): boolean {
    const entry = this.#index.get(id);
    if (entry === undefined) return false;
    this.#index.delete(id);
    this.#strings.free(this.#handles.get(entry));
    this.#handles.set(entry, NO_STRING);
    return true;
  }

  /** The ids in the order added (one deleted while iterating, the current one included, is not met again). */
  *[Symbol.iterator](): Generator<string> {
    for (let entry = 0; entry < this.#entries; entry++) {
      const handle = this.#handles.get(entry);
      if (handle !== NO_STRING) yield this.#strings.get(handle)!;
    }
  }
}
