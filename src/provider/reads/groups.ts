/**
 * Reading groups: the groups list (or a user's), one group, a group's members, an app's Group Push
 * mappings (a pushed group is an app group whose members come from another group). All in the
 * groups bucket except the mappings (under /api/v1/apps).
 * @module
 */
import createDebug from 'debug';
import { OktaHttpError } from '../../errors.js';
import { paginate } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { oktaGroupSchema, oktaMemberSchema, oktaPushMappingSchema, oktaUserSchema, type OktaUser } from '../../okta/schemas.js';
import { checked, parseOne, readOrSkip, validItems, type ProviderContext, type ReadOutcome } from '../context.js';
import { toGroup, type StoredGroup } from '../identity.js';
import type { PushMapping } from '../store/groups.js';
import { keptUser } from './kept.js';

const debug = createDebug('okta-idp:groups');

/** Query parameters of a groups list read. */
export type GroupQuery = Record<string, string>;

/**
 * Groups of the org (or of one user, with `path`), or those a `search` selects (`type eq "APP_GROUP" and source.id eq "..."`:
 * `source.id` is a search attribute, not a filter one).
 */
export async function listGroups(ctx: ProviderContext, signal: AbortSignal | undefined, query: GroupQuery = {}, path = '/api/v1/groups'): Promise<StoredGroup[]> {
  const groups: StoredGroup[] = [];
  // A user's groups (`/api/v1/users/{id}/groups`) come in one response, with no paging parameter.
  const paging = path === '/api/v1/groups' ? { limit: PAGE_SIZE.groups } : {};
  for await (const page of paginate(ctx.client, path, { ...paging, ...query }, signal, checked(oktaGroupSchema, toGroup))) groups.push(...validItems(ctx, page));
  return groups;
}

/** One group (`GET /api/v1/groups/{groupId}`), or why it could not be read (warned). */
export async function readGroup(ctx: ProviderContext, groupId: string, signal: AbortSignal | undefined): Promise<StoredGroup | Exclude<ReadOutcome, 'read'>> {
  let group: StoredGroup | undefined;
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}`;
  const outcome = await readOrSkip(ctx, `Group ${groupId}`, async () => {
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    group = toGroup(parseOne(oktaGroupSchema, body, path, groupId));
  });
  return group ?? (outcome as Exclude<ReadOutcome, 'read'>);
}

/**
 * A group's members (`GET /api/v1/groups/{groupId}/users`, 1,000 a page): users as {@link keptUser}
 * keeps them, or with `idsOnly` only their ids (the rest of each user is dropped as it is parsed). A 403 or 404 is a
 * warning and an outcome.
 */
export async function readGroupMembers(ctx: ProviderContext, groupId: string, signal: AbortSignal | undefined, onMember: (member: OktaUser | { id: string }) => void, idsOnly = false): Promise<ReadOutcome> {
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
  return readOrSkip(ctx, `Members of group ${groupId}`, async () => {
    const member = idsOnly ? checked<{ id: string }>(oktaMemberSchema) : checked(oktaUserSchema, keptUser);
    for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.groupMembers }, signal, member)) {
      for (const member of validItems(ctx, page)) onMember(member);
    }
  });
}

/** The ids of a group's members (see {@link readGroupMembers}). */
export function readMemberIds(ctx: ProviderContext, groupId: string, signal: AbortSignal | undefined, onMember: (userId: string) => void): Promise<ReadOutcome> {
  return readGroupMembers(ctx, groupId, signal, (m) => onMember(m.id), true);
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
      for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.groupPushMappings }, signal, checked(oktaPushMappingSchema))) {
        for (const { sourceGroupId, targetGroupId, status } of validItems(ctx, page)) mappings.push({ appId, sourceGroupId, targetGroupId, status });
      }
    } catch (error) {
      if (!(error instanceof OktaHttpError && error.status === 400)) throw error;
      debug('app %s has no Group Push (%s)', appId, error.errorCode ?? '400');
    }
  });
  return outcome === 'read' ? mappings : outcome;
}
