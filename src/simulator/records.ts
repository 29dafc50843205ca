/**
 * The records of the in-memory org: users, app instances, app users (one user's assignment to
 * one app), group assignments, groups and Group Push mappings. Timestamps are epoch
 * milliseconds.
 *
 * Okta's group types (GroupType in Okta's Management API): `OKTA_GROUP` (managed in Okta),
 * `APP_GROUP` (imported from an app, or the copy in an app of a group Okta pushes to it: its
 * profile and members are managed by the app or by the push) and `BUILT_IN` (Everyone, which
 * the simulator does not model).
 * @module
 */

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

/** What a change did to one app user. */
export interface AppUserChange {
  app: AppRecord;
  appUser: AppUserRecord;
  /** `created`/`removed`: the app user appeared/disappeared; `scope`: its scope changed. */
  change: 'created' | 'removed' | 'scope';
}

/** Values a new app user starts with (userName, externalId, timestamps...). */
export type AppUserInit = (app: AppRecord, user: UserRecord, direct: boolean) => AppUserRecord;

/**
 * The scope Okta reports for an app user: `USER` when assigned directly (even when a group
 * also assigns it), else `GROUP`.
 */
export function scopeOf(appUser: AppUserRecord): 'USER' | 'GROUP' {
  return appUser.direct ? 'USER' : 'GROUP';
}

/**
 * Okta's group types.
 * @example
 * const type: GroupType = 'APP_GROUP';
 */
export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

/**
 * A group.
 * @example
 * org.group(groupId).members.has(userId);
 */
export interface GroupRecord {
  id: string;
  name: string;
  description: string;
  created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  /** Member user ids, sorted. */
  memberIds: string[];
  members: Set<string>;
  type: GroupType;
  /** For an APP_GROUP, the app it comes from (`_links.source`; `source.id` in a search); else null. */
  sourceAppId: string | null;
  /** Profile attributes after name and description, in Okta's order (an imported group's externalId, an AD group's dn...). */
  attributes: Record<string, string>;
  /** `okta:user_group`, or `okta:windows_security_principal` for a group imported from Active Directory. */
  objectClass: string;
}

/**
 * A Group Push mapping's status. Okta also knows `ERROR` (a failed push), which the
 * simulator never produces but accepts in a list filter.
 * @example
 * const status: PushMappingStatus = 'INACTIVE';
 */
export type PushMappingStatus = 'ACTIVE' | 'INACTIVE';

/**
 * A Group Push mapping of an app: while ACTIVE, the target APP_GROUP's members are the source
 * group's members.
 * @example
 * org.app(appId).pushMappings.get(mappingId)?.targetGroupId;
 */
export interface PushMappingRecord {
  /** `gPm...`. */
  id: string;
  appId: string;
  sourceGroupId: string;
  targetGroupId: string;
  status: PushMappingStatus;
  created: number;
  lastUpdated: number;
  /** When Okta last pushed the group (its creation counts). */
  lastPush: number;
}
