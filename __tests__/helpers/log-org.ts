import type { Clock } from '../../src/clock.js';
import type { ChangesOptions, ConnectorWarning, IdentityChange } from '../../src/index.js';
import { OktaIdentityProvider } from '../../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { decodeCursor, encodeCursor } from '../../src/simulator/pagination.js';
import { FakeClock } from './clock.js';
import { HOSTNAME, TOKEN, type useMswServer } from './msw.js';
import { simulatorHandler, withHeaders } from './msw-simulator.js';

/**
 * The change-stream tests' org: the simulator behind msw (https://example.okta.com), on the
 * test's clock, with the records and ids each test picks. The org changes silently and each
 * test writes the System Log entries itself (`log`), so it says exactly which events Okta wrote:
 * a given actor or none, odd targets, a late `published`.
 */
export interface LogTarget {
  id: string;
  type: string;
  alternateId?: string;
  displayName?: string;
}

/** Target builders, shaped like Okta's. */
export const T = {
  user: (id: string): LogTarget => ({ id, type: 'User', alternateId: `${id}@example.com`, displayName: id }),
  app: (id: string): LogTarget => ({ id, type: 'AppInstance', alternateId: id, displayName: id }),
  appUser: (id: string): LogTarget => ({ id, type: 'AppUser', alternateId: id, displayName: id }),
  group: (id: string): LogTarget => ({ id, type: 'UserGroup', alternateId: 'unknown', displayName: id }),
};

/** A clock whose poll-interval sleeps can be watched (all sleeps are instant). */
export class PollClock extends FakeClock {
  polls = 0;
  onPoll: ((count: number) => void | Promise<void>) | undefined;
  constructor(readonly pollMs: number) {
    super();
  }

  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await super.sleep(ms, signal);
    if (ms === this.pollMs) {
      this.polls++;
      await this.onPoll?.(this.polls);
    }
  }
}

/** The `after` of the simulator's next link after position `index` of the log, read at `time`. */
export const logAfter = (index: number, time: number): string => encodeCursor({ m: 'poll', p: index, t: time });
/** The position an `after` of the simulator's System Log holds. */
export const logPosition = (after: string): Record<string, unknown> => decodeCursor(after);
/** The `after` of the simulator's next link of a list whose page ended with `id`. */
export const listAfter = (id: string): string => encodeCursor({ a: id });

const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };
const ADMIN: LogTarget = { id: '00uADMIN', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' };

export class LogOrg {
  readonly sim: OktaSimulator;
  /** Every request the connector sent. */
  readonly requests: URL[] = [];
  /** How far Okta's clock (its `Date` header) is ahead of the connector's. */
  skewMs = 0;
  #uuid = 0;

  constructor(
    readonly clock: Clock,
    options: Pick<SimulatorOptions, 'pageLimits'> = {},
  ) {
    this.sim = new OktaSimulator({ users: 0, apps: 0, groups: 0, token: TOKEN, rateLimits: UNLIMITED, now: () => clock.now(), ...options });
  }

  /** Paths (regular expressions on the pathname) answered 403 E0000006 from now on. */
  set forbidden(paths: RegExp[]) {
    this.sim.setForbidden(paths);
  }

  /** A user `id`, login `<id>@example.com`, named "First <id>", in `status`. */
  addUser(id: string, status = 'ACTIVE'): void {
    this.sim.silently(() => {
      this.sim.createUser({ login: `${id}@example.com`, firstName: 'First', lastName: id }, { id, activate: status !== 'STAGED' });
      if (status !== 'ACTIVE' && status !== 'STAGED') this.#status(id, status);
    });
  }

  hasUser(id: string): boolean {
    return this.sim.org.user(id) !== undefined;
  }

  /** Moves a user to `status` as Okta would get there (a lockout, an expiry, a suspension...). */
  setStatus(id: string, status: string): void {
    this.sim.silently(() => this.#status(id, status));
  }

  #status(id: string, status: string): void {
    const moves: Record<string, (id: string) => unknown> = {
      SUSPENDED: (u) => this.sim.suspendUser(u),
      DEPROVISIONED: (u) => this.sim.deactivateUser(u),
      LOCKED_OUT: (u) => this.sim.lockUser(u),
      PASSWORD_EXPIRED: (u) => this.sim.expirePassword(u),
    };
    const move = moves[status];
    if (!move) throw new Error(`LogOrg: no way to make a user ${status}`);
    move(id);
  }

  /** A new login (and primary email, which these users keep equal to it). */
  setLogin(id: string, login: string): void {
    this.sim.silently(() => this.sim.updateProfile(id, { login, email: login }));
  }

  /** Deletes a user (deactivated first, as Okta requires). */
  deleteUser(id: string): void {
    this.sim.silently(() => {
      if (this.sim.org.user(id)?.status !== 'DEPROVISIONED') this.sim.deactivateUser(id);
      this.sim.deleteUser(id);
    });
  }

  addApp(id: string, name = id.toLowerCase(), label = `${id} label`, options: { provisioned?: boolean } = {}): void {
    this.sim.silently(() => this.sim.createApp({ id, name, label, provisioned: options.provisioned ?? false }));
  }

  /** Deactivates (`INACTIVE`) or activates an app. */
  setAppStatus(id: string, status: 'ACTIVE' | 'INACTIVE'): void {
    this.sim.silently(() => (status === 'INACTIVE' ? this.sim.deactivateApp(id) : this.sim.activateApp(id)));
  }

  renameApp(id: string, label: string): void {
    this.sim.silently(() => this.sim.renameApp(id, label));
  }

  /** Deletes an app (deactivated first, as Okta requires). */
  deleteApp(id: string): void {
    this.sim.silently(() => {
      if (this.sim.org.app(id)?.status === 'ACTIVE') this.sim.deactivateApp(id);
      this.sim.deleteApp(id);
    });
  }

  /** Assigns a user to an app directly (scope USER) with this account name, or renames the account it has. */
  assign(appId: string, userId: string, userName = `${userId}-${appId}`): void {
    this.sim.silently(() => {
      if (this.sim.org.app(appId)?.appUsers.has(userId)) this.sim.renameAppUser(appId, userId, userName);
      else this.sim.assignUserToApp(appId, userId, { userName });
    });
  }

  unassign(appId: string, userId: string): void {
    this.sim.silently(() => this.sim.unassignUserFromApp(appId, userId));
  }

  /** Okta's push of a STAGED account: PROVISIONED, with the id the app gave it. */
  provision(appId: string, userId: string, externalId: string): void {
    this.sim.silently(() => this.sim.provisionAppUser(appId, userId, { externalId }));
  }

  /** An OKTA_GROUP with these members. */
  addGroup(id: string, members: readonly string[]): void {
    this.sim.silently(() => {
      this.sim.createGroup(id, '', { id });
      for (const userId of members) this.sim.addUserToGroup(id, userId);
    });
  }

  /** Assigns a group to an app: each member gets an account of scope GROUP, named by `userName`. */
  assignGroup(appId: string, groupId: string, userName: (userId: string) => string = (userId) => `${userId}-${appId}`): void {
    this.sim.silently(() => {
      this.sim.assignGroupToApp(appId, groupId);
      for (const userId of this.sim.org.groupMembers(groupId)) this.sim.renameAppUser(appId, userId, userName(userId));
    });
  }

  /**
   * Writes one event to the System Log, persisted now (published now unless `published` says
   * otherwise); returns its uuid. The actor is an admin unless `options.actor` says otherwise
   * (`null` leaves it out).
   */
  log(eventType: string, targets: LogTarget[], options: { uuid?: string; actor?: LogTarget | null; published?: number } = {}): string {
    const id = options.uuid ?? `e${String(++this.#uuid).padStart(4, '0')}-0000-11ef-0000-000000000000`;
    const actor = options.actor === undefined ? ADMIN : options.actor;
    this.sim.appendEvent({
      uuid: id,
      published: new Date(options.published ?? this.clock.now()).toISOString(),
      eventType,
      version: '0',
      displayMessage: eventType,
      severity: 'INFO',
      ...(actor === null ? {} : { actor }),
      outcome: { result: 'SUCCESS', reason: null },
      target: targets.map((t) => ({ alternateId: null, displayName: null, detailEntry: null, ...t })),
    });
    return id;
  }

  /** The System Log's entries, as written. */
  get events(): readonly unknown[] {
    return this.sim.events;
  }

  /** Requests in the apps rate-limit bucket (everything under /api/v1/apps). */
  appsBucket(): URL[] {
    return this.calls(/^\/api\/v1\/apps(\/|$)/);
  }

  /** Requests to one path (query strings ignored). */
  calls(pathname: string | RegExp): URL[] {
    return this.requests.filter((u) => (typeof pathname === 'string' ? u.pathname === pathname : pathname.test(u.pathname)));
  }

  handlers() {
    const skewed = (response: Response): Response => (this.skewMs === 0 ? response : withHeaders(response, { date: new Date(this.clock.now() + this.skewMs).toUTCString() }));
    return [simulatorHandler(this.sim, { seen: (request) => void this.requests.push(new URL(request.url)), adjust: skewed })];
  }
}

/** A provider on the msw org with a fake clock; warnings are collected. */
export function makeProvider(clock: Clock, extra: Record<string, unknown> = {}): { provider: OktaIdentityProvider; warnings: ConnectorWarning[] } {
  const warnings: ConnectorWarning[] = [];
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1, pollIntervalMs: 5_000, onWarning: (w) => warnings.push(w), ...extra }, { clock });
  return { provider, warnings };
}

/**
 * Reads changes until the stream has polled `idlePolls` times with nothing new (each such
 * poll ends in a poll-interval sleep), then aborts and returns what came.
 */
export async function drain(provider: OktaIdentityProvider, clock: PollClock, options: Omit<ChangesOptions, 'signal'> = {}, idlePolls = 1): Promise<IdentityChange[]> {
  const controller = new AbortController();
  const start = clock.polls;
  clock.onPoll = (count) => {
    if (count - start >= idlePolls) controller.abort();
  };
  const changes: IdentityChange[] = [];
  try {
    for await (const change of provider.changes({ ...options, signal: controller.signal })) changes.push(change);
  } finally {
    clock.onPoll = undefined;
  }
  return changes;
}

/** A compact view of a change for assertions: `upsert 00u1 [apps]` or `delete 00u1`. */
export function summary(change: IdentityChange): string {
  if (change.type === 'delete') return `delete ${change.id}`;
  return `upsert ${change.identity.id} ${change.identity.status} [${change.identity.accounts.map((a) => `${a.appId}:${a.userName}`).join(',')}]`;
}

/** One test's org, clock and provider on the file's msw server; `since` is the org's start. */
export function setupLogOrg(server: ReturnType<typeof useMswServer>, options: ConstructorParameters<typeof LogOrg>[1] = {}) {
  const clock = new PollClock(5_000);
  const org = new LogOrg(clock, options);
  server.use(...org.handlers());
  const { provider, warnings } = makeProvider(clock);
  return { clock, org, provider, warnings, since: new Date(clock.now()) };
}

/** A provider that has run a full listIdentities() (so it has a synced store); the org's request log is cleared after. */
export async function syncedProvider(org: LogOrg, clock: Clock, extra: Record<string, unknown> = {}): Promise<{ provider: OktaIdentityProvider; warnings: ConnectorWarning[] }> {
  const made = makeProvider(clock, extra);
  for await (const identity of made.provider.listIdentities()) void identity;
  org.requests.length = 0;
  return made;
}
