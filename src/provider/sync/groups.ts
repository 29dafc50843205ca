/**
 * The groups part of a full read, with the `groups` option: every group, its members, and the
 * Group Push mappings of the apps that may have some.
 * @module
 */
import type { ProviderContext } from '../context.js';
import { listGroups, readMemberIds, readPushMappings } from '../reads/groups.js';
import type { StoredGroup } from '../identity.js';
import type { IdentityStore } from '../store/store.js';
import { skipForbidden } from '../context.js';
import { runPool } from '../../util/pool.js';
import { openLists } from './open-lists.js';

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
    runPool(groups, openLists(concurrency), async (group) => void (await readMemberIds(ctx, group.id, signal, (userId) => store.addMembership(userId, group.id)))),
    runPool(apps, concurrency, async (appId) => {
      const mappings = await readPushMappings(ctx, appId, signal);
      if (typeof mappings === 'string') return;
      for (const m of mappings) table.pushTargets.set(m.targetGroupId, m);
      table.pushRead.add(appId);
    }),
  ]);
}
