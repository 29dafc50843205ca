import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get, getJson, q } from './helpers.js';

type Json = Record<string, unknown>;
const fixture = JSON.parse(readFileSync(new URL('../fixtures/okta-examples.json', import.meta.url), 'utf8')) as {
  responses: Record<string, Record<string, Record<string, unknown>>>;
  errors: Record<string, Json>;
};
const example = (path: string, name: string): Json => {
  const value = fixture.responses[path]!['200']![name];
  return (Array.isArray(value) ? value[0] : value) as Json;
};
const keys = (o: unknown): string[] => Object.keys(o as Json).sort();
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (Array.isArray(v) ? v[Number(k)] : (v as Json)[k]), o);

/** Key sets of `ours` and `theirs` at the root and at each of `paths`. */
function expectSameShape(ours: unknown, theirs: unknown, paths: string[] = []): void {
  expect(keys(ours)).toEqual(keys(theirs));
  for (const p of paths) expect([p, keys(at(ours, p))]).toEqual([p, keys(at(theirs, p))]);
}

describe('payloads have the fields of Okta’s examples', () => {
  const sim = new OktaSimulator({ users: 100 });
  beforeAll(async () => {
    await sim.start();
    sim.assignUserToApp(sim.org.apps[2]!.id, sim.org.users.find((u) => !sim.org.apps[2]!.appUsers.has(u.id))!.id);
    sim.noise(1);
  });
  afterAll(() => sim.stop());

  it('user', async () => {
    const user = sim.org.users.find((u) => Object.keys(u.profile).length === 6)!;
    const ours = (await getJson<Json>(sim, `/api/v1/users/${user.id}`)).body;
    expectSameShape(ours, example('/api/v1/users', 'ListUsers'), ['type', 'profile', 'credentials', 'credentials.provider', '_links']);
    const listed = (await getJson<Json[]>(sim, '/api/v1/users?limit=1')).body[0];
    expect(keys(listed)).toEqual(keys(example('/api/v1/users', 'ListUsers')));
    const member = (await getJson<Json[]>(sim, `/api/v1/groups/${sim.org.groups[0]!.id}/users?limit=1`)).body[0];
    expect(keys(member)).toEqual(keys(example('/api/v1/groups/{groupId}/users', 'ListMemberUserResponse')));
  });

  it('app', async () => {
    const ours = (await getJson<Json[]>(sim, '/api/v1/apps')).body[0];
    expectSameShape(ours, example('/api/v1/apps', 'ResponseExample2'), ['accessibility', 'visibility', 'visibility.hide', 'settings', 'settings.notifications', '_links', '_links.appLinks.0', '_links.logo.0']);
  });

  it('app with an embedded app user', async () => {
    const au = sim.org.appUsers(sim.org.apps[0]!.id)[0]!;
    const ours = (await getJson<Json[]>(sim, `/api/v1/apps?filter=${q(`user.id eq "${au.userId}"`)}&expand=user/${au.userId}`)).body[0]!;
    const embedded = at(ours, '_embedded.user') as Json;
    const theirs = at(example('/api/v1/apps', 'ResponseExample1'), 'settings.signOn.assertionEncryption._embedded.user') as Json;
    expect(keys(embedded)).toEqual([...keys(theirs), 'profile'].sort());
  });

  it('app user, with and without expand=user', async () => {
    const app = sim.org.apps.find((a) => a.provisioned)!;
    const au = sim.org.appUsers(app.id)[0]!;
    const theirs = example('/api/v1/apps/{appId}/users', 'ListAppUsersExample');
    const listed = (await getJson<Json[]>(sim, `/api/v1/apps/${app.id}/users?limit=1&expand=user`)).body[0]!;
    expectSameShape(listed, theirs, ['credentials', '_links', '_embedded', '_embedded.user', '_embedded.user.type', '_embedded.user.credentials']);
    for (const k of ['email', 'firstName', 'lastName', 'displayName', 'mobilePhone', 'secondEmail']) expect(listed.profile).toHaveProperty(k);
    const one = (await getJson<Json>(sim, `/api/v1/apps/${app.id}/users/${au.userId}`)).body;
    const single = example('/api/v1/apps/{appId}/users/{userId}', 'GetAppUserExample');
    expect(keys(one)).toEqual(keys(single).filter((k) => k !== '_embedded'));
  });

  it('group and group assignment', async () => {
    const ours = (await getJson<Json[]>(sim, '/api/v1/groups?limit=1')).body[0];
    expectSameShape(ours, example('/api/v1/groups', 'ListGroupsExample'), ['profile', '_links', '_links.logo.0']);
    const app = sim.org.apps.find((a) => a.groupIds.length > 0)!;
    const assignment = (await getJson<Json[]>(sim, `/api/v1/apps/${app.id}/groups`)).body[0];
    const theirs = example('/api/v1/apps/{appId}/groups', 'listGroupAssignmentsResponseExample');
    expect(keys(assignment)).toEqual(keys(theirs).filter((k) => k !== '_embedded'));
    expect(keys((assignment as Json)._links)).toEqual(keys(theirs._links));
  });

  it('app link', async () => {
    const user = sim.org.users.find((u) => sim.identity(u.id)!.accounts.length > 0)!;
    const link = (await getJson<Json[]>(sim, `/api/v1/users/${user.id}/appLinks`)).body[0];
    expect(keys(link)).toEqual(keys(example('/api/v1/users/{id}/appLinks', 'List App Links')));
  });

  it('System Log event', async () => {
    const events = (await getJson<Json[]>(sim, '/api/v1/logs')).body;
    const theirs = example('/api/v1/logs', 'ListLogs');
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events) {
      expectSameShape(e, theirs, ['actor', 'client', 'client.userAgent', 'client.geographicalContext', 'authenticationContext', 'outcome', 'securityContext', 'debugContext', 'transaction', 'request', 'request.ipChain.0', 'target.0']);
    }
  });

  it('errors', async () => {
    const unauthorized = await fetch(`${sim.baseUrl}/api/v1/users`);
    expect(keys(await unauthorized.json())).toEqual(keys(fixture.errors.ErrorInvalidTokenProvided));
    const missing = await get(sim, '/api/v1/users/00unope');
    expect(keys(await missing.json())).toEqual(keys(fixture.errors.ErrorResourceNotFound));
  });
});
