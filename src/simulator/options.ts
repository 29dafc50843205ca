/**
 * The simulator's options and what they resolve to; `options-schema.ts` validates them and
 * applies the defaults.
 * @module
 */
import type { BucketName } from './buckets.js';
import type { OAuthSimulatorOptions, ResolvedOAuthOptions } from './oauth-options.js';
import type { ListOperation } from './page-sizes.js';

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
 * Rate limiting, per bucket (see {@link BucketName}).
 * @example
 * const rateLimits: RateLimitOptions = { limits: { apps: 10 }, windowMs: 1_000, maxConcurrent: 5 };
 */
export interface RateLimitOptions {
  /** Requests per window and bucket; by default the per-minute figures of `buckets.ts`. */
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
   * Which groups count a Group Push mapping in `_embedded.stats.groupPushMappingsCount` (groups
   * listed with `expand=stats`): Okta says only "number of group push mappings associated with
   * the group". `both` (default): the source and the target; `source`: only the pushed group;
   * `target`: only the app group it is pushed to.
   */
  groupPushMappingsCount?: PushCountReading;
  /**
   * Pages smaller than Okta's maxima, per list (by Okta operationId): Okta may serve fewer items
   * than `limit` asks for, and a client must follow the next link anyway.
   */
  pageLimits?: Partial<Record<ListOperation, number>>;
  /** OAuth 2.0 service apps (client credentials, private key JWT, DPoP) accepted next to the API token; see {@link OAuthSimulatorOptions}. */
  oauth?: OAuthSimulatorOptions;
  /**
   * Called synchronously for every authenticated API request, before rate limits and routing,
   * so a test can change the org mid-sync (deleting an app on the first read of its users makes
   * that very request answer 404). An exception it throws answers 500 E0000009.
   */
  onRequest?: (request: SimulatorRequest) => void;
}

/** The groups whose `groupPushMappingsCount` counts a mapping (see {@link SimulatorOptions.groupPushMappingsCount}). */
export type PushCountReading = 'both' | 'source' | 'target';

/**
 * The token the simulator accepts when none is given.
 * @example
 * new OktaSimulator().token === DEFAULT_TOKEN; // true
 */
export const DEFAULT_TOKEN = '00sim-okta-simulator-token-0000000000000000';

/**
 * {@link SimulatorOptions} with every default applied (`sim.options`).
 * @example
 * new OktaSimulator({ users: 10 }).options.limits.apps; // 100
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
  groupPushMappingsCount: PushCountReading;
  pageLimits: Readonly<Partial<Record<ListOperation, number>>>;
  oauth: ResolvedOAuthOptions | undefined;
  onRequest: ((request: SimulatorRequest) => void) | undefined;
}

/**
 * Whether `path` (a request pathname) is one of the `forbidden` paths. Regular expressions come
 * here without their `g`/`y` flags (see `options-schema.ts`), so `test` keeps no state.
 */
export function isForbidden(forbidden: ReadonlyArray<string | RegExp>, path: string): boolean {
  return forbidden.some((f) => (typeof f === 'string' ? path.startsWith(f) : f.test(path)));
}
