/**
 * App groups imported from apps, group renames and deletions: the org changes and the System
 * Log events `/api/v1/logs` serves for each (exact shapes).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OktaSimulator, type LogEvent } from '../../src/simulator/index.js';
import { getJson, q } from './helpers.js';

const catalog = JSON.parse(readFileSync(new URL('../fixtures/okta-event-types.json', import.meta.url), 'utf8')) as { eventTypes: string[] };
const KNOWN = new Set(catalog.eventTypes);

const NOW = Date.UTC(2025, 4, 1, 9, 0, 0);
const SYSTEM = { type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' };
const ADMIN = 'okta.admin@example.com';
const targets = (e: LogEvent): string[] => e.target.map((t) => `${t.type}:${t.id}`);

describe('app groups', () => {
  let sim: OktaSimulator;
  let now = NOW;
  beforeEach(async () => {
    now = NOW;
    sim = new OktaSimulator({ seed: 6, users: 80, apps: 6, groups: 4, now: () => now, rateLimits: { limits: { logs: 1e6, groups: 1e6 } } });
    await sim.start();
  });
  afterEach(() => sim.stop());

  const github = () => sim.org.apps.find((a) => a.name === 'github')!;
  const served = async (eventType: string) => (await getJson<LogEvent[]>(sim, `/api/v1/logs?limit=1000&filter=${q(`eventType eq "${eventType}"`)}`)).body;

  it('importAppGroup: system.import.group.create [UserGroup, AppInstance] or user_group_import.upsert_success [AppInstance, UserGroup], by Okta System', async () => {
    now += 1_000;
    const a = sim.importAppGroup(github().id, 'reviewers', { description: 'Code reviewers' }, { shape: 'system' });
    const b = sim.importAppGroup(github().id, 'admins', {}, { shape: 'app' });
    expect(a).toMatchObject({ type: 'APP_GROUP', sourceAppId: github().id, name: 'reviewers', description: 'Code reviewers', created: now, memberIds: [] });
    const [created] = await served('system.import.group.create');
    expect(created).toMatchObject({ actor: SYSTEM, transaction: { type: 'JOB' }, displayMessage: 'Create group triggered by import process' });
    expect(created!.target).toEqual([
      { id: a.id, type: 'UserGroup', alternateId: 'unknown', displayName: 'reviewers', detailEntry: null },
      { id: github().id, type: 'AppInstance', alternateId: github().label, displayName: github().label, detailEntry: null },
    ]);
    const [upserted] = await served('app.user_management.user_group_import.upsert_success');
    expect(upserted).toMatchObject({ actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(targets(upserted!)).toEqual([`AppInstance:${github().id}`, `UserGroup:${b.id}`]);
    expect(() => sim.importAppGroup(github().id, '')).toThrow(/empty/);
    expect(() => sim.importAppGroup('0oanope', 'x')).toThrow(/no app/);
  });

  it('addAppGroupMember / removeAppGroupMember: group.user_membership.* [User, UserGroup] or app.user_management [AppInstance, UserGroup], by Okta System', async () => {
    const group = sim.importAppGroup(github().id, 'platform');
    const [u1, u2] = sim.org.users;
    now += 1_000;
    const [add] = sim.addAppGroupMember(group.id, u1!.id, { shape: 'group' });
    expect(add).toMatchObject({ eventType: 'group.user_membership.add', actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(targets(add!)).toEqual([`User:${u1!.id}`, `UserGroup:${group.id}`]);
    const [imported] = sim.addAppGroupMember(group.id, u2!.id, { shape: 'app' });
    expect(imported).toMatchObject({ eventType: 'app.user_management', actor: SYSTEM, transaction: { type: 'JOB' }, displayMessage: 'Imported new or deleted existing member of an application group' });
    expect(targets(imported!)).toEqual([`AppInstance:${github().id}`, `UserGroup:${group.id}`]);
    expect(sim.org.groupMembers(group.id)).toEqual([u1!.id, u2!.id].sort());
    expect(sim.org.group(group.id)!.lastMembershipUpdated).toBe(now);
    const [remove] = sim.removeAppGroupMember(group.id, u1!.id, { shape: 'group' });
    expect(remove).toMatchObject({ eventType: 'group.user_membership.remove', actor: SYSTEM });
    const [removedByImport] = sim.removeAppGroupMember(group.id, u2!.id, { shape: 'app' });
    expect(removedByImport!.eventType).toBe('app.user_management');
    expect(sim.org.groupMembers(group.id)).toEqual([]);
    expect((await served('app.user_management')).map((e) => e.uuid)).toEqual([imported!.uuid, removedByImport!.uuid]);
    expect(() => sim.removeAppGroupMember(group.id, u1!.id)).toThrow(/not a member/);
  });

  it('an APP_GROUP’s members are its app’s, an OKTA_GROUP’s the admin’s', () => {
    const group = sim.importAppGroup(github().id, 'platform');
    const okta = sim.org.groups[0]!;
    const user = sim.org.users.find((u) => !okta.members.has(u.id))!;
    expect(() => sim.addUserToGroup(group.id, user.id)).toThrow(/APP_GROUP; its members are managed by its app/);
    expect(() => sim.addAppGroupMember(okta.id, user.id)).toThrow(/OKTA_GROUP, not an APP_GROUP/);
  });

  it('an imported membership of a group assigned to an app brings and takes accounts, each a JOB application.user_membership event', () => {
    const group = sim.importAppGroup(github().id, 'zendesk-agents');
    const zendesk = sim.org.apps.find((a) => a.name === 'zendesk')!;
    sim.assignGroupToApp(zendesk.id, group.id);
    const user = sim.org.users.find((u) => !zendesk.appUsers.has(u.id))!;
    const events = sim.addAppGroupMember(group.id, user.id, { shape: 'app' });
    expect(events.map((e) => [e.eventType, e.transaction.type])).toEqual([['app.user_management', 'JOB'], ['application.user_membership.add', 'JOB']]);
    expect(events[1]!.target.map((t) => t.type)).toEqual(['AppUser', 'AppInstance', 'User']);
    expect(sim.identity(user.id)!.accounts.find((a) => a.appId === zendesk.id)).toMatchObject({ scope: 'GROUP' });
    const gone = sim.removeAppGroupMember(group.id, user.id, { shape: 'group' });
    expect(gone.map((e) => e.eventType)).toEqual(['group.user_membership.remove', 'application.user_membership.remove']);
    expect(sim.identity(user.id)!.accounts.some((a) => a.appId === zendesk.id)).toBe(false);
  });

  it('renameGroup: an OKTA_GROUP by the admin (group.profile.update), an APP_GROUP by an import (system.import.group.update)', () => {
    const okta = sim.org.groups[1]!;
    now += 5_000;
    const [update] = sim.renameGroup(okta.id, 'Renamed');
    expect(update).toMatchObject({ eventType: 'group.profile.update', actor: { alternateId: ADMIN }, transaction: { type: 'WEB' }, target: [{ id: okta.id, type: 'UserGroup', displayName: 'Renamed' }] });
    expect(sim.org.group(okta.id)).toMatchObject({ name: 'Renamed', lastUpdated: now });
    const group = sim.importAppGroup(github().id, 'old-name');
    const [imported] = sim.renameGroup(group.id, 'new-name');
    expect(imported).toMatchObject({ eventType: 'system.import.group.update', actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(targets(imported!)).toEqual([`UserGroup:${group.id}`, `AppInstance:${github().id}`]);
    expect(sim.expectedAppGroup(github().id, 'NEW-NAME')!.group.name).toBe('new-name');
    expect(() => sim.renameGroup(okta.id, '')).toThrow(/empty/);
  });

  it('deleteGroup: group.lifecycle.delete by the admin, then a JOB application.user_membership.remove per account only it gave', () => {
    const app = sim.org.apps.find((a) => a.groupIds.length > 0)!;
    const groupId = app.groupIds[0]!;
    const onlyThrough = sim.org.groupMembers(groupId).filter((id) => {
      const au = app.appUsers.get(id)!;
      return !au.direct && au.groupCount === 1;
    });
    expect(onlyThrough.length).toBeGreaterThan(0);
    const members = sim.org.groupMembers(groupId);
    const events = sim.deleteGroup(groupId);
    expect(events[0]).toMatchObject({ eventType: 'group.lifecycle.delete', actor: { alternateId: ADMIN }, transaction: { type: 'WEB' }, target: [{ id: groupId, type: 'UserGroup' }] });
    const removes = events.slice(1);
    expect(removes.every((e) => e.eventType === 'application.user_membership.remove' && e.transaction.type === 'JOB')).toBe(true);
    expect(removes.map((e) => e.target.find((t) => t.type === 'User')!.id).sort()).toEqual(onlyThrough.sort());
    for (const id of onlyThrough) expect(sim.identity(id)!.accounts.some((a) => a.appId === app.id)).toBe(false);
    expect(sim.org.group(groupId)).toBeUndefined();
    expect(sim.org.app(app.id)!.groupIds).not.toContain(groupId);
    for (const id of members) expect(sim.expectedIdentities({ groups: true }).find((i) => i.id === id)!.groups.map((g) => g.id)).not.toContain(groupId);
  });

  it('importAppGroupDelete: system.import.group.delete [UserGroup, AppInstance] or user_group_import.delete_success [AppInstance, UserGroup]', () => {
    const a = sim.importAppGroup(github().id, 'a');
    const b = sim.importAppGroup(github().id, 'b');
    sim.addAppGroupMember(a.id, sim.org.users[0]!.id);
    const [first] = sim.importAppGroupDelete(a.id, { shape: 'system' });
    expect(first).toMatchObject({ eventType: 'system.import.group.delete', actor: SYSTEM, transaction: { type: 'JOB' } });
    expect(targets(first!)).toEqual([`UserGroup:${a.id}`, `AppInstance:${github().id}`]);
    const [second] = sim.importAppGroupDelete(b.id, { shape: 'app' });
    expect(second!.eventType).toBe('app.user_management.user_group_import.delete_success');
    expect(targets(second!)).toEqual([`AppInstance:${github().id}`, `UserGroup:${b.id}`]);
    expect(sim.org.groups.filter((g) => g.type === 'APP_GROUP')).toEqual([]);
    expect(sim.expectedIdentities({ groups: true }).find((i) => i.id === sim.org.users[0]!.id)!.groups.every((g) => g.type === 'OKTA_GROUP')).toBe(true);
  });

  it('deleting an app deletes its app groups (group.lifecycle.delete by Okta System) and the accounts they gave elsewhere', () => {
    const source = github();
    const group = sim.importAppGroup(source.id, 'everyone-in-github');
    const zendesk = sim.org.apps.find((a) => a.name === 'zendesk')!;
    sim.assignGroupToApp(zendesk.id, group.id);
    const user = sim.org.users.find((u) => !zendesk.appUsers.has(u.id))!;
    sim.addAppGroupMember(group.id, user.id);
    sim.deactivateApp(source.id);
    const events = sim.deleteApp(source.id);
    expect(events.map((e) => [e.eventType, e.actor.type])).toEqual([
      ['application.lifecycle.delete', 'User'],
      ['group.lifecycle.delete', 'SystemPrincipal'],
      ['application.user_membership.remove', 'User'],
    ]);
    expect(sim.org.group(group.id)).toBeUndefined();
    expect(sim.identity(user.id)!.accounts.some((a) => a.appId === zendesk.id)).toBe(false);
  });

  it('chooses each import’s shape from the seed when not forced', () => {
    const group = sim.importAppGroup(github().id, 'x');
    const kinds = new Set<string>();
    for (const u of sim.org.users.slice(0, 16)) kinds.add(sim.addAppGroupMember(group.id, u.id)[0]!.eventType);
    expect(kinds).toEqual(new Set(['group.user_membership.add', 'app.user_management']));
    expect(() => sim.addAppGroupMember(group.id, sim.org.users[20]!.id, { shape: 'user' as never })).toThrow(/shape/);
  });

  it('writes only event types of Okta’s catalog', () => {
    const group = sim.importAppGroup(github().id, 'x');
    for (const u of sim.org.users.slice(0, 6)) sim.addAppGroupMember(group.id, u.id);
    sim.removeAppGroupMember(group.id, sim.org.users[0]!.id);
    sim.renameGroup(group.id, 'y');
    const m = sim.createPushMapping(github().id, sim.org.groups[0]!.id);
    sim.renameGroup(sim.org.groups[0]!.id, 'z');
    sim.setPushMappingStatus(github().id, m.id, 'INACTIVE');
    sim.setPushMappingStatus(github().id, m.id, 'ACTIVE');
    sim.setPushMappingStatus(github().id, m.id, 'INACTIVE');
    sim.deletePushMapping(github().id, m.id, { deleteTargetGroup: true });
    sim.importAppGroupDelete(group.id);
    sim.deleteGroup(sim.org.groups[1]!.id);
    for (let i = 0; i < 300; i++) sim.randomMutation();
    const types = new Set(sim.events.map((e) => e.eventType));
    expect([...types].filter((t) => !KNOWN.has(t))).toEqual([]);
    for (const t of ['system.import.group.create', 'group.profile.update', 'group.lifecycle.delete', 'application.provision.group_push.delete_appgroup']) expect(types).toContain(t);
  });
});
