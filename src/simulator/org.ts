/**
 * The in-memory org: its records and the indices that keep pages cheap (every list is a sorted
 * id array, so a page starts by binary search; logins are indexed for lookups by login). How
 * each app user exists (directly, through groups, or both) is kept by `memberships.ts`; the
 * System Log events of each change are the `mutations-*.ts` modules' business.
 * @module
 */
import type { AppRecord, GroupRecord, UserRecord } from './records.js';
import { insertSorted, removeSorted } from './sorted.js';

/** The org and its indices. */
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
}
