/**
 * Group events, with the `groups` option: a group renamed or deleted, its members changed by an
 * import, a Group Push mapping created, changed or pushing. Like app-wide changes, they cost the
 * group's member pages (1,000 a page), not a request per member: with a synced index the members
 * read are compared with the index's.
 * @module
 */
import type { IdentityGroup } from '../../sdk.js';
import type { Builder } from './builder.js';
import type { GroupChange } from './families.js';
import type { PlacedEffect } from './work.js';
import type { ProviderContext } from '../context.js';
import type { StoredGroup } from '../identity.js';
import type { IdentityStore } from '../store/store.js';
import { readGroup, readMemberIds, readPushMappings } from '../reads/groups.js';

interface GroupEvents {
  indices: number[];
  changes: Set<GroupChange>;
}

/** The groups the page's group events name, each with its events; an event naming only an app reaches that app's groups in `store`. */
function groupEventsOf(effects: readonly PlacedEffect[], store: IdentityStore | undefined): { groups: Map<string, GroupEvents>; pushApps: Set<string> } {
  const groups = new Map<string, GroupEvents>();
  const pushApps = new Set<string>();
  for (const { index, effect } of effects) {
    if (effect.reach !== 'group') continue;
    const appGroups = store?.groups?.all().filter((g) => g.appId !== undefined && effect.apps.includes(g.appId)).map((g) => g.id) ?? [];
    for (const groupId of effect.groups.length > 0 ? effect.groups : appGroups) {
      let entry = groups.get(groupId);
      if (!entry) groups.set(groupId, (entry = { indices: [], changes: new Set() }));
      entry.indices.push(index);
      entry.changes.add(effect.change);
    }
    if (effect.change === 'push') for (const appId of effect.apps) pushApps.add(appId);
  }
  return { groups, pushApps };
}

const plain = ({ id, name, type, appId }: StoredGroup): IdentityGroup => (appId === undefined ? { id, name, type } : { id, name, type, appId });

/** Plans group events against a synced index. */
export async function planGroupsWithStore(ctx: ProviderContext, b: Builder, effects: readonly PlacedEffect[], store: IdentityStore, signal?: AbortSignal): Promise<void> {
  const table = store.groups;
  if (!table) return;
  const { groups, pushApps } = groupEventsOf(effects, store);
  // A mapping changed: what resolveAppGroup answers changes with it.
  for (const appId of pushApps) {
    const mappings = await readPushMappings(ctx, appId, signal);
    if (typeof mappings === 'string') continue;
    for (const [target, m] of table.pushTargets) if (m.appId === appId) table.pushTargets.delete(target);
    for (const m of mappings) table.pushTargets.set(m.targetGroupId, m);
    table.pushRead.add(appId);
  }
  for (const [groupId, { indices, changes }] of groups) {
    const before = store.groupMembers(groupId);
    const leave = (ids: Iterable<string>): void => {
      for (const id of ids) b.touch(id, indices).work.groups.set(groupId, null);
    };
    const gone = (): void => {
      leave(before);
      table.forget(groupId);
    };
    if (changes.has('delete')) {
      gone();
      continue;
    }
    const known = table.get(groupId);
    const fresh = changes.has('rename') || !known ? await readGroup(ctx, groupId, signal) : known;
    if (fresh === 'gone') gone();
    if (typeof fresh === 'string') continue;
    const now = new Set<string>();
    if (changes.has('members') || changes.has('push') || !known) {
      const outcome = await readMemberIds(ctx, groupId, signal, (id) => now.add(id));
      if (outcome === 'gone') gone();
      if (outcome !== 'read') continue;
    } else for (const id of before) now.add(id);
    leave(before.filter((id) => !now.has(id)));
    for (const id of now) {
      const entry = b.touch(id, indices);
      entry.work.groups.set(groupId, plain(fresh));
      // A new name reaches every member in the index at once (groups are stored once).
      if (changes.has('rename')) entry.work.always = true;
    }
  }
}

/** Without an index: the members of each group an event names are read whole (a deleted group's cannot be known). */
export async function planGroupsWithoutStore(ctx: ProviderContext, b: Builder, effects: readonly PlacedEffect[], signal?: AbortSignal): Promise<void> {
  for (const [groupId, { indices, changes }] of groupEventsOf(effects, undefined).groups) {
    const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
    if (changes.has('delete')) {
      ctx.warn({ code: 'incomplete_fanout', path, message: `The change stream may have missed updates: group ${groupId} was deleted and its members cannot be listed without a synced index. Run a full listIdentities() to be sure every identity is current.` });
      continue;
    }
    await readMemberIds(ctx, groupId, signal, (id) => b.touch(id, indices));
    ctx.warn({ code: 'incomplete_fanout', path, message: `The change stream may have missed updates: the members of group ${groupId} changed, and one who left cannot be found without a synced index. Run a full listIdentities() to be sure every identity is current.` });
  }
}
