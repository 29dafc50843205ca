/**
 * {@link OktaSimulator}: a faithful, deterministic, in-memory Okta org served over HTTP, for
 * end-to-end tests, the demo and benchmarks.
 * @module
 */
import type { Identity } from '../sdk.js';
import { SimClock } from './clock.js';
import { withGroups, type IdentityWithGroups } from './ground-truth-groups.js';
import { expectedIdentities, identityOf, readableApps } from './ground-truth.js';
import type { LogEvent } from './log-events.js';
import { Mutator } from './mutations.js';
import type { ResolvedOptions, SimulatorOptions } from './options.js';
import { resolveForbidden, resolveOptions } from './options-schema.js';
import type { Org } from './org.js';
import { orgView, type OrgView } from './org-view.js';
import { seedGroups } from './seed-groups.js';
import { seedOrg } from './seed.js';
import { SimOAuth } from './oauth.js';
import { Dispatcher } from './dispatcher.js';
import { respond } from './in-process.js';
import { SimServer } from './server.js';
import { emptyStats, type SimulatorStats } from './stats.js';
import { SystemLog } from './system-log.js';
import { SimulatorAdmin } from './simulator-admin.js';

export type { DeepReadonly, OrgView } from './org-view.js';

/**
 * A simulated Okta org, served over HTTP ({@link start}) or in-process ({@link fetch}). Its
 * changes are inherited: an admin's from {@link SimulatorAdmin}, app groups and Group Push from
 * {@link SimulatorGroups}, what Okta and the people themselves do from {@link SimulatorAccountEvents}.
 * @example
 * const sim = new OktaSimulator({ seed: 7, users: 500, rateLimits: { windowMs: 1_000 } });
 * await sim.start();
 * const res = await fetch(`${sim.baseUrl}/api/v1/users?limit=200`, { headers: { Authorization: `SSWS ${sim.token}` } });
 * sim.deactivateUser(sim.org.users[0]!.id);
 * // a connector streams identities in any order; the ground truth is sorted by id
 * expect(identities.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(sim.expectedIdentities());
 * await sim.stop();
 */
export class OktaSimulator extends SimulatorAdmin {
  readonly #options: ResolvedOptions;
  readonly #org: Org;
  readonly #clock: SimClock;
  readonly #log: SystemLog;
  readonly #dispatcher: Dispatcher;
  readonly #server: SimServer;
  readonly #oauth: SimOAuth | undefined;
  #stats: SimulatorStats = emptyStats();
  #baseUrl: string | null = null;

  /**
   * Builds the org (deterministically from `seed`); nothing listens until {@link start}.
   * @throws TypeError on an invalid or unknown option.
   */
  constructor(options: SimulatorOptions = {}) {
    const o = resolveOptions(options);
    const seeded = seedOrg({ seed: o.seed, users: o.users, apps: o.apps, groups: o.groups, appUsersPerApp: o.appUsersPerApp });
    seedGroups(seeded.org, seeded.factory, { seed: o.seed, appGroupsPerApp: o.appGroupsPerApp, pushMappings: o.pushMappings });
    const clock = new SimClock(o.now);
    const log = new SystemLog(clock, { seed: o.seed, lateEventRate: o.lateEventRate, duplicateEventRate: o.duplicateEventRate });
    const mutator = new Mutator({ org: seeded.org, factory: seeded.factory, log, clock, seed: o.seed, appUserTargetId: o.appUserTargetId });
    super(mutator, seeded.org);
    this.#options = o;
    this.#org = seeded.org;
    this.#clock = clock;
    this.#log = log;
    this.#oauth = o.oauth ? new SimOAuth(o.oauth, () => this.#clock.now()) : undefined;
    this.#dispatcher = new Dispatcher({ options: o, clock, org: seeded.org, log, stats: () => this.#stats, oauth: this.#oauth });
    this.#server = new SimServer(this.#dispatcher);
  }

  /** Starts serving on 127.0.0.1 (a free port). */
  async start(): Promise<void> {
    this.#baseUrl = await this.#server.listen();
  }

  /** Closes the server and every socket and clears every timer. Safe to call twice. */
  async stop(): Promise<void> {
    await this.#server.close();
  }

  /**
   * Answers a fetch `Request` in-process, exactly as the HTTP server would (same checks, rate
   * limits, faults and counters), with links pointing at the request's origin: for tests that
   * intercept the connector's requests (msw, nock) instead of pointing it at {@link baseUrl}.
   * No need to {@link start}. A dropped connection is a network error (`Response.error()`).
   * @example
   * server.use(http.all('https://example.okta.com/*', ({ request }) => sim.fetch(request)));
   */
  fetch(request: Request): Promise<Response> {
    return respond(this.#dispatcher, request);
  }

  /** `http://127.0.0.1:<port>`, once started. */
  get baseUrl(): string {
    if (this.#baseUrl === null) throw new Error('OktaSimulator: call start() before reading baseUrl');
    return this.#baseUrl;
  }

  /**
   * The OAuth 2.0 authorization server, when the `oauth` option is set: its counters, and
   * `revokeTokens()`, `rotateNonce()`, `grantScopes()` for tests.
   * @example
   * sim.oauth!.revokeTokens(); // the next API call with a token gets 401 invalid_token
   */
  get oauth(): SimOAuth | undefined {
    return this.#oauth;
  }

  /** The API token the simulator accepts (`Authorization: SSWS <token>`). */
  get token(): string {
    return this.#options.token;
  }

  /** The options in effect, defaults applied. */
  get options(): Readonly<ResolvedOptions> {
    return this.#options;
  }

  /** Request counters since start or the last {@link resetStats} (a copy). */
  get stats(): SimulatorStats {
    return structuredClone(this.#stats);
  }

  /** Zeroes the request counters (requests in flight stay counted). */
  resetStats(): void {
    this.#stats = emptyStats(this.#stats.inFlight);
  }

  /** The simulator's current time (epoch ms): the `now` option plus {@link advanceClock}. */
  now(): number {
    return this.#clock.now();
  }

  /** Moves the org's clock forward (System Log, timestamps, `Date`, rate-limit windows), e.g. past the 90-day retention window. */
  advanceClock(ms: number): void {
    this.#clock.advance(ms);
  }

  /** Every System Log event, in persistence order (those of {@link appendEvent} as they were given). */
  get events(): readonly LogEvent[] {
    return this.#log.events;
  }

  /**
   * Writes `event` to the System Log now, exactly as given: for tests that need an entry the
   * mutations do not write (another actor or none, odd targets, a late `published`, a
   * malformed event). Its `published` orders it in bounded queries when it is a valid time.
   * @example
   * sim.appendEvent({ uuid: 'e1', published: new Date(sim.now()).toISOString(), eventType: 'user.account.lock', target: [] });
   */
  appendEvent(event: Record<string, unknown>): void {
    this.#log.appendAsIs(event);
  }

  /**
   * Runs `change` without logging: the org changes, the System Log gets none of the events the
   * mutations would write (they still return them). With {@link appendEvent}, a test decides
   * exactly what Okta logged.
   * @example
   * const user = sim.silently(() => sim.createUser({ login: 'ada@example.com' }, { id: '00u1' }));
   */
  silently<T>(change: () => T): T {
    return this.#log.muted(change);
  }

  /**
   * Replaces the request paths answered 403 E0000006 (the `forbidden` option), as a change of
   * the token's admin role would.
   * @example
   * sim.setForbidden([/^\/api\/v1\/users\/00u2$/]);
   */
  setForbidden(paths: ReadonlyArray<string | RegExp>): void {
    this.#options.forbidden = resolveForbidden(paths);
  }

  /** The current org, read-only. */
  get org(): OrgView {
    return orgView(this.#org);
  }

  /**
   * What a correct connector reads: every user (DEPROVISIONED included) sorted by id, each with
   * its accounts sorted by app id, leaving out apps whose `/api/v1/apps/{id}/users` is forbidden;
   * with `groups: true`, each with its groups too (see `ground-truth-groups.ts`).
   * `listIdentities()` streams people in no set order: sort them by id before comparing.
   */
  expectedIdentities(): Identity[];
  expectedIdentities(options: { groups: true }): IdentityWithGroups[];
  expectedIdentities(options: { groups?: boolean }): Identity[] | IdentityWithGroups[];
  expectedIdentities(options: { groups?: boolean } = {}): Identity[] | IdentityWithGroups[] {
    const identities = expectedIdentities(this.#org, this.#options.forbidden);
    return options.groups === true ? withGroups(this.#org, identities, this.#options.forbidden) : identities;
  }

  /** One user's expected identity, or null when there is no such user. */
  identity(userId: string): Identity | null {
    return identityOf(this.#org, userId, readableApps(this.#org, this.#options.forbidden));
  }
}
