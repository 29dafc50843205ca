import { OktaNotFoundError } from '../../errors.js';
import { paginate } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { eq } from '../../okta/query.js';
import { oktaAppSchema, oktaUserSchema, type OktaUser } from '../../okta/schemas.js';
import type { AppAccount, Identity, IdentityGroup } from '../../sdk.js';
import { checked, parseOne, skipForbidden, validItems, type ProviderContext } from '../context.js';
import { identityGroups, sortAccounts, toAppAccount, toPerson } from '../identity.js';
import { listGroups } from './groups.js';

/**
 * Every account of one person in one list request: the apps assigned to the user, each with
 * its app user embedded (`filter=user.id eq "..."&expand=user/{id}`, Okta's `queryAppsExpand`
 * in the Management API description). On a 403 it warns and returns null: the accounts are unknown, not empty.
 */
async function fetchAccounts(ctx: ProviderContext, userId: string, signal?: AbortSignal): Promise<AppAccount[] | null> {
  // By app: an app listed twice (a page boundary moving under the read) is one account.
  const accounts = new Map<string, AppAccount>();
  const read = await skipForbidden(ctx, `App accounts of user ${userId}`, async () => {
    const query = { limit: PAGE_SIZE.apps, filter: eq('user.id', userId), expand: `user/${userId}` };
    for await (const page of paginate(ctx.client, '/api/v1/apps', query, signal, checked(oktaAppSchema))) {
      for (const app of validItems(ctx, page)) {
        const appUser = app._embedded?.user;
        if (appUser) accounts.set(app.id, toAppAccount(app, appUser));
      }
    }
  });
  return read ? sortAccounts([...accounts.values()]) : null;
}

/** One user, or null when Okta says it does not exist. */
export async function fetchUser(ctx: ProviderContext, userId: string, signal?: AbortSignal): Promise<OktaUser | null> {
  try {
    const path = `/api/v1/users/${encodeURIComponent(userId)}`;
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    return parseOne(oktaUserSchema, body, path, userId);
  } catch (error) {
    if (error instanceof OktaNotFoundError) return null;
    throw error;
  }
}

/**
 * The groups of one user (`GET /api/v1/users/{id}/groups`), sorted by id, or null when the token
 * may not read them (warned): the groups are unknown, not empty.
 */
async function fetchGroups(ctx: ProviderContext, userId: string, signal?: AbortSignal): Promise<IdentityGroup[] | null> {
  let groups: IdentityGroup[] = [];
  const read = await skipForbidden(ctx, `Groups of user ${userId}`, async () => {
    groups = identityGroups(await listGroups(ctx, signal, {}, `/api/v1/users/${encodeURIComponent(userId)}/groups`));
  });
  return read ? groups : null;
}

/** A fresh identity, or why there is none. */
export type FetchedIdentity =
  | { kind: 'found'; identity: Identity }
  /** Okta says the user does not exist (404). */
  | { kind: 'gone' }
  /** The user exists but its accounts may not be read (403, already warned). */
  | { kind: 'forbidden'; identity: Identity };

/**
 * A person's full current identity read fresh from Okta: the user and its accounts, in
 * parallel (they are in different rate-limit buckets).
 */
export async function fetchIdentity(ctx: ProviderContext, userId: string, signal?: AbortSignal, known?: OktaUser): Promise<FetchedIdentity> {
  const withGroups = ctx.client.config.groups;
  const [user, accounts, groups] = await Promise.all([known ?? fetchUser(ctx, userId, signal), fetchAccounts(ctx, userId, signal), withGroups ? fetchGroups(ctx, userId, signal) : []]);
  if (!user) return { kind: 'gone' };
  const { id, login, email, displayName, status } = toPerson(user);
  const identity: Identity = { id, login, email, displayName, status, accounts: accounts ?? [] };
  if (withGroups) identity.groups = groups ?? [];
  return accounts && groups ? { kind: 'found', identity } : { kind: 'forbidden', identity };
}
