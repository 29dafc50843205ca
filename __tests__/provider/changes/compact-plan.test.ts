import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { StreamMemory } from '../../../src/provider/changes/memory.js';
import { tailWork } from '../../../src/provider/changes/builder.js';
import { planWork, type PlacedEffect, type WorkEnv } from '../../../src/provider/changes/work.js';
import { refreshPerson } from '../../../src/provider/changes/refresh.js';
import { IdentityStore } from '../../../src/provider/store/store.js';
import { FakeClock } from '../../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';

/**
 * Issue 18, item 2: the plan of a change that reaches every holder of a large app (or everyone)
 * keeps per person only what differs from the index, as the full sync keeps only what its index
 * needs; the org read by a stream with no index is delivered from the store, by id.
 */
const server = useMswServer();

const person = (n: number, status = 'ACTIVE') => ({ id: `00u${n}`, login: `u${n}@example.com`, email: `u${n}@example.com`, displayName: `User ${n}`, status });
const oktaUser = (n: number, status = 'ACTIVE') => ({ id: `00u${n}`, status, profile: { login: `u${n}@example.com`, email: `u${n}@example.com`, displayName: `User ${n}`, costCenter: 'x'.repeat(200) } });
const appUser = (n: number, userName = `name${n}`) => ({ id: `00u${n}`, scope: 'USER', status: 'ACTIVE', externalId: null, credentials: { userName }, _embedded: { user: oktaUser(n) } });
const PEOPLE = 40;

function setup(): { ctx: { client: OktaClient; warn: () => void }; store: IdentityStore; env: WorkEnv } {
  const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN }), { clock: new FakeClock(), random: () => 0.5 });
  const store = new IdentityStore();
  for (let n = 0; n < PEOPLE; n++) {
    store.addPerson(person(n));
    store.addAccount(`00u${n}`, { appId: '0oaA', appName: 'app_a', appLabel: 'Old label', userName: `name${n}`, externalId: null, scope: 'USER', status: 'ACTIVE' });
  }
  const env: WorkEnv = { store: () => store, fullRead: () => Promise.resolve(undefined), memory: new StreamMemory() };
  return { ctx: { client, warn: () => undefined }, store, env };
}

const relabel: PlacedEffect = { index: 0, published: Number.NaN, effect: { reach: 'app', apps: ['0oaA'], change: 'update', groups: [] } };

describe('the plan of an app-wide change on a synced index', () => {
  it('keeps of each unchanged holder its id alone (a tail of ids sharing one event list), reads no users; the delivered identity carries the new label', async () => {
    const { ctx, store, env } = setup();
    // Holder 1's userName changed; every other holder is as the index has them.
    const list = Array.from({ length: PEOPLE }, (_, n) => appUser(n, n === 1 ? 'renamed' : `name${n}`));
    const expand: Array<string | null> = [];
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, ({ request }) => {
        expand.push(new URL(request.url).searchParams.get('expand'));
        return HttpResponse.json(list, { headers: okHeaders() });
      }),
      http.get(`${ORIGIN}/api/v1/apps/0oaA`, () => HttpResponse.json({ id: '0oaA', name: 'app_a', label: 'New label', status: 'ACTIVE' }, { headers: okHeaders() })),
    );
    const plan = await planWork(ctx, [relabel], env);
    // The accounts alone, as the full sync reads them: the index holds the people.
    expect(expand).toEqual([null]);
    expect(plan.people.map((p) => p.id)).toEqual(['00u1']);
    expect(plan.tail).toMatchObject({ patch: {}, events: [0], holds: [] });
    expect([...plan.tail!.ids].sort()).toEqual(list.map((u) => u.id).filter((id) => id !== '00u1').sort());
    // The holder whose account changed keeps the app user, without a user (the index holds the person).
    const changed = plan.people[0]!;
    expect(changed.accounts.get('0oaA')).toEqual({ id: '00u1', scope: 'USER', status: 'ACTIVE', externalId: null, credentials: { userName: 'renamed' } });
    expect(changed.user).toBeUndefined();

    const [first] = tailWork(plan.tail!);
    expect(first).toMatchObject({ how: 'patch', always: true, events: [0], holds: [] });
    const refreshed = await refreshPerson(ctx, first!, store, plan.apps);
    expect(refreshed).toMatchObject({ kind: 'found', identity: expect.objectContaining({ accounts: [expect.objectContaining({ appLabel: 'New label', userName: first!.id.replace('00u', 'name') })] }) });
    const renamed = await refreshPerson(ctx, changed, store, plan.apps);
    expect(renamed).toMatchObject({ kind: 'found', identity: expect.objectContaining({ accounts: [expect.objectContaining({ appLabel: 'New label', userName: 'renamed' })] }) });
    await ctx.client.close();
  });

  it('plans an unchanged holder with the rest when another event of the page reaches them too', async () => {
    const { ctx, env } = setup();
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, () => HttpResponse.json(Array.from({ length: PEOPLE }, (_, n) => appUser(n)), { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/apps/0oaA`, () => HttpResponse.json({ id: '0oaA', name: 'app_a', label: 'New label', status: 'ACTIVE' }, { headers: okHeaders() })),
    );
    const plan = await planWork(ctx, [relabel, { index: 1, published: Number.NaN, effect: { reach: 'status', users: ['00u5'] } }], env);
    expect(plan.people.map((p) => p.id)).toEqual(['00u5']);
    expect(plan.people[0]).toMatchObject({ events: [0, 1], always: true, user: 'read' });
    expect(plan.tail!.ids.size).toBe(PEOPLE - 1);
    expect([...plan.tail!.ids]).not.toContain('00u5');
    await ctx.client.close();
  });

  it('a holder the app no longer lists loses the account', async () => {
    const { ctx, env } = setup();
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, () => HttpResponse.json([appUser(0)], { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/apps/0oaA`, () => HttpResponse.json({ id: '0oaA', name: 'app_a', label: 'Old label', status: 'ACTIVE' }, { headers: okHeaders() })),
    );
    const plan = await planWork(ctx, [{ ...relabel, effect: { reach: 'app', apps: ['0oaA'], change: 'assignment', groups: [] } }], env);
    expect(plan.people.find((p) => p.id === '00u0')!.accounts.size).toBe(0);
    for (const p of plan.people.filter((p) => p.id !== '00u0')) expect(p.accounts.get('0oaA')).toBeNull();
    await ctx.client.close();
  });
});

describe('the plan of a mass password expiry on a synced index', () => {
  it('keeps of the people who took one new status alone their ids (a tail); another status or a profile change is planned per person', async () => {
    const { ctx, store, env } = setup();
    const status = (n: number): string => (n === 0 ? 'ACTIVE' : n === 7 ? 'LOCKED_OUT' : 'PASSWORD_EXPIRED');
    const users = Array.from({ length: PEOPLE }, (_, n) => oktaUser(n, status(n)));
    users[9]!.profile.displayName = 'Renamed';
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json(users, { headers: okHeaders() })));
    const plan = await planWork(ctx, [{ index: 0, published: Number.NaN, effect: { reach: 'everyone', users: [] } }], env);
    expect(plan.people.map((p) => p.id).sort()).toEqual(['00u7', '00u9']);
    expect(plan.people.find((p) => p.id === '00u7')).toMatchObject({ status: 'LOCKED_OUT', user: undefined });
    expect(plan.people.find((p) => p.id === '00u9')!.user).toMatchObject({ profile: { displayName: 'Renamed' } });
    expect(plan.tail).toMatchObject({ patch: { status: 'PASSWORD_EXPIRED' }, events: [0], holds: [] });
    expect([...plan.tail!.ids].sort()).toEqual(users.map((u) => u.id).filter((id) => !['00u0', '00u7', '00u9'].includes(id)).sort());
    const [first] = tailWork(plan.tail!);
    expect(await refreshPerson(ctx, first!, store, plan.apps)).toMatchObject({ kind: 'found', identity: expect.objectContaining({ id: first!.id, status: 'PASSWORD_EXPIRED', displayName: `User ${first!.id.slice(3)}` }) });
    await ctx.client.close();
  });
});

describe('the plan of a stream with no index that reads the org', () => {
  it('names the people it did not reach by id only, each delivered from the store', async () => {
    const { ctx, store } = setup();
    const memory = new StreamMemory();
    memory.apps = 1;
    const env: WorkEnv = { store: () => undefined, fullRead: () => Promise.resolve(store), memory };
    const plan = await planWork(ctx, [{ index: 0, published: Number.NaN, effect: { reach: 'person', users: ['00u3', '00u4'] } }, { index: 1, published: Number.NaN, effect: { reach: 'everyone', users: [] } }], env);
    expect(plan.people.map((p) => p.id)).toEqual(['00u3', '00u4']);
    expect(plan.tail!.ids.size).toBe(PEOPLE - 2);
    expect([...plan.tail!.ids]).not.toContain('00u3');
    expect(plan.tail!.holds).toEqual([0, 1]);
    expect(store.undelivered!.size).toBe(PEOPLE);
    await ctx.client.close();
  });

  it('has the full read count the holders of a relabelled app (reading it first): none is listed with its user or planned one by one, yet each is delivered with the event', async () => {
    const { ctx, store } = setup();
    const memory = new StreamMemory();
    memory.apps = 1;
    const listed: string[] = [];
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, ({ request }) => {
        listed.push(new URL(request.url).searchParams.get('expand') ?? 'none');
        return HttpResponse.json(Array.from({ length: PEOPLE }, (_, n) => appUser(n)), { headers: okHeaders() });
      }),
    );
    let readWhole = 0;
    const env: WorkEnv = {
      store: () => undefined,
      // The full read reads the app first and finds its PEOPLE accounts.
      fullRead: (_signal, limits) => ((readWhole = limits?.first?.appId === '0oaA' ? limits.first.budget(PEOPLE) : -1), Promise.resolve(store)),
      memory,
    };
    // One person of the org holds no account in the app: the change does not name them.
    store.addPerson(person(500));
    const plan = await planWork(ctx, [relabel], env);
    // The planner lists nothing of the app: its pages are read once, by the full read.
    expect(listed).toEqual([]);
    // The budget of the full read: one request per holder, as reading each would cost.
    expect(readWhole).toBe(PEOPLE);
    expect(plan.people).toHaveLength(0);
    expect(plan.tail!.ids.size).toBe(PEOPLE + 1);
    const named = plan.tail!.named!;
    const isNamed = (id: string): boolean => named.ids.has(id) !== (named.except === true);
    expect([...plan.tail!.ids].filter(isNamed)).toHaveLength(PEOPLE);
    expect(isNamed('00u500')).toBe(false);
    // Named by the one they did not reach: no set of every holder's id.
    expect(named.ids.size).toBe(1);
    expect(named.events).toEqual([0]);
    expect(named.holds).toEqual([]);
    await ctx.client.close();
  });

  it('lists by id the holders an account change of an unnamed person reaches; one listed but gone from the org read since is delivered as gone', async () => {
    const { ctx, store } = setup();
    const memory = new StreamMemory();
    memory.apps = 1;
    server.use(http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, () => HttpResponse.json([...Array.from({ length: PEOPLE }, (_, n) => appUser(n)), appUser(99)], { headers: okHeaders() })));
    const env: WorkEnv = { store: () => undefined, fullRead: () => Promise.resolve(store), memory };
    const plan = await planWork(ctx, [{ ...relabel, effect: { reach: 'app', apps: ['0oaA'], change: 'unnamed-account', groups: [] } }], env);
    expect(plan.people).toHaveLength(1);
    expect(plan.people[0]).toMatchObject({ id: '00u99', events: [0] });
    expect(plan.tail!.named!.ids.size).toBe(PEOPLE);
    await ctx.client.close();
  });

  it('plans the counted holders one by one when the org is not read whole: more apps than holders stops the full read at the app', async () => {
    const { ctx } = setup();
    const memory = new StreamMemory();
    memory.apps = PEOPLE;
    server.use(http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, () => HttpResponse.json(Array.from({ length: PEOPLE }, (_, n) => appUser(n)), { headers: okHeaders() })));
    let budget = -1;
    const env: WorkEnv = { store: () => undefined, fullRead: (_signal, limits) => ((budget = limits!.first!.budget(PEOPLE)), Promise.resolve(undefined)), memory };
    const plan = await planWork(ctx, [relabel], env);
    // Forty holders to read one by one, forty apps to read at least once each: the read stops.
    expect(budget).toBe(0);
    expect(memory.fullReadAbove).toBe(PEOPLE);
    expect(plan.tail).toBeUndefined();
    expect(plan.people).toHaveLength(PEOPLE);
    expect(plan.people.every((p) => p.how === 'fetch' && p.events.length === 1)).toBe(true);
    // Forty people: each keeps the user the list embedded (its read is saved).
    expect(plan.people.every((p) => typeof p.user === 'object')).toBe(true);
    await ctx.client.close();
  });
});
