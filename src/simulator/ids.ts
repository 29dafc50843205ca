/**
 * Okta-looking object ids: a three-character type prefix (`00u` users, `0oa` apps, `00g`
 * groups, `0ua` app assignments) and 17 base62 characters, 20 in all like Okta's. The first
 * six characters after the prefix are a per-prefix counter, so ids sort (as plain strings) in
 * creation order; the other eleven come from a seeded stream, so different seeds give
 * different ids.
 * @module
 */
import { hash32, type Rng } from './prng.js';

/** Base62 in ASCII order, so fixed-width encodings sort like the numbers they encode. */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` as `width` base62 digits (most significant first). */
export function base62(n: number, width: number): string {
  let out = '';
  let v = Math.floor(n);
  for (let i = 0; i < width; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** Hands out ids per prefix, in increasing order. */
export class IdFactory {
  readonly #rng: Rng;
  readonly #counters = new Map<string, number>();

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /** The next id with this prefix. */
  next(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return prefix + base62(n, 6) + this.#rng.chars(11, BASE62);
  }
}

/**
 * The `0ua...` id of app assignment number `seq`, computed on demand so that 300,000 app
 * users do not each hold one more string. Sorted by `seq`, unique per (seed, seq).
 */
export function assignmentId(seed: number, seq: number): string {
  let tail = '';
  let h = hash32(seed, seq);
  for (let i = 0; i < 11; i++) {
    if (i % 5 === 0) h = hash32(h, seq, i);
    tail += BASE62[h % 62];
    h = Math.floor(h / 62);
  }
  return '0ua' + base62(seq, 6) + tail;
}
