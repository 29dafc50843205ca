/**
 * Group Push mutations: their System Log events and the mirroring of members under ACTIVE and
 * INACTIVE mappings (the endpoint is in group-push-http.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type LogEvent } from '../../src/simulator/index.js';
import { get, getJson, q } from './helpers.js';

const NOW = Date.UTC(2025, 3, 1, 9, 0, 0);
const SYSTEM = { type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' };
const ADMIN = 'okta.admin@example.com';
const shape = (e: LogEvent): string[] => e.target.map((t) => `${t.type}:${t.id}`);

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
