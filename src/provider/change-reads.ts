/**
 * The reads the change stream makes beyond one person: an app's accounts, an app, one app
 * user, a group's members, every user. Each list is read once per change at its largest page
 * size, so a change's cost follows pages, not people.
 * @module
 */
import { paginate } from '../http/paginate.js';
import { PAGE_SIZE } from '../okta/buckets.js';
import { oktaAppSchema, oktaAppUserSchema, oktaUserSchema, type OktaAppUser, type OktaUser } from '../okta/schemas.js';
import { RecentMap } from './change-dedup.js';
import { OktaNotFoundError } from '../http/errors.js';
import { checked, parseOne, readOrSkip, skipForbidden, validItems, type ProviderContext, type ReadOutcome } from './context.js';
import type { AppRef } from './identity.js';

/** An app's current accounts, by user id, each with its user embedded. */
export interface AppAccounts {
  holders: Map<string, OktaAppUser>;
  /** Okta's time (its `Date` header) when the first page was read; every change published before it is in the read. */
  readAt: number | undefined;
}

/**
 * Every app user of `appId` with the user embedded (`GET /api/v1/apps/{appId}/users?expand=user`).
 * @example
 * const accounts = await readAppAccounts(ctx, '0oa1', signal);
 * if (typeof accounts !== 'string') for (const [userId, appUser] of accounts.holders) diff(userId, appUser);
 */
export async function readAppAccounts(ctx: ProviderContext, appId: string, signal?: AbortSignal): Promise<AppAccounts | Exclude<ReadOutcome, 'read'>> {
  const holders = new Map<string, OktaAppUser>();
  let readAt: number | undefined;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
  const outcome = await readOrSkip(ctx, `Accounts of app ${appId}`, async () => {
    for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.appUsers, expand: 'user' }, signal, checked(oktaAppUserSchema))) {
      readAt ??= oktaTime(page.response.headers.date);
      for (const appUser of validItems(ctx, page)) holders.set(appUser.id, appUser);
    }
  });
  return outcome === 'read' ? { holders, readAt } : outcome;
}

/**
 * One app's id, name and label (`GET /api/v1/apps/{appId}`).
 * @example
 * const app = await readApp(ctx, '0oa1', signal); // { id: '0oa1', name: 'slack', label: 'Slack' }
 */
export async function readApp(ctx: ProviderContext, appId: string, signal?: AbortSignal): Promise<AppRef | Exclude<ReadOutcome, 'read'>> {
  let app: AppRef | undefined;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}`;
  const outcome = await readOrSkip(ctx, `App ${appId}`, async () => {
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    const { id, name, label } = parseOne(oktaAppSchema, body, path);
    app = { id, name, label };
  });
  return app ?? (outcome as Exclude<ReadOutcome, 'read'>);
}

/**
 * One user's app user in one app with the user embedded, or null when the user has no account
 * there (`GET /api/v1/apps/{appId}/users/{userId}?expand=user`; a 404 means no assignment).
 * @example
 * const appUser = await readAppUser(ctx, '0oa1', '00u1', signal);
 */
export async function readAppUser(ctx: ProviderContext, appId: string, userId: string, signal?: AbortSignal): Promise<OktaAppUser | null | 'forbidden'> {
  let appUser: OktaAppUser | null = null;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`;
  try {
    const read = await skipForbidden(ctx, `The account of user ${userId} in app ${appId}`, async () => {
      const { body } = await ctx.client.get(path, { query: { expand: 'user' }, ...(signal ? { signal } : {}) });
      appUser = parseOne(oktaAppUserSchema, body, path);
    });
    return read ? appUser : 'forbidden';
  } catch (error) {
    // The user is not assigned to the app (or the app is gone): no account.
    if (error instanceof OktaNotFoundError) return null;
    throw error;
  }
}

/**
 * Every member of a group, each user embedded (`GET /api/v1/groups/{groupId}/users`).
 * @example
 * const members = await readGroupMembers(ctx, '00g1', signal);
 */
export async function readGroupMembers(ctx: ProviderContext, groupId: string, signal?: AbortSignal): Promise<Map<string, OktaUser> | Exclude<ReadOutcome, 'read'>> {
  const members = new Map<string, OktaUser>();
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
  const outcome = await readOrSkip(ctx, `Members of group ${groupId}`, async () => {
    for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.groupMembers }, signal, checked(oktaUserSchema))) {
      for (const user of validItems(ctx, page)) members.set(user.id, user);
    }
  });
  return outcome === 'read' ? members : outcome;
}

/**
 * Every user, DEPROVISIONED included (a `filter`, since the plain list leaves them out).
 * @example
 * for (const user of await readEveryone(ctx, signal)) compare(user);
 */
export async function readEveryone(ctx: ProviderContext, signal?: AbortSignal): Promise<OktaUser[]> {
  const users: OktaUser[] = [];
  const query = { limit: PAGE_SIZE.users, filter: 'lastUpdated gt "1970-01-01T00:00:00.000Z"' };
  for await (const page of paginate(ctx.client, '/api/v1/users', query, signal, checked(oktaUserSchema))) users.push(...validItems(ctx, page));
  return users;
}

/** What a stream remembers between pages, bounded. */
export class StreamMemory {
  /** The holders an app had when last listed: a deleted app's can no longer be listed. */
  readonly holders = new RecentMap<string, string[]>(64);
  /** Okta's time of each app's last full accounts read: changes published before it are in it. */
  readonly accountsReadAt = new RecentMap<string, number>(256);
  /** The org's app count, once counted. */
  apps: number | undefined;
  /** A full read was found to cost more than this many apps-bucket requests. */
  fullReadAbove = 0;
}

function oktaTime(date: string | string[] | undefined): number | undefined {
  const time = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
