/**
 * The in-memory org: users, groups, app instances and app users, with the indices that keep
 * pages cheap (every list is a sorted id array, so a page starts by binary search) and the
 * bookkeeping of how each app user exists (directly, through groups, or both).
 *
 * This module changes state only; {@link ./mutations.ts} wraps each change with its System Log
 * events.
 * @module
 */
import type { GroupRecord, PushMappingRecord } from './groups-model.js';
import { insertSorted, mergeSorted, removeMany, removeSorted } from './sorted.js';

export type { GroupRecord, GroupType, PushMappingRecord, PushMappingStatus } from './groups-model.js';

/**
 * Okta user statuses (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/).
 * @example
 * const status: UserStatus = 'DEPROVISIONED';
 */
export type UserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'PASSWORD_EXPIRED' | 'LOCKED_OUT' | 'SUSPENDED' | 'DEPROVISIONED';

/**
 * A user profile: Okta's base attributes plus any custom ones; values are strings or null.
 * @example
 * const profile: UserProfile = { firstName: 'Ada', lastName: 'Lovelace', login: 'ada@example.com', email: 'ada@example.com' };
 */
export type UserProfile = Record<string, string | null>;

/**
 * A user. Timestamps are epoch milliseconds (null where Okta sends null).
 * @example
 * new Date(org.user(id).lastUpdated).toISOString();
 */
export interface UserRecord {
  id: string;
  status: UserStatus;
  created: number;
  activated: number | null;
  statusChanged: number | null;
  lastLogin: number | null;
  lastUpdated: number;
  passwordChanged: number | null;
  /** The user type id (`oty...`). */
  typeId: string;
  profile: UserProfile;
}

/**
 * How an app derives a user's account name (`credentials.userName`).
 * @example
 * const style: UserNameStyle = 'emailPrefix'; // ada.lovelace@example.com → 'ada.lovelace'
 */
export type UserNameStyle = 'login' | 'email' | 'emailPrefix' | 'handle' | 'employeeId';

/**
 * An app instance.
 * @example
 * org.app(appId).appUsers.get(userId)?.userName;
 */
export interface AppRecord {
  id: string;
  /** Catalog name; several instances may share it. */
  name: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  created: number;
  lastUpdated: number;
  signOnMode: string;
  /** Provisioning on: app users are PROVISIONED with an `externalId` (STAGED without one until pushed). */
  provisioned: boolean;
  /** For apps without provisioning: whether app users carry `externalId: null` or no `externalId` at all. */
  externalIdStyle: 'null' | 'absent';
  userNameStyle: UserNameStyle;
  /** App users by user id. */
  appUsers: Map<string, AppUserRecord>;
  /** The keys of `appUsers`, sorted. */
  appUserIds: string[];
  /** Group assignments by group id. */
  groups: Map<string, AppGroupRecord>;
  /** The keys of `groups`, sorted. */
  groupIds: string[];
  /** Group Push mappings by id, and their ids sorted. */
  pushMappings: Map<string, PushMappingRecord>;
  pushMappingIds: string[];
}

/**
 * One user's assignment to one app.
 * @example
 * const scope = org.app(appId).appUsers.get(userId)?.direct ? 'USER' : 'GROUP';
 */
export interface AppUserRecord {
  appId: string;
  userId: string;
  /** Sequence number of the `0ua...` assignment id (see `assignmentId`). */
  assignmentSeq: number;
  /** Assigned directly (scope USER when true). */
  direct: boolean;
  /** How many of the app's assigned groups the user is a member of. */
  groupCount: number;
  userName: string;
  externalId: string | null;
  /**
   * `ACTIVE` in apps without provisioning; in provisioning apps `STAGED` until pushed (no
   * externalId yet), then `PROVISIONED`. (`syncState` and `lastSync` follow from the app and this.)
   */
  status: string;
  created: number;
  lastUpdated: number;
  statusChanged: number;
}

/**
 * A group's assignment to an app.
 * @example
 * org.app(appId).groups.get(groupId)?.priority; // 0 for the first group assigned
 */
export interface AppGroupRecord {
  groupId: string;
  priority: number;
  lastUpdated: number;
}

/**
 * What a change did to one app user.
 * @example
 * for (const c of org.addMember(groupId, userId, now, init)) if (c.change === 'created') logAdd(c.app, c.appUser);
 */
export interface AppUserChange {
  app: AppRecord;
  appUser: AppUserRecord;
  /** `created`/`removed`: the app user appeared/disappeared; `scope`: its scope changed. */
  change: 'created' | 'removed' | 'scope';
}

/**
 * Values a new app user starts with (userName, externalId, timestamps...).
 * @example
 * const init: AppUserInit = (app, user, direct) => factory.appUser(app, user, direct, Date.now());
 */
export type AppUserInit = (app: AppRecord, user: UserRecord, direct: boolean) => AppUserRecord;

/**
 * The scope Okta reports for an app user: `USER` when assigned directly (even when a group
 * also assigns it), else `GROUP`.
 * @example
 * scopeOf({ direct: false, groupCount: 2 } as AppUserRecord); // 'GROUP'
 */
export function scopeOf(appUser: AppUserRecord): 'USER' | 'GROUP' {
  return appUser.direct ? 'USER' : 'GROUP';
}

/**
 * The org and its indices.
 * @example
 * const org = new Org();
 * org.addUser(user);
 * org.findUser('ada@example.com'); // by id or login
 */
export class Org {
  readonly users = new Map<string, UserRecord>();
  /** User ids, sorted. */
  readonly userIds: string[] = [];
  /** Lower-cased login → user id. */
  readonly logins = new Map<string, string>();
  readonly apps = new Map<string, AppRecord>();
  readonly appIds: string[] = [];
  readonly groups = new Map<string, GroupRecord>();
  readonly groupIds: string[] = [];
  /** User id → ids of the groups it belongs to (a small array: most users are in a few groups). */
  readonly userGroups = new Map<string, string[]>();

  /** A user by id, or by login (case-insensitive) as `GET /api/v1/users/{idOrLogin}` accepts. */
  findUser(idOrLogin: string): UserRecord | undefined {
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const id = this.logins.get(idOrLogin.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** The user with this id, or a RangeError naming it. */
  user(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new RangeError(`no user ${id}`);
    return user;
  }

  /** The app with this id, or a RangeError naming it. */
  app(id: string): AppRecord {
    const app = this.apps.get(id);
    if (!app) throw new RangeError(`no app ${id}`);
    return app;
  }

  /** The group with this id, or a RangeError naming it. */
  group(id: string): GroupRecord {
    const group = this.groups.get(id);
    if (!group) throw new RangeError(`no group ${id}`);
    return group;
  }

  /** The apps (sorted by id) in which the user has an app user. */
  appsOf(userId: string): AppRecord[] {
    const out: AppRecord[] = [];
    for (const id of this.appIds) {
      const app = this.apps.get(id) as AppRecord;
      if (app.appUsers.has(userId)) out.push(app);
    }
    return out;
  }

  /** Adds a user (its id must be new; its login unique). */
  addUser(user: UserRecord): void {
    const login = String(user.profile.login ?? '').toLowerCase();
    if (this.users.has(user.id)) throw new RangeError(`user ${user.id} already exists`);
    if (login === '' || this.logins.has(login)) throw new RangeError(`login ${JSON.stringify(user.profile.login)} is empty or taken`);
    this.users.set(user.id, user);
    const last = this.userIds[this.userIds.length - 1];
    if (last === undefined || last < user.id) this.userIds.push(user.id);
    else insertSorted(this.userIds, user.id);
    this.logins.set(login, user.id);
  }

  /** Changes a user's login, keeping the login index right. */
  changeLogin(user: UserRecord, login: string): void {
    const key = login.toLowerCase();
    const owner = this.logins.get(key);
    if (login === '' || (owner !== undefined && owner !== user.id)) throw new RangeError(`login ${JSON.stringify(login)} is empty or taken`);
    this.logins.delete(String(user.profile.login ?? '').toLowerCase());
    this.logins.set(key, user.id);
    user.profile.login = login;
  }

  /** Removes a user with its group memberships and app users. */
  removeUser(userId: string): void {
    const user = this.user(userId);
    for (const groupId of this.userGroups.get(userId) ?? []) {
      const group = this.groups.get(groupId);
      if (!group) continue;
      group.members.delete(userId);
      removeSorted(group.memberIds, userId);
    }
    this.userGroups.delete(userId);
    for (const app of this.apps.values()) {
      if (app.appUsers.delete(userId)) removeSorted(app.appUserIds, userId);
    }
    this.logins.delete(String(user.profile.login ?? '').toLowerCase());
    this.users.delete(userId);
    removeSorted(this.userIds, userId);
  }

  /** Adds an app (no app users yet). */
  addApp(app: AppRecord): void {
    if (this.apps.has(app.id)) throw new RangeError(`app ${app.id} already exists`);
    this.apps.set(app.id, app);
    insertSorted(this.appIds, app.id);
  }

  /** Removes an app and so every app user and group assignment of it. */
  removeApp(appId: string): void {
    this.app(appId);
    this.apps.delete(appId);
    removeSorted(this.appIds, appId);
  }

  /** Adds a group (no members yet). */
  addGroup(group: GroupRecord): void {
    if (this.groups.has(group.id)) throw new RangeError(`group ${group.id} already exists`);
    this.groups.set(group.id, group);
    insertSorted(this.groupIds, group.id);
  }

  /**
   * Makes the user a member of the group; each app the group is assigned to gains a GROUP app
   * user for it unless the user already has one. Returns the app users created.
   */
  addMember(groupId: string, userId: string, now: number, init: AppUserInit): AppUserChange[] {
    const group = this.group(groupId);
    const user = this.user(userId);
    if (group.members.has(userId)) throw new RangeError(`user ${userId} is already a member of group ${groupId}`);
    group.members.add(userId);
    insertSorted(group.memberIds, userId);
    group.lastMembershipUpdated = now;
    const mine = this.userGroups.get(userId);
    if (mine) mine.push(groupId);
    else this.userGroups.set(userId, [groupId]);
    const changes: AppUserChange[] = [];
    for (const app of this.apps.values()) {
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
  removeMember(groupId: string, userId: string, now: number): AppUserChange[] {
    const group = this.group(groupId);
    if (!group.members.delete(userId)) throw new RangeError(`user ${userId} is not a member of group ${groupId}`);
    removeSorted(group.memberIds, userId);
    group.lastMembershipUpdated = now;
    const mine = this.userGroups.get(userId);
    if (mine) {
      const i = mine.indexOf(groupId);
      if (i >= 0) mine.splice(i, 1);
    }
    const changes: AppUserChange[] = [];
    for (const app of this.apps.values()) {
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
  assignDirect(appId: string, userId: string, now: number, init: AppUserInit): AppUserChange {
    const app = this.app(appId);
    const user = this.user(userId);
    const existing = app.appUsers.get(userId);
    if (existing) {
      if (existing.direct) throw new RangeError(`user ${userId} is already assigned to app ${appId}`);
      existing.direct = true;
      existing.lastUpdated = now;
      return { app, appUser: existing, change: 'scope' };
    }
    const appUser = init(app, user, true);
    appUser.groupCount = this.groupCountFor(app, userId);
    app.appUsers.set(userId, appUser);
    insertSorted(app.appUserIds, userId);
    return { app, appUser, change: 'created' };
  }

  /**
   * Ends a direct assignment: the app user disappears (`removed`) or, when an assigned group
   * still covers the user, stays with scope GROUP (`scope`).
   */
  unassignDirect(appId: string, userId: string, now: number): AppUserChange {
    const app = this.app(appId);
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
  assignGroup(appId: string, groupId: string, now: number, init: AppUserInit): AppUserChange[] {
    const app = this.app(appId);
    const group = this.group(groupId);
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
      const appUser = init(app, this.user(userId), false);
      appUser.groupCount = 1;
      app.appUsers.set(userId, appUser);
      added.push(userId);
      changes.push({ app, appUser, change: 'created' });
    }
    mergeSorted(app.appUserIds, added);
    return changes;
  }

  /** Unassigns the group: GROUP app users no other assigned group covers disappear. Returns those. */
  unassignGroup(appId: string, groupId: string): AppUserChange[] {
    const app = this.app(appId);
    const group = this.group(groupId);
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
  groupCountFor(app: AppRecord, userId: string): number {
    let n = 0;
    for (const groupId of this.userGroups.get(userId) ?? []) if (app.groups.has(groupId)) n++;
    return n;
  }
}
