/**
 * What each list endpoint accepts in `filter` and `search`
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers,
 * .../tag/Application/#tag/Application/operation/listApplications, .../tag/Group/#tag/Group/operation/listGroups).
 * @module
 */
import type { AttrSpec, CmpOp, FilterSchema } from './filter.js';
import type { AppRecord, GroupRecord, UserRecord } from './org.js';

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
 * @example
 * const match = filterPredicate('status eq "ACTIVE" and lastUpdated gt "2024-01-01T00:00:00Z"', userFilterSchema);
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
 * @example
 * const match = filterPredicate('profile.department eq "engineering"', userSearchSchema);
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
 * @example
 * const match = filterPredicate('user.id eq "00u1"', appFilterSchema);
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

/**
 * `GET /api/v1/groups?filter=` / `search=`: `id`, `type`, `profile.name`, `profile.description` and the dates.
 * @example
 * const match = filterPredicate('profile.name sw "eng"', groupFilterSchema);
 */
export const groupFilterSchema: FilterSchema<GroupRecord> = (attr) => {
  switch (attr) {
    case 'id':
      return { type: 'string', ops: ['eq'], get: (g) => g.id };
    case 'type':
      return { type: 'string', ops: ['eq'], get: () => 'OKTA_GROUP' };
    case 'profile.name':
      return { type: 'ci-string', ops: ['eq', 'sw', 'co'], get: (g) => g.name };
    case 'profile.description':
      return { type: 'ci-string', ops: ['eq', 'sw', 'co'], get: (g) => g.description };
    case 'created':
      return { type: 'date', ops: DATE_OPS, get: (g) => g.created };
    case 'lastUpdated':
      return { type: 'date', ops: DATE_OPS, get: (g) => g.lastUpdated };
    case 'lastMembershipUpdated':
      return { type: 'date', ops: DATE_OPS, get: (g) => g.lastMembershipUpdated };
    default:
      return undefined;
  }
};
