import type { OktaClient, OktaResponse, Query } from './client.js';
import { OktaPaginationError, OktaResponseError } from './errors.js';
import { nextLink } from './link.js';

/** One page of a list: its items (as `item` made them) and the response they came in. */
export interface Page<T = unknown> {
  items: T[];
  response: OktaResponse;
}

/**
 * Walks a list by its `Link: rel="next"` headers (after octokit's paginate iterator): request
 * the URL, yield the page, take `next`, stop when there is none. Callers never see cursors.
 * A `next` link on another origin, one that repeats an earlier page, or more than `maxPages`
 * pages stop the walk with an {@link OktaPaginationError}. `item`, when given, is applied to each
 * element as it is read (see `GetOptions.item` in client.ts); a page's items are its results.
 * @example
 * for await (const page of paginate(client, '/api/v1/users', { limit: 200 })) handle(page.items);
 */
export async function* paginate<T = unknown>(client: OktaClient, path: string, query: Query = {}, signal?: AbortSignal, item?: (element: unknown, index: number) => T): AsyncGenerator<Page<T>> {
  let url: URL | undefined = client.url(path, query);
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url.href)) throw new OktaPaginationError(`the next link of ${path} repeats an earlier page`, 'pagination_cycle', path);
    if (seen.size >= client.config.maxPages) throw new OktaPaginationError(`${path} has more than maxPages (${client.config.maxPages}) pages`, 'too_many_pages', path);
    seen.add(url.href);
    const response = await client.get(url, { ...(signal ? { signal } : {}), ...(item ? { item } : {}) });
    if (!Array.isArray(response.body)) throw new OktaResponseError(`GET ${path}: expected a JSON array`, 'invalid_response', path);
    yield { items: response.body as T[], response };
    const next = nextLink(response.headers.link);
    url = next === undefined ? undefined : client.url(next);
  }
}
