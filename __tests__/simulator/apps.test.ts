import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quote } from '../../src/okta/query.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { all, get, getJson, q } from './helpers.js';

type App = { id: string; name: string; label: string; status: string; _embedded?: { user: AppUser } };
type AppUser = { id: string; scope: string; externalId?: string | null; credentials: { userName: string }; profile: Record<string, unknown>; _embedded?: { user: { id: string; profile: { login: string } } } };

describe('apps and app users', () => {
  const sim = new OktaSimulator({ users: 300, apps: 9, rateLimits: { limits: { apps: 1e6 } } });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  const groupApp = () => sim.org.apps.find((a) => a.groupIds.length > 0)!;
  const viaGroupOnly = () => {
    const app = groupApp();
    return sim.org.appUsers(app.id).find((au) => !au.direct)!;
  };

  it('lists every app, INACTIVE included, and filters by name, status and id', async () => {
    const slack = sim.org.apps.filter((a) => a.name === 'slack');
    expect(slack).toHaveLength(2);
    expect((await all<App>(sim, `/api/v1/apps?filter=${q('name eq "slack"')}`)).map((a) => a.label)).toEqual(slack.map((a) => a.label));
    const inactive = sim.org.apps[4]!;
    sim.deactivateApp(inactive.id);
    const listed = await all<App>(sim, '/api/v1/apps');
    expect(listed.map((a) => a.id)).toEqual(sim.org.apps.map((a) => a.id));
    expect(listed.find((a) => a.id === inactive.id)?.status).toBe('INACTIVE');
    expect((await all<App>(sim, `/api/v1/apps?filter=${q('status eq "INACTIVE"')}`)).map((a) => a.id)).toEqual([inactive.id]);
    expect((await all<App>(sim, `/api/v1/apps?filter=${q(`id eq "${inactive.id}" or name eq "github"`)}`)).map((a) => a.name).sort()).toEqual(['github', inactive.name].sort());
    sim.activateApp(inactive.id);
  });

  it('filters apps by user.id: direct and group assignments alike', async () => {
    const au = viaGroupOnly();
    const expected = sim.identity(au.userId)!.accounts.map((a) => a.appId);
    expect(expected).toContain(groupApp().id);
    const found = await all<App>(sim, `/api/v1/apps?filter=${q(`user.id eq "${au.userId}"`)}`);
    expect(found.map((a) => a.id)).toEqual(expected);
    expect(found.some((a) => a._embedded)).toBe(false);
  });

  it('filters apps by group.id', async () => {
    const app = groupApp();
    const groupId = app.groupIds[0]!;
    const expected = sim.org.apps.filter((a) => a.groups.has(groupId)).map((a) => a.id);
    expect((await all<App>(sim, `/api/v1/apps?filter=${q(`group.id eq "${groupId}"`)}`)).map((a) => a.id)).toEqual(expected);
  });

  it('embeds the user’s app user with expand=user/{id} and the matching user.id filter', async () => {
    const au = viaGroupOnly();
    const found = await all<App>(sim, `/api/v1/apps?filter=${q(`user.id eq "${au.userId}"`)}&expand=${encodeURIComponent(`user/${au.userId}`)}`);
    const accounts = sim.identity(au.userId)!.accounts;
    expect(found).toHaveLength(accounts.length);
    for (const [i, app] of found.entries()) {
      const account = accounts[i]!;
      expect(app._embedded?.user.id).toBe(au.userId);
      expect(app._embedded?.user.credentials.userName).toBe(account.userName);
      expect(app._embedded?.user.scope).toBe(account.scope);
    }
    expect(found.find((a) => a.id === groupApp().id)?._embedded?.user.scope).toBe('GROUP');
  });

  it('refuses expand=user/{id} without the matching filter', async () => {
    const [a, b] = sim.org.users;
    for (const path of [`/api/v1/apps?expand=user/${a!.id}`, `/api/v1/apps?filter=${q(`user.id eq "${b!.id}"`)}&expand=user/${a!.id}`, `/api/v1/apps?expand=group`]) {
      const res = await get(sim, path);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000001');
    }
  });

  it('matches q against the start of an app’s name or label', async () => {
    expect((await all<App>(sim, '/api/v1/apps?q=SLA')).map((a) => a.name)).toEqual(['slack', 'slack']);
    expect((await all<App>(sim, '/api/v1/apps?q=micro')).map((a) => a.name)).toEqual(['office365']);
    expect(await all<App>(sim, '/api/v1/apps?q=crosoft')).toEqual([]);
  });

  it('gets one app, with its user embedded on request, and 404s unknown apps', async () => {
    const app = groupApp();
    const au = sim.org.appUsers(app.id)[0]!;
    const plain = (await getJson<App>(sim, `/api/v1/apps/${app.id}`)).body;
    expect(plain.label).toBe(app.label);
    expect(plain._embedded).toBeUndefined();
    expect((await getJson<App>(sim, `/api/v1/apps/${app.id}?expand=user/${au.userId}`)).body._embedded?.user.credentials.userName).toBe(au.userName);
    expect((await get(sim, '/api/v1/apps/0oanope')).status).toBe(404);
  });

  it('lists an app’s users by user id, with scope, userName, externalId as the app provisions', async () => {
    for (const app of sim.org.apps) {
      const listed = await all<AppUser>(sim, `/api/v1/apps/${app.id}/users?limit=7`);
      const expected = sim.org.appUsers(app.id);
      expect(listed.map((u) => u.id)).toEqual(expected.map((u) => u.userId));
      for (const [i, u] of listed.entries()) {
        const e = expected[i]!;
        expect(u.scope).toBe(e.direct ? 'USER' : 'GROUP');
        expect(u.credentials.userName).toBe(e.userName);
        if (app.provisioned) expect(u.externalId).toBe(e.externalId);
        else if (app.externalIdStyle === 'null') expect(u).toHaveProperty('externalId', null);
        else expect(u).not.toHaveProperty('externalId');
      }
    }
  });

  it('matches app users with q on userName, first name, last name or email, and embeds users with expand=user', async () => {
    const app = sim.org.apps.find((a) => a.name === 'github')!;
    const target = sim.org.appUsers(app.id)[3]!;
    const prefix = target.userName.slice(0, 4).toUpperCase();
    const found = await all<AppUser>(sim, `/api/v1/apps/${app.id}/users?q=${encodeURIComponent(prefix)}&expand=user`);
    const expected = sim.org.appUsers(app.id).filter((au) => {
      const u = sim.org.user(au.userId)!;
      return [au.userName, u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => (v ?? '').toLowerCase().startsWith(prefix.toLowerCase()));
    });
    expect(found.map((u) => u.id)).toEqual(expected.map((e) => e.userId));
    expect(found.map((u) => u.id)).toContain(target.userId);
    for (const u of found) expect(u._embedded?.user.id).toBe(u.id);
    expect(found[0]?._embedded?.user.profile.login).toBe(sim.org.user(found[0]!.id)!.profile.login);
  });

  it('gets one app user, and 404s a user without an assignment', async () => {
    const app = sim.org.apps[2]!;
    const au = sim.org.appUsers(app.id)[0]!;
    const one = (await getJson<AppUser>(sim, `/api/v1/apps/${app.id}/users/${au.userId}`)).body;
    expect(one.credentials.userName).toBe(au.userName);
    const outsider = sim.org.users.find((u) => !app.appUsers.has(u.id))!;
    const res = await get(sim, `/api/v1/apps/${app.id}/users/${outsider.id}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000007');
  });

  it('lists an app’s group assignments', async () => {
    const app = groupApp();
    const listed = await all<{ id: string; priority: number }>(sim, `/api/v1/apps/${app.id}/groups`);
    expect(listed.map((g) => g.id)).toEqual([...app.groupIds]);
    expect(await all(sim, `/api/v1/apps/${sim.org.apps[1]!.id}/groups`)).toEqual([]);
  });

  it('accepts quoted literals in apps filters', async () => {
    expect(await all<App>(sim, `/api/v1/apps?filter=${q(`name eq ${quote('slack" or name eq "github')}`)}`)).toEqual([]);
    const res = await get(sim, `/api/v1/apps?filter=${q('label eq "Slack"')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000031');
  });
});

describe('groups', () => {
  const sim = new OktaSimulator({ users: 500, groups: 12, rateLimits: { limits: { groups: 1e6 } } });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('lists groups and their members (DEPROVISIONED included), and 404s unknown groups', async () => {
    const groups = await all<{ id: string; profile: { name: string } }>(sim, '/api/v1/groups?limit=5');
    expect(groups.map((g) => g.id)).toEqual(sim.org.groups.map((g) => g.id));
    for (const g of sim.org.groups) {
      const members = await all<{ id: string; status: string }>(sim, `/api/v1/groups/${g.id}/users?limit=40`);
      expect(members.map((m) => m.id)).toEqual([...g.memberIds]);
    }
    const withDeprovisioned = sim.org.groups.some((g) => g.memberIds.some((id) => sim.org.user(id)!.status === 'DEPROVISIONED'));
    expect(withDeprovisioned).toBe(true);
    expect((await get(sim, '/api/v1/groups/00gnope/users')).status).toBe(404);
    expect((await getJson<{ profile: { name: string } }>(sim, `/api/v1/groups/${sim.org.groups[0]!.id}`)).body.profile.name).toBe('Engineering');
  });

  it('filters groups by q (name prefix) and by expression', async () => {
    expect((await all<{ profile: { name: string } }>(sim, '/api/v1/groups?q=s')).map((g) => g.profile.name)).toEqual(sim.org.groups.filter((g) => g.name.toLowerCase().startsWith('s')).map((g) => g.name));
    const id = sim.org.groups[3]!.id;
    expect((await all<{ id: string }>(sim, `/api/v1/groups?filter=${q(`id eq "${id}"`)}`)).map((g) => g.id)).toEqual([id]);
  });
});
