/**
 * Pages of sorted id lists with opaque `after` cursors, and the `Link` headers Okta sends
 * (https://developer.okta.com/docs/api/#pagination): `rel="self"` always, `rel="next"` when
 * more results exist, each an absolute URL that keeps the request's other query parameters.
 * @module
 */
import { ApiError } from './errors.js';
import { upperBound } from './sorted.js';

/**
 * An opaque cursor: base64url of a small JSON object, so it is never a plain id a client
 * could be tempted to build itself.
 */
export function encodeCursor(payload: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * The object inside a cursor.
 * @throws ApiError 400 E0000001 when the cursor was not made by {@link encodeCursor}.
 */
export function decodeCursor(cursor: string): Record<string, unknown> {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ApiError.validation('after', 'The after cursor is not valid.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ApiError.validation('after', 'The after cursor is not valid.');
  return value as Record<string, unknown>;
}

/**
 * The page size a request asked for: `fallback` without `limit`, at most `max` (Okta caps a
 * larger limit silently).
 * @throws ApiError 400 E0000001 when `limit` is not a positive integer.
 */
export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null) return Math.min(fallback, max);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw ApiError.validation('limit', 'limit must be a positive integer.');
  return Math.min(Number(raw), max);
}

/** One page of ids and the cursor of the next page (null on the last). */
export interface IdPage {
  ids: string[];
  nextAfter: string | null;
}

/**
 * A page of a sorted id list: the ids after the cursor's id (found by binary search) that
 * `match` accepts, up to `limit`, and a next cursor when another match exists.
 * @throws ApiError 400 E0000001 on a cursor that is not an id-list cursor.
 */
export function pageOfIds(ids: readonly string[], after: string | null, limit: number, match?: (id: string) => boolean): IdPage {
  let start = 0;
  if (after !== null) {
    const cursor = decodeCursor(after);
    if (typeof cursor.a !== 'string') throw ApiError.validation('after', 'The after cursor is not valid.');
    start = upperBound(ids, cursor.a);
  }
  const out: string[] = [];
  let i = start;
  for (; i < ids.length && out.length < limit; i++) {
    const id = ids[i] as string;
    if (!match || match(id)) out.push(id);
  }
  let more = false;
  for (; i < ids.length; i++) {
    if (!match || match(ids[i] as string)) {
      more = true;
      break;
    }
  }
  const last = out[out.length - 1];
  return { ids: out, nextAfter: more && last !== undefined ? encodeCursor({ a: last }) : null };
}

/** The `next` URL: the request URL with `after` set to the cursor, other parameters kept. */
export function nextUrl(requestUrl: URL, after: string): string {
  const url = new URL(requestUrl.href);
  url.searchParams.set('after', after);
  return url.href;
}

/**
 * The `Link` header value(s): one per link (`separate`, as Okta sends them) or one
 * comma-joined header (`joined`).
 */
export function linkHeader(self: string, next: string | null, style: 'separate' | 'joined'): string | string[] {
  const links = [`<${self}>; rel="self"`];
  if (next !== null) links.push(`<${next}>; rel="next"`);
  return style === 'joined' ? links.join(', ') : links;
}
