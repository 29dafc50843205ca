import { quote } from '../../okta/query.js';

/**
 * Splitting the user list into slices that can be paged in parallel.
 *
 * Okta's `filter` on `lastUpdated` (the one user property it can range over without the
 * eventually consistent `search`; https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers)
 * returns every status, DEPROVISIONED included. The slices are half-open ranges
 * `[b(i), b(i+1))` that partition `lastUpdated < snapshot`, plus `lastUpdated >= snapshot`, which
 * is read last. Why every user is read: a user whose lastUpdated is before the snapshot was not
 * modified after it, so it sat in exactly one range while that range was read; a user modified
 * or created after the snapshot has lastUpdated >= snapshot and is read by the last slice, after
 * all others. A user read twice is kept once (by id).
 */

/** One slice's `filter` expression. */
export type SliceFilter = string;

/**
 * Up to `count` boundaries from a sample of lastUpdated values (its quantiles), strictly
 * increasing and all before `snapshot`.
 */
export function sliceBoundaries(sample: readonly string[], count: number, snapshot: string): string[] {
  const sorted = sample.filter((t) => t < snapshot).sort();
  const bounds: string[] = [];
  for (let i = 1; i < count; i++) {
    const t = sorted[Math.floor((i * sorted.length) / count)];
    if (t !== undefined && (bounds.length === 0 || t > bounds[bounds.length - 1]!)) bounds.push(t);
  }
  return bounds;
}

/**
 * The filters of the slices: ranges before `snapshot` cut at `bounds`, then `>= snapshot` last.
 */
export function sliceFilters(bounds: readonly string[], snapshot: string): SliceFilter[] {
  const edges = [...bounds, snapshot];
  const filters: SliceFilter[] = [];
  let lower: string | undefined;
  for (const upper of edges) {
    const lt = `lastUpdated lt ${quote(upper)}`;
    // No parentheses: the user list's filter supports only `and`/`or` between comparisons.
    filters.push(lower === undefined ? lt : `lastUpdated ge ${quote(lower)} and ${lt}`);
    lower = upper;
  }
  filters.push(`lastUpdated ge ${quote(snapshot)}`);
  return filters;
}
