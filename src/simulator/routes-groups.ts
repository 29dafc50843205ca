/**
 * The group endpoints: `GET /api/v1/groups` (listGroups), a group, its members, and an app's
 * Group Push mappings (listGroupPushMappings), as Okta's Management API describes them.
 * @module
 */
import { ApiError } from './errors.js';
import type { GroupRecord, PushMappingRecord } from './records.js';
import { QUERY_DEFAULTS } from './page-sizes.js';
import { pageOfIds } from './pagination.js';
import { groupJson, pushMappingJson, type GroupExpand } from './payloads-groups.js';
import { userJson } from './payloads.js';
import { findApp, paged, pageSize, param, predicate, type Reply, type RouteContext } from './route-helpers.js';
import { groupFilterSchema, groupSearchSchema } from './schemas.js';

const MAPPING_STATUSES: readonly string[] = ['ACTIVE', 'INACTIVE', 'ERROR'];

function expandOf(query: URLSearchParams): GroupExpand {
  const raw = query.get('expand');
  if (raw === null) return { stats: false, app: false };
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => p !== 'stats' && p !== 'app')) throw ApiError.validation('expand', 'expand must be stats, app or stats,app.');
  return { stats: parts.includes('stats'), app: parts.includes('app') };
}

/**
 * GET /api/v1/groups. `search` (preferred by Okta) and `filter` accept different attributes
 * (see `schemas.ts`); `q` is a name prefix whose results are never paged ("Paging and
 * searching are currently mutually exclusive. You can't page a query."): no next link, at
 * most `limit` (default 300) results.
 */
export function listGroups(ctx: RouteContext): Reply {
  const { org, query } = ctx;
  const search = query.get('search');
  const filter = query.get('filter');
  const term = query.get('q');
  const match: (g: GroupRecord) => boolean = search !== null ? predicate(search, groupSearchSchema) : filter !== null ? predicate(filter, groupFilterSchema) : () => true;
  const expand = expandOf(query);
  const json = (id: string): Record<string, unknown> => groupJson(ctx.payload, org, org.group(id), expand);
  if (term !== null) {
    const t = term.toLowerCase();
    const limit = pageSize(ctx, 'listGroups', QUERY_DEFAULTS.listGroups);
    const ids: string[] = [];
    for (const id of org.groupIds) {
      if (ids.length >= limit) break;
      const g = org.group(id);
      if (match(g) && g.name.toLowerCase().startsWith(t)) ids.push(id);
    }
    return { body: ids.map(json), page: { nextAfter: null } };
  }
  const limit = pageSize(ctx, 'listGroups');
  const page = pageOfIds(org.groupIds, query.get('after'), limit, (id) => match(org.group(id)));
  return paged(page.ids.map(json), page);
}

function findGroup(ctx: RouteContext): GroupRecord {
  const group = ctx.org.groups.get(param(ctx, 0));
  if (!group) throw ApiError.notFound('UserGroup', param(ctx, 0));
  return group;
}

/** GET /api/v1/groups/{id}. */
export function getGroup(ctx: RouteContext): Reply {
  return { body: groupJson(ctx.payload, ctx.org, findGroup(ctx)) };
}

/** GET /api/v1/groups/{id}/users: members of any group type, DEPROVISIONED included. */
export function listGroupUsers(ctx: RouteContext): Reply {
  const group = findGroup(ctx);
  const limit = pageSize(ctx, 'listGroupUsers');
  const page = pageOfIds(group.memberIds, ctx.query.get('after'), limit);
  return paged(page.ids.map((id) => userJson(ctx.payload, ctx.org.user(id))), page);
}

/**
 * GET /api/v1/users/{idOrLogin}/groups (listUserGroups): every group the user is a member of, by
 * group id, in one response (the operation has no paging parameters).
 */
export function listUserGroups(ctx: RouteContext): Reply {
  const user = ctx.org.findUser(param(ctx, 0));
  if (!user) throw ApiError.notFound('User', param(ctx, 0));
  const groups = ctx.org.groupIds.map((id) => ctx.org.group(id)).filter((g) => g.members.has(user.id));
  return { body: groups.map((g) => groupJson(ctx.payload, ctx.org, g)) };
}

/**
 * GET /api/v1/apps/{appId}/group-push/mappings, by mapping id, with the optional filters
 * `status` (ACTIVE, INACTIVE or ERROR), `sourceGroupId` and `lastUpdated` (mappings updated
 * at or after it).
 */
export function listPushMappings(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  const { query } = ctx;
  const status = query.get('status');
  if (status !== null && !MAPPING_STATUSES.includes(status)) throw ApiError.validation('status', 'status must be ACTIVE, INACTIVE or ERROR.');
  const source = query.get('sourceGroupId');
  const raw = query.get('lastUpdated');
  const since = raw === null ? null : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(since)) throw ApiError.validation('lastUpdated', 'lastUpdated must be a date-time such as 2025-01-01T00:00:00Z.');
  const limit = pageSize(ctx, 'listGroupPushMappings');
  const page = pageOfIds(app.pushMappingIds, query.get('after'), limit, (id) => {
    const m = app.pushMappings.get(id) as PushMappingRecord;
    // Okta's mapping timestamps are whole seconds.
    return (status === null || m.status === status) && (source === null || m.sourceGroupId === source) && (since === null || Math.floor(m.lastUpdated / 1000) * 1000 >= since);
  });
  return paged(page.ids.map((id) => pushMappingJson(ctx.payload, app.pushMappings.get(id) as PushMappingRecord)), page);
}

/** GET /api/v1/apps/{appId}/group-push/mappings/{mappingId}. */
export function getPushMapping(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  const m = app.pushMappings.get(param(ctx, 1));
  if (!m) throw ApiError.notFound('GroupPushMapping', param(ctx, 1));
  return { body: pushMappingJson(ctx.payload, m) };
}
