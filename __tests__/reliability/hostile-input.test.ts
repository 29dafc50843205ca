import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authorizer } from '../../src/http/auth.js';
import { OktaIdentityProvider, type IdentityChange } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { parseFilter, type Expr } from '../../src/simulator/filter-syntax.js';
import { POLL_MS, recordFigures, WatchedClock } from './support.js';

/**
 * Hostile account names end to end, against the simulator (which parses `search` and `filter`
 * with Okta's grammar, so an escape that failed would widen the query there): a value that
 * reaches Okta's `search` stays one string literal, a value that reaches `q` stays the one
 * parameter, nobody is matched but a person whose login, email or userName literally equals
 * the value, and such a person IS found. The requests are recorded through the authorizer seam
 * (which sees every URL the client sends) and replayed against the simulator to count what
 * the server side matched, since the connector's own exact comparison would hide a widened query.
 */

class RecordingAuthorizer implements Authorizer {
  readonly urls: URL[] = [];
  constructor(private readonly token: string) {}
  async headers(url: URL): Promise<Record<string, string>> {
    this.urls.push(new URL(url.href));
    return { authorization: `SSWS ${this.token}` };
  }
  async retryUnauthorized(): Promise<boolean> {
    return false;
  }
  secrets(): string[] {
    return [this.token];
  }
}

let sim: OktaSimulator;
let auth: RecordingAuthorizer;
let provider: OktaIdentityProvider;
const tried = { oktaAbsent: 0, oktaPresent: 0, appAbsent: 0, appPresent: 0, controlCharacters: 0, logIds: 0 };

beforeAll(async () => {
  sim = new OktaSimulator({ seed: 17, users: 60, apps: 6, groups: 3, rateLimits: { windowMs: 1_000, limits: { apps: 1e6, users: 1e6, user: 1e6, groups: 1e6 } } });
  await sim.start();
  auth = new RecordingAuthorizer(sim.token);
  provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token }, { authorizer: auth });
});

afterAll(async () => {
  await provider.close();
  await sim.stop();
  recordFigures('hostile-input', { ...tried, total: Object.values(tried).reduce((a, b) => a + b, 0) });
});

/** Injection attempts people actually write. */
const CLASSICS = [
  'x" or profile.login sw "',
  'x" or profile.login pr or profile.login eq "',
  '" or "" eq "',
  '") or (profile.login sw "',
  'x\\" or status eq \\"ACTIVE',
  'x\\\\" or profile.email sw "',
  '" or 1 eq 1 or "',
  'a" and profile.login pr) or (profile.login sw "',
  '*',
  '%22 or profile.login sw %22',
  'x&limit=1000&search=profile.login pr',
  'x#"',
  '(((',
  '\\',
];

/** Strings made of the pieces of Okta's expression grammar, always with a quote, backslash or parenthesis. */
const hostile = fc
  .array(fc.constantFrom('"', '\\', '\\"', ' or ', ' and ', '(', ')', ' ', 'x', 'Ada', 'profile.login', 'profile.email', ' sw ', ' eq ', ' pr', 'status', '"ACTIVE"', '*', "'", '%22', '&', '=', '+', '#', '?', '/', '..', 'é', '😀', ';', ','), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.join(''))
  .filter((s) => /["\\()]/.test(s) && s.trim() !== '');

/** The requests since `from` to `path` (pathname). */
const sentTo = (from: number, path: string | RegExp): URL[] => auth.urls.slice(from).filter((u) => (typeof path === 'string' ? u.pathname === path : path.test(u.pathname)));

async function replay(url: URL): Promise<unknown[]> {
  const res = await fetch(new URL(url.pathname + url.search, sim.baseUrl), { headers: { authorization: `SSWS ${sim.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as unknown[];
}

/** `profile.login eq "<v>" or profile.email eq "<v>"`, as the simulator parses it. */
function loginOrEmail(value: string): Expr {
  return { kind: 'or', left: { kind: 'cmp', attr: 'profile.login', op: 'eq', value }, right: { kind: 'cmp', attr: 'profile.email', op: 'eq', value } };
}

/** Checks the one search resolveAppUser('okta', value) sent, and what the server matched with it. */
async function checkOktaSearch(from: number, value: string): Promise<unknown[]> {
  const searches = sentTo(from, '/api/v1/users');
  expect(searches).toHaveLength(1);
  const url = searches[0]!;
  expect([...url.searchParams.keys()].sort()).toEqual(['limit', 'search']);
  // One literal per comparison: the value cannot add an operator, a comparison or a group.
  expect(parseFilter(url.searchParams.get('search')!)).toEqual(loginOrEmail(value));
  return replay(url);
}

const usedLogins = new Set<string>();

describe('hostile values reaching Okta’s search (resolveAppUser("okta", ...))', () => {
  it('never widen the search: nobody is found, and the server matched nobody', async () => {
    const check = async (value: string): Promise<void> => {
      const from = auth.urls.length;
      await expect(provider.resolveAppUser('okta', value)).resolves.toBeNull();
      expect(await checkOktaSearch(from, value)).toEqual([]);
      tried.oktaAbsent++;
    };
    for (const value of CLASSICS) await check(value);
    await fc.assert(fc.asyncProperty(hostile, check), { numRuns: 150 });
  });

  it('find exactly the person whose login or email literally is the hostile value', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (value, asLogin) => {
        fc.pre(!usedLogins.has(value.toLowerCase()));
        usedLogins.add(value.toLowerCase());
        n++;
        const person = asLogin ? sim.createUser({ login: value, email: `hostile.${n}@example.com`, firstName: 'H', lastName: `${n}` }) : sim.createUser({ login: `hostile.login.${n}@example.com`, email: value, firstName: 'H', lastName: `${n}` });
        const from = auth.urls.length;
        const found = await provider.resolveAppUser('okta', value);
        expect(found?.id).toBe(person.id);
        const matched = (await checkOktaSearch(from, value)) as Array<{ id: string }>;
        expect(matched.map((u) => u.id)).toEqual([person.id]);
        tried.oktaPresent++;
      }),
      { numRuns: 40 },
    );
  });

  it('refuse a value with a control character before sending anything', async () => {
    const withControl = fc.tuple(fc.string(), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), fc.string()).map(([a, c, b]) => a + c + b);
    await fc.assert(
      fc.asyncProperty(fc.oneof(withControl, fc.constant('x"\u0000 or profile.login sw "'), fc.constant('x\u007f')), async (value) => {
        const from = auth.urls.length;
        await expect(provider.resolveAppUser('okta', value)).rejects.toMatchObject({ name: 'OktaValidationError', code: 'invalid_argument', argument: 'account' });
        expect(auth.urls.length).toBe(from);
        tried.controlCharacters++;
      }),
      { numRuns: 60 },
    );
  });
});

describe('hostile account names reaching an app’s user search (resolveAppUser(app, ...), q)', () => {
  /** An app name with one instance, so the found person is unambiguous. */
  const appOf = (): { id: string; name: string } => {
    const counts = new Map<string, number>();
    for (const a of sim.org.apps) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    const app = sim.org.apps.find((a) => counts.get(a.name) === 1 && sim.org.appUsers(a.id).length >= 10);
    if (!app) throw new Error('the org needs an app name with one instance and some accounts');
    return { id: app.id, name: app.name };
  };

  /** Checks the q request: the value is exactly `q`, adds no parameter, and the server matched only names starting with it. */
  async function checkQ(from: number, appId: string, value: string): Promise<Array<{ id: string }>> {
    const withQ = sentTo(from, `/api/v1/apps/${appId}/users`).filter((u) => u.searchParams.has('q'));
    expect(withQ).toHaveLength(1);
    const url = withQ[0]!;
    expect([...url.searchParams.keys()].sort()).toEqual(['expand', 'limit', 'q']);
    expect(url.searchParams.get('q')).toBe(value);
    const matched = (await replay(url)) as Array<{ id: string; credentials?: { userName?: string }; _embedded?: { user?: { profile: Record<string, unknown> } } }>;
    const needle = value.toLowerCase();
    for (const appUser of matched) {
      const profile = appUser._embedded?.user?.profile ?? {};
      const names = [appUser.credentials?.userName, profile.firstName, profile.lastName, profile.email].filter((v): v is string => typeof v === 'string');
      expect(names.some((v) => v.toLowerCase().startsWith(needle))).toBe(true);
    }
    return matched;
  }

  it('never widen the search: nobody is found, and the server matched no name not starting with the value', async () => {
    const app = appOf();
    const check = async (value: string): Promise<void> => {
      const from = auth.urls.length;
      await expect(provider.resolveAppUser(app.name, value)).resolves.toBeNull();
      expect(await checkQ(from, app.id, value)).toEqual([]);
      tried.appAbsent++;
    };
    for (const value of CLASSICS) await check(value);
    await fc.assert(fc.asyncProperty(hostile, check), { numRuns: 100 });
  });

  it('find exactly the person whose userName literally is the hostile value', async () => {
    const app = appOf();
    const holders = sim.org.appUsers(app.id).map((au) => au.userId);
    const used = new Set<string>();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        fc.pre(!used.has(value.toLowerCase()));
        used.add(value.toLowerCase());
        const userId = holders[i++ % holders.length]!;
        sim.renameAppUser(app.id, userId, value);
        const from = auth.urls.length;
        const found = await provider.resolveAppUser(app.name, value);
        expect(found?.id).toBe(userId);
        expect(found?.accounts.find((a) => a.appId === app.id)?.userName).toBe(value);
        // The server may match others whose names merely start with the value; never anyone else.
        const matched = await checkQ(from, app.id, value);
        expect(matched.map((m) => m.id)).toContain(userId);
        tried.appPresent++;
      }),
      { numRuns: 40 },
    );
  });
});

describe('hostile ids in System Log events (a malicious or corrupted log)', () => {
  /**
   * A loopback "Okta" whose log holds one page of events with the given target ids; it answers
   * everything else as an empty list or an echoing user, and records every request.
   */
  async function hostileLog(events: unknown[]): Promise<{ origin: string; urls: URL[]; close: () => Promise<void> }> {
    const urls: URL[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      urls.push(url);
      const json = (body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/api/v1/logs') {
        const first = !url.searchParams.has('after');
        return json(first ? events : [], { link: `<${origin}/api/v1/logs?limit=1000&sortOrder=ASCENDING&after=1>; rel="next"` });
      }
      const user = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
      if (user) return json({ id: decodeURIComponent(user[1]!), status: 'ACTIVE', profile: { login: 'someone@example.com' } });
      return json([]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, urls, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  const event = (i: number, eventType: string, target: Array<{ id: string; type: string }>) => ({ uuid: `e${i}`, published: new Date().toISOString(), eventType, target });

  async function stream(origin: string): Promise<{ changes: IdentityChange[]; error: unknown }> {
    const clock = new WatchedClock();
    const p = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: origin, token: 'hostile-log-token', pollIntervalMs: POLL_MS, retries: 0 }, { clock });
    const controller = new AbortController();
    clock.onPoll = () => controller.abort();
    const changes: IdentityChange[] = [];
    let error: unknown;
    try {
      for await (const change of p.changes({ since: new Date(), signal: controller.signal })) changes.push(change);
    } catch (e) {
      error = e;
    } finally {
      await p.close();
    }
    return { changes, error };
  }

  const hostileId = fc.string({ unit: fc.constantFrom(...'"\\/?#%&=+ .:@()\'*<>'.split(''), 'or', 'and', '..', 'x', '00u', 'é', '😀'), minLength: 1, maxLength: 12 });
  /** Okta's id shape: a three-character type prefix, then base62. */
  const oktaId = (prefix: string) => fc.stringMatching(/^[A-Za-z0-9]{6,17}$/).map((s) => `${prefix}${s}`);

  /** Every request went where the connector means it to, with one of `ids` as one segment or one literal. */
  function expectConfined(urls: URL[], ids: { user: string; group: string; app: string }): void {
    for (const url of urls) {
      const p = url.pathname;
      const segments = p.split('/').slice(1).map(decodeURIComponent);
      if (p === '/api/v1/logs') continue;
      if (p === '/api/v1/apps') {
        // The accounts of one user: a single literal, and the same id in expand.
        expect(parseFilter(url.searchParams.get('filter')!)).toEqual({ kind: 'cmp', attr: 'user.id', op: 'eq', value: ids.user });
        expect(url.searchParams.get('expand')).toBe(`user/${ids.user}`);
      } else if (segments.length === 4 && segments[2] === 'users') {
        expect(segments[3]).toBe(ids.user);
      } else if (segments.length === 5 && segments[2] === 'groups' && segments[4] === 'users') {
        expect(segments[3]).toBe(ids.group);
      } else if (segments.length === 5 && segments[2] === 'apps' && segments[4] === 'users') {
        expect(segments[3]).toBe(ids.app);
      } else {
        throw new Error(`unexpected request ${p}${url.search}`);
      }
    }
  }

  const events = (ids: { user: string; group: string; app: string }) => [
    event(1, 'user.lifecycle.suspend', [{ id: ids.user, type: 'User' }]),
    event(2, 'group.application_assignment.add', [{ id: ids.group, type: 'UserGroup' }, { id: ids.app, type: 'AppInstance' }]),
    event(3, 'application.lifecycle.update', [{ id: ids.app, type: 'AppInstance' }]),
  ];

  it('Okta-shaped ids are read as one path segment or one literal', async () => {
    await fc.assert(
      fc.asyncProperty(oktaId('00u'), oktaId('00g'), oktaId('0oa'), async (user, group, app) => {
        const ids = { user, group, app };
        const log = await hostileLog(events(ids));
        try {
          const { changes, error } = await stream(log.origin);
          expect(error).toBeUndefined();
          expect(changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id))).toEqual([user]);
          expectConfined(log.urls, ids);
          expect(log.urls.some((u) => u.pathname === `/api/v1/groups/${group}/users`)).toBe(true);
          expect(log.urls.some((u) => u.pathname === `/api/v1/apps/${app}/users`)).toBe(true);
          tried.logIds++;
        } finally {
          await log.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('hostile ids never lead a request anywhere else (dot segments included), and never stop the stream', async () => {
    const dots = fc.constantFrom('.', '..', '../..', './', '..%2f', '%2e%2e');
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileId, dots), fc.oneof(hostileId, dots), fc.oneof(hostileId, dots), async (user, group, app) => {
        const ids = { user, group, app };
        const log = await hostileLog(events(ids));
        try {
          const { changes, error } = await stream(log.origin);
          expect(error).toBeUndefined();
          for (const c of changes) expect(c.type === 'upsert' ? c.identity.id : c.id).toBe(user);
          expectConfined(log.urls, ids);
          tried.logIds++;
        } finally {
          await log.close();
        }
      }),
      { numRuns: 60, examples: [['..', '..', '..'], ['.', '.', '.'], ['00u1', '..', '../..']] },
    );
  });

  it('an event whose id holds a control character does not wedge the stream: the events after it are delivered', async () => {
    const good = '00uGOOD1234567';
    const log = await hostileLog([event(1, 'user.lifecycle.suspend', [{ id: '00u1\u0000" or user.id sw "', type: 'User' }]), event(2, 'user.lifecycle.suspend', [{ id: good, type: 'User' }])]);
    try {
      const { changes, error } = await stream(log.origin);
      expect(error).toBeUndefined();
      expect(changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id))).toEqual([good]);
      tried.logIds++;
    } finally {
      await log.close();
    }
  });
});
