import http from 'node:http';
import https from 'node:https';
import createDebug from 'debug';
import { originOf, type ResolvedConfig } from '../config/config.js';
import { redact } from '../secret.js';
import { errorText, NotRetried, runAttempts, type AttemptEnv, type Verdict } from './attempts.js';
import type { Authorizer } from './auth.js';
import { MAX_OBJECT_BYTES, maxElements, readBody, responseOf, type Body } from './body.js';
import { systemClock, type Clock } from '../clock.js';
import { OktaPaginationError, OktaResponseError } from '../errors.js';
import { openRequest } from './exchange.js';
import { bodyError, objectTooLargeError, responseHttpError, tooLargeError, tooManyElementsError } from './http-error.js';
import { createAuthorizer } from './oauth/factory.js';
import { RateLimiter, type BucketFeedback } from './rate-limit.js';
import type { RateLimitHeaders } from './retry.js';

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
   * objects never outlive their parsing. What it throws is a bug: the call rejects with it at
   * once, without a retry. An array body holds at most `maxElements(url)` elements (twice the
   * URL's `limit`): one with more is refused as `invalid_response` at once, unread past that.
   */
  item?: (element: unknown, index: number) => unknown;
  /**
   * The request continues a list already being read (a `next` page): it gets a concurrency slot
   * before first pages of other lists, since a sync lasts as long as its longest list, whose
   * pages can only be read one after another.
   */
  continuation?: boolean;
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
  body: Body;
  /** The authorization headers the request carried (so a 401 can tell which token it refused). */
  sent: Record<string, string>;
}

/**
 * The Okta REST client: GET only, to one origin, JSON in. The attempts (rate limits, retries)
 * are `attempts.ts`'s, bodies `body.ts`'s, errors `http-error.ts`'s, pagination `paginate.ts`'s.
 */
export class OktaClient {
  readonly origin: string;
  readonly stats: ClientStats;
  private readonly limiter: RateLimiter;
  private readonly authorizer: Authorizer;
  private readonly env: AttemptEnv;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(
    readonly config: ResolvedConfig,
    deps: ClientDeps = {},
  ) {
    this.origin = originOf(config);
    const clock = deps.clock ?? systemClock;
    const random = deps.random ?? Math.random;
    this.limiter = new RateLimiter(config.rateLimitShare, config.maxConcurrency, clock, config.maxRateLimitWaitMs);
    this.authorizer = deps.authorizer ?? createAuthorizer(config, { clock, random, limiter: this.limiter });
    this.env = { limiter: this.limiter, policy: config, clock, random, scrub: (text) => this.scrub(text) };
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
    const { signal, item } = options;
    const url = this.url(target, options.query);
    let refreshedAuth = false;
    const judge = async (exchange: Exchange, { rateLimit }: BucketFeedback): Promise<Verdict<OktaResponse>> => {
      const { status, headers, body } = exchange;
      if (status === 429) this.stats.rateLimited++;
      if (status >= 200 && status < 300) {
        if ('json' in body) return { kind: 'done', value: { status, url, headers, body: body.json, rateLimit } };
        // An HTML proxy page or a cut-off body: the exchange failed, another may not.
        const error = bodyError(url.pathname, 'invalid' in body ? 'invalid' : { contentType: String(headers['content-type'] ?? '') });
        return { kind: 'failed', transport: true, error: () => error };
      }
      if (status === 401 && !refreshedAuth && (await this.authorizer.retryUnauthorized(exchange, signal, exchange.sent))) {
        refreshedAuth = true;
        return { kind: 'again' };
      }
      const bytes = 'bytes' in body ? body.bytes : Buffer.alloc(0);
      const error = responseHttpError({ status, headers, body: bytes, authorization: exchange.sent.authorization }, url.pathname, (text) => this.scrub(text));
      return { kind: 'failed', error: () => error };
    };
    return runAttempts(this.env, {
      method: 'GET',
      path: url.pathname,
      signal,
      priority: options.continuation ? 4 : 5,
      send: () => this.send(url, signal, item),
      judge,
      onRetry: () => void this.stats.retries++,
    });
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
      // The authorizer retries its own token request; its final error is this request's.
      throw new NotRetried(error);
    }
    const started = this.env.clock.now();
    this.stats.requests++;
    const stream = openRequest(url, { method: 'GET', headers: sent, agent: this.agents, timeoutMs: this.config.requestTimeoutMs, signal });
    try {
      const response = await responseOf(stream);
      const max = this.config.maxResponseBytes;
      const elements = maxElements(url);
      const body = await readBody(stream, response, max, () => tooLargeError('GET', url.pathname, max), {
        item,
        max: elements,
        tooMany: () => tooManyElementsError(url.pathname, elements),
        objectTooLarge: () => objectTooLargeError(url.pathname, MAX_OBJECT_BYTES),
      });
      debug('GET %s%s -> %d in %dms', url.pathname, url.search, response.statusCode, this.env.clock.now() - started);
      return { status: response.statusCode ?? 0, headers: response.headers, body, sent };
    } catch (error) {
      if (error instanceof OktaResponseError || error instanceof NotRetried) throw error;
      signal?.throwIfAborted();
      debug('GET %s failed after %dms: %s', url.pathname, this.env.clock.now() - started, this.scrub(errorText(error)));
      throw error;
    } finally {
      // got's streams do not destroy themselves: until destroyed, one stays referenced from `signal`.
      stream.destroy();
    }
  }

  private scrub(text: string): string {
    return redact(text, this.authorizer.secrets());
  }
}
