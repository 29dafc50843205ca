import { OktaForbiddenError, OktaNotFoundError } from '../../errors.js';
import type { AppAccount, Identity, IdentityGroup } from '../../sdk.js';
import { readApp, readAppUser } from '../reads/apps.js';
import type { PersonWork } from './builder.js';
import { warnForbidden, type ProviderContext } from '../context.js';
import { fetchIdentity, fetchUser } from '../reads/person.js';
import { byGroupId, samePerson, sortAccounts, toAppAccount, toPerson, type AppRef } from '../identity.js';
import type { IdentityStore } from '../store/store.js';

/**
 * A person's state after the page's events: the identity, gone (deleted in Okta), unchanged
 * (what the store already holds), or skipped because the token may not read it (warned).
 */
export type Refreshed = { kind: 'found'; identity: Identity; held?: HeldBy } | { kind: 'gone' } | { kind: 'unchanged' } | { kind: 'skipped' };

/** What the store a person was refreshed against holds of them: the identity found, or another. */
export interface HeldBy {
  store: IdentityStore;
  same: boolean;
}

/**
 * Finds a person's new identity as the plan says (see {@link PersonWork}): read whole, the
 * store's identity with fresh parts, or the store's as it is. `apps` holds the apps the plan
 * read and gains any this reads. A 404 on the user means the person was deleted; a 403 skips
 * the person with warnings and the stream goes on.
 */
export async function refreshPerson(ctx: ProviderContext, work: PersonWork, store: IdentityStore | undefined, apps: Map<string, AppRef>, signal?: AbortSignal): Promise<Refreshed> {
  try {
    const base = store?.identity(work.id);
    if (work.how === 'store') return base ? { kind: 'found', identity: base, held: { store: store!, same: true } } : { kind: 'gone' };
    if (work.how === 'patch' && base) return await patched(ctx, work, base, store!, apps, signal);
    const fetched = await fetchIdentity(ctx, work.id, signal, typeof work.user === 'object' ? work.user : undefined);
    return fetched.kind === 'forbidden' ? skipped(ctx, work.id) : fetched;
  } catch (error) {
    if (error instanceof OktaForbiddenError) {
      warnForbidden(ctx, error, `User ${work.id}`);
      return skipped(ctx, work.id);
    }
    // The accounts list of a user deleted a moment ago may 404 while the user read says why.
    if (error instanceof OktaNotFoundError && (await fetchUser(ctx, work.id, signal)) === null) return { kind: 'gone' };
    throw error;
  }
}

/** The store's identity with the parts the plan read (or reads now) replaced. */
async function patched(ctx: ProviderContext, work: PersonWork, base: Identity, store: IdentityStore, apps: Map<string, AppRef>, signal?: AbortSignal): Promise<Refreshed> {
  const user = work.user === 'read' ? await fetchUser(ctx, work.id, signal) : work.user;
  if (user === null) return { kind: 'gone' };
  const person = user ? toPerson(user) : base;
  // A status of its own (a mass expiry), else the person's.
  const status = user || work.status === undefined ? person.status : work.status;
  // An app the plan read keeps its holders' accounts as the index holds them, under its name and label as read.
  const accounts = new Map(base.accounts.map((a): [string, AppAccount] => [a.appId, relabelled(a, apps.get(a.appId))]));
  for (const [appId, planned] of work.accounts) {
    const appUser = planned === 'read' ? await readAppUser(ctx, appId, work.id, signal) : planned;
    if (appUser === 'forbidden') return skipped(ctx, work.id);
    const app = appUser && (apps.get(appId) ?? store.app(appId) ?? (await appNamed(ctx, appId, apps, signal)));
    if (appUser && app) accounts.set(appId, toAppAccount(app, appUser));
    else accounts.delete(appId);
  }
  const identity: Identity = { id: base.id, login: person.login, email: person.email, displayName: person.displayName, status, accounts: sortAccounts([...accounts.values()]) };
  if (base.groups) {
    const groups = new Map(base.groups.map((g): [string, IdentityGroup] => [g.id, g]));
    for (const [groupId, group] of work.groups) {
      if (group) groups.set(groupId, group);
      else groups.delete(groupId);
    }
    identity.groups = [...groups.values()].sort(byGroupId);
  }
  const same = sameIdentity(identity, base);
  return !work.always && same ? { kind: 'unchanged' } : { kind: 'found', identity, held: { store, same } };
}

function relabelled(account: AppAccount, app: AppRef | undefined): AppAccount {
  if (!app || (app.name === account.appName && app.label === account.appLabel)) return account;
  const { appId, userName, externalId, scope, status } = account;
  return { appId, appName: app.name, appLabel: app.label, userName, externalId, scope, status };
}

/** An app the store does not know yet (created after the sync); undefined when it is gone or forbidden. */
async function appNamed(ctx: ProviderContext, appId: string, apps: Map<string, AppRef>, signal?: AbortSignal): Promise<AppRef | undefined> {
  const app = await readApp(ctx, appId, signal);
  if (typeof app === 'string') return undefined;
  apps.set(appId, app);
  return app;
}

/**
 * Whether two identities say the same (accounts in the same order).
 */
export function sameIdentity(a: Identity, b: Identity): boolean {
  if (!samePerson(a, b) || a.accounts.length !== b.accounts.length) return false;
  return a.accounts.every((x, i) => {
    const y = b.accounts[i]!;
    return x.appId === y.appId && x.appName === y.appName && x.appLabel === y.appLabel && x.userName === y.userName && x.externalId === y.externalId && x.scope === y.scope && x.status === y.status;
  }) && sameGroups(a.groups, b.groups);
}

function sameGroups(a: IdentityGroup[] | undefined, b: IdentityGroup[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x.id === b[i]!.id && x.name === b[i]!.name && x.type === b[i]!.type && x.appId === b[i]!.appId);
}

function skipped(ctx: ProviderContext, userId: string): Refreshed {
  ctx.warn({
    code: 'change_skipped',
    status: 403,
    path: `/api/v1/users/${encodeURIComponent(userId)}`,
    message: `The change stream skipped an update of user ${userId}: the token may not read all of it. Their identity stays as it was until the access is granted and a full listIdentities() runs.`,
  });
  return { kind: 'skipped' };
}
