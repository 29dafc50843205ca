/**
 * Group Push: GET /api/v1/apps/{appId}/group-push/mappings (listGroupPushMappings), the
 * mutations, their System Log events and the mirroring of members under ACTIVE and INACTIVE
 * mappings.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type LogEvent } from '../../src/simulator/index.js';
import { all, get, getJson, nextLink, q } from './helpers.js';

type Json = Record<string, unknown>;
type MappingJson = { id: string; status: string; sourceGroupId: string; targetGroupId: string; created: string; lastUpdated: string; lastPush: string; _links: Json };

/**
 * `ListGroupPushMappingsResponse_Example[0]` of Okta's Management API OpenAPI description
 * (okta/okta-management-openapi-spec, management-oneOfInheritance.yaml 2026.06.3, Apache-2.0),
 * copied verbatim.
 */
const OKTA_EXAMPLE = {
  created: '2025-01-01T00:00:00Z',
  errorSummary: '',
  id: 'gPm00000000000000000',
  lastPush: '2025-01-01T00:00:00Z',
  lastUpdated: '2025-01-01T00:00:00Z',
  sourceGroupId: '00g00000000000000000',
  status: 'ACTIVE',
  targetGroupId: '00g00000000000000001',
  _links: {
    app: { href: 'https://{yourOktaDomain}/api/v1/apps/0oa00000000000000000' },
    sourceGroup: { href: 'https://{yourOktaDomain}/api/v1/groups/00g00000000000000000' },
    targetGroup: { href: 'https://{yourOktaDomain}/api/v1/groups/00g00000000000000001' },
  },
};

const NOW = Date.UTC(2025, 3, 1, 9, 0, 0);
const SYSTEM = { type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' };
const ADMIN = 'okta.admin@example.com';
const shape = (e: LogEvent): string[] => e.target.map((t) => `${t.type}:${t.id}`);

async function errorOf(sim: OktaSimulator, path: string): Promise<[number, string]> {
  const res = await get(sim, path);
  return [res.status, ((await res.json()) as { errorCode: string }).errorCode];
}

describe('GET /api/v1/apps/{appId}/group-push/mappings', () => {
  // One app with provisioning (Slack (Engineering)) and 1,002 seeded mappings, every third INACTIVE.
  const sim = new OktaSimulator({ seed: 8, users: 6, apps: 1, groups: 1_005, pushMappings: 1_002, now: () => NOW, rateLimits: { limits: { apps: 1e6 } } });
  const app = sim.org.apps[0]!;
  const mappings = sim.org.pushMappings(app.id);
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('serves each mapping with the fields, in the order, of Okta’s example', async () => {
    const [first] = (await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=1`)).body;
    expect(Object.keys(first!)).toEqual(Object.keys(OKTA_EXAMPLE));
    expect(Object.keys(first!._links)).toEqual(Object.keys(OKTA_EXAMPLE._links));
    const m = mappings[0]!;
    expect(first).toEqual({
      created: new Date(m.created).toISOString().replace('.000Z', 'Z'),
      errorSummary: '',
      id: m.id,
      lastPush: new Date(m.lastPush).toISOString().replace('.000Z', 'Z'),
      lastUpdated: new Date(m.lastUpdated).toISOString().replace('.000Z', 'Z'),
      sourceGroupId: m.sourceGroupId,
      status: 'ACTIVE',
      targetGroupId: m.targetGroupId,
      _links: {
        app: { href: `${sim.baseUrl}/api/v1/apps/${app.id}` },
        sourceGroup: { href: `${sim.baseUrl}/api/v1/groups/${m.sourceGroupId}` },
        targetGroup: { href: `${sim.baseUrl}/api/v1/groups/${m.targetGroupId}` },
      },
    });
    expect(first!.id).toMatch(/^gPm[0-9A-Za-z]{17}$/);
    expect(first!.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await getJson<MappingJson>(sim, `/api/v1/apps/${app.id}/group-push/mappings/${m.id}`)).body).toEqual(first);
  });

  it('pages 100 by default and at most 1,000, following next links', async () => {
    const first = await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings`);
    expect(first.body).toHaveLength(100);
    expect(nextLink(first.res)).not.toBeNull();
    const capped = await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=5000`);
    expect(capped.body).toHaveLength(1_000);
    expect((await all<MappingJson>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=333`)).map((m) => m.id)).toEqual(mappings.map((m) => m.id));
    expect(await errorOf(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=0`)).toEqual([400, 'E0000001']);
  });

  it('filters by status, sourceGroupId and lastUpdated (on or after)', async () => {
    const path = `/api/v1/apps/${app.id}/group-push/mappings?limit=1000`;
    const inactive = await all<MappingJson>(sim, `${path}&status=INACTIVE`);
    expect(inactive.map((m) => m.id)).toEqual(mappings.filter((m) => m.status === 'INACTIVE').map((m) => m.id));
    expect(inactive).toHaveLength(334);
    expect(await all(sim, `${path}&status=ERROR`)).toEqual([]);
    const m = mappings[7]!;
    expect((await all<MappingJson>(sim, `${path}&sourceGroupId=${m.sourceGroupId}`)).map((x) => x.id)).toEqual([m.id]);
    const since = new Date(mappings[1_000]!.lastUpdated).toISOString().replace('.000Z', 'Z');
    expect((await all<MappingJson>(sim, `${path}&lastUpdated=${since}`)).map((x) => x.id)).toEqual(mappings.slice(1_000).map((x) => x.id));
    expect(await errorOf(sim, `${path}&status=active`)).toEqual([400, 'E0000001']);
    expect(await errorOf(sim, `${path}&lastUpdated=yesterday`)).toEqual([400, 'E0000001']);
  });

  it('404s an unknown app or mapping', async () => {
    expect(await errorOf(sim, '/api/v1/apps/0oanope/group-push/mappings')).toEqual([404, 'E0000007']);
    expect(await errorOf(sim, `/api/v1/apps/${app.id}/group-push/mappings/gPmnope`)).toEqual([404, 'E0000007']);
  });

  it('is metered in the apps bucket', async () => {
    sim.resetStats();
    const res = await get(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=1`);
    await res.body?.cancel();
    expect(sim.stats.byBucket.apps).toBe(1);
    expect(res.headers.get('x-rate-limit-limit')).toBe(String(1e6));
  });
});

describe('group-push access and rate limits', () => {
  let sim: OktaSimulator | undefined;
  afterEach(() => sim?.stop());

  it.each([
    ['a path prefix', (appId: string) => `/api/v1/apps/${appId}/group-push`],
    ['a regular expression', () => /\/group-push\/mappings$/],
  ])('the forbidden option can forbid it with %s', async (_, rule) => {
    const probe = new OktaSimulator({ users: 5, apps: 1, groups: 2 });
    const appId = probe.org.apps[0]!.id;
    sim = new OktaSimulator({ users: 5, apps: 1, groups: 2, forbidden: [rule(appId)] });
    await sim.start();
    expect(await errorOf(sim, `/api/v1/apps/${appId}/group-push/mappings`)).toEqual([403, 'E0000006']);
    expect((await get(sim, `/api/v1/apps/${appId}/users`)).status).toBe(200);
  });

  it('shares the apps bucket’s limit with the other app endpoints', async () => {
    sim = new OktaSimulator({ users: 5, apps: 1, groups: 2, rateLimits: { limits: { apps: 2 } } });
    await sim.start();
    const appId = sim.org.apps[0]!.id;
    expect((await get(sim, `/api/v1/apps/${appId}/users`)).status).toBe(200);
    expect((await get(sim, `/api/v1/apps/${appId}/group-push/mappings`)).status).toBe(200);
    expect(await errorOf(sim, `/api/v1/apps/${appId}/group-push/mappings`)).toEqual([429, 'E0000047']);
  });
});

describe('Group Push mutations', () => {
  let sim: OktaSimulator;
  let now = NOW;
  const tick = () => (now += 60_000);
  beforeEach(async () => {
    now = NOW;
    sim = new OktaSimulator({ seed: 12, users: 60, apps: 4, groups: 4, now: () => now, rateLimits: { limits: { apps: 1e6, groups: 1e6, logs: 1e6 } } });
    await sim.start();
  });
  afterEach(() => sim.stop());

  const slack = () => sim.org.apps.find((a) => a.provisioned && a.name === 'slack')!;
  const served = async (types: string[]) =>
    (await getJson<LogEvent[]>(sim, `/api/v1/logs?limit=1000&filter=${q(types.map((t) => `eventType eq "${t}"`).join(' or '))}`)).body;
  const members = (id: string) => [...sim.org.groupMembers(id)];
  const outsider = (groupId: string) => sim.org.users.find((u) => !sim.org.group(groupId)!.members.has(u.id))!.id;

  it('createPushMapping (ACTIVE): a new APP_GROUP of the app with the source’s members; mapping.created, pushed, push_memberships', async () => {
    const source = sim.org.groups[0]!;
    tick();
    const before = sim.events.length;
    const m = sim.createPushMapping(slack().id, source.id, { shape: 'full' });
    const target = sim.org.group(m.targetGroupId)!;
    expect(target).toMatchObject({ type: 'APP_GROUP', sourceAppId: slack().id, name: source.name, description: source.description });
    expect(target.attributes.externalId).toMatch(/^S[A-Z0-9]{10}$/);
    expect(members(target.id)).toEqual(members(source.id));
    expect(m).toMatchObject({ status: 'ACTIVE', sourceGroupId: source.id, created: now, lastPush: now });
    const events = sim.events.slice(before);
    expect(events.map((e) => e.eventType)).toEqual(['application.provision.group_push.mapping.created', 'application.provision.group_push.pushed', 'application.provision.group_push.push_memberships']);
    const full = [`AppInstance:${slack().id}`, `UserGroup:${source.id}`, `UserGroup:${target.id}`];
    for (const e of events) expect(shape(e)).toEqual(full);
    expect(events[0]!.actor.alternateId).toBe(ADMIN);
    expect(events[0]!.transaction.type).toBe('WEB');
    expect(events[0]!.debugContext.debugData.requestUri).toBe(`/api/v1/apps/${slack().id}/group-push/mappings`);
    for (const e of events.slice(1)) expect([e.actor, e.transaction.type]).toEqual([expect.objectContaining(SYSTEM), 'JOB']);
    expect(events[2]!.transaction.id).not.toBe(events[0]!.transaction.id);
    expect(await served(['application.provision.group_push.mapping.created', 'application.provision.group_push.pushed', 'application.provision.group_push.push_memberships'])).toEqual(events);
    expect(sim.expectedAppGroup(slack().id, source.name)).toEqual({ group: { id: target.id, name: source.name, type: 'APP_GROUP', appId: slack().id }, source: { kind: 'push', sourceGroupId: source.id, status: 'ACTIVE' }, members: members(source.id) });
  });

  it('an ACTIVE mapping mirrors every membership change of its source (push_memberships by Okta System), an INACTIVE one does not', async () => {
    const source = sim.org.groups[1]!;
    const m = sim.createPushMapping(slack().id, source.id);
    const joiner = outsider(source.id);
    const added = sim.addUserToGroup(source.id, joiner);
    expect(members(m.targetGroupId)).toContain(joiner);
    expect(added[0]!.eventType).toBe('group.user_membership.add');
    const push = added.find((e) => e.eventType === 'application.provision.group_push.push_memberships')!;
    expect(push).toMatchObject({ actor: SYSTEM, transaction: { type: 'JOB' } });
    expect([2, 3]).toContain(push.target.length);
    expect(shape(push).slice(0, 2)).toEqual([`AppInstance:${slack().id}`, `UserGroup:${source.id}`]);
    sim.removeUserFromGroup(source.id, joiner);
    expect(members(m.targetGroupId)).toEqual(members(source.id));

    tick();
    const [off] = sim.setPushMappingStatus(slack().id, m.id, 'INACTIVE');
    expect(off).toMatchObject({ eventType: 'application.provision.group_push.deactivate_mapping', actor: { alternateId: ADMIN } });
    expect(shape(off!)).toEqual([`AppInstance:${slack().id}`, `UserGroup:${source.id}`, `UserGroup:${m.targetGroupId}`]);
    expect(sim.org.pushMappings(slack().id)[0]).toMatchObject({ status: 'INACTIVE', lastUpdated: now });
    const stale = members(m.targetGroupId);
    const later = sim.addUserToGroup(source.id, outsider(source.id));
    expect(later.map((e) => e.eventType)).not.toContain('application.provision.group_push.push_memberships');
    expect(members(m.targetGroupId)).toEqual(stale);
    expect(sim.expectedAppGroup(slack().label, m.targetGroupId)).toMatchObject({ source: { kind: 'push', status: 'INACTIVE' }, members: stale });

    tick();
    const on = sim.setPushMappingStatus(slack().id, m.id, 'ACTIVE', { shape: 'source' });
    expect(on.map((e) => e.eventType)).toEqual(['application.provision.group_push.activate_mapping', 'application.provision.group_push.push_memberships']);
    expect(shape(on[1]!)).toEqual([`AppInstance:${slack().id}`, `UserGroup:${source.id}`]);
    expect(members(m.targetGroupId)).toEqual(members(source.id));
    expect(sim.org.pushMappings(slack().id)[0]!.lastPush).toBe(now);
    expect(() => sim.setPushMappingStatus(slack().id, m.id, 'ACTIVE')).toThrow(/already ACTIVE/);
  });

  it('logs the push jobs in both target shapes, chosen by the seed', () => {
    const shapes = new Set<number>();
    const m = sim.createPushMapping(slack().id, sim.org.groups[2]!.id);
    for (let i = 0; i < 12; i++) {
      sim.setPushMappingStatus(slack().id, m.id, 'INACTIVE');
      for (const e of sim.setPushMappingStatus(slack().id, m.id, 'ACTIVE')) if (e.eventType.endsWith('push_memberships')) shapes.add(e.target.length);
    }
    expect(shapes).toEqual(new Set([2, 3]));
  });

  it('links an existing app group: its members become the source’s, no new group is pushed', () => {
    const app = slack();
    const source = sim.org.groups[0]!;
    const imported = sim.importAppGroup(app.id, 'existing-channel-group');
    const stranger = outsider(source.id);
    sim.addAppGroupMember(imported.id, stranger);
    const before = sim.events.length;
    const m = sim.createPushMapping(app.id, source.id, { targetGroupId: imported.id });
    expect(m.targetGroupId).toBe(imported.id);
    expect(members(imported.id)).toEqual(members(source.id));
    expect(sim.events.slice(before).map((e) => e.eventType)).toEqual(['application.provision.group_push.mapping.created', 'application.provision.group_push.push_memberships']);
    expect(sim.expectedAppGroup(app.id, 'EXISTING-channel-group')!.source).toEqual({ kind: 'push', sourceGroupId: source.id, status: 'ACTIVE' });
    expect(() => sim.addAppGroupMember(imported.id, outsider(imported.id))).toThrow(/push manages it/);
  });

  it('an INACTIVE mapping keeps its target’s members from creation', () => {
    const source = sim.org.groups[0]!;
    const events: LogEvent[] = [];
    const before = sim.events.length;
    const m = sim.createPushMapping(slack().id, source.id, { status: 'INACTIVE', targetGroupName: 'eng-pushed' });
    events.push(...sim.events.slice(before));
    expect(events.map((e) => e.eventType)).toEqual(['application.provision.group_push.mapping.created', 'application.provision.group_push.pushed']);
    expect(sim.org.group(m.targetGroupId)!.name).toBe('eng-pushed');
    expect(members(m.targetGroupId)).toEqual([]);
    expect(sim.expectedAppGroup(slack().id, 'eng-pushed')!.members).toEqual([]);
  });

  it('deletePushMapping: only INACTIVE; removed, and with deleteTargetGroup also delete_appgroup and the group is gone', async () => {
    const app = slack();
    const [a, b] = sim.org.groups;
    const kept = sim.createPushMapping(app.id, a!.id);
    const dropped = sim.createPushMapping(app.id, b!.id);
    expect(() => sim.deletePushMapping(app.id, kept.id)).toThrow(/ACTIVE; deactivate it first/);
    sim.setPushMappingStatus(app.id, kept.id, 'INACTIVE');
    sim.setPushMappingStatus(app.id, dropped.id, 'INACTIVE');
    const keptMembers = members(kept.targetGroupId);
    const [removed] = sim.deletePushMapping(app.id, kept.id);
    expect(removed).toMatchObject({ eventType: 'application.provision.group_push.removed', actor: { alternateId: ADMIN }, transaction: { type: 'WEB' } });
    expect(shape(removed!)).toEqual([`AppInstance:${app.id}`, `UserGroup:${a!.id}`, `UserGroup:${kept.targetGroupId}`]);
    // The target stays in the app as an ordinary app group with its last members.
    expect(sim.expectedAppGroup(app.id, kept.targetGroupId)).toMatchObject({ source: { kind: 'import' }, members: keptMembers });
    const deleted = sim.deletePushMapping(app.id, dropped.id, { deleteTargetGroup: true });
    expect(deleted.map((e) => [e.eventType, e.actor.type, e.transaction.type])).toEqual([
      ['application.provision.group_push.removed', 'User', 'WEB'],
      ['application.provision.group_push.delete_appgroup', 'SystemPrincipal', 'JOB'],
    ]);
    expect(shape(deleted[1]!)).toEqual([`AppInstance:${app.id}`, `UserGroup:${b!.id}`, `UserGroup:${dropped.targetGroupId}`]);
    expect(sim.org.group(dropped.targetGroupId)).toBeUndefined();
    expect((await get(sim, `/api/v1/groups/${dropped.targetGroupId}`)).status).toBe(404);
    expect(sim.org.pushMappings(app.id)).toEqual([]);
    expect(() => sim.deletePushMapping(app.id, dropped.id)).toThrow(/no push mapping/);
  });

  it('renaming the source renames the targets of its ACTIVE mappings (mapping.app.group.renamed), not of INACTIVE ones', () => {
    const [app, other] = sim.org.apps.filter((x) => x.provisioned);
    const source = sim.org.groups[0]!;
    const active = sim.createPushMapping(app!.id, source.id);
    const inactive = sim.createPushMapping(other!.id, source.id, { status: 'INACTIVE' });
    const events = sim.renameGroup(source.id, 'Platform');
    expect(events.map((e) => e.eventType)).toEqual(['group.profile.update', 'application.provision.group_push.mapping.app.group.renamed']);
    expect(events[0]).toMatchObject({ actor: { alternateId: ADMIN }, target: [{ type: 'UserGroup', id: source.id, displayName: 'Platform' }] });
    expect(events[1]).toMatchObject({ actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(shape(events[1]!)).toEqual([`AppInstance:${app!.id}`, `UserGroup:${source.id}`, `UserGroup:${active.targetGroupId}`]);
    expect(sim.org.group(active.targetGroupId)!.name).toBe('Platform');
    expect(sim.org.group(inactive.targetGroupId)!.name).not.toBe('Platform');
    expect(() => sim.renameGroup(active.targetGroupId, 'x')).toThrow(/push manages it/);
  });

  it('deleting a pushed group removes its mappings (removed, by Okta System); the targets stay with their members', () => {
    const source = sim.org.groups[3]!;
    const m = sim.createPushMapping(slack().id, source.id);
    const had = members(m.targetGroupId);
    expect(() => sim.deleteGroup(m.targetGroupId)).toThrow(/target of a Group Push mapping/);
    const events = sim.deleteGroup(source.id);
    expect(events[0]).toMatchObject({ eventType: 'group.lifecycle.delete', target: [{ id: source.id, type: 'UserGroup' }] });
    const removed = events.filter((e) => e.eventType === 'application.provision.group_push.removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(sim.org.pushMappings(slack().id)).toEqual([]);
    expect(sim.expectedAppGroup(slack().id, m.targetGroupId)).toMatchObject({ source: { kind: 'import' }, members: had });
  });

  it('a target assigned to an app gives its pushed members accounts there, each logged as a JOB application.user_membership.add', () => {
    const source = sim.org.groups[0]!;
    const m = sim.createPushMapping(slack().id, source.id, { status: 'INACTIVE' });
    const other = sim.org.apps.find((a) => !a.provisioned && a.status === 'ACTIVE')!;
    sim.assignGroupToApp(other.id, m.targetGroupId);
    const newcomers = members(source.id).filter((id) => !sim.org.app(other.id)!.appUsers.has(id));
    expect(newcomers.length).toBeGreaterThan(0);
    const events = sim.setPushMappingStatus(slack().id, m.id, 'ACTIVE');
    const adds = events.filter((e) => e.eventType === 'application.user_membership.add');
    expect(adds.map((e) => e.target.find((t) => t.type === 'User')!.id).sort()).toEqual(newcomers);
    for (const e of adds) expect(e.transaction.type).toBe('JOB');
    for (const id of newcomers) expect(sim.identity(id)!.accounts.some((a) => a.appId === other.id && a.scope === 'GROUP')).toBe(true);
  });

  it('refuses what Okta refuses', () => {
    const plain = sim.org.apps.find((a) => !a.provisioned)!;
    const [g0, g1] = sim.org.groups;
    expect(() => sim.createPushMapping(plain.id, g0!.id)).toThrow(/with provisioning/);
    sim.createPushMapping(slack().id, g0!.id);
    expect(() => sim.createPushMapping(slack().id, g0!.id)).toThrow(/already pushed/);
    expect(() => sim.createPushMapping(slack().id, g1!.id, { targetGroupId: g0!.id, targetGroupName: 'x' })).toThrow(/not both/);
    expect(() => sim.createPushMapping(slack().id, g1!.id, { targetGroupId: g0!.id })).toThrow(/not an unmapped APP_GROUP/);
    expect(() => sim.createPushMapping(slack().id, g1!.id, { status: 'ERROR' as never })).toThrow(/status/);
    expect(() => sim.createPushMapping(slack().id, g1!.id, { shape: 'half' as never })).toThrow(/shape/);
    expect(sim.org.pushMappings(slack().id)).toHaveLength(1);
  });
});
