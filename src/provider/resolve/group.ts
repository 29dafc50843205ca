/**
 * `resolveAppGroup(app, group)`: an app's group and the people in it. An app group is an Okta
 * `APP_GROUP` whose source is the app. Its members are Okta's, unless Okta pushes another group
 * to it (Group Push): then they are the source group's members assigned to the app, while the
 * push is not INACTIVE.
 * @module
 */
import { OktaError } from '../../errors.js';
import { anyOf, eq } from '../../okta/query.js';
import type { AppGroup, ConnectorWarning } from '../../sdk.js';
import { readAppAccounts } from '../reads/apps.js';
import type { ProviderContext } from '../context.js';
import { appInstances } from './resolve.js';
import type { StoredGroup } from '../identity.js';
import type { PushMapping } from '../store/groups.js';
import type { IdentityStore } from '../store/store.js';
import { listGroups, readMemberIds, readPushMappings } from '../reads/groups.js';

/** Two different app groups match: the connector reports it instead of guessing. */
export class AmbiguousGroupError extends OktaError {
  override name = 'AmbiguousGroupError';
  constructor(
    readonly app: string,
    readonly groupIds: string[],
  ) {
    super(`"${app}" has ${groupIds.length} groups by that name (${groupIds.join(', ')})`, 'ambiguous_group');
  }
}

/** Whether `group` is the app group's name (case-insensitively) or one of its identifiers in the app. */
function names(candidate: StoredGroup, group: string): boolean {
  const needle = group.toLowerCase();
  return candidate.name.toLowerCase() === needle || candidate.aliases.some((a) => a.toLowerCase() === needle);
}

/** The one group found, or null; a group listed twice (a page boundary moving under the read) is one group. */
function single(app: string, found: StoredGroup[]): StoredGroup | null {
  const groups = [...new Map(found.map((g) => [g.id, g])).values()];
  if (groups.length > 1) throw new AmbiguousGroupError(app, groups.map((g) => g.id));
  return groups[0] ?? null;
}

/**
 * Where a group's members come from (see the module comment). A push reaches only the source's
 * members who are assigned to the app ("all group members in Okta who are also assigned to the
 * app are synced", GROUP_PUSH in Okta's Application features), so `assigned` says to keep those.
 */
function membersFrom(group: StoredGroup, mapping: PushMapping | undefined): { source: AppGroup['source']; membersOf: string; assigned: boolean } {
  if (!mapping) return { source: { kind: 'import' }, membersOf: group.id, assigned: false };
  const pushing = mapping.status !== 'INACTIVE';
  return { source: { kind: 'push', sourceGroupId: mapping.sourceGroupId, status: mapping.status }, membersOf: pushing ? mapping.sourceGroupId : group.id, assigned: pushing };
}

function unread(path: string, what: string, outcome: 'forbidden' | 'gone'): ConnectorWarning {
  return outcome === 'forbidden'
    ? { code: 'forbidden', status: 403, path, message: `${what} could not be read (grant okta.apps.read and okta.groups.read): the group's members may come from a pushed group.` }
    : { code: 'not_found', status: 404, path, message: `${what} no longer exists.` };
}

/** Answers from an index synced with groups: no request. */
export function resolveGroupFromStore(store: IdentityStore, app: string, group: string): AppGroup | null {
  const table = store.groups!;
  const apps = new Set(store.appsMatching(app).map((a) => a.id));
  const found = single(app, table.all().filter((g) => g.type === 'APP_GROUP' && g.appId !== undefined && apps.has(g.appId) && names(g, group)));
  if (!found) return null;
  const { source, membersOf, assigned } = membersFrom(found, table.pushTargets.get(found.id));
  const path = `/api/v1/apps/${encodeURIComponent(found.appId!)}/group-push/mappings`;
  const missing: ConnectorWarning[] = [];
  const mappings = table.pushUnread(found.appId!);
  if (mappings) missing.push(unread(path, `The Group Push mappings of app ${found.appId}`, mappings));
  const members = table.membersUnread(membersOf);
  if (members) missing.push(unread(`/api/v1/groups/${encodeURIComponent(membersOf)}/users`, `The members of group ${membersOf}`, members));
  // In proportion to the group's size: each member's own accounts, not the app's holders.
  const people = store.groupMembers(membersOf, assigned ? found.appId : undefined);
  return { group: { id: found.id, name: found.name, type: found.type, appId: found.appId! }, source, members: people.sort(), missing };
}

/**
 * Answers with a few narrow requests: the app's instances, each instance's app groups
 * (`search=type eq "APP_GROUP" and source.id eq "..."`: `source.id` is a search attribute, not a
 * filter one), that app's push mappings, and the members of the group the members come from.
 */
export async function resolveGroupFromOkta(ctx: ProviderContext, app: string, group: string, signal?: AbortSignal): Promise<AppGroup | null> {
  const candidates: StoredGroup[] = [];
  for (const instance of await appInstances(ctx, app, signal)) {
    const search = anyOf([eq('type', 'APP_GROUP'), eq('source.id', instance.id)], 'and');
    candidates.push(...(await listGroups(ctx, signal, { search })).filter((g) => g.appId === instance.id && names(g, group)));
  }
  const found = single(app, candidates);
  if (!found) return null;
  const appId = found.appId!;
  const missing: ConnectorWarning[] = [];
  const mappings = await readPushMappings(ctx, appId, signal);
  if (typeof mappings === 'string') missing.push(unread(`/api/v1/apps/${encodeURIComponent(appId)}/group-push/mappings`, `The Group Push mappings of app ${appId}`, mappings));
  const { source, membersOf, assigned } = membersFrom(found, typeof mappings === 'string' ? undefined : mappings.find((m) => m.targetGroupId === found.id));
  const members = new Set<string>();
  const outcome = await readMemberIds(ctx, membersOf, signal, (id) => members.add(id));
  if (outcome !== 'read') missing.push(unread(`/api/v1/groups/${encodeURIComponent(membersOf)}/users`, `The members of group ${membersOf}`, outcome));
  if (assigned) {
    const accounts = await readAppAccounts(ctx, appId, signal);
    if (typeof accounts === 'string') missing.push(unread(`/api/v1/apps/${encodeURIComponent(appId)}/users`, `The accounts of app ${appId}`, accounts));
    else for (const id of members) if (!accounts.holders.has(id)) members.delete(id);
  }
  return { group: { id: found.id, name: found.name, type: found.type, appId }, source, members: [...members].sort(), missing };
}
