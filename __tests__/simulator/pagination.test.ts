import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get, getJson, nextLink, pages, q, rawGet, selfLink } from './helpers.js';
import { maxOf } from './okta-facts.js';

type Item = { id: string };

describe('pagination', () => {
  const unlimited = { users: 1e6, user: 1e6, apps: 1e6, groups: 1e6 };
  const sim = new OktaSimulator({ users: 1_300, apps: 4, groups: 3, appUsersPerApp: 700, rateLimits: { limits: unlimited } });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  const app = (): string => sim.org.apps[0]!.id;
  const bigGroup = (): string => [...sim.org.groups].sort((a, b) => b.memberIds.length - a.memberIds.length)[0]!.id;

  const lists: Array<[string, () => string, () => readonly string[]]> = [
    ['users', () => '/api/v1/users', () => sim.org.users.filter((u) => u.status !== 'DEPROVISIONED').map((u) => u.id)],
    ['groups', () => '/api/v1/groups', () => sim.org.groups.map((g) => g.id)],
    ['group members', () => `/api/v1/groups/${bigGroup()}/users`, () => sim.org.groupMembers(bigGroup())],
    ['apps', () => '/api/v1/apps', () => sim.org.apps.map((a) => a.id)],
    ['app users', () => `/api/v1/apps/${app()}/users`, () => sim.org.appUsers(app()).map((au) => au.userId)],
    ['app groups', () => `/api/v1/apps/${app()}/groups`, () => [...sim.org.app(app())!.groupIds]],
  ];

  it.each(lists)('walks every %s exactly once, in id order, with opaque cursors', async (_name, path, expected) => {
    const all = await pages<Item>(sim, `${path()}?limit=2`);
    const ids = all.flatMap((p) => p.items.map((i) => i.id));
    expect(ids).toEqual(expected());
    expect(ids.length).toBeGreaterThan(0);
    for (const [i, page] of all.entries()) {
      const next = nextLink(page.res);
      expect(next === null).toBe(i === all.length - 1);
      if (next === null) continue;
      const url = new URL(next);
      expect(url.origin).toBe(sim.baseUrl);
      expect(url.pathname).toBe(path());
      expect(url.searchParams.get('limit')).toBe('2');
      const after = url.searchParams.get('after')!;
      const last = page.items[page.items.length - 1]!.id;
      expect(after).not.toBe(last);
      expect(after).not.toContain(last);
      expect(after).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  describe('page-size caps', () => {
    // Every list longer than its cap: 210 apps and groups, a group of 1,100 members, an app
    // with 600 users and one with 205 groups. (Okta's group list caps at 10,000: groups.test.ts.)
    const big = new OktaSimulator({ users: 1_300, apps: 210, groups: 210, appUsersPerApp: 20, rateLimits: { limits: unlimited } });
    const app = big.org.apps[1]!;
    const group = big.org.groups[0]!;
    beforeAll(async () => {
      for (const u of big.org.users) {
        if (group.memberIds.length >= 1_100) break;
        if (!group.members.has(u.id)) big.addUserToGroup(group.id, u.id);
        if (!app.appUsers.has(u.id) && app.appUserIds.length < 600) big.assignUserToApp(app.id, u.id);
      }
      for (const g of big.org.groups.slice(0, 205)) if (!app.groups.has(g.id)) big.assignGroupToApp(app.id, g.id);
      await big.start();
    });
    afterAll(() => big.stop());

    it.each([
      ['/api/v1/users', maxOf('listUsers')],
      [`/api/v1/groups/${group.id}/users`, maxOf('listGroupUsers')],
      ['/api/v1/apps', maxOf('listApplications')],
      [`/api/v1/apps/${app.id}/users`, maxOf('listApplicationUsers')],
      [`/api/v1/apps/${app.id}/groups`, maxOf('listApplicationGroupAssignments')],
      ['/api/v1/logs', maxOf('listLogEvents')],
    ])('caps %s at %i', async (path, max) => {
      const { body, res } = await getJson<Item[]>(big, `${path}?limit=${max * 5}`);
      expect(body).toHaveLength(max);
      expect(nextLink(res)).not.toBeNull();
    });
  });

  it('uses Okta default page sizes', async () => {
    expect((await getJson<Item[]>(sim, '/api/v1/users')).body).toHaveLength(200);
    expect((await getJson<Item[]>(sim, `/api/v1/apps/${app()}/users`)).body).toHaveLength(50);
    expect((await getJson<Item[]>(sim, '/api/v1/users?q=a')).body.length).toBeLessThanOrEqual(10);
  });

  it('keeps other query parameters in the next link and the exact request in the self link', async () => {
    const path = `/api/v1/users?limit=3&filter=${q('status eq "ACTIVE"')}`;
    const { res } = await getJson(sim, path);
    expect(selfLink(res)).toBe(`${sim.baseUrl}${path}`);
    const next = new URL(nextLink(res)!);
    expect(next.searchParams.get('filter')).toBe('status eq "ACTIVE"');
    expect(next.searchParams.get('limit')).toBe('3');
    const second = await getJson<Array<{ status: string }>>(sim, next.href);
    expect(second.body.every((u) => u.status === 'ACTIVE')).toBe(true);
  });

  it('sends self and next as separate Link headers, as Okta does', async () => {
    const { rawHeaders } = await rawGet(sim, '/api/v1/users?limit=1');
    const links = rawHeaders.filter((_, i) => i % 2 === 0 && rawHeaders[i]!.toLowerCase() === 'link').map((_, i) => i);
    const values = rawHeaders.flatMap((h, i) => (i % 2 === 0 && h.toLowerCase() === 'link' ? [rawHeaders[i + 1]!] : []));
    expect(links).toHaveLength(2);
    expect(values[0]).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users\?limit=1>; rel="self"$/);
    expect(values[1]).toMatch(/; rel="next"$/);
  });

  it('can send one comma-joined Link header instead', async () => {
    const joined = new OktaSimulator({ users: 5, linkStyle: 'joined' });
    await joined.start();
    try {
      const { rawHeaders } = await rawGet(joined, '/api/v1/users?limit=1');
      const values = rawHeaders.flatMap((h, i) => (i % 2 === 0 && h.toLowerCase() === 'link' ? [rawHeaders[i + 1]!] : []));
      expect(values).toHaveLength(1);
      expect(values[0]).toMatch(/rel="self", <[^>]+>; rel="next"$/);
    } finally {
      await joined.stop();
    }
  });

  it('has only a self link on the last page', async () => {
    const { res } = await getJson(sim, '/api/v1/groups?limit=200');
    expect(selfLink(res)).not.toBeNull();
    expect(nextLink(res)).toBeNull();
  });

  it('rejects bad cursors and limits with 400 E0000001', async () => {
    for (const path of ['/api/v1/users?after=00u000001abc', '/api/v1/users?after=!!', `/api/v1/users?after=${Buffer.from('[1]').toString('base64url')}`, '/api/v1/users?limit=0', '/api/v1/users?limit=ten']) {
      const res = await get(sim, path);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000001');
    }
  });

  it('keeps a cursor valid across inserts and deletes (it holds a position, not an index)', async () => {
    const first = await getJson<Item[]>(sim, '/api/v1/users?limit=5');
    const next = nextLink(first.res)!;
    const seen = first.body.map((u) => u.id);
    // Delete a user already returned: the next page must neither skip nor repeat anyone.
    const victim = seen[1]!;
    if (sim.org.user(victim)!.status !== 'DEPROVISIONED') sim.deactivateUser(victim);
    sim.deleteUser(victim);
    const second = await getJson<Item[]>(sim, next);
    const expected = sim.org.users.filter((u) => u.status !== 'DEPROVISIONED' && u.id > seen[4]!).slice(0, 5).map((u) => u.id);
    expect(second.body.map((u) => u.id)).toEqual(expected);
  });
});
