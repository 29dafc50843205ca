/**
 * The read endpoints of Okta's Management API the connector uses, answered from the org.
 * Lists page by id with opaque cursors (see `pagination.ts`), with the page sizes of
 * `page-sizes.ts`.
 * @module
 */
import { ApiError } from './errors.js';
import { compileFilter } from './filter.js';
import { FilterError, parseFilter, type Expr } from './filter-syntax.js';
import type { AppGroupRecord, AppRecord, AppUserRecord, UserRecord } from './records.js';
import { QUERY_DEFAULTS } from './page-sizes.js';
import { pageOfIds } from './pagination.js';
import { appGroupJson, appJson, appLinkJson, appUserJson, userJson } from './payloads.js';
import { findApp, paged, pageSize, param, predicate, startsWithAny, type Handler, type Reply, type RouteContext } from './route-helpers.js';
import { getGroup, getPushMapping, listGroups, listGroupUsers, listPushMappings, listUserGroups } from './routes-groups.js';
import { appFilterSchema, userFilterSchema, userSearchSchema } from './schemas.js';

export type { Reply, RouteContext } from './route-helpers.js';

/**
 * GET /api/v1/users. Without `filter` or `search`, DEPROVISIONED users are left out, as Okta
 * documents ("returns all users that don't have a DEPROVISIONED status",
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers);
 * `filter` and `search` include them when they match. `q` (a prefix of first name, last name
 * or email) leaves them out and defaults to 10 results.
 */
function listUsers(ctx: RouteContext): Reply {
  const { org, query } = ctx;
  const search = query.get('search');
  const filter = query.get('filter');
  const term = query.get('q');
  let match: (u: UserRecord) => boolean;
  if (search !== null) match = predicate(search, userSearchSchema);
  else if (filter !== null) match = predicate(filter, userFilterSchema);
  else if (term !== null) {
    const t = term.toLowerCase();
    match = (u) => u.status !== 'DEPROVISIONED' && startsWithAny(t, [u.profile.firstName, u.profile.lastName, u.profile.email]);
  } else match = (u) => u.status !== 'DEPROVISIONED';
  const onlyQ = term !== null && search === null && filter === null;
  const limit = onlyQ ? pageSize(ctx, 'listUsers', QUERY_DEFAULTS.listUsers) : pageSize(ctx, 'listUsers');
  const page = pageOfIds(org.userIds, query.get('after'), limit, (id) => match(org.user(id)));
  return paged(page.ids.map((id) => userJson(ctx.payload, org.user(id))), page);
}

function findUser(ctx: RouteContext, idOrLogin: string): UserRecord {
  const user = ctx.org.findUser(idOrLogin);
  if (!user) throw ApiError.notFound('User', idOrLogin);
  return user;
}

/** GET /api/v1/users/{idOrLogin}. */
function getUser(ctx: RouteContext): Reply {
  return { body: userJson(ctx.payload, findUser(ctx, param(ctx, 0))) };
}

/** GET /api/v1/users/{id}/appLinks: one link per active app the user is assigned to. */
function userAppLinks(ctx: RouteContext): Reply {
  const user = findUser(ctx, param(ctx, 0));
  const apps = ctx.org.appsOf(user.id).filter((a) => a.status === 'ACTIVE');
  return { body: apps.map((app, i) => appLinkJson(ctx.payload, app, app.appUsers.get(user.id) as AppUserRecord, i)) };
}

/** Whether `expr` requires `user.id eq "<userId>"` (alone or and-ed with other conditions). */
function requiresUserId(expr: Expr, userId: string): boolean {
  if (expr.kind === 'cmp') return expr.attr === 'user.id' && expr.op === 'eq' && expr.value === userId;
  if (expr.kind === 'and') return requiresUserId(expr.left, userId) || requiresUserId(expr.right, userId);
  return false;
}

function expandedUserId(query: URLSearchParams): string | null {
  const expand = query.get('expand');
  if (expand === null) return null;
  const m = /^user\/(.+)$/.exec(expand);
  if (!m) throw ApiError.validation('expand', 'expand must be user/{userId}.');
  return m[1] as string;
}

/**
 * GET /api/v1/apps. `expand=user/{userId}` must come with `filter=user.id eq "{userId}"` and
 * embeds that user's app user as `_embedded.user`
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/#tag/Application/operation/listApplications,
 * parameter `expand`).
 */
function listApps(ctx: RouteContext): Reply {
  const { org, query } = ctx;
  const filter = query.get('filter');
  const term = query.get('q')?.toLowerCase();
  const expandUser = expandedUserId(query);
  let byFilter: (a: AppRecord) => boolean = () => true;
  if (filter !== null) {
    let expr: Expr;
    try {
      expr = parseFilter(filter);
    } catch (e) {
      if (e instanceof FilterError) throw ApiError.invalidSearch(e.message);
      throw e;
    }
    if (expandUser !== null && !requiresUserId(expr, expandUser)) throw ApiError.validation('expand', 'expand=user/{userId} requires filter=user.id eq "{userId}" for the same user.');
    try {
      byFilter = compileFilter(expr, appFilterSchema);
    } catch (e) {
      if (e instanceof FilterError) throw ApiError.invalidSearch(e.message);
      throw e;
    }
  } else if (expandUser !== null) {
    throw ApiError.validation('expand', 'expand=user/{userId} requires filter=user.id eq "{userId}".');
  }
  const limit = pageSize(ctx, 'listApplications');
  const page = pageOfIds(org.appIds, query.get('after'), limit, (id) => {
    const a = org.app(id);
    return byFilter(a) && (term === undefined || startsWithAny(term, [a.name, a.label]));
  });
  const user = expandUser === null ? undefined : org.users.get(expandUser);
  const body = page.ids.map((id) => {
    const app = org.app(id);
    const appUser = user && app.appUsers.get(user.id);
    return appJson(ctx.payload, app, appUser && user ? appUserJson(ctx.payload, app, appUser, user) : undefined);
  });
  return paged(body, page);
}

/** GET /api/v1/apps/{id} (with the optional `expand=user/{userId}`). */
function getApp(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  const userId = expandedUserId(ctx.query);
  const user = userId === null ? undefined : ctx.org.users.get(userId);
  const appUser = user && app.appUsers.get(user.id);
  return { body: appJson(ctx.payload, app, appUser && user ? appUserJson(ctx.payload, app, appUser, user) : undefined) };
}

function expandsUser(query: URLSearchParams): boolean {
  const expand = query.get('expand');
  if (expand === null) return false;
  if (expand !== 'user') throw ApiError.validation('expand', 'expand must be user.');
  return true;
}

/** GET /api/v1/apps/{id}/users: by user id; `q` matches the start of userName, first name, last name or email. */
function listAppUsers(ctx: RouteContext): Reply {
  const { org, query } = ctx;
  const app = findApp(ctx);
  const embed = expandsUser(query);
  const term = query.get('q')?.toLowerCase();
  const limit = pageSize(ctx, 'listApplicationUsers');
  const match =
    term === undefined
      ? undefined
      : (id: string): boolean => {
          const au = app.appUsers.get(id);
          const u = org.users.get(id);
          return !!au && !!u && startsWithAny(term, [au.userName, u.profile.firstName, u.profile.lastName, u.profile.email]);
        };
  const page = pageOfIds(app.appUserIds, query.get('after'), limit, match);
  return paged(
    page.ids.map((id) => appUserJson(ctx.payload, app, app.appUsers.get(id) as AppUserRecord, org.user(id), embed)),
    page,
  );
}

/** GET /api/v1/apps/{id}/users/{userId}. */
function getAppUser(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  const embed = expandsUser(ctx.query);
  const userId = param(ctx, 1);
  const appUser = app.appUsers.get(userId);
  const user = ctx.org.users.get(userId);
  if (!appUser || !user) throw ApiError.notFound('AppUser', userId);
  return { body: appUserJson(ctx.payload, app, appUser, user, embed) };
}

/** GET /api/v1/apps/{id}/groups. */
function listAppGroups(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  const limit = pageSize(ctx, 'listApplicationGroupAssignments');
  const page = pageOfIds(app.groupIds, ctx.query.get('after'), limit);
  return paged(page.ids.map((id) => appGroupJson(ctx.payload, app, app.groups.get(id) as AppGroupRecord)), page);
}

/** GET /api/v1/logs. */
function listLogs(ctx: RouteContext): Reply {
  const page = ctx.log.query(ctx.query, pageSize(ctx, 'listLogEvents'));
  // A polling next link carries the position in `after`; `since` would only go stale (and
  // fall out of the retention window on a poller that runs for months).
  const polling = ctx.query.get('until') === null;
  return { body: page.events, page: { nextAfter: page.nextAfter, dropFromNext: polling ? ['since'] : [] } };
}

const SEG = '([^/]+)';
const ROUTES: ReadonlyArray<readonly [RegExp, Handler]> = [
  [/^\/api\/v1\/users$/, listUsers],
  [new RegExp(`^/api/v1/users/${SEG}$`), getUser],
  [new RegExp(`^/api/v1/users/${SEG}/appLinks$`), userAppLinks],
  [new RegExp(`^/api/v1/users/${SEG}/groups$`), listUserGroups],
  [/^\/api\/v1\/groups$/, listGroups],
  [new RegExp(`^/api/v1/groups/${SEG}$`), getGroup],
  [new RegExp(`^/api/v1/groups/${SEG}/users$`), listGroupUsers],
  [/^\/api\/v1\/apps$/, listApps],
  [new RegExp(`^/api/v1/apps/${SEG}$`), getApp],
  [new RegExp(`^/api/v1/apps/${SEG}/users$`), listAppUsers],
  [new RegExp(`^/api/v1/apps/${SEG}/users/${SEG}$`), getAppUser],
  [new RegExp(`^/api/v1/apps/${SEG}/groups$`), listAppGroups],
  [new RegExp(`^/api/v1/apps/${SEG}/group-push/mappings$`), listPushMappings],
  [new RegExp(`^/api/v1/apps/${SEG}/group-push/mappings/${SEG}$`), getPushMapping],
  [/^\/api\/v1\/logs$/, listLogs],
];

/** The handler of a request path and its decoded parameters, or null when no route matches. */
export function matchRoute(pathname: string): { handler: Handler; params: string[] } | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [pattern, handler] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    try {
      return { handler, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return null;
    }
  }
  return null;
}
