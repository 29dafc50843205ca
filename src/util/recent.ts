/**
 * Bounded maps and sets that forget the least recently set key first: the change stream keeps
 * the uuids of the last events it handled (Okta's polling pages can overlap) and a little about
 * recent apps, while its memory stays bounded over months. A Map keeps insertion order, so its
 * first key is the least recently set.
 * @module
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('the capacity must be a positive integer');
  }

  /** Number of keys held. */
  get size(): number {
    return this.#entries.size;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets `key` (as the most recent), forgetting the least recent key when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}

/** A {@link RecentMap} of keys alone. */
export class RecentSet extends RecentMap<string, true> {
  /** Adds `key` (or marks it as just seen). */
  add(key: string): void {
    this.set(key, true);
  }
}
