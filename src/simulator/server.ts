/**
 * The HTTP side: a node:http server on 127.0.0.1 that answers like Okta's API.
 *
 * Each request goes through, in order: method (only GET; else 405 E0000022), authentication
 * (`Authorization: SSWS <token>`, or with the `oauth` option a DPoP/Bearer access token checked
 * by `oauth.ts`; else 401 E0000011), the `onRequest` hook, the org-wide concurrency cap (429
 * E0000047 with `X-Rate-Limit-Limit: 0`, Okta's concurrency signal,
 * https://developer.okta.com/docs/reference/rl-additional-limits/#concurrent-rate-limits), the
 * bucket's rate limit (429 E0000047), the `forbidden` paths (403 E0000006), then perhaps an
 * injected fault, then the route (404 E0000007 when none). Every response carries `Date`,
 * `X-Okta-Request-Id` and its bucket's `X-Rate-Limit-*` headers; `Date`, the windows and so
 * `X-Rate-Limit-Reset` all follow the org's clock. `latencyMs` delays every response.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bucketOf } from './buckets.js';
import type { SimClock } from './clock.js';
import { accessDenied, ApiError, internalError, invalidToken, methodNotAllowed, serviceUnavailable, tooManyRequests, type OktaErrorBody } from './errors.js';
import { FaultPicker, HTML_FAULT_BODY } from './faults.js';
import { isForbidden, type FaultKind, type ResolvedOptions } from './options.js';
import type { Org } from './org.js';
import { TOKEN_PATH, type ApiAuth, type SimOAuth } from './oauth.js';
import { linkHeader, nextUrl } from './pagination.js';
import { RateLimiter, type RateState } from './rate-limit.js';
import { matchRoute, type Reply } from './routes.js';
import type { SimulatorStats } from './stats.js';
import type { SystemLog } from './system-log.js';

/**
 * What the server serves.
 * @example
 * new SimServer({ options, clock, org, log, stats: () => stats } satisfies ServerDeps);
 */
export interface ServerDeps {
  options: ResolvedOptions;
  /** The org's clock: `Date` headers and rate-limit windows. */
  clock: SimClock;
  org: Org;
  log: SystemLog;
  /** The live counters (replaced by `resetStats`). */
  stats: () => SimulatorStats;
  /** The OAuth 2.0 authorization server, when OAuth service apps are configured. */
  oauth?: SimOAuth | undefined;
}

type Headers = Record<string, string | string[]>;

/** What to send, decided when the request arrives, written after the latency. */
type Plan = { kind: 'error'; status: number; body: OktaErrorBody; headers: Headers } | { kind: 'route'; url: URL; headers: Headers; fault: FaultKind | null };

function rateHeaders(state: RateState): Headers {
  return { 'X-Rate-Limit-Limit': String(state.limit), 'X-Rate-Limit-Remaining': String(state.remaining), 'X-Rate-Limit-Reset': String(state.reset) };
}

/**
 * The simulator's HTTP server.
 * @example
 * const server = new SimServer({ options, clock, org, log, stats: () => stats });
 * const origin = await server.listen(); // 'http://127.0.0.1:54321'
 * await server.close();
 */
export class SimServer {
  readonly #d: ServerDeps;
  readonly #limiter: RateLimiter;
  readonly #faults: FaultPicker;
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | null = null;
  #origin = '';
  #inFlight = 0;

  constructor(deps: ServerDeps) {
    this.#d = deps;
    const o = deps.options;
    this.#limiter = new RateLimiter(o.limits, o.windowMs, () => deps.clock.now());
    this.#faults = new FaultPicker(o.faultRate, o.faultKinds, o.seed);
  }

  /** Starts listening on 127.0.0.1 on a free port; resolves to the origin. */
  async listen(): Promise<string> {
    if (this.#server) throw new Error('the simulator is already started');
    const server = createServer((req, res) => this.#handle(req, res));
    // Keep idle connections like a load balancer does (about a minute) rather than Node's 5 s,
    // so a client that pauses (a test applying many mutations) does not race the server
    // closing the socket it is reusing. stop() closes them all anyway.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#origin;
  }

  /** Stops: clears every pending timer, destroys every socket, closes the listener. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    // libuv releases the listening handle one loop turn after 'close': wait for it, so that
    // nothing of the simulator is left once stop() resolves.
    await new Promise((resolve) => setImmediate(resolve));
  }

  #later(ms: number, fn: () => void, res: ServerResponse): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const { options, stats } = this.#d;
    const s = stats();
    s.requests++;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', this.#origin);
    } catch {
      url = new URL('/', this.#origin);
    }
    const bucket = bucketOf(url.pathname);
    s.byBucket[bucket]++;

    this.#inFlight++;
    const current = stats();
    current.inFlight = this.#inFlight;
    current.maxInFlight = Math.max(current.maxInFlight, this.#inFlight);
    let finished = false;
    res.once('close', () => {
      if (finished) return;
      finished = true;
      this.#inFlight--;
      stats().inFlight = this.#inFlight;
    });

    // OAuth 2.0 (oauth.ts): the token endpoint reads its form body; an access token is checked
    // (asynchronously: signatures) before the usual plan.
    const oauth = this.#d.oauth;
    if (oauth && url.pathname === TOKEN_PATH) {
      this.#token(oauth, req, res);
      return;
    }
    req.resume();
    const run = (auth: ApiAuth | undefined): void => {
      const plan = this.#plan(req, url, bucket, auth);
      const delay = options.latencyMs + (plan.kind === 'route' && plan.fault === 'slow' ? options.slowMs : 0);
      this.#later(delay, () => this.#execute(res, plan), res);
    };
    if (oauth && !String(req.headers.authorization ?? '').startsWith('SSWS ')) {
      void oauth.authenticate(req, url, this.#origin).then(run, () => run({ kind: 'denied', status: 401, body: invalidToken(), headers: {} }));
    } else run(undefined);
  }

  /** `POST /oauth2/v1/token`, metered in the `token` bucket. */
  #token(oauth: SimOAuth, req: IncomingMessage, res: ServerResponse): void {
    const state = this.#limiter.take('token');
    if (!state.allowed) {
      req.resume();
      this.#d.stats().rateLimited++;
      this.#later(this.#d.options.latencyMs, () => this.#write(res, 429, JSON.stringify(tooManyRequests()), 'application/json', rateHeaders(state)), res);
      return;
    }
    void oauth.token(req, this.#origin).then((reply) => {
      this.#later(this.#d.options.latencyMs, () => {
        if (!res.destroyed && !res.writableEnded) this.#write(res, reply.status, JSON.stringify(reply.body), 'application/json', { ...rateHeaders(state), ...reply.headers });
      }, res);
    }, () => res.destroy());
  }

  #plan(req: IncomingMessage, url: URL, bucket: ReturnType<typeof bucketOf>, auth: ApiAuth | undefined): Plan {
    const { options } = this.#d;
    const s = this.#d.stats();
    if (req.method !== 'GET') {
      return { kind: 'error', status: 405, body: methodNotAllowed(), headers: { ...rateHeaders(this.#limiter.peek(bucket)), Allow: 'GET' } };
    }
    if (auth?.kind === 'denied') return { kind: 'error', status: auth.status, body: auth.body, headers: { ...rateHeaders(this.#limiter.peek(bucket)), ...auth.headers } };
    if (auth === undefined && req.headers.authorization !== `SSWS ${options.token}`) {
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
    const scopeDenied = auth?.kind === 'ok' ? this.#d.oauth?.scopeDenied(auth, url.pathname, this.#origin) : null;
    if (scopeDenied) return { kind: 'error', status: 403, body: accessDenied(), headers: { ...headers, ...scopeDenied } };
    if (isForbidden(options.forbidden, url.pathname)) return { kind: 'error', status: 403, body: accessDenied(), headers };
    const fault = this.#faults.pick();
    if (fault) s.faults[fault]++;
    return { kind: 'route', url, headers, fault };
  }

  #execute(res: ServerResponse, plan: Plan): void {
    if (res.destroyed || res.writableEnded) return;
    if (plan.kind === 'error') {
      this.#write(res, plan.status, JSON.stringify(plan.body), 'application/json', plan.headers);
      return;
    }
    const { url, fault } = plan;
    const headers = { ...plan.headers };
    if (fault === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault === '500' || fault === '503') {
      this.#write(res, Number(fault), JSON.stringify(fault === '500' ? internalError() : serviceUnavailable()), 'application/json', headers);
      return;
    }
    if (fault === 'html') {
      this.#write(res, 200, HTML_FAULT_BODY, 'text/html;charset=UTF-8', headers);
      return;
    }
    let status = 200;
    let body: string;
    const found = matchRoute(url.pathname);
    try {
      if (!found) throw ApiError.noRoute(url.pathname);
      const { org, log, options } = this.#d;
      const reply: Reply = found.handler({ org, log, payload: { origin: this.#origin, seed: options.seed }, query: url.searchParams, params: found.params, pageLimits: options.pageLimits });
      body = JSON.stringify(reply.body);
      if (reply.page) {
        let next: string | null = null;
        if (reply.page.nextAfter !== null) {
          const base = new URL(url.href);
          for (const p of reply.page.dropFromNext ?? []) base.searchParams.delete(p);
          next = nextUrl(base, reply.page.nextAfter);
        }
        headers.Link = linkHeader(url.href, next, options.linkStyle);
      }
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, internalError());
      status = err.status;
      body = JSON.stringify(err.body);
    }
    if (fault === 'truncated') {
      this.#write(res, status, body.slice(0, Math.floor(body.length / 2)), 'application/json', headers);
      return;
    }
    if (fault === 'drop-mid-body') {
      const bytes = Buffer.from(body, 'utf8');
      res.writeHead(status, this.#headers(headers, 'application/json', bytes.length));
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    this.#write(res, status, body, 'application/json', headers);
  }

  #headers(extra: Headers, contentType: string, length: number): Headers {
    return {
      'Content-Type': contentType,
      'Content-Length': String(length),
      Date: new Date(this.#d.clock.now()).toUTCString(),
      'X-Okta-Request-Id': randomBytes(15).toString('base64url'),
      'Cache-Control': 'no-cache, no-store',
      ...extra,
    };
  }

  #write(res: ServerResponse, status: number, body: string, contentType: string, extra: Headers): void {
    const bytes = Buffer.from(body, 'utf8');
    const s = this.#d.stats();
    s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
    res.writeHead(status, this.#headers(extra, contentType, bytes.length));
    res.end(bytes);
  }
}
