/**
 * Read-only access to the org for tests: {@link OktaSimulator.org}.
 * @module
 */
import type { Org } from './org.js';
import type { AppRecord, AppUserRecord, GroupRecord, PushMappingRecord, UserRecord } from './records.js';

/**
 * A read-only view of a record (tests must change the org only through the mutation methods).
 * @example
 * const user: DeepReadonly<UserRecord> = sim.org.users[0]!; // user.profile.login = 'x' does not compile
 */
export type DeepReadonly<T> = T extends ReadonlyArray<infer E>
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends ReadonlySet<infer V>
      ? ReadonlySet<V>
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;

/**
 * Read-only access to the org's current state.
 * @example
 * const deprovisioned = sim.org.users.filter((u) => u.status === 'DEPROVISIONED');
 */
export interface OrgView {
  /** Every user, sorted by id (built on each access: O(users)). */
  readonly users: ReadonlyArray<DeepReadonly<UserRecord>>;
  /** Every app, sorted by id. */
  readonly apps: ReadonlyArray<DeepReadonly<AppRecord>>;
  /** Every group (OKTA_GROUP and APP_GROUP), sorted by id. */
  readonly groups: ReadonlyArray<DeepReadonly<GroupRecord>>;
  /** A user by id or login. */
  user(idOrLogin: string): DeepReadonly<UserRecord> | undefined;
  /** An app by id. */
  app(id: string): DeepReadonly<AppRecord> | undefined;
  /** A group by id. */
  group(id: string): DeepReadonly<GroupRecord> | undefined;
  /** An app's app users, sorted by user id (empty for an unknown app). */
  appUsers(appId: string): ReadonlyArray<DeepReadonly<AppUserRecord>>;
  /** A group's member ids, sorted (empty for an unknown group). */
  groupMembers(groupId: string): readonly string[];
  /** An app's Group Push mappings, sorted by id (empty for an unknown app). */
  pushMappings(appId: string): ReadonlyArray<DeepReadonly<PushMappingRecord>>;
}

/** The view of `org`. */
export function orgView(org: Org): OrgView {
  return {
    get users() {
      return org.userIds.map((id) => org.user(id));
    },
    get apps() {
      return org.appIds.map((id) => org.app(id));
    },
    get groups() {
      return org.groupIds.map((id) => org.group(id));
    },
    user: (idOrLogin) => org.findUser(idOrLogin),
    app: (id) => org.apps.get(id),
    group: (id) => org.groups.get(id),
    appUsers: (appId) => {
      const app = org.apps.get(appId);
      return app ? app.appUserIds.map((id) => app.appUsers.get(id) as AppUserRecord) : [];
    },
    groupMembers: (groupId) => [...(org.groups.get(groupId)?.memberIds ?? [])],
    pushMappings: (appId) => {
      const app = org.apps.get(appId);
      return app ? app.pushMappingIds.map((id) => app.pushMappings.get(id) as PushMappingRecord) : [];
    },
  };
}
