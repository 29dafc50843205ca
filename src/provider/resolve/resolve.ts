import { OktaError } from '../../errors.js';
import { paginate } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { anyOf, eq } from '../../okta/query.js';
import { oktaAppSchema, oktaAppUserSchema, oktaUserSchema, type OktaUser } from '../../okta/schemas.js';
import type { Identity } from '../../sdk.js';
import { checked, readOrSkip, skipForbidden, validItems, type ProviderContext } from '../context.js';
import { fetchIdentity } from '../reads/person.js';
import type { AppRef } from '../identity.js';
import type { IdentityStore } from '../store/store.js';

/** `app` naming Okta itself: the account is an Okta login or primary email. */
export const OKTA_APP = 'okta';

/** Okta app instance ids start with `0oa`; app names are catalog names like `slack`. */
const APP_ID = /^0oa[A-Za-z0-9]{6,}$/;

/** Two different people own the account: the connector reports it instead of guessing. */
export class AmbiguousAccountError extends OktaError {
  override name = 'AmbiguousAccountError';
  constructor(
    readonly app: string,
    readonly userIds: string[],
  ) {
    super(`the account in "${app}" belongs to ${userIds.length} different people (${userIds.join(', ')})`, 'ambiguous_account');
  }
}

/** Answers from a synced store: no request. */
export function resolveFromStore(store: IdentityStore, app: string, account: string): Identity | null {
  const ids = app === OKTA_APP ? store.findByOkta(account) : store.findByAccount(store.appsMatching(app), account);
  return single(app, ids) === null ? null : store.identity(ids[0]!)!;
}

/**
 * Answers with a few targeted requests: the app's instances (`filter=name eq`), each
 * instance's app users whose userName starts with the account (`q`, with the user embedded),
 * then that person's accounts. externalId is not searchable by `q`: when no userName matches,
 * the instance's whole user list is read to compare externalIds.
 */
export async function resolveFromOkta(ctx: ProviderContext, app: string, account: string, signal?: AbortSignal): Promise<Identity | null> {
  const found = new Map<string, OktaUser | undefined>();
  if (app === OKTA_APP) {
    const search = anyOf([eq('profile.login', account), eq('profile.email', account)]);
    for await (const page of paginate(ctx.client, '/api/v1/users', { limit: PAGE_SIZE.users, search }, signal, checked(oktaUserSchema))) {
      for (const user of validItems(ctx, page)) {
        const needle = account.toLowerCase();
        if (user.profile.login.toLowerCase() === needle || user.profile.email?.toLowerCase() === needle) found.set(user.id, user);
      }
    }
  } else {
    const instances: AppRef[] = [];
    for (const instance of await appInstances(ctx, app, signal)) {
      if (await matchAppUsers(ctx, instance, account, found, { limit: PAGE_SIZE.appUsers, q: account, expand: 'user' }, signal)) instances.push(instance);
    }
    if (found.size === 0) {
      for (const instance of instances) await matchAppUsers(ctx, instance, account, found, { limit: PAGE_SIZE.appUsers, expand: 'user' }, signal);
    }
  }
  const userId = single(app, [...found.keys()]);
  if (userId === null) return null;
  const fetched = await fetchIdentity(ctx, userId, signal, found.get(userId));
  // A forbidden accounts list was already warned about: the person is still the answer.
  return fetched.kind === 'gone' ? null : fetched.identity;
}

/**
 * The instances `app` names: an instance id, else the instances of that catalog name
 * (`filter=name eq`), else those with that label (`q` searches names and labels by prefix; the
 * label must then match whole, case-insensitively).
 */
export async function appInstances(ctx: ProviderContext, app: string, signal?: AbortSignal): Promise<AppRef[]> {
  if (APP_ID.test(app)) return [{ id: app, name: app, label: app }];
  const apps: AppRef[] = [];
  const read = async (query: Record<string, string | number>, keep: (a: AppRef) => boolean): Promise<void> => {
    await skipForbidden(ctx, `Apps named "${app}"`, async () => {
      for await (const page of paginate(ctx.client, '/api/v1/apps', { limit: PAGE_SIZE.apps, ...query }, signal, checked(oktaAppSchema))) apps.push(...validItems(ctx, page).filter(keep));
    });
  };
  await read({ filter: eq('name', app) }, (a) => a.name === app);
  if (apps.length === 0) await read({ q: app }, (a) => a.label.toLowerCase() === app.toLowerCase());
  return apps;
}

/**
 * Adds the app users of `app` matching `account` to `found`. Returns false when Okta does not know
 * the app (404): an unknown app id answers null, as it does from a synced store, with a
 * `not_found` warning saying why.
 */
async function matchAppUsers(ctx: ProviderContext, app: AppRef, account: string, found: Map<string, OktaUser | undefined>, query: Record<string, string | number>, signal?: AbortSignal): Promise<boolean> {
  const needle = account.toLowerCase();
  const outcome = await readOrSkip(ctx, `Accounts of app ${app.id}`, async () => {
    for await (const page of paginate(ctx.client, `/api/v1/apps/${encodeURIComponent(app.id)}/users`, query, signal, checked(oktaAppUserSchema))) {
      for (const appUser of validItems(ctx, page)) {
        if (appUser.credentials?.userName?.toLowerCase() === needle || appUser.externalId === account) found.set(appUser.id, appUser._embedded?.user);
      }
    }
  });
  return outcome !== 'gone';
}

function single(app: string, ids: string[]): string | null {
  if (ids.length > 1) throw new AmbiguousAccountError(app, ids);
  return ids[0] ?? null;
}
