import { OktaNotFoundError } from '../http/errors.js';
import { paginate } from '../http/paginate.js';
import { PAGE_SIZE } from '../okta/buckets.js';
import { eq } from '../okta/query.js';
import { oktaAppSchema, oktaUserSchema, type OktaUser } from '../okta/schemas.js';
import type { AppAccount, Identity } from '../sdk.js';
import { parseOne, skipForbidden, validItems, type ProviderContext } from './context.js';
import { sortAccounts, toAppAccount, toPerson } from './identity.js';

/**
 * Every account of one person in one list request: the apps assigned to the user, each with
 * its app user embedded (`filter=user.id eq "..."&expand=user/{id}`, Okta's `queryAppsExpand`
 * in the Management API description). A 403 gives no accounts and a `forbidden` warning.
 */
export async function fetchAccounts(ctx: ProviderContext, userId: string, signal?: AbortSignal): Promise<AppAccount[]> {
  const accounts: AppAccount[] = [];
  await skipForbidden(ctx, `App accounts of user ${userId}`, async () => {
    const query = { limit: PAGE_SIZE.apps, filter: eq('user.id', userId), expand: `user/${userId}` };
    for await (const page of paginate(ctx.client, '/api/v1/apps', query, signal)) {
      for (const app of validItems(ctx, oktaAppSchema, page)) {
        const appUser = app._embedded?.user;
        if (appUser) accounts.push(toAppAccount(app, appUser));
      }
    }
  });
  return sortAccounts(accounts);
}

/** One user, or null when Okta says it does not exist. */
export async function fetchUser(ctx: ProviderContext, userId: string, signal?: AbortSignal): Promise<OktaUser | null> {
  try {
    const path = `/api/v1/users/${encodeURIComponent(userId)}`;
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    return parseOne(oktaUserSchema, body, path);
  } catch (error) {
    if (error instanceof OktaNotFoundError) return null;
    throw error;
  }
}

/**
 * A person's full current identity read fresh from Okta (the user and its accounts, in
 * parallel: they are in different rate-limit buckets), or null when the user no longer exists.
 * @example
 * const identity = await fetchIdentity(ctx, '00u1abc');
 */
export async function fetchIdentity(ctx: ProviderContext, userId: string, signal?: AbortSignal, known?: OktaUser): Promise<Identity | null> {
  const [user, accounts] = await Promise.all([known ?? fetchUser(ctx, userId, signal), fetchAccounts(ctx, userId, signal)]);
  return user ? { ...toPerson(user), accounts } : null;
}
