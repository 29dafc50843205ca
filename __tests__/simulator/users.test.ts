import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quote } from '../../src/okta/query.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { all, get, getJson, nextLink, q } from './helpers.js';

type User = { id: string; status: string; lastUpdated: string; profile: Record<string, string | null> };

describe('users', () => {
  const sim = new OktaSimulator({ users: 400, rateLimits: { limits: { users: 1e6, user: 1e6 } } });
  const hostile = 'x" or profile.login sw "';
  beforeAll(async () => {
    sim.createUser({ firstName: 'Hostile', lastName: 'Literal', login: hostile, email: 'hostile@example.com' });
    sim.createUser({ firstName: 'Plain', lastName: 'X', login: 'x@example.com' });
    await sim.start();
  });
  afterAll(() => sim.stop());

  const ids = (users: Array<{ id: string }>): string[] => users.map((u) => u.id);
  const where = (pred: (u: (typeof sim.org.users)[number]) => boolean): string[] => sim.org.users.filter(pred).map((u) => u.id);

  it('leaves DEPROVISIONED users out of the plain list', async () => {
    const listed = await all<User>(sim, '/api/v1/users?limit=200');
    expect(ids(listed)).toEqual(where((u) => u.status !== 'DEPROVISIONED'));
    expect(where((u) => u.status === 'DEPROVISIONED').length).toBeGreaterThan(0);
  });

  it('includes DEPROVISIONED users through filter and search', async () => {
    const deprovisioned = where((u) => u.status === 'DEPROVISIONED');
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q('status eq "DEPROVISIONED"')}`))).toEqual(deprovisioned);
    expect(ids(await all<User>(sim, `/api/v1/users?search=${q('status eq "DEPROVISIONED"')}`))).toEqual(deprovisioned);
    const everyone = await all<User>(sim, `/api/v1/users?limit=200&search=${q('id pr')}`);
    expect(ids(everyone)).toEqual(where(() => true));
  });

  it('filters by status, id, login (case-insensitive) and lastUpdated, with and/or and parentheses', async () => {
    const some = sim.org.users[10]!;
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q(`id eq "${some.id}"`)}`))).toEqual([some.id]);
    const login = String(some.profile.login).toUpperCase();
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q(`profile.login eq ${quote(login)}`)}`))).toEqual([some.id]);
    const cut = [...sim.org.users].map((u) => u.lastUpdated).sort((a, b) => a - b)[300]!;
    const ts = new Date(cut).toISOString();
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q(`lastUpdated gt "${ts}"`)}`))).toEqual(where((u) => u.lastUpdated > cut));
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q(`lastUpdated le "${ts}"`)}`))).toEqual(where((u) => u.lastUpdated <= cut));
    const combo = `(status eq "SUSPENDED" or status eq "STAGED") and lastUpdated lt "${ts}"`;
    expect(ids(await all<User>(sim, `/api/v1/users?filter=${q(combo)}`))).toEqual(where((u) => (u.status === 'SUSPENDED' || u.status === 'STAGED') && u.lastUpdated < cut));
  });

  it('matches a hostile literal only literally', async () => {
    const expr = `profile.login eq ${quote(hostile)}`;
    expect(expr).toBe('profile.login eq "x\\" or profile.login sw \\""');
    const found = await all<User>(sim, `/api/v1/users?filter=${q(expr)}`);
    expect(found.map((u) => u.profile.login)).toEqual([hostile]);
    const searched = await all<User>(sim, `/api/v1/users?search=${q(expr)}`);
    expect(searched.map((u) => u.profile.login)).toEqual([hostile]);
  });

  it('searches any profile attribute with sw, co and case-insensitive eq', async () => {
    const dept = sim.org.users.find((u) => u.profile.department)!.profile.department!;
    expect(ids(await all<User>(sim, `/api/v1/users?search=${q(`profile.department eq "${dept.toUpperCase()}"`)}`))).toEqual(where((u) => u.profile.department === dept));
    expect(ids(await all<User>(sim, `/api/v1/users?search=${q('profile.lastName sw "tu"')}`))).toEqual(where((u) => (u.profile.lastName ?? '').toLowerCase().startsWith('tu')));
    expect(ids(await all<User>(sim, `/api/v1/users?search=${q('profile.email co "CORP."')}`))).toEqual(where((u) => (u.profile.email ?? '').includes('corp.')));
    expect(ids(await all<User>(sim, `/api/v1/users?search=${q('profile.displayName pr and status ne "ACTIVE"')}`))).toEqual(where((u) => !!u.profile.displayName && u.status !== 'ACTIVE'));
  });

  it('matches q against the start of first name, last name or email, excluding DEPROVISIONED, 10 by default', async () => {
    const term = 'jo';
    const expected = where((u) => u.status !== 'DEPROVISIONED' && [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => (v ?? '').toLowerCase().startsWith(term)));
    expect(expected.length).toBeGreaterThan(10);
    const first = await getJson<User[]>(sim, '/api/v1/users?q=JO');
    expect(ids(first.body)).toEqual(expected.slice(0, 10));
    expect(nextLink(first.res)).not.toBeNull();
    expect(ids(await all<User>(sim, '/api/v1/users?q=Jo&limit=200'))).toEqual(expected);
    const dep = sim.org.users.find((u) => u.status === 'DEPROVISIONED' && u.profile.firstName)!;
    expect(ids(await all<User>(sim, `/api/v1/users?q=${encodeURIComponent(dep.profile.firstName!)}&limit=200`))).not.toContain(dep.id);
  });

  it('answers 400 E0000031 to malformed or unsupported expressions', async () => {
    for (const path of [
      `/api/v1/users?filter=${q('status eq')}`,
      `/api/v1/users?filter=${q('status eq "ACTIVE" and')}`,
      `/api/v1/users?filter=${q('profile.firstName sw "A"')}`,
      `/api/v1/users?filter=${q('lastUpdated gt "last week"')}`,
      `/api/v1/users?search=${q('profile.login eq "unterminated')}`,
      `/api/v1/users?search=${q('(status eq "ACTIVE"')}`,
    ]) {
      const res = await get(sim, path);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errorCode: string; errorSummary: string; errorCauses: unknown[] };
      expect(body.errorCode).toBe('E0000031');
      expect(body.errorCauses.length).toBe(1);
    }
  });

  it('gets one user by id or by login, DEPROVISIONED included, and 404s unknown ones', async () => {
    const dep = sim.org.users.find((u) => u.status === 'DEPROVISIONED')!;
    expect((await getJson<User>(sim, `/api/v1/users/${dep.id}`)).body.status).toBe('DEPROVISIONED');
    const byLogin = await getJson<User>(sim, `/api/v1/users/${encodeURIComponent(String(dep.profile.login))}`);
    expect(byLogin.body.id).toBe(dep.id);
    expect((await getJson<User>(sim, `/api/v1/users/${encodeURIComponent(hostile)}`)).body.profile.login).toBe(hostile);
    const missing = await get(sim, '/api/v1/users/00u000000000000nope1');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorSummary: string }).errorSummary).toBe('Not found: Resource not found: 00u000000000000nope1 (User)');
  });

  it('lists one app link per active app a user is assigned to', async () => {
    const user = sim.org.users.find((u) => sim.identity(u.id)!.accounts.length >= 2)!;
    const links = (await getJson<Array<Record<string, unknown>>>(sim, `/api/v1/users/${user.id}/appLinks`)).body;
    const accounts = sim.identity(user.id)!.accounts;
    expect(links.map((l) => l.appInstanceId)).toEqual(accounts.map((a) => a.appId));
    expect(links.map((l) => l.label)).toEqual(accounts.map((a) => a.appLabel));
    expect(links.map((l) => l.appName)).toEqual(accounts.map((a) => a.appName));
    for (const l of links) expect(l.appAssignmentId).toMatch(/^0ua/);
    sim.deactivateApp(accounts[0]!.appId);
    const after = (await getJson<Array<Record<string, unknown>>>(sim, `/api/v1/users/${user.id}/appLinks`)).body;
    expect(after.map((l) => l.appInstanceId)).toEqual(accounts.slice(1).map((a) => a.appId));
    sim.activateApp(accounts[0]!.appId);
    expect((await get(sim, '/api/v1/users/00unope/appLinks')).status).toBe(404);
  });
});
