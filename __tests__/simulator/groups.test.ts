/**
 * GET /api/v1/groups as Okta's Management API describes it (operationId listGroups): OKTA_GROUP
 * and APP_GROUP payloads, `filter` (id, type, lastUpdated, lastMembershipUpdated only) versus
 * `search` (also source.id, profile.*, created), `q` (no paging, 300 by default), `limit` (at
 * most 10,000, the default too) and `expand=stats|app`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OktaSimulator } from '../../src/simulator/index.js';
import { all, get, getJson, nextLink, q } from './helpers.js';

type Json = Record<string, unknown>;
type GroupJson = { id: string; type: string; objectClass: string[]; profile: Record<string, string>; _links: Record<string, unknown>; _embedded?: Json };
const fixture = JSON.parse(readFileSync(new URL('../fixtures/okta-examples.json', import.meta.url), 'utf8')) as { responses: Record<string, Record<string, Record<string, Json[]>>> };
const examples = fixture.responses['/api/v1/groups']!['200']!['ListGroupsExample']!;
const keys = (o: unknown): string[] => Object.keys(o as Json);

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

async function errorCode(sim: OktaSimulator, path: string): Promise<[number, string]> {
  const res = await get(sim, path);
  return [res.status, ((await res.json()) as { errorCode: string }).errorCode];
}

describe('GET /api/v1/groups', () => {
  let now = NOW;
  const sim = new OktaSimulator({ seed: 4, users: 80, apps: 4, groups: 5, now: () => now, rateLimits: { limits: { groups: 1e6 } } });
  const ad = sim.createApp({ name: 'active_directory', label: 'corp.example.com' });
  const github = sim.org.apps.find((a) => a.name === 'github')!;
  now += 60_000;
  const adGroup = sim.importAppGroup(ad.id, 'Engineering users', { description: 'All users in the engineering department' });
  now += 60_000;
  const teamGroup = sim.importAppGroup(github.id, 'platform-team', { description: 'Platform engineers' });
  const members = sim.org.users.slice(0, 3).map((u) => u.id);
  for (const id of members) sim.addAppGroupMember(adGroup.id, id);
  const okta = sim.org.groups.filter((g) => g.type === 'OKTA_GROUP');
  const iso = (ms: number) => new Date(ms).toISOString();
  const ids = (list: Array<{ id: string }>) => list.map((g) => g.id);
  const search = (expr: string) => all<GroupJson>(sim, `/api/v1/groups?search=${q(expr)}`);
  const filter = (expr: string) => all<GroupJson>(sim, `/api/v1/groups?filter=${q(expr)}`);

  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('serves an OKTA_GROUP and an Active Directory APP_GROUP with the fields, in the order, of Okta’s example', async () => {
    const listed = (await getJson<GroupJson[]>(sim, '/api/v1/groups')).body;
    expect(ids(listed)).toEqual(sim.org.groups.map((g) => g.id));
    const oktaGroup = listed.find((g) => g.type === 'OKTA_GROUP')!;
    expect(keys(oktaGroup)).toEqual(keys(examples[0]));
    expect(keys(oktaGroup.profile)).toEqual(keys(examples[0]!.profile));
    expect(keys(oktaGroup._links)).toEqual(keys(examples[0]!._links));
    const adJson = listed.find((g) => g.id === adGroup.id)!;
    expect(keys(adJson)).toEqual(keys(examples[1]));
    expect(keys(adJson.profile)).toEqual(keys(examples[1]!.profile));
    expect(keys(adJson._links)).toEqual(keys(examples[1]!._links));
    expect(adJson).toMatchObject({ type: 'APP_GROUP', objectClass: ['okta:windows_security_principal'] });
    // The source app is only a link: no top-level `source` object.
    expect(adJson).not.toHaveProperty('source');
    expect(adJson._links.source).toEqual({ href: `${sim.baseUrl}/api/v1/apps/${ad.id}` });
    expect(adJson.profile).toMatchObject({
      name: 'Engineering users',
      description: 'All users in the engineering department',
      groupType: 'Security',
      samAccountName: 'Engineering users',
      groupScope: 'Global',
      dn: 'CN=Engineering users,OU=Groups,DC=corp,DC=example,DC=com',
      windowsDomainQualifiedName: 'CORP\\Engineering users',
    });
    expect(adJson.profile.objectSid).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
    expect(Buffer.from(adJson.profile.externalId!, 'base64')).toHaveLength(16);
    expect(oktaGroup.objectClass).toEqual(['okta:user_group']);
    expect(oktaGroup._links).not.toHaveProperty('source');
  });

  it('serves a group imported from another app with name, description and the app’s own id for it', async () => {
    const json = (await getJson<GroupJson>(sim, `/api/v1/groups/${teamGroup.id}`)).body;
    expect(json).toMatchObject({ type: 'APP_GROUP', objectClass: ['okta:user_group'], _links: { source: { href: `${sim.baseUrl}/api/v1/apps/${github.id}` } } });
    expect(keys(json.profile)).toEqual(['name', 'description', 'externalId']);
    expect(json.profile.externalId).toMatch(/^\d+$/);
  });

  it('lists an app group’s members', async () => {
    expect(ids(await all<{ id: string }>(sim, `/api/v1/groups/${adGroup.id}/users?limit=2`))).toEqual([...members].sort());
  });

  it('lists a user’s groups, every type, by id, unpaged, by user id or login; 404 for an unknown user', async () => {
    const user = sim.org.user(members[0]!)!;
    const expected = sim.org.groups.filter((g) => g.members.has(user.id)).map((g) => g.id);
    expect(expected).toContain(adGroup.id);
    for (const who of [user.id, String(user.profile.login)]) {
      const res = await get(sim, `/api/v1/users/${encodeURIComponent(who)}/groups`);
      expect(res.headers.get('link') ?? '').not.toMatch(/rel="next"/);
      expect(ids((await res.json()) as GroupJson[])).toEqual(expected);
    }
    expect(await errorCode(sim, '/api/v1/users/00uNOBODY0000000/groups')).toEqual([404, 'E0000007']);
  });

  it('filter: id, type, lastUpdated and lastMembershipUpdated, with and, or and parentheses', async () => {
    expect(ids(await filter(`id eq "${okta[1]!.id}"`))).toEqual([okta[1]!.id]);
    expect(ids(await filter('type eq "APP_GROUP"'))).toEqual([adGroup.id, teamGroup.id]);
    expect(ids(await filter('type eq "OKTA_GROUP"'))).toEqual(ids(okta));
    expect(ids(await filter(`type eq "APP_GROUP" and lastUpdated gt "${iso(NOW + 90_000)}"`))).toEqual([teamGroup.id]);
    expect(ids(await filter(`lastMembershipUpdated ge "${iso(NOW + 120_000)}" or (id eq "${okta[0]!.id}" and type eq "OKTA_GROUP")`))).toEqual([okta[0]!.id, adGroup.id, teamGroup.id]);
  });

  it('filter: any other attribute (source.id, profile.name, created) is 400 E0000031 Invalid search criteria', async () => {
    for (const expr of [`source.id eq "${ad.id}"`, 'profile.name eq "Engineering"', `created lt "${iso(NOW)}"`, 'type sw "APP"', 'type pr']) {
      expect([expr, await errorCode(sim, `/api/v1/groups?filter=${q(expr)}`)]).toEqual([expr, [400, 'E0000031']]);
    }
  });

  it('search: type, source.id, profile attributes (case-insensitive), created, with and, or and parentheses', async () => {
    expect(ids(await search('type eq "APP_GROUP"'))).toEqual([adGroup.id, teamGroup.id]);
    expect(ids(await search(`source.id eq "${ad.id}"`))).toEqual([adGroup.id]);
    expect(ids(await search('profile.name eq "engineering USERS"'))).toEqual([adGroup.id]);
    expect(ids(await search('profile.samAccountName sw "Engineering"'))).toEqual([adGroup.id]);
    expect(ids(await search('profile.name co "form"'))).toEqual([teamGroup.id]);
    expect(ids(await search(`type eq "APP_GROUP" and (created lt "${iso(NOW + 90_000)}" and source.id eq "${ad.id}")`))).toEqual([adGroup.id]);
    expect(ids(await search(`profile.name eq "${okta[2]!.name}" or source.id eq "${github.id}"`))).toEqual([okta[2]!.id, teamGroup.id]);
    expect(ids(await search(`lastUpdated gt "${iso(NOW)}"`))).toEqual([adGroup.id, teamGroup.id]);
  });

  it('search: co only on profile.name and profile.description; no ne, pr or unknown top-level attribute', async () => {
    for (const expr of ['profile.samAccountName co "Eng"', 'profile.name ne "x"', 'profile.name pr', 'status eq "ACTIVE"']) {
      expect([expr, await errorCode(sim, `/api/v1/groups?search=${q(expr)}`)]).toEqual([expr, [400, 'E0000031']]);
    }
    expect(ids(await search('profile.description co "PLATFORM"'))).toEqual([teamGroup.id]);
  });

  it('expand=stats embeds the member count; expand=app the source app of an APP_GROUP', async () => {
    const stats = (await getJson<GroupJson[]>(sim, '/api/v1/groups?expand=stats')).body;
    for (const g of stats) expect((g._embedded!.stats as Json).usersCount).toBe(sim.org.groupMembers(g.id).length);
    const withApp = (await getJson<GroupJson[]>(sim, '/api/v1/groups?expand=app')).body;
    expect(withApp.find((g) => g.id === adGroup.id)!._embedded).toEqual({ app: { id: ad.id, name: 'active_directory', label: 'corp.example.com', signOnMode: 'SAML_2_0' } });
    expect(withApp.find((g) => g.type === 'OKTA_GROUP')).not.toHaveProperty('_embedded');
    const both = (await getJson<GroupJson[]>(sim, `/api/v1/groups?expand=stats,app&search=${q(`id eq "${teamGroup.id}"`)}`)).body[0]!;
    expect(Object.keys(both._embedded!).sort()).toEqual(['app', 'stats']);
    expect(await errorCode(sim, '/api/v1/groups?expand=members')).toEqual([400, 'E0000001']);
    expect((await getJson<GroupJson[]>(sim, '/api/v1/groups')).body.every((g) => !('_embedded' in g))).toBe(true);
  });
});

describe('groupPushMappingsCount (expand=stats) under the groupPushMappingsCount option', () => {
  for (const [reading, onSource, onTarget] of [
    ['both', 1, 1],
    ['source', 1, 0],
    ['target', 0, 1],
  ] as const) {
    it(`counts a mapping on ${reading === 'both' ? 'its source and its target' : `its ${reading} only`} (${reading})`, async () => {
      const sim = new OktaSimulator({ seed: 4, users: 20, apps: 4, groups: 3, groupPushMappingsCount: reading, rateLimits: { limits: { groups: 1e6 } } });
      const app = sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
      const source = sim.org.groups.find((g) => g.type === 'OKTA_GROUP')!;
      const mapping = sim.createPushMapping(app.id, source.id, { targetGroupName: 'pushed' });
      await sim.start();
      try {
        const counts = new Map((await getJson<GroupJson[]>(sim, '/api/v1/groups?expand=stats')).body.map((g) => [g.id, (g._embedded!.stats as Json).groupPushMappingsCount]));
        expect([counts.get(mapping.sourceGroupId), counts.get(mapping.targetGroupId)]).toEqual([onSource, onTarget]);
        expect([...counts.values()].reduce((a, b) => (a as number) + (b as number), 0)).toBe(onSource + onTarget);
      } finally {
        await sim.stop();
      }
    });
  }
  it('refuses another reading', () => {
    expect(() => new OktaSimulator({ groupPushMappingsCount: 'app' as never })).toThrow(TypeError);
  });
});

describe('GET /api/v1/groups page sizes', () => {
  const sim = new OktaSimulator({ seed: 2, users: 3, apps: 0, groups: 10_005, rateLimits: { limits: { groups: 1e6 } } });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('returns 10,000 groups by default and at most 10,000 a page, then a next link', async () => {
    const first = await getJson<GroupJson[]>(sim, '/api/v1/groups');
    expect(first.body).toHaveLength(10_000);
    const next = nextLink(first.res);
    expect(next).not.toBeNull();
    expect((await getJson<GroupJson[]>(sim, next!)).body.map((g) => g.id)).toEqual(sim.org.groups.slice(10_000).map((g) => g.id));
    expect((await getJson<GroupJson[]>(sim, '/api/v1/groups?limit=50000')).body).toHaveLength(10_000);
    const small = await getJson<GroupJson[]>(sim, '/api/v1/groups?limit=7');
    expect(small.body).toHaveLength(7);
    expect(nextLink(small.res)).not.toBeNull();
  });

  it('q: a name prefix, 300 results by default, never paged', async () => {
    const teams = sim.org.groups.filter((g) => g.name.startsWith('Team 1'));
    expect(teams.length).toBeGreaterThan(300);
    const found = await getJson<GroupJson[]>(sim, '/api/v1/groups?q=team%201');
    expect(found.body.map((g) => g.id)).toEqual(teams.slice(0, 300).map((g) => g.id));
    expect(nextLink(found.res)).toBeNull();
    const few = await getJson<GroupJson[]>(sim, '/api/v1/groups?q=Team%201&limit=4');
    expect(few.body).toHaveLength(4);
    expect(nextLink(few.res)).toBeNull();
  });
});
