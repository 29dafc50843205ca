import type { OktaApp, OktaAppUser, OktaGroup, OktaUser } from '../okta/schemas.js';
import type { AppAccount, Identity, IdentityGroup } from '../sdk.js';

/** The person part of an {@link Identity}: everything but the accounts. */
export type Person = Omit<Identity, 'accounts'>;

/** A group as the connector keeps it: what identities show, and the names its app knows it by. */
export interface StoredGroup extends IdentityGroup {
  /** Identifiers of an app group in its app (externalId, samAccountName, DN...), for resolveAppGroup. */
  aliases: string[];
  /** How many Group Push mappings name the group, when the list said (`expand=stats`). */
  pushMappings?: number;
}

/** The app fields an account names. */
export type AppRef = Pick<OktaApp, 'id' | 'name' | 'label'>;

/**
 * Maps an Okta user to a person. displayName: the profile's displayName, else first and last
 * name (each trimmed), else the login.
 */
export function toPerson(user: OktaUser): Person {
  const p = user.profile;
  const fullName = [p.firstName?.trim(), p.lastName?.trim()].filter((s) => s).join(' ');
  return {
    id: user.id,
    login: p.login,
    email: p.email ?? null,
    displayName: p.displayName?.trim() || fullName || p.login,
    status: user.status,
  };
}

/**
 * Maps one app assignment to an account: `credentials.userName` is the account name; Okta's
 * scope is USER for a direct assignment and GROUP for one through a group.
 */
export function toAppAccount(app: AppRef, appUser: OktaAppUser): AppAccount {
  return {
    appId: app.id,
    appName: app.name,
    appLabel: app.label,
    userName: appUser.credentials?.userName ?? '',
    externalId: appUser.externalId ?? null,
    scope: appUser.scope === 'GROUP' ? 'GROUP' : 'USER',
    status: appUser.status,
  };
}

/** Whether two people say the same (id, login, email, display name, status). */
export function samePerson(a: Person, b: Person): boolean {
  return a.id === b.id && a.login === b.login && a.email === b.email && a.displayName === b.displayName && a.status === b.status;
}

/** Orders groups (or anything with an id) by id: the order identities list their groups in. */
export function byGroupId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Identity groups (without the index's extra fields), by id. */
export function identityGroups(groups: Iterable<StoredGroup | IdentityGroup>): IdentityGroup[] {
  return [...groups].map(({ id, name, type, appId }) => (appId === undefined ? { id, name, type } : { id, name, type, appId })).sort(byGroupId);
}

/** Accounts in a stable order: by app id. */
export function sortAccounts(accounts: AppAccount[]): AppAccount[] {
  return accounts.sort((a, b) => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0));
}

/** An app's id in an app group's `_links.source.href` (`https://{org}/api/v1/apps/{appId}`). */
const SOURCE_APP = /\/api\/v1\/apps\/([0-9a-z]{3}[A-Za-z0-9]+)$/;

/**
 * Maps an Okta group to what the index keeps: id, name, type, the app of an app group, and the
 * names the app knows it by.
 */
export function toGroup(group: OktaGroup): StoredGroup {
  const p = group.profile;
  const appId = group.source?.id ?? SOURCE_APP.exec(group._links?.source?.href ?? '')?.[1];
  const aliases = [p.externalId, p.samAccountName, p.windowsDomainQualifiedName, p.dn].filter((a): a is string => typeof a === 'string' && a !== '');
  const pushMappings = group._embedded?.stats?.groupPushMappingsCount;
  const base: StoredGroup = { id: group.id, name: p.name, type: group.type ?? 'OKTA_GROUP', aliases, ...(pushMappings === undefined ? {} : { pushMappings }) };
  return appId === undefined ? base : { ...base, appId };
}
