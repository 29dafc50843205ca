/**
 * What groups and Group Push mappings need of the org beyond `org.ts` and `memberships.ts`:
 * finding mappings, adding and removing them, mirroring a pushed group's members, removing a
 * group.
 * @module
 */
import { addMember, removeMember, unassignGroup } from './memberships.js';
import type { Org } from './org.js';
import type { AppRecord, AppUserChange, AppUserInit, PushMappingRecord } from './records.js';
import { removeSorted } from './sorted.js';

/** Every mapping of the org, app by app. */
export function* allMappings(org: Org): Generator<PushMappingRecord> {
  for (const appId of org.appIds) {
    const app = org.apps.get(appId) as AppRecord;
    for (const id of app.pushMappingIds) yield app.pushMappings.get(id) as PushMappingRecord;
  }
}

/** The mappings that push this group, in any app. */
export function mappingsFrom(org: Org, groupId: string): PushMappingRecord[] {
  return [...allMappings(org)].filter((m) => m.sourceGroupId === groupId);
}

/** The mapping whose target this group is, if any (a group is the target of one mapping at most). */
export function mappingTo(org: Org, groupId: string): PushMappingRecord | undefined {
  for (const m of allMappings(org)) if (m.targetGroupId === groupId) return m;
  return undefined;
}

/**
 * A mapping of an app by id.
 * @throws RangeError naming the app and mapping when there is none.
 */
export function findMapping(org: Org, appId: string, mappingId: string): PushMappingRecord {
  const m = org.app(appId).pushMappings.get(mappingId);
  if (!m) throw new RangeError(`no push mapping ${mappingId} in app ${appId}`);
  return m;
}

/** Adds a mapping to its app. */
export function addMapping(org: Org, mapping: PushMappingRecord): void {
  const app = org.app(mapping.appId);
  app.pushMappings.set(mapping.id, mapping);
  app.pushMappingIds.push(mapping.id);
  app.pushMappingIds.sort();
}

/** Removes a mapping from its app (its groups stay). */
export function removeMapping(org: Org, mapping: PushMappingRecord): void {
  const app = org.app(mapping.appId);
  app.pushMappings.delete(mapping.id);
  removeSorted(app.pushMappingIds, mapping.id);
}

/**
 * Makes the target's members the source's members, as a push does (Okta "removes any members
 * of the [target] group that aren't members of the linked Okta group",
 * https://help.okta.com/en-us/content/topics/users-groups-profiles/usgp-about-group-push.htm).
 * Returns whether the membership changed and the app users that changed with it (when the
 * target is assigned to apps).
 */
export function mirror(org: Org, mapping: PushMappingRecord, now: number, init: AppUserInit): { changed: boolean; changes: AppUserChange[] } {
  const source = org.group(mapping.sourceGroupId);
  const target = org.group(mapping.targetGroupId);
  const leaving = target.memberIds.filter((id) => !source.members.has(id));
  const joining = source.memberIds.filter((id) => !target.members.has(id));
  const changes: AppUserChange[] = [];
  for (const id of leaving) changes.push(...removeMember(org, target.id, id, now));
  for (const id of joining) changes.push(...addMember(org, target.id, id, now, init));
  return { changed: leaving.length + joining.length > 0, changes };
}

/**
 * Removes a group: its memberships and its app assignments (returning the app users that only
 * it gave, now gone). Mappings are the caller's business.
 */
export function removeGroup(org: Org, groupId: string): AppUserChange[] {
  const group = org.group(groupId);
  const changes: AppUserChange[] = [];
  for (const appId of org.appIds) if (org.app(appId).groups.has(groupId)) changes.push(...unassignGroup(org, appId, groupId));
  for (const userId of group.memberIds) {
    const mine = org.userGroups.get(userId);
    const i = mine ? mine.indexOf(groupId) : -1;
    if (mine && i >= 0) mine.splice(i, 1);
  }
  org.groups.delete(groupId);
  removeSorted(org.groupIds, groupId);
  return changes;
}
