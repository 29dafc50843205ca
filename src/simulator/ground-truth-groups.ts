/**
 * The ground truth of groups, independent of any connector: each person's groups, and an app
 * group's origin and members.
 * @module
 */
import type { Identity } from '../sdk.js';
import { APP_GROUP_IDENTIFIERS } from './app-groups.js';
import { mappingTo } from './groups-model.js';
import type { Org } from './org.js';
import type { AppRecord, GroupRecord, GroupType, PushMappingStatus } from './records.js';
import { isForbidden } from './options.js';

/**
 * One of a person's groups; `appId` only for an APP_GROUP (the app it belongs to).
 * @example
 * const ref: GroupRef = { id: '00g...', name: 'Admins', type: 'APP_GROUP', appId: '0oa...' };
 */
export interface GroupRef {
  id: string;
  name: string;
  type: GroupType;
  appId?: string;
}

/**
 * An identity with its groups, sorted by group id.
 * @example
 * sim.expectedIdentities({ groups: true })[0]!.groups.map((g) => g.name);
 */
export type IdentityWithGroups = Identity & { groups: GroupRef[] };

/**
 * What an app group is: where it comes from and who is in it.
 * @example
 * const truth: ExpectedAppGroup | null = sim.expectedAppGroup('GitHub Enterprise', 'platform-team');
 */
export interface ExpectedAppGroup {
  group: { id: string; name: string; type: GroupType; appId: string };
  /** `import`: the app's own group; `push`: the copy of `sourceGroupId` a Group Push mapping keeps. */
  source: { kind: 'import' } | { kind: 'push'; sourceGroupId: string; status: PushMappingStatus };
  /** Member user ids, sorted. */
  members: string[];
}

/** A group as a person's group. */
function groupRef(group: GroupRecord): GroupRef {
  const ref: GroupRef = { id: group.id, name: group.name, type: group.type };
  if (group.sourceAppId !== null) ref.appId = group.sourceAppId;
  return ref;
}

/**
 * `identities` with each person's groups: those whose listing and members a connector can
 * read (`/api/v1/groups` and `/api/v1/groups/{id}/users` not forbidden).
 */
export function withGroups(org: Org, identities: readonly Identity[], forbidden: ReadonlyArray<string | RegExp>): IdentityWithGroups[] {
  const listable = !isForbidden(forbidden, '/api/v1/groups');
  const readable = (id: string): boolean => listable && !isForbidden(forbidden, `/api/v1/groups/${id}/users`);
  return identities.map((identity) => {
    const ids = (org.userGroups.get(identity.id) ?? []).filter((id) => org.groups.has(id) && readable(id)).sort();
    return { ...identity, groups: ids.map((id) => groupRef(org.group(id))) };
  });
}

function single<T>(found: readonly T[], what: string): T | null {
  if (found.length > 1) throw new RangeError(`${what} matches ${found.length}; be more specific`);
  return found[0] ?? null;
}

/** An app by id, label or name (case-insensitive). */
function findApp(org: Org, ref: string): AppRecord | null {
  const byId = org.apps.get(ref);
  if (byId) return byId;
  const apps = org.appIds.map((id) => org.app(id));
  const lower = ref.toLowerCase();
  const byLabel = single(apps.filter((a) => a.label.toLowerCase() === lower), `app label ${JSON.stringify(ref)}`);
  return byLabel ?? single(apps.filter((a) => a.name.toLowerCase() === lower), `app name ${JSON.stringify(ref)}`);
}

function identifies(group: GroupRecord, ref: string): boolean {
  const lower = ref.toLowerCase();
  if (group.id === ref || group.name.toLowerCase() === lower) return true;
  return APP_GROUP_IDENTIFIERS.some((key) => {
    const value = Object.hasOwn(group.attributes, key) ? group.attributes[key] : undefined;
    // An externalId (a base64 GUID...) is compared as is; AD names ignore case, as AD does.
    return value !== undefined && (key === 'externalId' ? value === ref : value.toLowerCase() === lower);
  });
}

/**
 * An app group's truth, or null when there is no such app or group. `app`: an id, label or
 * name; `group`: its id, name (case-insensitive) or an identifier in the app (`externalId`,
 * `samAccountName`, `windowsDomainQualifiedName`, `dn`). Members: for an ACTIVE push mapping,
 * the source group's members who are assigned to the app; otherwise (imported, or an INACTIVE mapping's stale copy) the
 * group's own.
 * @throws RangeError when `app` or `group` matches more than one.
 */
export function expectedAppGroup(org: Org, app: string, group: string): ExpectedAppGroup | null {
  const found = findApp(org, app);
  if (!found) return null;
  const candidates = org.groupIds.map((id) => org.group(id)).filter((g) => g.sourceAppId === found.id && identifies(g, group));
  const g = single(candidates, `group ${JSON.stringify(group)} of app ${found.id}`);
  if (!g) return null;
  const mapping = mappingTo(org, g.id);
  const source: ExpectedAppGroup['source'] = mapping ? { kind: 'push', sourceGroupId: mapping.sourceGroupId, status: mapping.status } : { kind: 'import' };
  // Group Push syncs "all group members in Okta who are also assigned to the app" (GROUP_PUSH in
  // the Application features of Okta's Management API description).
  const members = mapping?.status === 'ACTIVE' ? org.group(mapping.sourceGroupId).memberIds.filter((id) => found.appUsers.has(id)) : g.memberIds;
  return { group: { id: g.id, name: g.name, type: g.type, appId: found.id }, source, members: [...members] };
}
