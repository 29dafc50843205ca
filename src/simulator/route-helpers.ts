/**
 * What the route handlers share: their context and reply types, expression compiling with
 * Okta's 400 E0000031, and small readers.
 * @module
 */
import { ApiError } from './errors.js';
import { compileFilter, type FilterSchema } from './filter.js';
import { FilterError, parseFilter } from './filter-syntax.js';
import type { Org } from './org.js';
import type { AppRecord } from './records.js';
import { maxPageSize, PAGE_SIZES, type ListOperation } from './page-sizes.js';
import { parseLimit, type IdPage } from './pagination.js';
import type { PayloadContext } from './payloads.js';
import type { SystemLog } from './system-log.js';

/** What a handler reads. */
export interface RouteContext {
  org: Org;
  log: SystemLog;
  payload: PayloadContext;
  query: URLSearchParams;
  /** The decoded path parameters, in order. */
  params: readonly string[];
  /** The `pageLimits` option: pages smaller than Okta's maxima. */
  pageLimits: Readonly<Partial<Record<ListOperation, number>>>;
}

/**
 * A handler's answer: a JSON body, and for lists the next page's cursor (null on the last
 * page) and the query parameters the next link must not carry.
 */
export interface Reply {
  body: unknown;
  page?: { nextAfter: string | null; dropFromNext?: readonly string[] };
}

/** A route handler. */
export type Handler = (ctx: RouteContext) => Reply;

/**
 * The predicate of a `filter` or `search` expression for an endpoint's schema.
 * @throws ApiError 400 E0000031 on a malformed expression or one the schema does not support.
 */
export function predicate<S>(text: string, schema: FilterSchema<S>): (s: S) => boolean {
  try {
    return compileFilter(parseFilter(text), schema);
  } catch (e) {
    if (e instanceof FilterError) throw ApiError.invalidSearch(e.message);
    throw e;
  }
}

/** Whether any of `values` starts with `term` (already lower-cased), case-insensitively. */
export function startsWithAny(term: string, values: ReadonlyArray<string | null | undefined>): boolean {
  return values.some((v) => typeof v === 'string' && v.toLowerCase().startsWith(term));
}

/** A list reply for one page. */
export function paged(items: unknown[], page: IdPage): Reply {
  return { body: items, page: { nextAfter: page.nextAfter } };
}

/**
 * How many items a request to the list `op` gets: its `limit`, else `fallback` (the list's
 * default), at most the list's maximum.
 * @throws ApiError 400 E0000001 when `limit` is not a positive integer.
 */
export function pageSize(ctx: RouteContext, op: ListOperation, fallback: number = PAGE_SIZES[op].default): number {
  return parseLimit(ctx.query, fallback, maxPageSize(op, ctx.pageLimits));
}

/** The `i`-th path parameter. */
export function param(ctx: RouteContext, i: number): string {
  return ctx.params[i] as string;
}

/**
 * The app of the first path parameter.
 * @throws ApiError 404 E0000007 when there is none.
 */
export function findApp(ctx: RouteContext): AppRecord {
  const app = ctx.org.apps.get(param(ctx, 0));
  if (!app) throw ApiError.notFound('AppInstance', param(ctx, 0));
  return app;
}
