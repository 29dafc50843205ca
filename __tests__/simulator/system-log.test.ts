import { afterEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, RETENTION_MS, type LogEvent, type SimulatorOptions } from '../../src/simulator/index.js';
import { get, getJson, nextLink, q } from './helpers.js';

const START = Date.UTC(2025, 5, 1, 8, 0, 0);
const DAY = 86_400_000;

describe('System Log', () => {
  let sim: OktaSimulator | undefined;
  let now = START;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  async function start(options: SimulatorOptions = {}): Promise<OktaSimulator> {
    now = START;
    sim = new OktaSimulator({ users: 40, now: () => now, rateLimits: { limits: { logs: 1e6 } }, ...options });
    await sim.start();
    return sim;
  }
  const since = (ms: number): string => `since=${encodeURIComponent(new Date(ms).toISOString())}`;
  const types = (events: LogEvent[]): string[] => events.map((e) => e.eventType);

  it('always gives a next link when polling, even on empty pages, and later returns new events', async () => {
    const s = await start();
    const user = s.org.users.find((u) => u.status === 'ACTIVE')!;
    s.suspendUser(user.id);
    now += 1_000;
    const first = await getJson<LogEvent[]>(s, `/api/v1/logs?${since(START)}&sortOrder=ASCENDING`);
    expect(types(first.body)).toEqual(['user.lifecycle.suspend']);
    const next1 = nextLink(first.res);
    expect(next1).not.toBeNull();
    expect(new URL(next1!).searchParams.has('since')).toBe(false);
    expect(new URL(next1!).searchParams.get('sortOrder')).toBe('ASCENDING');

    const empty = await getJson<LogEvent[]>(s, next1!);
    expect(empty.body).toEqual([]);
    const next2 = nextLink(empty.res);
    expect(next2).not.toBeNull();
    expect((await getJson<LogEvent[]>(s, next2!)).body).toEqual([]);

    now += 5_000;
    s.unsuspendUser(user.id);
    const created = s.createUser({ firstName: 'New', lastName: 'Hire', email: 'new.hire@example.com' });
    const third = await getJson<LogEvent[]>(s, next2!);
    expect(types(third.body)).toEqual(['user.lifecycle.unsuspend', 'user.lifecycle.create', 'user.lifecycle.activate']);
    expect(third.body[1]!.target[0]).toMatchObject({ type: 'User', id: created.id, alternateId: 'new.hire@example.com', displayName: 'New Hire' });
    expect(nextLink(third.res)).not.toBeNull();
    expect((await getJson<LogEvent[]>(s, nextLink(third.res)!)).body).toEqual([]);
  });

  it('returns events persisted at or after since, in persistence order, paged by limit', async () => {
    const s = await start();
    s.noise(3);
    now += 10_000;
    const cut = now;
    s.noise(250);
    const page = await getJson<LogEvent[]>(s, `/api/v1/logs?${since(cut)}`);
    expect(page.body).toHaveLength(100);
    const all = s.events.slice(3);
    expect(page.body.map((e) => e.uuid)).toEqual(all.slice(0, 100).map((e) => e.uuid));
    const rest: LogEvent[] = [];
    let url = nextLink(page.res);
    for (let i = 0; i < 5 && url; i++) {
      const p = await getJson<LogEvent[]>(s, url);
      rest.push(...p.body);
      url = p.body.length === 0 ? null : nextLink(p.res);
    }
    expect([...page.body, ...rest].map((e) => e.uuid)).toEqual(all.map((e) => e.uuid));
    expect((await getJson<LogEvent[]>(s, `/api/v1/logs?${since(cut)}&limit=5000`)).body).toHaveLength(250);
    expect(new Set(s.events.map((e) => e.uuid)).size).toBe(253);
  });

  it('filters by eventType eq / sw with or and parentheses', async () => {
    const s = await start();
    const [a, b] = s.org.users.filter((u) => u.status === 'ACTIVE');
    s.noise(5);
    s.suspendUser(a!.id);
    s.deactivateUser(b!.id);
    s.addUserToGroup(s.org.groups.find((g) => !g.members.has(a!.id))!.id, a!.id);
    const fetchTypes = async (expr: string) => types((await getJson<LogEvent[]>(s, `/api/v1/logs?${since(START)}&filter=${q(expr)}`)).body);
    expect(await fetchTypes('eventType eq "user.lifecycle.suspend"')).toEqual(['user.lifecycle.suspend']);
    expect(await fetchTypes('eventType sw "user.lifecycle." or eventType eq "group.user_membership.add"')).toEqual(['user.lifecycle.suspend', 'user.lifecycle.deactivate', 'group.user_membership.add']);
    expect(await fetchTypes(`(eventType sw "user.lifecycle.") and target.id eq "${b!.id}"`)).toEqual(['user.lifecycle.deactivate']);
    expect((await fetchTypes('eventType sw "user.session." or eventType eq "user.authentication.sso" or eventType eq "policy.evaluate_sign_on"')).length).toBe(5);
    for (const bad of ['eventType eq', 'eventType eq "x" or', 'nope eq "x"']) {
      const res = await get(s, `/api/v1/logs?${since(START)}&filter=${q(bad)}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000001');
    }
  });

  it('ends a bounded query (with until) without a next link, selecting and sorting by published', async () => {
    const s = await start();
    s.noise(2);
    now += 60_000;
    const from = now;
    s.noise(7);
    now += 60_000;
    const until = now;
    s.noise(3);
    const path = `/api/v1/logs?${since(from)}&until=${encodeURIComponent(new Date(until).toISOString())}&limit=3`;
    const seen: LogEvent[] = [];
    let url: string | null = path;
    let pagesRead = 0;
    while (url) {
      const p: { body: LogEvent[]; res: Response } = await getJson<LogEvent[]>(s, url);
      seen.push(...p.body);
      url = nextLink(p.res);
      pagesRead++;
    }
    expect(pagesRead).toBe(3);
    expect(seen.map((e) => e.uuid)).toEqual(s.events.slice(2, 9).map((e) => e.uuid));
    const desc = await getJson<LogEvent[]>(s, `${path.replace('limit=3', 'limit=10')}&sortOrder=DESCENDING`);
    expect(desc.body.map((e) => e.uuid)).toEqual(s.events.slice(2, 9).map((e) => e.uuid).reverse());
    expect(nextLink(desc.res)).toBeNull();
  });

  it('persists late events last although they were published earlier', async () => {
    const s = await start({ lateEventRate: 0.5 });
    for (let i = 0; i < 40; i++) {
      now += 1_000;
      s.noise(1);
    }
    const published = s.events.map((e) => Date.parse(e.published));
    const late = published.filter((p, i) => i > 0 && p < published[i - 1]!);
    expect(late.length).toBeGreaterThan(5);
    // A poller gets every event, in persistence order, late ones included.
    const polled = (await getJson<LogEvent[]>(s, `/api/v1/logs?${since(START)}&limit=1000`)).body;
    expect(polled.map((e) => e.uuid)).toEqual(s.events.map((e) => e.uuid));
    // A bounded query sorts by published instead.
    const bounded = (await getJson<LogEvent[]>(s, `/api/v1/logs?since=${encodeURIComponent(new Date(START - DAY).toISOString())}&until=${encodeURIComponent(new Date(now + 1).toISOString())}&limit=1000`)).body;
    const times = bounded.map((e) => Date.parse(e.published));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(bounded.map((e) => e.uuid))).toEqual(new Set(s.events.map((e) => e.uuid)));
  });

  it('repeats the last event of a poll page on the next page with duplicateEventRate', async () => {
    const s = await start({ duplicateEventRate: 1 });
    s.noise(10);
    const seen: LogEvent[] = [];
    let url: string | null = `/api/v1/logs?${since(START)}&limit=4`;
    for (let i = 0; i < 20 && url; i++) {
      const p: { body: LogEvent[]; res: Response } = await getJson<LogEvent[]>(s, url);
      seen.push(...p.body);
      url = p.body.length === 0 ? null : nextLink(p.res);
    }
    const uuids = seen.map((e) => e.uuid);
    expect(uuids.length).toBeGreaterThan(10);
    expect(new Set(uuids).size).toBe(10);
    expect([...new Set(uuids)]).toEqual(s.events.map((e) => e.uuid));
    // Duplicates are the same event, not a copy with a new id.
    expect(seen[3]).toEqual(seen[4]);
  });

  it('refuses since or an after cursor older than the 90-day retention window', async () => {
    const s = await start();
    s.noise(2);
    const old = await get(s, `/api/v1/logs?${since(START - RETENTION_MS - 1_000)}`);
    expect(old.status).toBe(400);
    const body = (await old.json()) as { errorCode: string; errorSummary: string };
    expect(body.errorCode).toBe('E0000001');
    expect(body.errorSummary).toMatch(/retention/);

    const { res } = await getJson<LogEvent[]>(s, `/api/v1/logs?${since(START)}`);
    const cursor = nextLink(res)!;
    // A poller that keeps polling keeps a fresh cursor...
    s.advanceClock(60 * DAY);
    const kept = await getJson<LogEvent[]>(s, cursor);
    s.advanceClock(60 * DAY);
    expect((await get(s, nextLink(kept.res)!)).status).toBe(200);
    // ...but a cursor left for more than 90 days is outside the window.
    const stale = await get(s, cursor);
    expect(stale.status).toBe(400);
    const staleBody = (await stale.json()) as { errorCode: string; errorSummary: string };
    expect(staleBody).toMatchObject({ errorCode: 'E0000001' });
    expect(staleBody.errorSummary).toMatch(/after cursor is outside the 90-day/);
  });

  it('defaults since to the org’s start and validates its parameters', async () => {
    const s = await start();
    s.noise(3);
    expect((await getJson<LogEvent[]>(s, '/api/v1/logs')).body).toHaveLength(3);
    for (const path of ['/api/v1/logs?since=yesterday', '/api/v1/logs?sortOrder=DESCENDING', '/api/v1/logs?sortOrder=UP', '/api/v1/logs?after=bm9wZQ', `/api/v1/logs?${since(START)}&until=2020-01-01T00:00:00Z`]) {
      const res = await get(s, path);
      expect([path, res.status]).toEqual([path, 400]);
    }
  });

  it('gives seeded, unique, uuid-shaped event ids', async () => {
    const a = await start({ seed: 9 });
    a.noise(20);
    const uuids = a.events.map((e) => e.uuid);
    expect(new Set(uuids).size).toBe(20);
    for (const u of uuids) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const b = new OktaSimulator({ seed: 9, users: 40, now: () => START });
    b.noise(20);
    expect(b.events.map((e) => e.uuid)).toEqual(uuids);
  });
});
