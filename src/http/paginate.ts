import type { OktaClient, OktaResponse, Query } from './client.js';
import { OktaPaginationError, OktaResponseError } from '../errors.js';
import { nextLink } from './link.js';
import { SKIP } from './json.js';
import { InvalidItem } from '../okta/schemas.js';

/** How many invalid items of a page are kept as samples for its warning; the rest are only counted. */
export const INVALID_SAMPLES = 3;

/** The items of a page that `item` found invalid: how many, and the first few. */
export interface InvalidItems {
  count: number;
  /** At most {@link INVALID_SAMPLES}, in page order. */
  samples: InvalidItem[];
}

/** One page of a list: its items (as `item` made them), the response they came in, and where the next page is. */
export interface Page<T = unknown> {
  items: T[];
  response: OktaResponse;
  /** Elements `item` returned an {@link InvalidItem} for: counted, not among `items`. */
  invalid: InvalidItems;
  /** The `next` link, resolved against the org; undefined on the last page. Refused when followed unless it is on the configured origin. */
  next: URL | undefined;
}

/**
 * Walks a list by its `Link: rel="next"` headers (after octokit's paginate iterator): request
 * the URL, yield the page, take `next`, stop when there is none. Callers never see cursors.
 * A `next` link on another origin, one that repeats an earlier page, or more than `maxPages`
 * pages stop the walk with an {@link OktaPaginationError}. `item`, when given, is applied to each
 * element as it is read (see `GetOptions.item` in client.ts); a page's items are its results,
 * but for {@link InvalidItem}s, which are counted with a few samples (`invalid`) rather than kept:
 * a page of a million invalid elements costs a count. Pages after the first are requested as
 * continuations (see `GetOptions.continuation`).
 */
export async function* paginate<T = unknown>(client: OktaClient, path: string, query: Query = {}, signal?: AbortSignal, item?: (element: unknown, index: number) => T): AsyncGenerator<Page<T>> {
  let url: URL | undefined = client.url(path, query);
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url.href)) throw new OktaPaginationError(`the next link of ${path} repeats an earlier page`, 'pagination_cycle', path);
    if (seen.size >= client.config.maxPages) throw new OktaPaginationError(`${path} has more than maxPages (${client.config.maxPages}) pages`, 'too_many_pages', path);
    const continuation = seen.size > 0;
    seen.add(url.href);
    const invalid: InvalidItems = { count: 0, samples: [] };
    const counted =
      item &&
      ((element: unknown, index: number): T | typeof SKIP => {
        // A retried request reads the page again from its first element.
        if (index === 0) invalid.count = invalid.samples.length = 0;
        const result = item(element, index);
        if (!(result instanceof InvalidItem)) return result;
        if (invalid.count++ < INVALID_SAMPLES) invalid.samples.push(result);
        return SKIP;
      });
    const response = await client.get(url, { ...(signal ? { signal } : {}), ...(counted ? { item: counted } : {}), continuation });
    if (!Array.isArray(response.body)) throw new OktaResponseError(`GET ${path}: expected a JSON array`, 'invalid_response', path);
    const next = nextUrl(client, response);
    yield { items: response.body as T[], response, invalid, next };
    url = next === undefined ? undefined : client.url(next);
  }
}

/**
 * The `next` link of a response, resolved against the client's origin (`client.url` checks it
 * is on it when it is followed); undefined without one.
 * @throws OktaResponseError when the link is not a URL.
 */
export function nextUrl(client: OktaClient, response: OktaResponse): URL | undefined {
  const link = nextLink(response.headers.link);
  if (link === undefined) return undefined;
  const path = response.url.pathname;
  if (!URL.canParse(link, client.origin)) throw new OktaResponseError(`GET ${path}: its next link is not a URL`, 'invalid_response', path);
  return new URL(link, client.origin);
}
