/**
 * The simulator's options, their defaults and their validation.
 * @module
 */
import { BUCKET_LIMITS, BUCKET_NAMES, type BucketName } from './buckets.js';
import { PAGE_SIZES, type ListOperation } from './page-sizes.js';
import { resolveOAuthOptions, type OAuthSimulatorOptions, type ResolvedOAuthOptions } from './oauth-options.js';

/**
 * The failures the simulator can inject.
 * @example
 * new OktaSimulator({ faults: { rate: 0.05, kinds: FAULT_KINDS.filter((k) => k !== 'slow') } });
 */
export const FAULT_KINDS = ['500', '503', 'drop', 'drop-mid-body', 'slow', 'html', 'truncated'] as const;

/**
 * One kind of injected failure:
 * - `500` / `503`: an Okta-style JSON error with that status;
 * - `drop`: the socket is destroyed before anything is written;
 * - `drop-mid-body`: headers and half the body are written, then the socket is destroyed;
 * - `slow`: the response is delayed by `slowMs` (so a client with a timeout gives up);
 * - `html`: 200 with an HTML page and `Content-Type: text/html`;
 * - `truncated`: 200 with a JSON content-type and the first half of the body.
 * @example
 * const kinds: FaultKind[] = ['503', 'drop'];
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Rate limiting, per bucket of `buckets.ts`.
 * @example
 * const rateLimits: RateLimitOptions = { limits: { apps: 10 }, windowMs: 1_000, maxConcurrent: 5 };
 */
export interface RateLimitOptions {
  /** Requests per window and bucket; default `BUCKETS[bucket].perMinute`. */
  limits?: Partial<Record<BucketName, number>>;
  /** Window length in ms, a positive multiple of 1,000; default 60,000. Below 60,000 windows start on whole seconds. */
  windowMs?: number;
  /** Requests in flight at once over the whole org before 429 with `X-Rate-Limit-Limit: 0`; default 75. */
  maxConcurrent?: number;
}

/**
 * Fault injection.
 * @example
 * const faults: FaultOptions = { rate: 0.1, kinds: ['503', 'drop'], slowMs: 2_000 };
 */
export interface FaultOptions {
  /** Probability (0..1) that a request (past auth, rate limit and 403) gets a fault. */
  rate: number;
  /** Kinds to choose from, uniformly; default all of {@link FAULT_KINDS}. */
  kinds?: readonly FaultKind[];
  /** Delay of a `slow` fault in ms; default 30,000. */
  slowMs?: number;
}

/**
 * An API request as {@link SimulatorOptions.onRequest} sees it.
 * @example
 * const seen: SimulatorRequest = { method: 'GET', path: '/api/v1/users', query: new URLSearchParams('limit=200') };
 */
export interface SimulatorRequest {
  method: string;
  /** The URL's pathname, e.g. `/api/v1/apps/0oa.../users`. */
  path: string;
  /** A copy of the URL's query parameters. */
  query: URLSearchParams;
}

/**
 * Everything {@link OktaSimulator} accepts; all optional.
 * @example
 * const options: SimulatorOptions = { seed: 7, users: 1_000, apps: 12, rateLimits: { windowMs: 1_000 } };
 */
export interface SimulatorOptions {
  /** Seed of every random choice; default 1. */
  seed?: number;
  /** Number of users; default 200. */
  users?: number;
  /** Number of app instances; default 8. */
  apps?: number;
  /** Number of groups; default 10. */
  groups?: number;
  /** Average app users per app (direct and through groups); overrides `assignmentDensity`. */
  appUsersPerApp?: number;
  /** Average fraction (0..1) of users assigned to each app; default 0.3. */
  assignmentDensity?: number;
  /** Groups imported from each app with provisioning (APP_GROUPs, members among its account holders); default 0. */
  appGroupsPerApp?: number;
  /** Group Push mappings of seeded groups to new APP_GROUPs of apps with provisioning (one INACTIVE in three); default 0. */
  pushMappings?: number;
  /** The API token accepted in `Authorization: SSWS <token>`; default {@link DEFAULT_TOKEN}. */
  token?: string;
  /** Rate limits; see {@link RateLimitOptions}. */
  rateLimits?: RateLimitOptions;
  /** Request paths answered 403 E0000006: string prefixes or regular expressions. */
  forbidden?: ReadonlyArray<string | RegExp>;
  /** Fault injection; see {@link FaultOptions}. */
  faults?: FaultOptions;
  /** Milliseconds added before every response; default 0. */
  latencyMs?: number;
  /**
   * The org's clock (epoch ms), default `Date.now`, plus whatever `advanceClock` adds. Like
   * Okta's single server clock it drives the System Log, the timestamps mutations write, the
   * `Date` header and the rate-limit windows (so `X-Rate-Limit-Reset` and `Date` always agree,
   * as a client that corrects for clock skew expects). A frozen clock never ends a window.
   */
  now?: () => number;
  /** `separate` (default): one `Link` header per link, as Okta sends; `joined`: one comma-joined header. */
  linkStyle?: 'separate' | 'joined';
  /** Probability (0..1) that an event is published earlier than an event persisted before it; default 0. */
  lateEventRate?: number;
  /** Probability (0..1) that the last event of a poll page is served again on the next page; default 0. */
  duplicateEventRate?: number;
  /**
   * The id of the `AppUser` target of `application.user_membership.*` events: `assignment`
   * (default, what Okta sends: the `0ua...` app assignment id) or `user` (the user id).
   */
  appUserTargetId?: 'assignment' | 'user';
  /**
   * Pages smaller than Okta's maxima, per list (by Okta operationId): Okta may serve fewer items
   * than `limit` asks for, and a client must follow the next link anyway.
   */
  pageLimits?: Partial<Record<ListOperation, number>>;
  /** OAuth 2.0 service apps (client credentials, private key JWT, DPoP) accepted next to the API token; see `oauth-options.ts`. */
  oauth?: OAuthSimulatorOptions;
  /**
   * Called synchronously for every authenticated API request, before rate limits and routing,
   * so a test can change the org mid-sync (deleting an app on the first read of its users makes
   * that very request answer 404). An exception it throws answers 500 E0000009.
   */
  onRequest?: (request: SimulatorRequest) => void;
}

/**
 * The token the simulator accepts when none is given.
 * @example
 * new OktaSimulator().token === DEFAULT_TOKEN; // true
 */
export const DEFAULT_TOKEN = '00sim-okta-simulator-token-0000000000000000';

/**
 * {@link SimulatorOptions} with every default applied.
 * @example
 * const resolved: ResolvedOptions = resolveOptions({ users: 10 }); resolved.limits.apps; // 100
 */
export interface ResolvedOptions {
  seed: number;
  users: number;
  apps: number;
  groups: number;
  appUsersPerApp: number;
  appGroupsPerApp: number;
  pushMappings: number;
  token: string;
  limits: Record<BucketName, number>;
  windowMs: number;
  maxConcurrent: number;
  forbidden: ReadonlyArray<string | RegExp>;
  faultRate: number;
  faultKinds: readonly FaultKind[];
  slowMs: number;
  latencyMs: number;
  now: () => number;
  linkStyle: 'separate' | 'joined';
  lateEventRate: number;
  duplicateEventRate: number;
  appUserTargetId: 'assignment' | 'user';
  pageLimits: Readonly<Partial<Record<ListOperation, number>>>;
  oauth: ResolvedOAuthOptions | undefined;
  onRequest: ((request: SimulatorRequest) => void) | undefined;
}

const TOP_KEYS = new Set([
  'seed', 'users', 'apps', 'groups', 'appUsersPerApp', 'assignmentDensity', 'appGroupsPerApp', 'pushMappings', 'token', 'rateLimits', 'forbidden',
  'faults', 'latencyMs', 'now', 'linkStyle', 'lateEventRate', 'duplicateEventRate', 'appUserTargetId', 'pageLimits', 'oauth', 'onRequest',
]);

function fail(message: string): never {
  throw new TypeError(`OktaSimulator: ${message}`);
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function onlyKeys(obj: Record<string, unknown>, allowed: ReadonlySet<string>, name: string): void {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) fail(`unknown option ${name}${key}`);
}

function int(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min}`);
  return value;
}

function fraction(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(`${name} must be a number from 0 to 1`);
  return value;
}

function fn(value: unknown, name: string, fallback: () => number): () => number {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(`${name} must be a function returning epoch milliseconds`);
  return value as () => number;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) fail(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

function resolvePageLimits(value: unknown): Partial<Record<ListOperation, number>> {
  const given = record(value ?? {}, 'pageLimits');
  const out: Partial<Record<ListOperation, number>> = {};
  for (const [op, limit] of Object.entries(given)) {
    if (!(op in PAGE_SIZES)) fail(`unknown option pageLimits.${op}`);
    out[op as ListOperation] = int(limit, `pageLimits.${op}`, 1, 1);
  }
  return out;
}

/**
 * Validates `options` and applies the defaults.
 * @throws TypeError naming the first invalid or unknown option.
 * @example
 * resolveOptions({ users: 10 }).appUsersPerApp; // 3 (30 % of 10)
 */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const o = record(options, 'options');
  onlyKeys(o, TOP_KEYS, '');
  const seed = o.seed === undefined ? 1 : o.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) fail('seed must be an integer');
  const users = int(o.users, 'users', 0, 200);
  const apps = int(o.apps, 'apps', 0, 8);
  const groups = int(o.groups, 'groups', 0, 10);
  const density = fraction(o.assignmentDensity, 'assignmentDensity', 0.3);
  const appUsersPerApp = int(o.appUsersPerApp, 'appUsersPerApp', 0, Math.round(users * density));
  if (appUsersPerApp > users) fail('appUsersPerApp cannot exceed users');
  const token = o.token === undefined ? DEFAULT_TOKEN : o.token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) fail('token must be a non-empty string of visible ASCII characters');

  const rl = record(o.rateLimits ?? {}, 'rateLimits');
  onlyKeys(rl, new Set(['limits', 'windowMs', 'maxConcurrent']), 'rateLimits.');
  const given = record(rl.limits ?? {}, 'rateLimits.limits');
  const limits = {} as Record<BucketName, number>;
  for (const bucket of BUCKET_NAMES) limits[bucket] = BUCKET_LIMITS[bucket];
  for (const [bucket, value] of Object.entries(given)) {
    if (!(bucket in BUCKET_LIMITS)) fail(`unknown rate-limit bucket rateLimits.limits.${bucket}`);
    limits[bucket as BucketName] = int(value, `rateLimits.limits.${bucket}`, 1, 1);
  }
  const windowMs = int(rl.windowMs, 'rateLimits.windowMs', 1_000, 60_000);
  if (windowMs % 1_000 !== 0) fail('rateLimits.windowMs must be a multiple of 1000 (X-Rate-Limit-Reset is in whole seconds)');
  const maxConcurrent = int(rl.maxConcurrent, 'rateLimits.maxConcurrent', 1, 75);

  const forbidden = o.forbidden ?? [];
  if (!Array.isArray(forbidden) || !forbidden.every((f) => typeof f === 'string' || f instanceof RegExp)) {
    fail('forbidden must be an array of path prefixes (strings) or regular expressions');
  }
  let faultRate = 0;
  let faultKinds: readonly FaultKind[] = FAULT_KINDS;
  let slowMs = 30_000;
  if (o.faults !== undefined) {
    const f = record(o.faults, 'faults');
    onlyKeys(f, new Set(['rate', 'kinds', 'slowMs']), 'faults.');
    faultRate = fraction(f.rate, 'faults.rate', Number.NaN);
    if (Number.isNaN(faultRate)) fail('faults.rate is required');
    if (f.kinds !== undefined) {
      if (!Array.isArray(f.kinds) || f.kinds.length === 0 || !f.kinds.every((k) => (FAULT_KINDS as readonly unknown[]).includes(k))) {
        fail(`faults.kinds must be a non-empty array of ${FAULT_KINDS.map((k) => `'${k}'`).join(', ')}`);
      }
      faultKinds = [...(f.kinds as FaultKind[])];
    }
    slowMs = int(f.slowMs, 'faults.slowMs', 0, 30_000);
  }
  if (o.onRequest !== undefined && typeof o.onRequest !== 'function') fail('onRequest must be a function');

  return {
    seed,
    users,
    apps,
    groups,
    appUsersPerApp,
    appGroupsPerApp: int(o.appGroupsPerApp, 'appGroupsPerApp', 0, 0),
    pushMappings: int(o.pushMappings, 'pushMappings', 0, 0),
    token,
    limits,
    windowMs,
    maxConcurrent,
    forbidden: (forbidden as Array<string | RegExp>).map((f) => (typeof f === 'string' ? f : new RegExp(f.source, f.flags.replace(/[gy]/g, '')))),
    faultRate,
    faultKinds,
    slowMs,
    latencyMs: int(o.latencyMs, 'latencyMs', 0, 0),
    now: fn(o.now, 'now', Date.now),
    linkStyle: oneOf(o.linkStyle, 'linkStyle', ['separate', 'joined'] as const, 'separate'),
    lateEventRate: fraction(o.lateEventRate, 'lateEventRate', 0),
    duplicateEventRate: fraction(o.duplicateEventRate, 'duplicateEventRate', 0),
    appUserTargetId: oneOf(o.appUserTargetId, 'appUserTargetId', ['assignment', 'user'] as const, 'assignment'),
    pageLimits: resolvePageLimits(o.pageLimits),
    oauth: resolveOAuthOptions(o.oauth),
    onRequest: o.onRequest as ResolvedOptions['onRequest'],
  };
}

/**
 * Whether `path` (a request pathname) is forbidden by the (resolved) `forbidden` option.
 * Resolved regular expressions have no `g`/`y` flag, so `test` keeps no state.
 * @example
 * isForbidden(['/api/v1/apps/0oa1/users'], '/api/v1/apps/0oa1/users'); // true
 */
export function isForbidden(forbidden: ReadonlyArray<string | RegExp>, path: string): boolean {
  return forbidden.some((f) => (typeof f === 'string' ? path.startsWith(f) : f.test(path)));
}
