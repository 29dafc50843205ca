/**
 * The groups part of a full read, with the `groups` option: every group, its members, and the
 * Group Push mappings of the apps that may have some.
 * @module
 */
import type { ProviderContext } from '../context.js';
import { listGroups, readMemberIds, readPushMappings } from '../reads/groups.js';
import type { StoredGroup } from '../identity.js';
import type { IdentityStore } from '../store/store.js';
import type { PushMapping } from '../store/groups.js';
import { skipForbidden } from '../context.js';
import { runPool } from '../../util/pool.js';
import { openLists } from './open-lists.js';

/**
 * Okta does not say whether a group's `groupPushMappingsCount` counts a mapping on its source
 * group, its target app group, or both. Under the target and both readings every mapping's
 * target has a nonzero count, so reading the apps with such a group finds every mapping; under
 * the source reading, a count names a pushed group but not the app it is pushed to. So the sync
 * reads those apps first ({@link pushApps}), then checks the counts against what it found
 * ({@link sourceReadingOpen}) and, when only the source reading still explains them and leaves
 * some mapping unfound, reads every other app with app groups too.
 */

/** Apps with app groups: only they can hold a mapping (its target is one of the app's groups). */
function appsWithGroups(groups: readonly StoredGroup[]): Set<string> {
  return new Set(groups.filter((g) => g.type === 'APP_GROUP' && g.appId !== undefined).map((g) => g.appId!));
}

/**
 * The apps whose mappings are read first: those with an app group of nonzero count, or every app
 * with app groups when a group came without its count.
 */
export function pushApps(groups: readonly StoredGroup[]): Set<string> {
  if (groups.some((g) => g.pushMappings === undefined)) return appsWithGroups(groups);
  return new Set(groups.filter((g) => g.type === 'APP_GROUP' && g.appId !== undefined && g.pushMappings! > 0).map((g) => g.appId!));
}

/**
 * Whether, after reading the mappings `found`, the counts may still stand for mappings not found:
 * only under the source reading (each count is the number of mappings the group is the source
 * of), and only when nothing found refutes it. It is refuted when a group counts fewer mappings
 * than were found from it, or when a found target counts any (a pushed group is not pushed on:
 * Okta pushes Okta groups and groups it imports, not its push targets).
 */
export function sourceReadingOpen(groups: readonly StoredGroup[], found: readonly PushMapping[]): boolean {
  if (groups.some((g) => g.pushMappings === undefined)) return true;
  const from = new Map<string, number>();
  for (const m of found) from.set(m.sourceGroupId, (from.get(m.sourceGroupId) ?? 0) + 1);
  const targets = new Set(found.map((m) => m.targetGroupId));
  let unexplained = false;
  for (const g of groups) {
    const count = g.pushMappings!;
    const sourced = from.get(g.id) ?? 0;
    if (count < sourced || (targets.has(g.id) && count > 0)) return false;
    if (count > sourced) unexplained = true;
  }
  return unexplained;
}

/**
 * The groups half of a full read: every group, its members, and the push mappings of each app
 * that may have some (see {@link pushApps}), into `store`. A forbidden groups list is a warning
 * (identities then have no groups); a group deleted mid-read is skipped.
 */
export async function readGroupsInto(ctx: ProviderContext, store: IdentityStore, concurrency: number, signal: AbortSignal): Promise<void> {
  const table = store.groups;
  if (!table) return;
  let groups: StoredGroup[] = [];
  await skipForbidden(ctx, 'Groups (identities come without groups)', async () => {
    groups = await listGroups(ctx, signal, { expand: 'stats' });
  });
  for (const group of groups) table.addGroup(group);
  const found: PushMapping[] = [];
  const readApps = async (apps: Iterable<string>): Promise<void> =>
    runPool([...apps], concurrency, async (appId) => {
      const mappings = await readPushMappings(ctx, appId, signal);
      // The mappings, or why they could not be read (what a fresh resolveAppGroup reports missing).
      table.setPushMappings(appId, mappings);
      if (typeof mappings !== 'string') found.push(...mappings);
    });
  const mappings = async (): Promise<void> => {
    const first = pushApps(groups);
    await readApps(first);
    const rest = sourceReadingOpen(groups, found) ? [...appsWithGroups(groups)].filter((id) => !first.has(id)) : [];
    await readApps(rest);
    // An app not read has no mapping, whichever way Okta counts.
    for (const g of groups) if (g.appId !== undefined && !first.has(g.appId) && !rest.includes(g.appId)) table.pushRead.add(g.appId);
  };
  await Promise.all([
    runPool(groups, openLists(concurrency), async (group) => table.setMembersRead(group.id, await readMemberIds(ctx, group.id, signal, (userId) => store.addMembership(userId, group.id)))),
    mappings(),
  ]);
}
