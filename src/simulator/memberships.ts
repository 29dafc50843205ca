/**
 * How each app user exists: assigned directly (scope USER), through the app's assigned groups
 * the user is a member of (scope GROUP, counted so that losing one of two groups keeps it), or
 * both. Changing a membership or an assignment creates, removes or re-scopes app users; each
 * function returns those changes for the caller to log.
 * @module
 */
import type { Org } from './org.js';
import type { AppRecord, AppUserChange, AppUserInit } from './records.js';
import { insertSorted, mergeSorted, removeMany, removeSorted } from './sorted.js';

/**
 * Makes the user a member of the group; each app the group is assigned to gains a GROUP app
 * user for it unless the user already has one. Returns the app users created.
 */
export function addMember(org: Org, groupId: string, userId: string, now: number, init: AppUserInit): AppUserChange[] {
  const group = org.group(groupId);
  const user = org.user(userId);
  if (group.members.has(userId)) throw new RangeError(`user ${userId} is already a member of group ${groupId}`);
  group.members.add(userId);
  insertSorted(group.memberIds, userId);
  group.lastMembershipUpdated = now;
  const mine = org.userGroups.get(userId);
  if (mine) mine.push(groupId);
  else org.userGroups.set(userId, [groupId]);
  const changes: AppUserChange[] = [];
  for (const app of org.apps.values()) {
    if (!app.groups.has(groupId)) continue;
    const existing = app.appUsers.get(userId);
    if (existing) {
      existing.groupCount++;
      continue;
    }
    const appUser = init(app, user, false);
    appUser.groupCount = 1;
    app.appUsers.set(userId, appUser);
    insertSorted(app.appUserIds, userId);
    changes.push({ app, appUser, change: 'created' });
  }
  return changes;
}

/** Ends a membership; GROUP app users that no other assigned group covers disappear. Returns them. */
export function removeMember(org: Org, groupId: string, userId: string, now: number): AppUserChange[] {
  const group = org.group(groupId);
  if (!group.members.delete(userId)) throw new RangeError(`user ${userId} is not a member of group ${groupId}`);
  removeSorted(group.memberIds, userId);
  group.lastMembershipUpdated = now;
  const mine = org.userGroups.get(userId);
  if (mine) {
    const i = mine.indexOf(groupId);
    if (i >= 0) mine.splice(i, 1);
  }
  const changes: AppUserChange[] = [];
  for (const app of org.apps.values()) {
    if (!app.groups.has(groupId)) continue;
    const appUser = app.appUsers.get(userId);
    if (!appUser) continue;
    appUser.groupCount--;
    if (appUser.groupCount === 0 && !appUser.direct) {
      app.appUsers.delete(userId);
      removeSorted(app.appUserIds, userId);
      changes.push({ app, appUser, change: 'removed' });
    }
  }
  return changes;
}

/**
 * Assigns the user to the app directly: a new app user (`created`) or, when a group already
 * assigned it, the existing one turns to scope USER (`scope`).
 */
export function assignDirect(org: Org, appId: string, userId: string, now: number, init: AppUserInit): AppUserChange {
  const app = org.app(appId);
  const user = org.user(userId);
  const existing = app.appUsers.get(userId);
  if (existing) {
    if (existing.direct) throw new RangeError(`user ${userId} is already assigned to app ${appId}`);
    existing.direct = true;
    existing.lastUpdated = now;
    return { app, appUser: existing, change: 'scope' };
  }
  const appUser = init(app, user, true);
  appUser.groupCount = groupCountFor(org, app, userId);
  app.appUsers.set(userId, appUser);
  insertSorted(app.appUserIds, userId);
  return { app, appUser, change: 'created' };
}

/**
 * Ends a direct assignment: the app user disappears (`removed`) or, when an assigned group
 * still covers the user, stays with scope GROUP (`scope`).
 */
export function unassignDirect(org: Org, appId: string, userId: string, now: number): AppUserChange {
  const app = org.app(appId);
  const appUser = app.appUsers.get(userId);
  if (!appUser || !appUser.direct) throw new RangeError(`user ${userId} is not assigned directly to app ${appId}`);
  appUser.direct = false;
  if (appUser.groupCount > 0) {
    appUser.lastUpdated = now;
    return { app, appUser, change: 'scope' };
  }
  app.appUsers.delete(userId);
  removeSorted(app.appUserIds, userId);
  return { app, appUser, change: 'removed' };
}

/** Assigns the group to the app: every member without an app user gains a GROUP one. Returns those. */
export function assignGroup(org: Org, appId: string, groupId: string, now: number, init: AppUserInit): AppUserChange[] {
  const app = org.app(appId);
  const group = org.group(groupId);
  if (app.groups.has(groupId)) throw new RangeError(`group ${groupId} is already assigned to app ${appId}`);
  app.groups.set(groupId, { groupId, priority: app.groups.size, lastUpdated: now });
  insertSorted(app.groupIds, groupId);
  const changes: AppUserChange[] = [];
  const added: string[] = [];
  for (const userId of group.memberIds) {
    const existing = app.appUsers.get(userId);
    if (existing) {
      existing.groupCount++;
      continue;
    }
    const appUser = init(app, org.user(userId), false);
    appUser.groupCount = 1;
    app.appUsers.set(userId, appUser);
    added.push(userId);
    changes.push({ app, appUser, change: 'created' });
  }
  mergeSorted(app.appUserIds, added);
  return changes;
}

/** Unassigns the group: GROUP app users no other assigned group covers disappear. Returns those. */
export function unassignGroup(org: Org, appId: string, groupId: string): AppUserChange[] {
  const app = org.app(appId);
  const group = org.group(groupId);
  if (!app.groups.delete(groupId)) throw new RangeError(`group ${groupId} is not assigned to app ${appId}`);
  removeSorted(app.groupIds, groupId);
  const changes: AppUserChange[] = [];
  const removed = new Set<string>();
  for (const userId of group.memberIds) {
    const appUser = app.appUsers.get(userId);
    if (!appUser) continue;
    appUser.groupCount--;
    if (appUser.groupCount === 0 && !appUser.direct) {
      app.appUsers.delete(userId);
      removed.add(userId);
      changes.push({ app, appUser, change: 'removed' });
    }
  }
  removeMany(app.appUserIds, removed);
  return changes;
}

/** How many of the app's assigned groups the user belongs to. */
function groupCountFor(org: Org, app: AppRecord, userId: string): number {
  let n = 0;
  for (const groupId of org.userGroups.get(userId) ?? []) if (app.groups.has(groupId)) n++;
  return n;
}
