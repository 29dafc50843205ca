/**
 * Opening a request to Okta: the got options every request shares, GET or POST.
 * @module
 */
import got, { type Agents } from 'got';

/** The User-Agent of every request. */
export const USER_AGENT = 'okta-identity-provider-atolio';

export interface RequestOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  agent?: Agents | undefined;
}

/**
 * A got stream of one request. Read it with `responseOf` and `readBounded`, and destroy it
 * when done: got's streams stay referenced from `signal` until destroyed.
 */
export function openRequest(url: URL, options: RequestOptions): ReturnType<typeof got.stream> {
  const { method, headers, body, timeoutMs, signal, agent } = options;
  return got.stream(url, {
    method,
    headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...headers },
    ...(body === undefined ? {} : { body }),
    ...(agent ? { agent } : {}),
    // Credentials must reach the configured origin only: never follow a redirect. Retries are
    // the attempt loop's, which knows the rate limits; none inside got.
    followRedirect: false,
    retry: { limit: 0 },
    throwHttpErrors: false,
    timeout: { request: timeoutMs },
    ...(signal ? { signal } : {}),
  });
}
