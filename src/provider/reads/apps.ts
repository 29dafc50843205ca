/**
 * Reading apps and their accounts: the app list, one app, an app's accounts, one app user. Each
 * list at its largest page size, so a read costs pages, not people.
 * @module
 */
import { OktaNotFoundError } from '../../errors.js';
import { paginate } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { oktaAppSchema, oktaAppUserSchema, type OktaAppUser } from '../../okta/schemas.js';
import { checked, parseOne, readOrSkip, skipForbidden, validItems, type ProviderContext, type ReadOutcome } from '../context.js';
import type { AppRef } from '../identity.js';
import { keptAppUser } from './kept.js';

/**
 * Every app instance, by id (an app listed twice, a page boundary moving under the read, is kept
 * once); `onPage` sees each page. A 403 is a warning and an empty list: no accounts can be read.
 */
export async function listApps(ctx: ProviderContext, signal: AbortSignal | undefined, onPage: () => void = () => undefined): Promise<AppRef[]> {
  const apps = new Map<string, AppRef>();
  await skipForbidden(ctx, 'All app accounts', async () => {
    for await (const page of paginate(ctx.client, '/api/v1/apps', { limit: PAGE_SIZE.apps }, signal, checked(oktaAppSchema))) {
      onPage();
      for (const { id, name, label } of validItems(ctx, page)) apps.set(id, { id, name, label });
    }
  });
  return [...apps.values()];
}

/** An app's current accounts, by user id, each with its user embedded (as {@link keptAppUser} keeps them). */
export interface AppAccounts {
  holders: Map<string, OktaAppUser>;
  /** Okta's time (its `Date` header) when the first page was read; every change published before it is in the read. */
  readAt: number | undefined;
}

/**
 * Every app user of `appId` with the user embedded (`GET /api/v1/apps/{appId}/users?expand=user`),
 * each cut to what an identity is built from as it is parsed.
 */
export async function readAppAccounts(ctx: ProviderContext, appId: string, signal?: AbortSignal): Promise<AppAccounts | Exclude<ReadOutcome, 'read'>> {
  const holders = new Map<string, OktaAppUser>();
  const read = await eachAppUser(ctx, appId, signal, (appUser) => void holders.set(appUser.id, appUser));
  return typeof read === 'string' ? read : { holders, readAt: read.readAt };
}

/**
 * Like {@link readAppAccounts}, but each app user goes to `onAppUser` as its page is read and
 * nothing is kept: a reader of a large app holds one page at a time. An app user listed twice
 * (a page boundary moving under the read) is given twice. `embedUsers: false` reads the accounts
 * alone, as the full sync does (half the bytes: for a caller whose index already holds the people).
 */
export async function eachAppUser(ctx: ProviderContext, appId: string, signal: AbortSignal | undefined, onAppUser: (appUser: OktaAppUser) => void, embedUsers = true): Promise<{ readAt: number | undefined } | Exclude<ReadOutcome, 'read'>> {
  let readAt: number | undefined;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
  const query = embedUsers ? { limit: PAGE_SIZE.appUsers, expand: 'user' } : { limit: PAGE_SIZE.appUsers };
  const outcome = await readOrSkip(ctx, `Accounts of app ${appId}`, async () => {
    for await (const page of paginate(ctx.client, path, query, signal, checked(oktaAppUserSchema, keptAppUser))) {
      readAt ??= oktaTime(page.response.headers.date);
      for (const appUser of validItems(ctx, page)) onAppUser(appUser);
    }
  });
  return outcome === 'read' ? { readAt } : outcome;
}

/**
 * One app's id, name and label (`GET /api/v1/apps/{appId}`).
 */
export async function readApp(ctx: ProviderContext, appId: string, signal?: AbortSignal): Promise<AppRef | Exclude<ReadOutcome, 'read'>> {
  let app: AppRef | undefined;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}`;
  const outcome = await readOrSkip(ctx, `App ${appId}`, async () => {
    const { body } = await ctx.client.get(path, signal ? { signal } : {});
    const { id, name, label } = parseOne(oktaAppSchema, body, path, appId);
    app = { id, name, label };
  });
  return app ?? (outcome as Exclude<ReadOutcome, 'read'>);
}

/**
 * One user's app user in one app with the user embedded, or null when the user has no account
 * there (`GET /api/v1/apps/{appId}/users/{userId}?expand=user`; a 404 means no assignment).
 */
export async function readAppUser(ctx: ProviderContext, appId: string, userId: string, signal?: AbortSignal): Promise<OktaAppUser | null | 'forbidden'> {
  let appUser: OktaAppUser | null = null;
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`;
  try {
    const read = await skipForbidden(ctx, `The account of user ${userId} in app ${appId}`, async () => {
      const { body } = await ctx.client.get(path, { query: { expand: 'user' }, ...(signal ? { signal } : {}) });
      appUser = parseOne(oktaAppUserSchema, body, path, userId);
    });
    return read ? appUser : 'forbidden';
  } catch (error) {
    // The user is not assigned to the app (or the app is gone): no account.
    if (error instanceof OktaNotFoundError) return null;
    throw error;
  }
}

function oktaTime(date: string | string[] | undefined): number | undefined {
  const time = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
