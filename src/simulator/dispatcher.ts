/**
 * What the simulator answers, whatever carries the request. Each request goes through, in
 * order: method (only GET; else 405 E0000022), authentication (`Authorization: SSWS <token>`,
 * or with the `oauth` option a DPoP/Bearer access token checked by `oauth.ts`; else 401
 * E0000011), the `onRequest` hook, the org-wide concurrency cap (429 E0000047 with
 * `X-Rate-Limit-Limit: 0`, Okta's concurrency signal,
 * https://developer.okta.com/docs/reference/rl-additional-limits/#concurrent-rate-limits), the
 * bucket's rate limit (429 E0000047), the `forbidden` paths (403 E0000006), then perhaps an
 * injected fault, then the route (404 E0000007 when none). Every response carries `Date`,
 * `X-Okta-Request-Id` and its bucket's `X-Rate-Limit-*` headers; `Date`, the windows and so
 * `X-Rate-Limit-Reset` all follow the org's clock. `latencyMs` delays every response.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { bucketOf, type BucketName } from './buckets.js';
import type { SimClock } from './clock.js';
import { accessDenied, ApiError, internalError, invalidToken, methodNotAllowed, serviceUnavailable, tooManyRequests, type OktaErrorBody } from './errors.js';
import type { Answer, Decision, Reply, ReplyHeaders, SimRequest } from './exchange.js';
import { FaultPicker, HTML_FAULT_BODY } from './faults.js';
import { TOKEN_PATH, type ApiAuth, type SimOAuth } from './oauth.js';
import { isForbidden, type FaultKind, type ResolvedOptions } from './options.js';
import type { Org } from './org.js';
import { linkHeader, nextUrl } from './pagination.js';
import { RateLimiter, type RateState } from './rate-limit.js';
import { matchRoute } from './routes.js';
import type { SimulatorStats } from './stats.js';
import type { SystemLog } from './system-log.js';

/** What the dispatcher answers from. */
export interface DispatcherDeps {
  options: ResolvedOptions;
  /** The org's clock: `Date` headers and rate-limit windows. */
  clock: SimClock;
  org: Org;
  log: SystemLog;
  /** The live counters (replaced by `resetStats`). */
  stats: () => SimulatorStats;
  /** The OAuth 2.0 authorization server, when OAuth service apps are configured. */
  oauth: SimOAuth | undefined;
}

/** What to send, decided when the request arrives. */
type Plan = { kind: 'error'; status: number; body: OktaErrorBody; headers: ReplyHeaders } | { kind: 'route'; url: URL; headers: ReplyHeaders; fault: FaultKind | null };

function rateHeaders(state: RateState): ReplyHeaders {
  return { 'X-Rate-Limit-Limit': String(state.limit), 'X-Rate-Limit-Remaining': String(state.remaining), 'X-Rate-Limit-Reset': String(state.reset) };
}

const json = (status: number, body: unknown, headers: ReplyHeaders): Reply => ({ status, contentType: 'application/json', body: JSON.stringify(body), headers });

/** Decides and renders answers; one per simulator, shared by its transports. */
export class Dispatcher {
  readonly #d: DispatcherDeps;
  readonly #limiter: RateLimiter;
  readonly #faults: FaultPicker;
  #inFlight = 0;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    const o = deps.options;
    this.#limiter = new RateLimiter(o.limits, o.windowMs, () => deps.clock.now());
    this.#faults = new FaultPicker(o.faultRate, o.faultKinds, o.seed);
  }

  /**
   * Counts the request and decides its answer: at once for an API token, after the OAuth checks
   * (signatures) otherwise. Call {@link finished} once the exchange is over, whatever happened.
   */
  decide(req: SimRequest): Decision | Promise<Decision> {
    const { stats, oauth } = this.#d;
    const s = stats();
    s.requests++;
    const bucket = bucketOf(req.url.pathname);
    s.byBucket[bucket]++;
    this.#inFlight++;
    s.inFlight = this.#inFlight;
    s.maxInFlight = Math.max(s.maxInFlight, this.#inFlight);
    if (oauth && req.url.pathname === TOKEN_PATH) return this.#token(oauth, req);
    const decided = (auth: ApiAuth | undefined): Decision => {
      const plan = this.#plan(req, bucket, auth);
      const delayMs = this.#d.options.latencyMs + (plan.kind === 'route' && plan.fault === 'slow' ? this.#d.options.slowMs : 0);
      return { delayMs, answer: () => this.#render(plan, req.origin) };
    };
    if (oauth && !(req.header('authorization') ?? '').startsWith('SSWS ')) {
      return oauth.authenticate(req).then(decided, () => decided({ kind: 'denied', status: 401, body: invalidToken(), headers: {} }));
    }
    return decided(undefined);
  }

  /** The exchange is over (answered, dropped or abandoned by the client). */
  finished(): void {
    this.#inFlight--;
    this.#d.stats().inFlight = this.#inFlight;
  }

  /** Counts a reply as sent (dropped connections are not counted by status). */
  sent(status: number): void {
    const s = this.#d.stats();
    s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
  }

  /** Every header of `reply`'s response, for a body of `length` bytes. */
  headersOf(reply: Reply, length: number): ReplyHeaders {
    return {
      'Content-Type': reply.contentType,
      'Content-Length': String(length),
      Date: new Date(this.#d.clock.now()).toUTCString(),
      'X-Okta-Request-Id': randomBytes(15).toString('base64url'),
      'Cache-Control': 'no-cache, no-store',
      ...reply.headers,
    };
  }

  /** `POST /oauth2/v1/token`, metered in the `token` bucket. */
  async #token(oauth: SimOAuth, req: SimRequest): Promise<Decision> {
    const { latencyMs } = this.#d.options;
    const state = this.#limiter.take('token');
    if (!state.allowed) {
      req.discard();
      this.#d.stats().rateLimited++;
      return { delayMs: latencyMs, answer: () => ({ kind: 'reply', reply: json(429, tooManyRequests(), rateHeaders(state)) }) };
    }
    const reply = await oauth.token(req);
    return { delayMs: latencyMs, answer: () => ({ kind: 'reply', reply: json(reply.status, reply.body, { ...rateHeaders(state), ...reply.headers }) }) };
  }

  #plan(req: SimRequest, bucket: BucketName, auth: ApiAuth | undefined): Plan {
    const { options } = this.#d;
    const s = this.#d.stats();
    const url = req.url;
    if (req.method !== 'GET') {
      return { kind: 'error', status: 405, body: methodNotAllowed(), headers: { ...rateHeaders(this.#limiter.peek(bucket)), Allow: 'GET' } };
    }
    if (auth?.kind === 'denied') return { kind: 'error', status: auth.status, body: auth.body, headers: { ...rateHeaders(this.#limiter.peek(bucket)), ...auth.headers } };
    if (auth === undefined && req.header('authorization') !== `SSWS ${options.token}`) {
      return { kind: 'error', status: 401, body: invalidToken(), headers: rateHeaders(this.#limiter.peek(bucket)) };
    }
    if (options.onRequest) {
      try {
        options.onRequest({ method: req.method, path: url.pathname, query: new URLSearchParams(url.searchParams) });
      } catch {
        return { kind: 'error', status: 500, body: internalError(), headers: rateHeaders(this.#limiter.peek(bucket)) };
      }
    }
    if (this.#inFlight > options.maxConcurrent) {
      s.rateLimited++;
      s.concurrencyRejected++;
      const reset = this.#limiter.peek(bucket).reset;
      return { kind: 'error', status: 429, body: tooManyRequests(), headers: { 'X-Rate-Limit-Limit': '0', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset) } };
    }
    const state = this.#limiter.take(bucket);
    const headers = rateHeaders(state);
    if (!state.allowed) {
      s.rateLimited++;
      return { kind: 'error', status: 429, body: tooManyRequests(), headers };
    }
    // An OAuth token must carry the scope of the path: else 403 with Okta's insufficient_scope challenge.
    const scopeDenied = auth?.kind === 'ok' ? this.#d.oauth?.scopeDenied(auth, url.pathname, req.origin) : null;
    if (scopeDenied) return { kind: 'error', status: 403, body: accessDenied(), headers: { ...headers, ...scopeDenied } };
    if (isForbidden(options.forbidden, url.pathname)) return { kind: 'error', status: 403, body: accessDenied(), headers };
    const fault = this.#faults.pick();
    if (fault) s.faults[fault]++;
    return { kind: 'route', url, headers, fault };
  }

  #render(plan: Plan, origin: string): Answer {
    if (plan.kind === 'error') return { kind: 'reply', reply: json(plan.status, plan.body, plan.headers) };
    const { url, fault } = plan;
    const headers = { ...plan.headers };
    if (fault === 'drop') return { kind: 'drop' };
    if (fault === '500' || fault === '503') return { kind: 'reply', reply: json(Number(fault), fault === '500' ? internalError() : serviceUnavailable(), headers) };
    if (fault === 'html') return { kind: 'reply', reply: { status: 200, contentType: 'text/html;charset=UTF-8', body: HTML_FAULT_BODY, headers } };
    const reply = this.#route(url, origin, headers);
    if (fault === 'truncated') return { kind: 'reply', reply: { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) } };
    if (fault === 'drop-mid-body') return { kind: 'drop-mid-body', reply };
    return { kind: 'reply', reply };
  }

  /** The route's answer: its JSON, and for a list the `Link` header (self, and next when there is more). */
  #route(url: URL, origin: string, headers: ReplyHeaders): Reply {
    const found = matchRoute(url.pathname);
    try {
      if (!found) throw ApiError.noRoute(url.pathname);
      const { org, log, options } = this.#d;
      const reply = found.handler({ org, log, payload: { origin, seed: options.seed, pushCount: options.groupPushMappingsCount }, query: url.searchParams, params: found.params, pageLimits: options.pageLimits });
      if (reply.page) {
        let next: string | null = null;
        if (reply.page.nextAfter !== null) {
          const base = new URL(url.href);
          for (const p of reply.page.dropFromNext ?? []) base.searchParams.delete(p);
          next = nextUrl(base, reply.page.nextAfter);
        }
        headers.Link = linkHeader(url.href, next, options.linkStyle);
      }
      return json(200, reply.body, headers);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, internalError());
      return json(err.status, err.body, headers);
    }
  }
}
