/**
 * What a correct connector must produce from the org: the ground truth of end-to-end tests.
 * The mapping is the connector's own (see `src/sdk.ts`).
 * @module
 */
import type { AppAccount, Identity } from '../sdk.js';
import { isForbidden } from './options.js';
import type { Org } from './org.js';
import { type AppRecord, scopeOf, type UserRecord } from './records.js';

/**
 * A person's display name (the rule of `src/sdk.ts`, stated here on its own so the ground truth
 * can catch the connector drifting from it): the profile's displayName unless it is blank
 * (whitespace only counts as absent), else first and last name, each trimmed, else the login; trimmed.
 */
function displayNameOf(user: UserRecord): string {
  const explicit = user.profile.displayName?.trim() ?? '';
  if (explicit !== '') return explicit;
  const name = [user.profile.firstName, user.profile.lastName].map((part) => (typeof part === 'string' ? part.trim() : '')).filter((part) => part !== '').join(' ');
  return name !== '' ? name : String(user.profile.login);
}

/** The apps whose app users a connector can read: those whose `/api/v1/apps/{id}/users` is not forbidden. Sorted by id. */
export function readableApps(org: Org, forbidden: ReadonlyArray<string | RegExp>): AppRecord[] {
  return org.appIds.map((id) => org.app(id)).filter((app) => !isForbidden(forbidden, `/api/v1/apps/${app.id}/users`));
}

/** The identity of one user over `apps` (accounts sorted by app id), or null for an unknown user. */
export function identityOf(org: Org, userId: string, apps: readonly AppRecord[]): Identity | null {
  const user = org.users.get(userId);
  if (!user) return null;
  const accounts: AppAccount[] = [];
  for (const app of apps) {
    const appUser = app.appUsers.get(userId);
    if (!appUser) continue;
    accounts.push({
      appId: app.id,
      appName: app.name,
      appLabel: app.label,
      userName: appUser.userName,
      externalId: appUser.externalId ?? null,
      scope: scopeOf(appUser),
      status: appUser.status,
    });
  }
  return {
    id: user.id,
    login: String(user.profile.login),
    email: user.profile.email ?? null,
    displayName: displayNameOf(user),
    status: user.status,
    accounts,
  };
}

/**
 * Every user (DEPROVISIONED included) sorted by id, with the accounts of readable apps (sorted by
 * app id). A connector may stream identities in any order: sort them by id before comparing.
 */
export function expectedIdentities(org: Org, forbidden: ReadonlyArray<string | RegExp>): Identity[] {
  const apps = readableApps(org, forbidden);
  return org.userIds.map((id) => identityOf(org, id, apps) as Identity);
}
