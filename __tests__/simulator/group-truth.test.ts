/**
 * The ground truth of groups (`expectedIdentities({ groups: true })`, `expectedAppGroup`), the
 * seeding options `appGroupsPerApp` and `pushMappings`, and group kinds among the random
 * mutations, checked against what the HTTP API serves.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type GroupRef } from '../../src/simulator/index.js';
import { all, readIdentities } from './helpers.js';

const unlimited = { users: 1e6, user: 1e6, apps: 1e6, groups: 1e6, logs: 1e6 };
type GroupJson = { id: string; type: GroupRef['type']; profile: { name: string }; _links: { source?: { href: string } } };

/** Every person's groups as a connector reads them: the group list, then each group's members. */
async function groupsOverHttp(sim: OktaSimulator): Promise<Map<string, GroupRef[]>> {
  const out = new Map<string, GroupRef[]>();
  for (const g of await all<GroupJson>(sim, '/api/v1/groups?limit=7')) {
    const res = await fetch(`${sim.baseUrl}/api/v1/groups/${g.id}/users?limit=1`, { headers: { Authorization: `SSWS ${sim.token}` } });
    await res.body?.cancel();
    if (res.status === 403) continue;
    const ref: GroupRef = { id: g.id, name: g.profile.name, type: g.type };
    if (g._links.source) ref.appId = g._links.source.href.split('/').pop()!;
    for (const u of await all<{ id: string }>(sim, `/api/v1/groups/${g.id}/users?limit=50`)) out.set(u.id, [...(out.get(u.id) ?? []), ref]);
  }
  for (const refs of out.values()) refs.sort((a, b) => (a.id < b.id ? -1 : 1));
  return out;
}

/** The invariants of the model: mirrored ACTIVE mappings, and memberships seen from both sides. */
function checkInvariants(sim: OktaSimulator): void {
  for (const app of sim.org.apps) {
    for (const m of sim.org.pushMappings(app.id)) {
      expect(sim.org.group(m.targetGroupId)!.sourceAppId).toBe(app.id);
      if (m.status === 'ACTIVE') expect([m.id, sim.org.groupMembers(m.targetGroupId)]).toEqual([m.id, sim.org.groupMembers(m.sourceGroupId)]);
    }
  }
  const byUser = new Map<string, string[]>();
  for (const g of sim.org.groups) for (const id of g.memberIds) byUser.set(id, [...(byUser.get(id) ?? []), g.id]);
  for (const identity of sim.expectedIdentities({ groups: true })) expect([identity.id, identity.groups.map((g) => g.id)]).toEqual([identity.id, (byUser.get(identity.id) ?? []).sort()]);
}

describe('expectedIdentities({ groups: true })', () => {
  const sim = new OktaSimulator({ seed: 9, users: 90, apps: 6, groups: 4, appGroupsPerApp: 2, pushMappings: 3, rateLimits: { limits: unlimited } });
  beforeAll(async () => {
    await sim.start();
    for (let i = 0; i < 120; i++) sim.randomMutation();
  });
  afterAll(() => sim.stop());

  it('is expectedIdentities() with each person’s groups, as the HTTP API serves them', async () => {
    const withGroups = sim.expectedIdentities({ groups: true });
    expect(withGroups.map(({ groups: _, ...identity }) => identity)).toEqual(sim.expectedIdentities());
    expect(sim.expectedIdentities()[0]).not.toHaveProperty('groups');
    const served = await groupsOverHttp(sim);
    for (const identity of withGroups) expect([identity.id, identity.groups]).toEqual([identity.id, served.get(identity.id) ?? []]);
    const kinds = new Set(withGroups.flatMap((i) => i.groups.map((g) => `${g.type}:${'appId' in g}`)));
    expect(kinds).toEqual(new Set(['OKTA_GROUP:false', 'APP_GROUP:true']));
    expect(await readIdentities(sim, 37)).toEqual(sim.expectedIdentities());
  });

  it('leaves out groups whose members, or the group list, are forbidden', async () => {
    const group = sim.org.groups.find((g) => g.memberIds.length > 0)!;
    const member = group.memberIds[0]!;
    const limited = new OktaSimulator({ seed: 9, users: 90, apps: 6, groups: 4, appGroupsPerApp: 2, forbidden: [`/api/v1/groups/${group.id}/users`] });
    const groupsOf = (s: OktaSimulator) => s.expectedIdentities({ groups: true }).find((i) => i.id === member)!.groups.map((g) => g.id);
    expect(groupsOf(limited)).not.toContain(group.id);
    expect(groupsOf(new OktaSimulator({ seed: 9, users: 90, apps: 6, groups: 4, appGroupsPerApp: 2 }))).toContain(group.id);
    const blind = new OktaSimulator({ seed: 9, users: 90, apps: 6, groups: 4, forbidden: [/^\/api\/v1\/groups$/] });
    expect(blind.expectedIdentities({ groups: true }).every((i) => i.groups.length === 0)).toBe(true);
  });
});

describe('expectedAppGroup', () => {
  const sim = new OktaSimulator({ seed: 5, users: 50, apps: 4, groups: 3 });
  const ad = sim.createApp({ name: 'active_directory', label: 'ad.example.org' });
  const eng = sim.importAppGroup(ad.id, 'Engineering', { externalId: 'OZJdWdONCU6h7WjQKp+LPA==' });
  const members = sim.org.users.slice(0, 4).map((u) => u.id);
  for (const id of members) sim.addAppGroupMember(eng.id, id);
  const github = sim.org.apps.find((a) => a.name === 'github')!;

  it('finds an app by id, label or name and a group by id, name or identifier in the app', () => {
    const truth = { group: { id: eng.id, name: 'Engineering', type: 'APP_GROUP', appId: ad.id }, source: { kind: 'import' }, members: [...members].sort() };
    for (const [app, group] of [
      [ad.id, eng.id],
      ['AD.EXAMPLE.ORG', 'engineering'],
      ['active_directory', 'OZJdWdONCU6h7WjQKp+LPA=='],
      [ad.id, 'engineering'],
      [ad.id, 'AD\\engineering'],
      [ad.id, 'cn=Engineering,ou=Groups,dc=ad,dc=example,dc=org'],
    ]) {
      expect([app, group, sim.expectedAppGroup(app!, group!)]).toEqual([app, group, truth]);
    }
    expect(eng.attributes.windowsDomainQualifiedName).toBe('AD\\Engineering');
  });

  it('compares externalIds exactly, returns null for an unknown app or group and refuses an ambiguous one', () => {
    expect(sim.expectedAppGroup(ad.id, 'ozjdwdoncu6h7wjqkp+lpa==')).toBeNull();
    expect(sim.expectedAppGroup(ad.id, 'Sales')).toBeNull();
    expect(sim.expectedAppGroup('0oanope', 'Engineering')).toBeNull();
    expect(sim.expectedAppGroup(github.id, 'Engineering')).toBeNull();
    expect(() => sim.expectedAppGroup('slack', 'x')).toThrow(/matches 2/);
    sim.importAppGroup(github.id, 'twins');
    sim.importAppGroup(github.id, 'Twins');
    expect(() => sim.expectedAppGroup(github.id, 'twins')).toThrow(/matches 2/);
  });
});

describe('seeded app groups and push mappings', () => {
  const spec = { seed: 3, users: 120, apps: 9, groups: 5 };
  const seeded = () => new OktaSimulator({ ...spec, appGroupsPerApp: 3, pushMappings: 7 });
  const snapshot = (s: OktaSimulator) => JSON.stringify({ groups: s.org.groups.map((g) => ({ ...g, members: [...g.members] })), mappings: s.org.apps.map((a) => s.org.pushMappings(a.id)) });

  it('are off by default, and leave the rest of the org as it was', () => {
    const plain = new OktaSimulator(spec);
    expect(plain.org.groups.every((g) => g.type === 'OKTA_GROUP')).toBe(true);
    expect(plain.org.apps.every((a) => a.pushMappingIds.length === 0)).toBe(true);
    const rich = seeded();
    expect(rich.expectedIdentities()).toEqual(plain.expectedIdentities());
    const okta = rich.org.groups.filter((g) => g.type === 'OKTA_GROUP');
    expect(okta.map((g) => [g.id, g.name, [...g.memberIds]])).toEqual(plain.org.groups.map((g) => [g.id, g.name, [...g.memberIds]]));
  });

  it('import appGroupsPerApp groups from each app with provisioning, their members among its account holders', () => {
    const sim = seeded();
    const provisioned = sim.org.apps.filter((a) => a.provisioned);
    const targets = new Set(sim.org.apps.flatMap((a) => sim.org.pushMappings(a.id).map((m) => m.targetGroupId)));
    const imported = sim.org.groups.filter((g) => g.type === 'APP_GROUP' && !targets.has(g.id));
    expect(imported).toHaveLength(3 * provisioned.length);
    for (const app of provisioned) {
      const mine = imported.filter((g) => g.sourceAppId === app.id);
      expect(mine.map((g) => g.name)).toEqual(['Admins', 'Developers', 'Reviewers']);
      for (const g of mine) {
        expect(g.memberIds.every((id) => app.appUsers.has(id))).toBe(true);
        expect(g.attributes.externalId).toBeDefined();
        expect(sim.expectedAppGroup(app.id, g.name)).toMatchObject({ source: { kind: 'import' }, members: [...g.memberIds] });
      }
    }
    expect(imported.some((g) => g.memberIds.length > 0)).toBe(true);
  });

  it('push the seeded groups to new app groups, one INACTIVE (with stale members) in three', () => {
    const sim = seeded();
    const mappings = sim.org.apps.flatMap((a) => sim.org.pushMappings(a.id));
    expect(mappings).toHaveLength(7);
    expect(mappings.map((m) => m.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'INACTIVE', 'INACTIVE']);
    expect(new Set(mappings.map((m) => `${m.appId}:${m.sourceGroupId}`)).size).toBe(7);
    for (const m of mappings) {
      const app = sim.org.app(m.appId)!;
      const source = sim.org.group(m.sourceGroupId)!;
      expect(app.provisioned).toBe(true);
      expect(source.type).toBe('OKTA_GROUP');
      const truth = sim.expectedAppGroup(app.id, m.targetGroupId)!;
      expect(truth.source).toEqual({ kind: 'push', sourceGroupId: source.id, status: m.status });
      // An active push reaches the source's members who are assigned to the app (Okta's GROUP_PUSH feature).
      expect(truth.members).toEqual(m.status === 'ACTIVE' ? source.memberIds.filter((id) => app.appUsers.has(id)) : sim.org.groupMembers(m.targetGroupId));
    }
    const stale = mappings.filter((m) => m.status === 'INACTIVE').some((m) => JSON.stringify(sim.org.groupMembers(m.targetGroupId)) !== JSON.stringify(sim.org.groupMembers(m.sourceGroupId)));
    expect(stale).toBe(true);
    checkInvariants(sim);
  });

  it('are deterministic, and refuse more mappings than (app, group) pairs', () => {
    expect(snapshot(seeded())).toEqual(snapshot(seeded()));
    expect(snapshot(new OktaSimulator({ ...spec, seed: 4, appGroupsPerApp: 3, pushMappings: 7 }))).not.toEqual(snapshot(seeded()));
    const full = new OktaSimulator({ ...spec, pushMappings: 30 });
    expect(new Set(full.org.apps.flatMap((a) => full.org.pushMappings(a.id).map((m) => `${a.id}:${m.sourceGroupId}`))).size).toBe(30);
    expect(() => new OktaSimulator({ ...spec, pushMappings: 31 })).toThrow(/pushMappings \(31\) exceeds the 30 pairs/);
    expect(() => new OktaSimulator({ ...spec, appGroupsPerApp: -1 })).toThrow(TypeError);
  });
});

describe('group kinds among the random mutations', () => {
  const run = () => {
    const sim = new OktaSimulator({ seed: 17, users: 70, apps: 7, groups: 5, appGroupsPerApp: 2, pushMappings: 4, now: () => Date.UTC(2025, 0, 1) });
    const kinds = new Set<string>();
    for (let i = 0; i < 700; i++) {
      kinds.add(sim.randomMutation().kind);
      if (i % 50 === 0) checkInvariants(sim);
    }
    checkInvariants(sim);
    return { sim, kinds };
  };

  it('apply every group kind, keeping the model’s invariants, reproducibly', () => {
    const a = run();
    for (const kind of ['importAppGroup', 'addAppGroupMember', 'removeAppGroupMember', 'renameGroup', 'deleteGroup', 'createPushMapping', 'activatePushMapping', 'deactivatePushMapping', 'deletePushMapping']) expect(a.kinds).toContain(kind);
    const b = run();
    const fingerprint = (s: OktaSimulator) => s.events.map((e) => `${e.eventType}:${e.uuid}:${JSON.stringify(e.target)}`);
    expect(fingerprint(b.sim)).toEqual(fingerprint(a.sim));
    expect(b.sim.expectedIdentities({ groups: true })).toEqual(a.sim.expectedIdentities({ groups: true }));
  });
});
