/**
 * A bounded set of recently seen keys, oldest evicted first: the change stream keeps the
 * uuids of the last events it handled so an event that a later poll serves again (Okta's
 * polling pages can overlap) is not handled twice, while memory stays bounded over days.
 * A Map keeps insertion order, so its first key is the least recently seen.
 * @example
 * const seen = new RecentSet(10_000);
 * if (!seen.has(event.uuid)) handle(event);
 * seen.add(event.uuid);
 */
export class RecentSet {
  readonly #keys = new Map<string, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('RecentSet capacity must be a positive integer');
  }

  /** Number of keys held. */
  get size(): number {
    return this.#keys.size;
  }

  /** Whether `key` was added and not yet evicted. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Adds `key` (or marks it as just seen), evicting the least recently seen key when full. */
  add(key: string): void {
    this.#keys.delete(key);
    this.#keys.set(key, true);
    if (this.#keys.size > this.capacity) {
      const oldest = this.#keys.keys().next();
      if (!oldest.done) this.#keys.delete(oldest.value);
    }
  }
}

/**
 * A bounded map with the same least-recently-set eviction.
 * @example
 * const remembered = new RecentMap<string, string[]>(64);
 * remembered.set('0oa1', ['00u1', '00u2']);
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('RecentMap capacity must be a positive integer');
  }

  /** The value of `key`, if held. */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets `key`, evicting the least recently set entry when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.#entries.delete(key);
  }
}
