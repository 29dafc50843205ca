import { http, HttpResponse } from 'msw';
import type { Clock } from '../../src/clock.js';
import type { ChangesOptions, ConnectorWarning, IdentityChange } from '../../src/index.js';
import { OktaIdentityProvider } from '../../src/index.js';
import { FakeClock } from '../helpers/clock.js';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, type useMswServer } from '../helpers/msw.js';

/**
 * A small mutable Okta org served through msw for the change-stream tests: users, apps with
 * their app users, groups, and a System Log that answers polling queries the way Okta does
 * (events in persistence order, an opaque `after` position, a `next` link on every page, even
 * an empty one; 400 E0000001 outside the 90-day window). Mutations and log events are written
 * separately so each test says exactly which events Okta wrote.
 */
export interface OrgUser {
  id: string;
  login: string;
  status: string;
  firstName: string;
  lastName: string;
}
export interface OrgAppUser {
  userName: string;
  scope: 'USER' | 'GROUP';
  status: string;
  externalId?: string | null;
}
export interface OrgApp {
  id: string;
  name: string;
  label: string;
  status: string;
  users: Map<string, OrgAppUser>;
}
export interface LogTarget {
  id: string;
  type: string;
  alternateId?: string;
  displayName?: string;
}

const DAY = 86_400_000;

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

export class LogOrg {
  readonly users = new Map<string, OrgUser>();
  readonly apps = new Map<string, OrgApp>();
  readonly groups = new Map<string, Set<string>>();
  readonly events: Array<{ event: Record<string, unknown>; persistedAt: number }> = [];
  readonly requests: URL[] = [];
  /** Paths (regular expressions on the pathname) answered 403 E0000006. */
  forbidden: RegExp[] = [];
  /** How far Okta's clock (its `Date` header) is ahead of the connector's. */
  skewMs = 0;
  /** Members per page of a group's member list (Okta may return fewer than `limit`). */
  groupPageSize = 1000;
  #uuid = 0;

  constructor(readonly clock: Clock) {}

  addUser(id: string, status = 'ACTIVE'): void {
    this.users.set(id, { id, login: `${id}@example.com`, status, firstName: 'First', lastName: id });
  }

  addApp(id: string, name = id.toLowerCase(), label = `${id} label`): OrgApp {
    const app: OrgApp = { id, name, label, status: 'ACTIVE', users: new Map() };
    this.apps.set(id, app);
    return app;
  }

  assign(appId: string, userId: string, userName = `${userId}-${appId}`, scope: 'USER' | 'GROUP' = 'USER'): void {
    this.apps.get(appId)!.users.set(userId, { userName, scope, status: 'ACTIVE' });
  }

  /**
   * Writes one event to the log, persisted now; returns its uuid. The actor is an admin unless
   * `options.actor` says otherwise (`null` leaves it out).
   */
  log(eventType: string, targets: LogTarget[], options: { uuid?: string; actor?: LogTarget | null } = {}): string {
    const id = options.uuid ?? `e${String(++this.#uuid).padStart(4, '0')}-0000-11ef-0000-000000000000`;
    const actor = options.actor === undefined ? { id: '00uADMIN', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' } : options.actor;
    const now = this.clock.now();
    this.events.push({
      persistedAt: now,
      event: {
        uuid: id,
        published: new Date(now).toISOString(),
        eventType,
        version: '0',
        displayMessage: eventType,
        severity: 'INFO',
        ...(actor === null ? {} : { actor }),
        outcome: { result: 'SUCCESS', reason: null },
        target: targets.map((t) => ({ alternateId: null, displayName: null, detailEntry: null, ...t })),
      },
    });
    return id;
  }

  /** Okta's headers, with its clock in `Date` (the stream checks the 90-day log against it). */
  private headers(): Record<string, string> {
    return okHeaders({ date: new Date(this.clock.now() + this.skewMs).toUTCString() });
  }

  /** Requests in the apps rate-limit bucket (everything under /api/v1/apps). */
  appsBucket(): URL[] {
    return this.calls(/^\/api\/v1\/apps(\/|$)/);
  }

  /** Requests to one path (query strings ignored). */
  calls(pathname: string | RegExp): URL[] {
    return this.requests.filter((u) => (typeof pathname === 'string' ? u.pathname === pathname : pathname.test(u.pathname)));
  }

  private userBody(u: OrgUser): Record<string, unknown> {
    return { id: u.id, status: u.status, lastUpdated: '2025-01-01T00:00:00.000Z', profile: { login: u.login, email: u.login, firstName: u.firstName, lastName: u.lastName }, _links: {} };
  }

  private appUserBody(userId: string, a: OrgAppUser, embed: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = { id: userId, scope: a.scope, status: a.status, externalId: a.externalId ?? null, credentials: { userName: a.userName } };
    const user = this.users.get(userId);
    if (embed && user) body._embedded = { user: this.userBody(user) };
    return body;
  }

  private appBody(app: OrgApp): Record<string, unknown> {
    return { id: app.id, name: app.name, label: app.label, status: app.status };
  }

  private page(url: URL, items: unknown[], size: number): Response {
    const offset = Number(url.searchParams.get('after') ?? 0);
    const headers = new Headers(this.headers());
    headers.append('link', `<${url.href}>; rel="self"`);
    if (offset + size < items.length) {
      const next = new URL(url);
      next.searchParams.set('after', String(offset + size));
      headers.append('link', `<${next.href}>; rel="next"`);
    }
    return HttpResponse.json(items.slice(offset, offset + size), { headers });
  }

  private guard(request: Request): Response | undefined {
    const url = new URL(request.url);
    this.requests.push(url);
    if (request.headers.get('authorization') !== `SSWS ${TOKEN}`) return HttpResponse.json(errorBody('ErrorInvalidTokenProvided'), { status: 401, headers: this.headers() });
    if (this.forbidden.some((f) => f.test(url.pathname))) return HttpResponse.json(errorBody('ErrorAccessDenied'), { status: 403, headers: this.headers() });
    return undefined;
  }

  private notFound(): Response {
    return HttpResponse.json(errorBody('ErrorResourceNotFound'), { status: 404, headers: this.headers() });
  }

  private logs(url: URL): Response {
    const now = this.clock.now();
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const after = url.searchParams.get('after');
    let start: number;
    if (after !== null) {
      const m = /^p(\d+)t(\d+)$/.exec(after);
      if (!m) return HttpResponse.json({ errorCode: 'E0000001', errorSummary: 'Api validation failed: after' }, { status: 400, headers: this.headers() });
      if (Number(m[2]) < now - 90 * DAY) return HttpResponse.json({ errorCode: 'E0000001', errorSummary: 'Api validation failed: after is outside the retention window' }, { status: 400, headers: this.headers() });
      start = Number(m[1]);
    } else {
      const since = Date.parse(url.searchParams.get('since') ?? new Date(now - 7 * DAY).toISOString());
      if (since < now - 90 * DAY) return HttpResponse.json({ errorCode: 'E0000001', errorSummary: 'Api validation failed: since' }, { status: 400, headers: this.headers() });
      start = this.events.findIndex((e) => e.persistedAt >= since);
      if (start < 0) start = this.events.length;
    }
    const slice = this.events.slice(start, start + limit);
    const nextIndex = start + slice.length;
    const next = new URL('/api/v1/logs', ORIGIN);
    for (const key of ['limit', 'sortOrder', 'filter']) {
      const value = url.searchParams.get(key);
      if (value !== null) next.searchParams.set(key, value);
    }
    const t = nextIndex < this.events.length ? this.events[nextIndex - 1]!.persistedAt : now;
    next.searchParams.set('after', `p${nextIndex}t${t}`);
    const headers = new Headers(this.headers());
    headers.append('link', `<${url.href}>; rel="self"`);
    headers.append('link', `<${next.href}>; rel="next"`);
    return HttpResponse.json(
      slice.map((e) => e.event),
      { headers },
    );
  }

  handlers() {
    return [
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => this.guard(request) ?? this.logs(new URL(request.url))),
      http.get(`${ORIGIN}/api/v1/users`, ({ request }) => {
        const url = new URL(request.url);
        return this.guard(request) ?? this.page(url, [...this.users.values()].map((u) => this.userBody(u)), 200);
      }),
      http.get(`${ORIGIN}/api/v1/users/:id`, ({ request, params }) => {
        const user = this.users.get(String(params.id));
        return this.guard(request) ?? (user ? HttpResponse.json(this.userBody(user), { headers: this.headers() }) : this.notFound());
      }),
      http.get(`${ORIGIN}/api/v1/apps`, ({ request }) => {
        const denied = this.guard(request);
        if (denied) return denied;
        const url = new URL(request.url);
        const userId = /^user\.id eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '')?.[1];
        let apps = [...this.apps.values()];
        if (userId !== undefined) apps = apps.filter((a) => a.users.has(userId));
        const items = apps.map((a) => {
          const body = this.appBody(a);
          const appUser = userId === undefined ? undefined : a.users.get(userId);
          if (appUser && url.searchParams.get('expand') === `user/${userId}`) body._embedded = { user: this.appUserBody(userId!, appUser, false) };
          return body;
        });
        return this.page(url, items, 200);
      }),
      http.get(`${ORIGIN}/api/v1/apps/:appId`, ({ request, params }) => {
        const app = this.apps.get(String(params.appId));
        return this.guard(request) ?? (app ? HttpResponse.json(this.appBody(app), { headers: this.headers() }) : this.notFound());
      }),
      http.get(`${ORIGIN}/api/v1/apps/:appId/users/:userId`, ({ request, params }) => {
        const denied = this.guard(request);
        if (denied) return denied;
        const appUser = this.apps.get(String(params.appId))?.users.get(String(params.userId));
        const embed = new URL(request.url).searchParams.get('expand') === 'user';
        return appUser ? HttpResponse.json(this.appUserBody(String(params.userId), appUser, embed), { headers: this.headers() }) : this.notFound();
      }),
      http.get(`${ORIGIN}/api/v1/apps/:appId/users`, ({ request, params }) => {
        const denied = this.guard(request);
        if (denied) return denied;
        const app = this.apps.get(String(params.appId));
        if (!app) return this.notFound();
        const url = new URL(request.url);
        const embed = url.searchParams.get('expand') === 'user';
        return this.page(url, [...app.users].map(([id, a]) => this.appUserBody(id, a, embed)), 500);
      }),
      http.get(`${ORIGIN}/api/v1/groups/:groupId/users`, ({ request, params }) => {
        const denied = this.guard(request);
        if (denied) return denied;
        const members = this.groups.get(String(params.groupId));
        if (!members) return this.notFound();
        const users = [...members].map((id) => this.users.get(id)).filter((u): u is OrgUser => u !== undefined);
        return this.page(new URL(request.url), users.map((u) => this.userBody(u)), this.groupPageSize);
      }),
    ];
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
export function setupLogOrg(server: ReturnType<typeof useMswServer>) {
  const clock = new PollClock(5_000);
  const org = new LogOrg(clock);
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
