/**
 * Binary search over sorted arrays: the indices that let a page start at its `after` cursor in
 * O(log n) instead of scanning the org.
 * @module
 */

/** The first index whose element is `>= key` (`arr.length` when none). */
function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose element is `> key` (`arr.length` when none). */
export function upperBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index `i` for which `before(arr[i])` is false, for an array ordered so that
 * `before` is true on a prefix.
 */
export function partitionPoint<T>(arr: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(arr[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `key` in order; false when it was already there. */
export function insertSorted(arr: string[], key: string): boolean {
  const i = lowerBound(arr, key);
  if (arr[i] === key) return false;
  arr.splice(i, 0, key);
  return true;
}

/** Removes `key`; false when it was not there. */
export function removeSorted(arr: string[], key: string): boolean {
  const i = lowerBound(arr, key);
  if (arr[i] !== key) return false;
  arr.splice(i, 1);
  return true;
}

/**
 * Merges sorted, distinct `keys` into sorted `arr` in place, in O(n + m) (bulk inserts such as
 * a group of 30,000 members gaining an app).
 */
export function mergeSorted(arr: string[], keys: readonly string[]): void {
  if (keys.length === 0) return;
  const out: string[] = new Array<string>(arr.length + keys.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < arr.length || j < keys.length) {
    const a = arr[i];
    const b = keys[j];
    if (b === undefined || (a !== undefined && a < b)) {
      out[k++] = a as string;
      i++;
    } else if (a === b) {
      out[k++] = a;
      i++;
      j++;
    } else {
      out[k++] = b;
      j++;
    }
  }
  out.length = k;
  arr.length = 0;
  for (const v of out) arr.push(v);
}

/** Removes every key in `keys` from `arr` in place, in O(n). */
export function removeMany(arr: string[], keys: ReadonlySet<string>): void {
  if (keys.size === 0) return;
  let k = 0;
  for (const v of arr) if (!keys.has(v)) arr[k++] = v;
  arr.length = k;
}
