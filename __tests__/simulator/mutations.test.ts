import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Identity } from '../../src/sdk.js';
import { OktaSimulator, type LogEvent } from '../../src/simulator/index.js';

const types = (events: readonly LogEvent[]): string[] => events.map((e) => e.eventType);
const targetTypes = (e: LogEvent): string[] => e.target.map((t) => t.type);
const target = (e: LogEvent, type: string) => e.target.find((t) => t.type === type)!;

describe('mutations', () => {
  let sim: OktaSimulator;
  beforeEach(() => {
    sim = new OktaSimulator({ users: 80, apps: 6, groups: 4 });
  });

  const active = () => sim.org.users.filter((u) => u.status === 'ACTIVE');
  const account = (userId: string, appId: string) => sim.identity(userId)?.accounts.find((a) => a.appId === appId);
  const directApp = () => sim.org.apps.find((a) => a.groupIds.length === 0)!;
  const groupApp = () => sim.org.apps.find((a) => a.groupIds.length > 0)!;

  it('createUser adds an ACTIVE user with create + activate events', () => {
    const before = sim.events.length;
    const user = sim.createUser({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', department: 'Navy' });
    expect(types(sim.events.slice(before))).toEqual(['user.lifecycle.create', 'user.lifecycle.activate']);
    for (const e of sim.events.slice(before)) expect(e.target).toEqual([{ id: user.id, type: 'User', alternateId: 'grace@example.com', displayName: 'Grace Hopper', detailEntry: null }]);
    expect(sim.identity(user.id)).toEqual({ id: user.id, login: 'grace@example.com', email: 'grace@example.com', displayName: 'Grace Hopper', status: 'ACTIVE', accounts: [] });
    expect(sim.expectedIdentities().map((i) => i.id)).toContain(user.id);
    const staged = sim.createUser({ login: 'staged@example.com' }, { activate: false });
    expect(staged.status).toBe('STAGED');
    expect(types(sim.events.slice(-1))).toEqual(['user.lifecycle.create']);
    expect(() => sim.createUser({ login: 'GRACE@example.com' })).toThrow(/taken/);
    expect(() => sim.createUser({ firstName: 'No login' })).toThrow(/login/);
  });

  it('deactivate, suspend, unsuspend and reactivate change the status and log it', () => {
    const [a, b] = active();
    expect(types(sim.suspendUser(a!.id))).toEqual(['user.lifecycle.suspend']);
    expect(sim.identity(a!.id)!.status).toBe('SUSPENDED');
    expect(() => sim.suspendUser(a!.id)).toThrow(/SUSPENDED/);
    expect(types(sim.unsuspendUser(a!.id))).toEqual(['user.lifecycle.unsuspend']);
    expect(sim.identity(a!.id)!.status).toBe('ACTIVE');
    const accounts = sim.identity(b!.id)!.accounts;
    const [deactivated] = sim.deactivateUser(b!.id);
    expect(deactivated).toMatchObject({ eventType: 'user.lifecycle.deactivate', target: [{ type: 'User', id: b!.id }] });
    expect(sim.identity(b!.id)).toMatchObject({ status: 'DEPROVISIONED', accounts });
    expect(types(sim.reactivateUser(b!.id))).toEqual(['user.lifecycle.activate']);
    expect(sim.identity(b!.id)!.status).toBe('ACTIVE');
  });

  it('deleteUser needs a deactivated user and removes it with its app users', () => {
    const user = sim.org.users.find((u) => sim.identity(u.id)!.accounts.length > 0 && u.status === 'ACTIVE')!;
    expect(() => sim.deleteUser(user.id)).toThrow(/deactivate/);
    sim.deactivateUser(user.id);
    const events = sim.deleteUser(user.id);
    expect(types(events)).toEqual(['user.lifecycle.delete.initiated', 'user.lifecycle.delete.completed']);
    for (const e of events) expect(target(e, 'User').id).toBe(user.id);
    expect(sim.identity(user.id)).toBeNull();
    expect(sim.expectedIdentities().some((i) => i.id === user.id)).toBe(false);
    for (const app of sim.org.apps) expect(app.appUsers.has(user.id)).toBe(false);
    for (const g of sim.org.groups) expect(g.members.has(user.id)).toBe(false);
    expect(sim.org.user(String(user.profile.login))).toBeUndefined();
  });

  it('updateProfile changes attributes; an email change adds update_primary_email; logins stay unique', () => {
    const user = active()[0]!;
    expect(types(sim.updateProfile(user.id, { title: 'CTO' }))).toEqual(['user.account.update_profile']);
    expect(sim.org.user(user.id)!.profile.title).toBe('CTO');
    const events = sim.updateProfile(user.id, { email: 'changed@example.com', displayName: 'The Boss' });
    expect(types(events)).toEqual(['user.account.update_profile', 'user.account.update_primary_email']);
    expect(sim.identity(user.id)).toMatchObject({ email: 'changed@example.com', displayName: 'The Boss' });
    sim.updateProfile(user.id, { displayName: '', firstName: '', lastName: '' });
    expect(sim.identity(user.id)!.displayName).toBe(user.profile.login);
    sim.updateProfile(user.id, { login: 'renamed@example.com' });
    expect(sim.org.user('RENAMED@example.com')?.id).toBe(user.id);
    expect(target(sim.events.at(-1)!, 'User').alternateId).toBe('renamed@example.com');
    expect(() => sim.updateProfile(active()[1]!.id, { login: 'renamed@example.com' })).toThrow(/taken/);
    sim.updateProfile(user.id, { email: null });
    expect(sim.identity(user.id)!.email).toBeNull();
  });

  it('assign, rename and unassign an app user, with AppUser, AppInstance and User targets', () => {
    const app = directApp();
    const user = sim.org.users.find((u) => !app.appUsers.has(u.id))!;
    const [added] = sim.assignUserToApp(app.id, user.id, { userName: 'octo-cat', externalId: 'ext-1' });
    expect(added!.eventType).toBe('application.user_membership.add');
    expect(targetTypes(added!)).toEqual(['AppUser', 'AppInstance', 'User']);
    expect(target(added!, 'AppUser')).toMatchObject({ alternateId: 'octo-cat' });
    expect(target(added!, 'AppUser').id).toMatch(/^0ua/);
    expect(target(added!, 'AppInstance')).toMatchObject({ id: app.id, alternateId: app.label, displayName: app.label });
    expect(target(added!, 'User').id).toBe(user.id);
    expect(account(user.id, app.id)).toEqual({ appId: app.id, appName: app.name, appLabel: app.label, userName: 'octo-cat', externalId: 'ext-1', scope: 'USER', status: app.provisioned ? 'PROVISIONED' : 'ACTIVE' });
    expect(() => sim.assignUserToApp(app.id, user.id)).toThrow(/already/);

    const [renamed] = sim.renameAppUser(app.id, user.id, 'octo-dog');
    expect(renamed!.eventType).toBe('application.user_membership.change_username');
    expect(target(renamed!, 'AppUser')).toMatchObject({ id: target(added!, 'AppUser').id, alternateId: 'octo-dog' });
    expect(account(user.id, app.id)!.userName).toBe('octo-dog');

    expect(types(sim.unassignUserFromApp(app.id, user.id))).toEqual(['application.user_membership.remove']);
    expect(account(user.id, app.id)).toBeUndefined();
    expect(() => sim.unassignUserFromApp(app.id, user.id)).toThrow(/not assigned/);
  });

  it('uses the user id as AppUser target id with appUserTargetId: user', () => {
    const s = new OktaSimulator({ users: 20, apps: 3, appUserTargetId: 'user' });
    const app = s.org.apps[1]!;
    const user = s.org.users.find((u) => !app.appUsers.has(u.id))!;
    expect(target(s.assignUserToApp(app.id, user.id)[0]!, 'AppUser').id).toBe(user.id);
  });

  it('gives members GROUP app users of the group’s apps, and takes them back', () => {
    const app = groupApp();
    const groupId = app.groupIds[0]!;
    const user = sim.org.users.find((u) => !app.appUsers.has(u.id) && !sim.org.group(groupId)!.members.has(u.id))!;
    const events = sim.addUserToGroup(groupId, user.id);
    expect(types(events)).toEqual(['group.user_membership.add', 'application.user_membership.add']);
    expect(targetTypes(events[0]!)).toEqual(['User', 'UserGroup']);
    expect(target(events[0]!, 'UserGroup')).toMatchObject({ id: groupId, displayName: sim.org.group(groupId)!.name });
    expect(events[1]!.transaction.type).toBe('JOB');
    expect(target(events[1]!, 'User').id).toBe(user.id);
    expect(account(user.id, app.id)?.scope).toBe('GROUP');
    expect(types(sim.removeUserFromGroup(groupId, user.id))).toEqual(['group.user_membership.remove', 'application.user_membership.remove']);
    expect(account(user.id, app.id)).toBeUndefined();
  });

  it('keeps scope USER when a member is also assigned directly, and GROUP after the direct assignment ends', () => {
    const app = groupApp();
    const groupId = app.groupIds[0]!;
    const member = sim.org.groupMembers(groupId).find((id) => !app.appUsers.get(id)!.direct)!;
    expect(account(member, app.id)?.scope).toBe('GROUP');
    expect(types(sim.assignUserToApp(app.id, member, { userName: 'direct-name' }))).toEqual(['application.user_membership.update']);
    expect(account(member, app.id)).toMatchObject({ scope: 'USER', userName: 'direct-name' });
    // Leaving the group does not remove a direct assignment.
    expect(types(sim.removeUserFromGroup(groupId, member))).toEqual(['group.user_membership.remove']);
    expect(account(member, app.id)?.scope).toBe('USER');
    sim.addUserToGroup(groupId, member);
    expect(types(sim.unassignUserFromApp(app.id, member))).toEqual(['application.user_membership.update']);
    expect(account(member, app.id)?.scope).toBe('GROUP');
  });

  it('assigning a group to an app gives every member a GROUP app user; unassigning takes them back', () => {
    const app = directApp();
    const group = sim.org.groups.find((g) => g.memberIds.some((id) => !app.appUsers.has(id)))!;
    const newcomers = group.memberIds.filter((id) => !app.appUsers.has(id));
    const direct = group.memberIds.filter((id) => app.appUsers.has(id));
    const events = sim.assignGroupToApp(app.id, group.id);
    expect(events[0]).toMatchObject({ eventType: 'group.application_assignment.add' });
    expect(targetTypes(events[0]!).sort()).toEqual(['AppInstance', 'UserGroup']);
    expect(events.slice(1).map((e) => target(e, 'User').id)).toEqual(newcomers);
    expect(types(events.slice(1)).every((t) => t === 'application.user_membership.add')).toBe(true);
    for (const id of newcomers) expect(account(id, app.id)?.scope).toBe('GROUP');
    for (const id of direct) expect(account(id, app.id)?.scope).toBe('USER');
    expect(sim.org.appUsers(app.id).map((au) => au.userId)).toEqual([...sim.org.app(app.id)!.appUserIds]);
    expect([...sim.org.app(app.id)!.appUserIds]).toEqual([...sim.org.app(app.id)!.appUserIds].sort());

    const removed = sim.unassignGroupFromApp(app.id, group.id);
    expect(removed[0]!.eventType).toBe('group.application_assignment.remove');
    expect(removed.slice(1).map((e) => target(e, 'User').id)).toEqual(newcomers);
    for (const id of newcomers) expect(account(id, app.id)).toBeUndefined();
    for (const id of direct) expect(account(id, app.id)?.scope).toBe('USER');
  });

  it('deactivated apps keep their app users; deleted apps lose them', () => {
    const app = sim.org.apps[2]!;
    const before: Identity[] = sim.expectedIdentities();
    const [deactivated] = sim.deactivateApp(app.id);
    expect(deactivated).toMatchObject({ eventType: 'application.lifecycle.deactivate', target: [{ type: 'AppInstance', id: app.id, alternateId: app.label }] });
    expect(sim.org.app(app.id)!.status).toBe('INACTIVE');
    expect(sim.expectedIdentities()).toEqual(before);
    const [deleted] = sim.deleteApp(app.id);
    expect(deleted).toMatchObject({ eventType: 'application.lifecycle.delete', target: [{ type: 'AppInstance', id: app.id }] });
    expect(sim.org.app(app.id)).toBeUndefined();
    expect(sim.expectedIdentities()).toEqual(before.map((i) => ({ ...i, accounts: i.accounts.filter((a) => a.appId !== app.id) })));
    expect(() => sim.deleteApp(sim.org.apps[0]!.id)).toThrow(/deactivate/);
  });

  it('renameApp changes every account’s label and logs application.lifecycle.update', () => {
    const app = sim.org.apps.find((a) => a.appUserIds.length > 0)!;
    const holder = app.appUserIds[0]!;
    const [event] = sim.renameApp(app.id, 'Renamed App');
    expect(event).toMatchObject({ eventType: 'application.lifecycle.update', target: [{ type: 'AppInstance', id: app.id, alternateId: 'Renamed App', displayName: 'Renamed App' }] });
    expect(account(holder, app.id)?.appLabel).toBe('Renamed App');
    expect(() => sim.renameApp(app.id, '')).toThrow(/empty/);
  });

  it('creates groups and apps', () => {
    const group = sim.createGroup('Pilots', 'Fly things');
    expect(types(sim.events.slice(-1))).toEqual(['group.lifecycle.create']);
    const app = sim.createApp({ name: 'slack', label: 'Slack (Pilots)', provisioned: true });
    expect(types(sim.events.slice(-2))).toEqual(['application.lifecycle.create', 'application.lifecycle.activate']);
    const user = active()[0]!;
    sim.assignGroupToApp(app.id, group.id);
    sim.addUserToGroup(group.id, user.id);
    // A provisioning app's new account waits for Okta's push (STAGED, no externalId yet).
    expect(account(user.id, app.id)).toMatchObject({ appName: 'slack', appLabel: 'Slack (Pilots)', scope: 'GROUP', status: 'STAGED', externalId: null });
    sim.provisionPending();
    expect(account(user.id, app.id)).toMatchObject({ scope: 'GROUP', status: 'PROVISIONED', externalId: expect.any(String) });
  });

  it('noise adds only events an identity connector ignores', () => {
    const before = sim.expectedIdentities();
    const events = sim.noise(30);
    expect(events).toHaveLength(30);
    expect(new Set(types(events))).toEqual(new Set(['user.session.start', 'user.authentication.sso', 'policy.evaluate_sign_on']));
    expect(sim.expectedIdentities()).toEqual(before);
  });

  it('throws on unknown ids', () => {
    expect(() => sim.deactivateUser('00unope')).toThrow(/no user/);
    expect(() => sim.assignUserToApp('0oanope', active()[0]!.id)).toThrow(/no app/);
    expect(() => sim.addUserToGroup('00gnope', active()[0]!.id)).toThrow(/no group/);
  });

  it('applies seeded random mutations reproducibly', () => {
    const run = (): string[] => {
      const s = new OktaSimulator({ seed: 3, users: 60, now: () => Date.UTC(2025, 0, 1) });
      const kinds: string[] = [];
      for (let i = 0; i < 150; i++) kinds.push(s.randomMutation().kind);
      return [...kinds, JSON.stringify(s.expectedIdentities()), ...s.events.map((e) => `${e.eventType}:${e.uuid}`)];
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(new Set(a.slice(0, 150)).size).toBeGreaterThan(10);
  });
});
