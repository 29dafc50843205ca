/**
 * Reading groups, with the `groups` option: the groups list, each group's members, and the Group
 * Push mappings of the apps that have app groups (a pushed group is an app group whose members
 * come from another group). All in the groups bucket except the mappings (under /api/v1/apps).
 * @module
 */
import createDebug from 'debug';
import { OktaHttpError } from '../http/errors.js';
import { paginate } from '../http/paginate.js';
import { PAGE_SIZE } from '../okta/buckets.js';
import { oktaGroupSchema, oktaMemberSchema, oktaPushMappingSchema } from '../okta/schemas.js';
import { checked, parseOne, readOrSkip, skipForbidden, validItems, type ProviderContext, type ReadOutcome } from './context.js';
import { toGroup } from './identity.js';
import { runPool } from './pool.js';
import type { PushMapping, StoredGroup } from './store-groups.js';
import type { IdentityStore } from './store.js';

const debug = createDebug('okta-idp:groups');

/** The largest page of the groups list (`listGroups`: limit maximum 10000, in Okta's Management API description). */
export const GROUPS_PAGE = 10_000;

/** Query parameters of a groups list read. */
export type GroupQuery = Record<string, string>;

/**
 * Groups of the org (or of one user, with `path`), or those a `search` selects (`type eq "APP_GROUP" and source.id eq "..."`:
 * `source.id` is a search attribute, not a filter one).
 * @example
 * const appGroups = await listGroups(ctx, signal, { search: anyOf([eq('type', 'APP_GROUP'), eq('source.id', appId)], 'and') });
 */
export async function listGroups(ctx: ProviderContext, signal: AbortSignal | undefined, query: GroupQuery = {}, path = '/api/v1/groups'): Promise<StoredGroup[]> {
  const groups: StoredGroup[] = [];
  // A user's groups (`/api/v1/users/{id}/groups`) come in one response, with no paging parameter.
  const paging = path === '/api/v1/groups' ? { limit: GROUPS_PAGE } : {};
  for await (const page of paginate(ctx.client, path, { ...paging, ...query }, signal, checked(oktaGroupSchema, toGroup))) groups.push(...validItems(ctx, page));
  return groups;
}

/** One group (`GET /api/v1/groups/{groupId}`), or why it could not be read (warned). */
export async function readGroup(ctx: ProviderContext, groupId: string, signal: AbortSignal | undefined): Promise<StoredGroup | Exclude<ReadOutcome, 'read'>> {
  let group: StoredGroup | undefined;
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}`;
  const outcome = await readOrSkip(ctx, `Group ${groupId}`, async () => {
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    group = toGroup(parseOne(oktaGroupSchema, body, path));
  });
  return group ?? (outcome as Exclude<ReadOutcome, 'read'>);
}

/**
 * The ids of a group's members (`GET /api/v1/groups/{groupId}/users`, 1,000 a page); a 403 or 404
 * is a warning and an outcome.
 */
export async function readMemberIds(ctx: ProviderContext, groupId: string, signal: AbortSignal | undefined, onMember: (userId: string) => void): Promise<ReadOutcome> {
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
  return readOrSkip(ctx, `Members of group ${groupId}`, async () => {
    for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.groupMembers }, signal, checked(oktaMemberSchema, (m) => m.id))) {
      for (const id of validItems(ctx, page)) onMember(id);
    }
  });
}

/**
 * An app's Group Push mappings (1,000 a page), or why they could not be read (warned). Group
 * Push needs provisioning in the app: an app without it (an AD import, say) answers 400, which
 * means it has no mappings, not that the read failed.
 */
export async function readPushMappings(ctx: ProviderContext, appId: string, signal: AbortSignal | undefined): Promise<PushMapping[] | Exclude<ReadOutcome, 'read'>> {
  const mappings: PushMapping[] = [];
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/group-push/mappings`;
  const outcome = await readOrSkip(ctx, `Group Push mappings of app ${appId}`, async () => {
    try {
      for await (const page of paginate(ctx.client, path, { limit: 1000 }, signal, checked(oktaPushMappingSchema))) {
        for (const { sourceGroupId, targetGroupId, status } of validItems(ctx, page)) mappings.push({ appId, sourceGroupId, targetGroupId, status });
      }
    } catch (error) {
      if (!(error instanceof OktaHttpError && error.status === 400)) throw error;
      debug('app %s has no Group Push (%s)', appId, error.errorCode ?? '400');
    }
  });
  return outcome === 'read' ? mappings : outcome;
}

/**
 * The apps whose Group Push mappings are worth reading: a pushed group is one of the app's groups,
 * so only apps with app groups; and of those, with the groups' `groupPushMappingsCount`, only the
 * apps whose groups a mapping names. Okta does not say whether that count is kept on the source
 * group, the target or both: when only Okta groups carry one, or any group came without it, every
 * app with app groups is read.
 */
export function pushApps(groups: readonly StoredGroup[]): Set<string> {
  const appGroups = groups.filter((g) => g.type === 'APP_GROUP' && g.appId !== undefined);
  const all = new Set(appGroups.map((g) => g.appId!));
  if (groups.some((g) => g.pushMappings === undefined)) return all;
  const named = new Set(appGroups.filter((g) => g.pushMappings! > 0).map((g) => g.appId!));
  return named.size === 0 && groups.some((g) => g.pushMappings! > 0) ? all : named;
}

/**
 * The groups half of a full read: every group, its members, and the push mappings of each app
 * that has app groups, into `store`. A forbidden groups list is a warning (identities then have
 * no groups); a group deleted mid-read is skipped.
 */
export async function readGroupsInto(ctx: ProviderContext, store: IdentityStore, concurrency: number, signal: AbortSignal): Promise<void> {
  const table = store.groups;
  if (!table) return;
  let groups: StoredGroup[] = [];
  await skipForbidden(ctx, 'Groups (identities come without groups)', async () => {
    groups = await listGroups(ctx, signal, { expand: 'stats' });
  });
  for (const group of groups) table.addGroup(group);
  const apps = pushApps(groups);
  // An app whose groups no mapping names has none to read.
  for (const g of groups) if (g.appId !== undefined && !apps.has(g.appId)) table.pushRead.add(g.appId);
  await Promise.all([
    runPool(groups, concurrency, async (group) => void (await readMemberIds(ctx, group.id, signal, (userId) => store.addMembership(userId, group.id)))),
    runPool(apps, concurrency, async (appId) => {
      const mappings = await readPushMappings(ctx, appId, signal);
      if (typeof mappings === 'string') return;
      for (const m of mappings) table.pushTargets.set(m.targetGroupId, m);
      table.pushRead.add(appId);
    }),
  ]);
}
