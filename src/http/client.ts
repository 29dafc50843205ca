import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import createDebug from 'debug';
import got from 'got';
import { originOf, type ResolvedConfig } from '../config.js';
import { bucketOf } from '../okta/buckets.js';
import { redact } from '../secret.js';
import type { Authorizer } from './auth.js';
import { readBounded, responseOf } from './body.js';
import { systemClock, type Clock } from './clock.js';
import { JsonReader } from './json.js';
import { createHttpError, OktaNetworkError, OktaPaginationError, OktaResponseError } from './errors.js';
import { oauthChallenge } from './oauth/challenge.js';
import { createAuthorizer } from './oauth/factory.js';
import { RateLimiter } from './rate-limit.js';
import { parseDate, parseRateLimit, retryDelay, type AttemptOutcome, type RateLimitHeaders } from './retry.js';

const debug = createDebug('okta-idp:http');

/** Query parameters; undefined values are left out. Values are percent-encoded by URLSearchParams. */
export type Query = Record<string, string | number | undefined>;

/** Options of {@link OktaClient.get}. */
export interface GetOptions {
  query?: Query;
  signal?: AbortSignal;
  /**
   * Applied to each element of a JSON array body as soon as it is read; the body is then the
   * array of results. A list reader validates and condenses items here, so that a page's full
   * objects never outlive their parsing.
   */
  item?: (element: unknown, index: number) => unknown;
}

/** A successful (2xx) response with its JSON body. */
export interface OktaResponse {
  status: number;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rateLimit: RateLimitHeaders | undefined;
}

/** Counters a caller can show while a sync runs. */
export interface ClientStats {
  /** HTTP exchanges sent (retries included). */
  requests: number;
  /** Attempts that were repeated after a transient failure. */
  retries: number;
  /** 429 responses received. */
  rateLimited: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
}

/** Test and extension seams; the defaults are what production uses. */
export interface ClientDeps {
  clock?: Clock;
  authorizer?: Authorizer;
  random?: () => number;
}

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** A 2xx JSON body parsed (or found invalid) as it arrived; the bytes of any other body. */
  body: { json: unknown } | { invalid: true } | { bytes: Buffer };
  /** The authorization headers the request carried (so a 401 can tell which token it refused). */
  sent: Record<string, string>;
}

/** An error of the authorizer (a refused token request, say): final, never retried as a transport failure. */
class AuthorizerFailure extends Error {
  constructor(readonly failure: unknown) {
    super('the authorizer failed');
  }
}

/**
 * The thin Okta REST client: GET only, to one origin, JSON in, with per-bucket rate limiting,
 * bounded retries and typed errors. Pagination lives in `paginate.ts`.
 * @example
 * const client = new OktaClient(resolveConfig({ hostname: 'example.okta.com', token }));
 * const { body } = await client.get('/api/v1/users/me');
 */
export class OktaClient {
  readonly origin: string;
  readonly stats: ClientStats;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  private readonly authorizer: Authorizer;
  private readonly random: () => number;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(
    readonly config: ResolvedConfig,
    deps: ClientDeps = {},
  ) {
    this.origin = originOf(config);
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.authorizer = deps.authorizer ?? createAuthorizer(config, { clock: this.clock, random: this.random });
    this.limiter = new RateLimiter(config.rateLimitShare, config.maxConcurrency, this.clock, config.maxRateLimitWaitMs);
    const limiterStats = this.limiter.stats;
    const counters = { requests: 0, retries: 0, rateLimited: 0 };
    this.stats = Object.defineProperties(counters, {
      rateLimitWaits: { get: () => limiterStats.rateLimitWaits, enumerable: true },
      rateLimitWaitMs: { get: () => limiterStats.rateLimitWaitMs, enumerable: true },
    }) as ClientStats;
    const agentOptions = { keepAlive: true, maxSockets: config.maxConcurrency };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  }

  /**
   * The URL of `target` (a path, or an absolute URL such as a `next` link) with `query` added.
   * Throws unless it is on the configured origin: the token goes nowhere else.
   */
  url(target: string | URL, query: Query = {}): URL {
    const url = new URL(target, this.origin);
    if (url.origin !== this.origin || url.username !== '' || url.password !== '') {
      throw new OktaPaginationError(`refusing to send the token to ${url.origin}: only ${this.origin} is trusted`, 'cross_origin_link', url.pathname);
    }
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /**
   * GETs `target` and returns its JSON body. Retries 429 (after the reset), 5xx and broken
   * exchanges a bounded number of times; throws a typed error otherwise.
   */
  async get(target: string | URL, options: GetOptions = {}): Promise<OktaResponse> {
    const { signal } = options;
    const url = this.url(target, options.query);
    const path = url.pathname;
    const budget = this.limiter.bucket(bucketOf(path));
    let refreshedAuth = false;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      await budget.acquire(signal, path);
      let exchange: Exchange | undefined;
      let rateLimit: RateLimitHeaders | undefined;
      let failure: unknown;
      try {
        // Pages that continue a list (an `after` cursor) go before first pages of other lists: a
        // sync lasts as long as its longest list, whose pages can only be read one after another.
        exchange = await this.limiter.withSlot(() => this.send(url, signal, options.item), url.searchParams.has('after') ? 4 : 5);
        rateLimit = parseRateLimit(exchange.headers);
      } catch (error) {
        failure = error;
      } finally {
        budget.release(exchange ? { status: exchange.status, rateLimit, dateMs: parseDate(exchange.headers) } : undefined);
      }
      // The authorizer retries its own token request; its final error is this request's.
      if (failure instanceof AuthorizerFailure) throw failure.failure;
      signal?.throwIfAborted();

      let outcome: AttemptOutcome;
      if (exchange === undefined) {
        outcome = { kind: 'transport' };
      } else {
        if (exchange.status === 429) this.stats.rateLimited++;
        if (exchange.status >= 200 && exchange.status < 300) {
          const body = this.parseBody(exchange, path);
          if (!(body instanceof OktaResponseError)) return { status: exchange.status, url, headers: exchange.headers, body, rateLimit };
          failure = body;
          outcome = { kind: 'transport' };
        } else if (exchange.status === 401 && !refreshedAuth && (await this.authorizer.retryUnauthorized(exchange, signal, exchange.sent))) {
          refreshedAuth = true;
          attempt--;
          continue;
        } else {
          failure = this.httpError(exchange, path);
          outcome = { kind: 'status', status: exchange.status, rateLimit, dateMs: parseDate(exchange.headers) };
        }
      }
      const delay = retryDelay(attempt, outcome, this.config, this.clock.now(), this.random);
      if (delay === null) throw this.finalError(failure, path, attempt);
      this.stats.retries++;
      debug('retry %d of GET %s in %dms (%s)', attempt, path, delay, outcome.kind === 'status' ? outcome.status : 'transport');
      await this.clock.sleep(delay, signal);
    }
  }

  /** Stops the scheduler and closes every socket. */
  async close(): Promise<void> {
    await this.limiter.stop();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async send(url: URL, signal: AbortSignal | undefined, item: GetOptions['item']): Promise<Exchange> {
    signal?.throwIfAborted();
    let sent: Record<string, string>;
    try {
      sent = await this.authorizer.headers(url, signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw new AuthorizerFailure(error);
    }
    const started = this.clock.now();
    this.stats.requests++;
    const stream = got.stream(url, {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'okta-identity-provider-atolio', ...sent },
      agent: this.agents,
      // The token must reach the configured origin only: never follow a redirect, never retry inside got.
      followRedirect: false,
      retry: { limit: 0 },
      throwHttpErrors: false,
      timeout: { request: this.config.requestTimeoutMs },
      ...(signal ? { signal } : {}),
    });
    try {
      const response = await responseOf(stream);
      const exchange = await this.readBody(stream, response, url.pathname, sent, item);
      debug('GET %s%s -> %d in %dms', url.pathname, url.search, exchange.status, this.clock.now() - started);
      return exchange;
    } catch (error) {
      if (error instanceof OktaResponseError) throw error;
      signal?.throwIfAborted();
      debug('GET %s failed after %dms: %s', url.pathname, this.clock.now() - started, this.scrub(errorText(error)));
      throw error;
    } finally {
      // got's streams do not destroy themselves: until destroyed, one stays referenced from `signal` (as got's promise API does it).
      stream.destroy();
    }
  }

  /**
   * Reads a response body as it arrives, at most `maxResponseBytes` of it. A 2xx JSON body goes
   * through a {@link JsonReader} chunk by chunk (no whole-body Buffer or string); any other body
   * is kept as bytes for the error it becomes.
   */
  private async readBody(stream: AsyncIterable<Buffer>, response: IncomingMessage, path: string, sent: Record<string, string>, item: GetOptions['item']): Promise<Exchange> {
    const status = response.statusCode ?? 0;
    const headers = response.headers;
    const max = this.config.maxResponseBytes;
    const tooLarge = (): OktaResponseError => new OktaResponseError(`GET ${path}: response larger than maxResponseBytes (${max})`, 'response_too_large', path);
    const json = status >= 200 && status < 300 && /\bjson\b/i.test(String(headers['content-type'] ?? ''));
    const reader = json ? new JsonReader(item) : undefined;
    const bytes: Buffer[] = [];
    let invalid = false;
    const onChunk = (chunk: Buffer): void => {
      if (!reader) bytes.push(chunk);
      else if (!invalid) {
        try {
          reader.write(chunk);
        } catch {
          invalid = true;
        }
      }
    };
    await readBounded(stream, headers, max, onChunk, tooLarge);
    if (!reader) return { status, headers, body: { bytes: Buffer.concat(bytes) }, sent };
    if (!invalid) {
      try {
        return { status, headers, body: { json: reader.end() }, sent };
      } catch {
        // a cut-off body: reported as invalid below
      }
    }
    return { status, headers, body: { invalid: true }, sent };
  }

  /** The JSON body, or an OktaResponseError when a 2xx is not JSON (an HTML proxy page, a cut-off body). */
  private parseBody(exchange: Exchange, path: string): unknown {
    if ('json' in exchange.body) return exchange.body.json;
    if ('invalid' in exchange.body) return new OktaResponseError(`GET ${path}: the response body is not valid JSON (cut off?)`, 'invalid_response', path);
    const type = String(exchange.headers['content-type'] ?? '');
    return new OktaResponseError(`GET ${path}: expected JSON, got ${type.split(';')[0] || 'no content type'}`, 'invalid_response', path);
  }

  private httpError(exchange: Exchange, path: string): Error {
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = 'bytes' in exchange.body ? JSON.parse(exchange.body.bytes.toString('utf8')) : undefined;
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // Not an Okta error body (a proxy's page): status alone tells the story.
    }
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? this.scrub(v).slice(0, 300) : undefined);
    const requestId = exchange.headers['x-okta-request-id'];
    // With an OAuth token Okta explains a 401/403 in WWW-Authenticate (error="insufficient_scope", scope="okta.logs.read").
    const challenge = oauthChallenge(exchange.headers['www-authenticate']);
    const scope = challenge?.params.scope;
    return createHttpError({
      status: exchange.status,
      path,
      errorCode: text(challenge?.params.error ?? body.errorCode),
      errorSummary: text(challenge ? `${challenge.params.error_description ?? ''}${scope ? ` (scope ${scope})` : ''}`.trim() || undefined : body.errorSummary),
      requestId: typeof requestId === 'string' ? requestId : undefined,
      scheme: exchange.sent.authorization?.split(' ')[0],
    });
  }

  /** The error thrown when no more attempts are allowed. */
  private finalError(failure: unknown, path: string, attempts: number): Error {
    if (failure instanceof Error && (failure.name.startsWith('Okta') || failure.name === 'AbortError')) return failure;
    // got's errors carry the request options (and so the Authorization header): keep only their text.
    const cause = new Error(this.scrub(errorText(failure)));
    return new OktaNetworkError(`GET ${path}: ${cause.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, path, cause);
  }

  private scrub(text: string): string {
    return redact(text, this.authorizer.secrets());
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ? `${(error as { code?: string }).code}: ` : ''}${error.message}`;
  return String(error);
}
