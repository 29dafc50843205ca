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
import { IdSet } from '../store/id-set.js';
import { readApp } from '../reads/apps.js';
import { warnIncomplete } from './incomplete.js';
import { readGroup, readMemberIds, readPushMappings } from '../reads/groups.js';

interface GroupEvents {
  indices: number[];
  changes: Set<GroupChange>;
}

/** Adds one event's change of a group to `groups`. */
function addGroupEvent(groups: Map<string, GroupEvents>, groupId: string, indices: readonly number[], change: GroupChange): void {
  let entry = groups.get(groupId);
  if (!entry) groups.set(groupId, (entry = { indices: [], changes: new Set() }));
  for (const index of indices) if (!entry.indices.includes(index)) entry.indices.push(index);
  entry.changes.add(change);
}

/**
 * The groups the page's group events name, each with its events; an event naming only an app
 * reaches that app's groups in `store`. `pushApps`: the apps whose push mappings changed, with their events.
 */
function groupEventsOf(effects: readonly PlacedEffect[], store: IdentityStore | undefined): { groups: Map<string, GroupEvents>; pushApps: Map<string, number[]> } {
  const groups = new Map<string, GroupEvents>();
  const pushApps = new Map<string, number[]>();
  for (const { index, effect } of effects) {
    if (effect.reach !== 'group') continue;
    const appGroups = store?.groups?.all().filter((g) => g.appId !== undefined && effect.apps.includes(g.appId)).map((g) => g.id) ?? [];
    for (const groupId of effect.groups.length > 0 ? effect.groups : appGroups) addGroupEvent(groups, groupId, [index], effect.change);
    if (effect.change === 'push') for (const appId of effect.apps) pushApps.set(appId, [...(pushApps.get(appId) ?? []), index]);
  }
  return { groups, pushApps };
}

const plain = ({ id, name, type, appId }: StoredGroup): IdentityGroup => (appId === undefined ? { id, name, type } : { id, name, type, appId });

/**
 * Plans group events against a synced index, as the full read would read them: an app's push
 * mappings again (each target group a mapping names is read with its members, a new one too), a
 * group and its members again; the index takes what was read (the group with its identifiers,
 * that its members could not be read, the mappings, a deleted group's end) as a commit, once the
 * changes of its members are delivered.
 */
export async function planGroupsWithStore(ctx: ProviderContext, b: Builder, effects: readonly PlacedEffect[], store: IdentityStore, signal?: AbortSignal): Promise<void> {
  const table = store.groups;
  if (!table) return;
  const { groups, pushApps } = groupEventsOf(effects, store);
  const readMappings = async (appId: string, indices: number[]): Promise<void> => {
    const mappings = await readPushMappings(ctx, appId, signal);
    b.commit(indices, () => table.setPushMappings(appId, mappings));
    if (typeof mappings === 'string') return;
    // A target is read again when its mapping is new or changed, the index does not know it, or
    // the page names its source (a push job may name only the app and the source).
    for (const m of mappings) {
      const held = table.pushTargets.get(m.targetGroupId);
      const same = held !== undefined && held.appId === appId && held.sourceGroupId === m.sourceGroupId && held.status === m.status;
      if (!same || !table.get(m.targetGroupId) || groups.has(m.sourceGroupId)) addGroupEvent(groups, m.targetGroupId, indices, 'push');
    }
  };
  for (const [appId, indices] of pushApps) await readMappings(appId, indices);
  // The first app group of an app: the app (created since the index was read, it has no account
  // yet) and its push mappings are read, as the full read reads the app list and the mappings of
  // every app with app groups.
  const firstOfApp = async (appId: string, indices: number[]): Promise<void> => {
    if (!store.app(appId)) {
      const app = await readApp(ctx, appId, signal);
      if (typeof app !== 'string') b.commit(indices, () => store.addApp(app));
    }
    if (pushApps.has(appId) || table.pushRead.has(appId) || table.unread.has(`app:${appId}`)) return;
    pushApps.set(appId, indices);
    await readMappings(appId, indices);
  };
  for (const [groupId, { indices, changes }] of groups) {
    const before = store.groupMembers(groupId);
    // Every member who leaves shares one plan of it (75,000 members of a deleted group: one map, not 75,000).
    const left: ReadonlyMap<string, IdentityGroup | null> = new Map([[groupId, null]]);
    const leave = (ids: Iterable<string>): void => {
      for (const id of ids) b.touch(id, indices).shareGroups(left);
    };
    // Every member leaves the group; the index forgets it once they are delivered. Those nothing
    // else reached yet make the page's tail, when it is free (a group of 75,000 deleted).
    const gone = (): void => {
      if (b.tail) leave(before);
      else {
        b.tail = { ids: new IdSet(), events: indices, patch: { groups: left } };
        for (const id of before) if (b.people.has(id)) b.touch(id, indices).shareGroups(left);
        else b.tail.ids.add(id);
      }
      b.commit(indices, () => table.forget(groupId));
    };
    if (changes.has('delete')) {
      gone();
      continue;
    }
    // The group is read again whenever it is (a push job may rename its target, an import its identifiers).
    const known = table.get(groupId);
    const fresh = changes.has('rename') || changes.has('members') || changes.has('push') || !known ? await readGroup(ctx, groupId, signal) : known;
    if (fresh === 'gone') gone();
    if (typeof fresh === 'string') continue;
    if (fresh.appId !== undefined) await firstOfApp(fresh.appId, indices);
    const now = new Set<string>();
    if (changes.has('members') || changes.has('push') || !known) {
      const outcome = await readMemberIds(ctx, groupId, signal, (id) => now.add(id));
      if (outcome === 'gone') gone();
      if (outcome === 'gone') continue;
      b.commit(indices, () => {
        table.addGroup(fresh);
        table.setMembersRead(groupId, outcome);
      });
      if (outcome !== 'read') continue;
    } else {
      b.commit(indices, () => table.addGroup(fresh));
      for (const id of before) now.add(id);
    }
    leave(before.filter((id) => !now.has(id)));
    // A new name reaches every member in the index at once (groups are stored once): each is delivered.
    const renamed = changes.has('rename') || (known !== undefined && (known.name !== fresh.name || known.type !== fresh.type));
    const joined: ReadonlyMap<string, IdentityGroup | null> = new Map([[groupId, plain(fresh)]]);
    for (const id of now) {
      const entry = b.touch(id, indices);
      entry.shareGroups(joined);
      if (renamed) entry.always = true;
    }
  }
}

/** Without an index: the members of each group an event names are read whole (a deleted group's cannot be known). */
export async function planGroupsWithoutStore(ctx: ProviderContext, b: Builder, effects: readonly PlacedEffect[], signal?: AbortSignal): Promise<void> {
  for (const [groupId, { indices, changes }] of groupEventsOf(effects, undefined).groups) {
    const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
    if (changes.has('delete')) {
      warnIncomplete(ctx, path, `group ${groupId} was deleted and its members cannot be listed without a synced index`);
      continue;
    }
    await readMemberIds(ctx, groupId, signal, (id) => b.touch(id, indices));
    warnIncomplete(ctx, path, `the members of group ${groupId} changed, and one who left cannot be found without a synced index`);
  }
}
