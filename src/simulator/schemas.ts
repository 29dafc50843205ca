/**
 * What each list endpoint accepts in `filter` and `search`
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers,
 * .../tag/Application/#tag/Application/operation/listApplications, .../tag/Group/#tag/Group/operation/listGroups).
 * @module
 */
import type { AttrSpec, FilterSchema } from './filter.js';
import type { CmpOp } from './filter-syntax.js';
import type { AppRecord, GroupRecord, UserRecord } from './records.js';

const DATE_OPS: readonly CmpOp[] = ['eq', 'gt', 'ge', 'lt', 'le'];
const SEARCH_STRING_OPS: readonly CmpOp[] = ['eq', 'ne', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le'];

const USER_DATES: Record<string, (u: UserRecord) => number | null> = {
  created: (u) => u.created,
  activated: (u) => u.activated,
  statusChanged: (u) => u.statusChanged,
  lastUpdated: (u) => u.lastUpdated,
  lastLogin: (u) => u.lastLogin,
  passwordChanged: (u) => u.passwordChanged,
};

/**
 * `GET /api/v1/users?filter=`: `status eq`, `id eq`, `type.id eq`, `profile.login eq`
 * (case-insensitive, as logins are) and the dates (`lastUpdated gt "..."`...).
 */
export const userFilterSchema: FilterSchema<UserRecord> = (attr) => {
  const date = USER_DATES[attr];
  if (date) return { type: 'date', ops: DATE_OPS, get: date };
  switch (attr) {
    case 'status':
      return { type: 'string', ops: ['eq'], get: (u) => u.status };
    case 'id':
      return { type: 'string', ops: ['eq'], get: (u) => u.id };
    case 'type.id':
      return { type: 'string', ops: ['eq'], get: (u) => u.typeId };
    case 'profile.login':
      return { type: 'ci-string', ops: ['eq'], get: (u) => u.profile.login ?? null };
    default:
      return undefined;
  }
};

/**
 * `GET /api/v1/users?search=`: the filter attributes plus any `profile.*` attribute, with
 * `sw`, `co`, `ew`, `ne` and `pr`; string comparisons are case-insensitive.
 */
export const userSearchSchema: FilterSchema<UserRecord> = (attr) => {
  const date = USER_DATES[attr];
  if (date) return { type: 'date', ops: DATE_OPS, get: date };
  if (attr === 'status') return { type: 'ci-string', ops: ['eq', 'ne'], get: (u) => u.status };
  if (attr === 'id') return { type: 'string', ops: ['eq', 'ne', 'sw'], get: (u) => u.id };
  if (attr === 'type.id') return { type: 'string', ops: ['eq', 'ne'], get: (u) => u.typeId };
  const m = /^profile\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(attr);
  if (!m) return undefined;
  const key = m[1] as string;
  const spec: AttrSpec<UserRecord> = { type: 'ci-string', ops: SEARCH_STRING_OPS, get: (u) => u.profile[key] };
  return spec;
};

/**
 * `GET /api/v1/apps?filter=`: `name eq`, `status eq`, `id eq`, `user.id eq` (apps the user is
 * assigned to, directly or through a group) and `group.id eq` (apps assigned to the group).
 */
export const appFilterSchema: FilterSchema<AppRecord> = (attr) => {
  switch (attr) {
    case 'name':
      return { type: 'string', ops: ['eq'], get: (a) => a.name };
    case 'status':
      return { type: 'string', ops: ['eq'], get: (a) => a.status };
    case 'id':
      return { type: 'string', ops: ['eq'], get: (a) => a.id };
    case 'user.id':
      return { type: 'string', ops: ['eq'], noPresence: true, test: (a, _op, v) => a.appUsers.has(String(v)) };
    case 'group.id':
      return { type: 'string', ops: ['eq'], noPresence: true, test: (a, _op, v) => a.groups.has(String(v)) };
    default:
      return undefined;
  }
};

const GROUP_DATES: Record<string, (g: GroupRecord) => number> = {
  created: (g) => g.created,
  lastUpdated: (g) => g.lastUpdated,
  lastMembershipUpdated: (g) => g.lastMembershipUpdated,
};

/**
 * `GET /api/v1/groups?filter=`: only `id eq`, `type eq` and the dates `lastUpdated` and
 * `lastMembershipUpdated` ("Filtering supports the following limited number of properties: id,
 * type, lastUpdated, and lastMembershipUpdated", listGroups in Okta's Management API); anything
 * else, `created` and `pr` included, is 400 E0000031.
 */
export const groupFilterSchema: FilterSchema<GroupRecord> = (attr) => {
  if (attr === 'id') return { type: 'string', ops: ['eq'], noPresence: true, get: (g) => g.id };
  if (attr === 'type') return { type: 'string', ops: ['eq'], noPresence: true, get: (g) => g.type };
  if (attr === 'created') return undefined;
  const date = GROUP_DATES[attr];
  return date && { type: 'date', ops: DATE_OPS, noPresence: true, get: date };
};

/**
 * `GET /api/v1/groups?search=`: `id`, `type`, `source.id` (an APP_GROUP's app), any
 * `profile.*` attribute (case-insensitive) and the dates `created`, `lastUpdated`,
 * `lastMembershipUpdated`. Strings take `eq` and `sw`, and `co` only on `profile.name` and
 * `profile.description` (listGroups in Okta's Management API); no `ne` or `pr`.
 */
export const groupSearchSchema: FilterSchema<GroupRecord> = (attr) => {
  const date = GROUP_DATES[attr];
  if (date) return { type: 'date', ops: DATE_OPS, noPresence: true, get: date };
  if (attr === 'id') return { type: 'string', ops: ['eq', 'sw'], noPresence: true, get: (g) => g.id };
  if (attr === 'type') return { type: 'string', ops: ['eq', 'sw'], noPresence: true, get: (g) => g.type };
  if (attr === 'source.id') return { type: 'string', ops: ['eq', 'sw'], noPresence: true, get: (g) => g.sourceAppId };
  if (attr === 'profile.name') return { type: 'ci-string', ops: ['eq', 'sw', 'co'], noPresence: true, get: (g) => g.name };
  if (attr === 'profile.description') return { type: 'ci-string', ops: ['eq', 'sw', 'co'], noPresence: true, get: (g) => g.description };
  const m = /^profile\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(attr);
  if (!m) return undefined;
  const key = m[1] as string;
  return { type: 'ci-string', ops: ['eq', 'sw'], noPresence: true, get: (g) => (Object.hasOwn(g.attributes, key) ? g.attributes[key] : undefined) };
};
