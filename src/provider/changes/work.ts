/**
 * From a page's event effects to the people to update and how, at a cost that follows pages,
 * not people.
 *
 * With a synced store (the provider's, kept current by the stream) a change that reaches many
 * people reads the app's accounts once and diffs them against the store: a group of 900 assigned
 * to an app costs the app's user pages (500 a page), not 900 requests, and the
 * `application.user_membership.*` events Okta writes for each member are covered by that read.
 * A lock or password event reads the user alone; an account event reads that one app user; the
 * rest of the identity comes from the store. Without a store (a stream resumed in a fresh
 * process) each person is read whole, unless that would cost more apps-bucket requests than a
 * full read (at least one per app), in which case the org is read once into a store
 * (work-unindexed.ts).
 * @module
 */
import { PAGE_SIZE } from '../../okta/endpoints.js';
import type { OktaAppUser } from '../../okta/schemas.js';
import type { ProviderContext } from '../context.js';
import { samePerson, toAppAccount, toPerson, type AppRef } from '../identity.js';
import { eachAppUser, readApp } from '../reads/apps.js';
import { readEveryone } from '../reads/users.js';
import type { IdentityStore } from '../store/store.js';
import { appEventsOf } from './app-events.js';
import { Builder, type PageWork, type PersonWork } from './builder.js';
import type { EventEffect } from './events.js';
import type { StreamMemory } from './memory.js';
import { planGroupsWithStore } from './work-groups.js';
import { withoutStore } from './work-unindexed.js';

/** What the provider lends the planner. */
export interface WorkEnv {
  /** The provider's synced store, when it has one (read at each use: a re-sync may replace it). */
  store(): IdentityStore | undefined;
  /**
   * Reads the whole org into a store the provider then keeps (`apps`: the app list, when just
   * read); undefined when it would take more than `maxAppPages` apps-bucket requests (then it
   * stops there).
   */
  fullRead(signal: AbortSignal | undefined, maxAppPages?: number, apps?: AppRef[]): Promise<IdentityStore | undefined>;
  memory: StreamMemory;
}

/** One effect of the page and where it sits. */
export interface PlacedEffect {
  index: number;
  /** The event's `published` time (epoch ms); NaN when unknown or out of order (written late). */
  published: number;
  effect: Exclude<EventEffect, { reach: 'unresolved' }>;
}

/**
 * Decides how each person the page's effects reach is updated, reading app accounts, apps,
 * group members or every user where that is cheaper than reading people one by one.
 */
export async function planWork(ctx: ProviderContext, effects: readonly PlacedEffect[], env: WorkEnv, signal?: AbortSignal): Promise<PageWork> {
  const store = env.store();
  return store ? withStore(ctx, effects, store, env.memory, signal) : withoutStore(ctx, effects, env, signal);
}

async function withStore(ctx: ProviderContext, effects: readonly PlacedEffect[], store: IdentityStore, memory: StreamMemory, signal?: AbortSignal): Promise<PageWork> {
  const b = new Builder();
  // The stream read the org itself and has not delivered everyone yet (see withoutStore).
  if (store.undelivered && store.undelivered.size > 0 && effects.length > 0) {
    const all = effects.map((e) => e.index);
    for (const id of store.undelivered) {
      b.hold(id, all);
      b.touch(id, []).always = true;
    }
  }
  const listed = new Set<string>();
  const removeEveryAccount = (appId: string, indices: number[]): void => {
    const none: ReadonlyMap<string, null> = new Map([[appId, null]]);
    for (const id of store.appHolders(appId)) b.touch(id, indices).shareAccounts(none);
  };
  // Reads the app's accounts a page at a time and diffs them against the store: every holder,
  // before or now. Of each app user only what differs from the index is kept (see diffHolder).
  const diffApp = async (appId: string, indices: number[], fresh: boolean): Promise<void> => {
    listed.add(appId);
    const read = await eachAppUser(ctx, appId, signal, (appUser) => diffHolder(b.touch(appUser.id, indices), appId, appUser, store, fresh));
    if (read === 'forbidden') return;
    const known = store.app(appId);
    const app = read === 'gone' ? 'gone' : fresh || !known ? await readApp(ctx, appId, signal) : known;
    if (read === 'gone' || app === 'gone') {
      for (const entry of b.people.values()) if (entry.listedIn === appId) entry.setAccount(appId, null);
      return removeEveryAccount(appId, indices);
    }
    if (app !== 'forbidden') {
      b.apps.set(appId, app);
      // The index knows the app as the full read's app list does, holders or not (resolveAppGroup finds its groups).
      b.commit(indices, () => store.addApp(app));
    }
    if (read.readAt !== undefined) memory.accountsReadAt.set(appId, read.readAt);
    // A holder the read did not list has no account there any more.
    for (const id of store.appHolders(appId)) {
      const entry = b.touch(id, indices);
      if (entry.listedIn === appId) continue;
      entry.always ||= fresh;
      entry.setAccount(appId, null);
    }
  };

  for (const [appId, events] of appEventsOf(effects)) {
    if (events.changes.has('delete')) removeEveryAccount(appId, events.indices);
    else if (events.changes.size > 1 || !events.changes.has('deactivate')) await diffApp(appId, events.indices, events.changes.has('update'));
  }

  // Account events: covered by an accounts read made after they were published (in order), else read one
  // by one, unless reading the app's accounts once costs fewer requests.
  const perApp = new Map<string, Array<{ id: string; index: number }>>();
  for (const { index, published, effect } of effects) {
    if (effect.reach === 'account') {
      for (const id of effect.users) {
        const entry = b.touch(id, [index]);
        entry.always = true;
        if (effect.apps.length === 0) entry.fetch = true;
        for (const appId of effect.apps) {
          const readAt = memory.accountsReadAt.get(appId);
          if (listed.has(appId) || (readAt !== undefined && published < readAt)) continue;
          let list = perApp.get(appId);
          if (!list) perApp.set(appId, (list = []));
          list.push({ id, index });
        }
      }
    } else if (effect.reach === 'person' || effect.reach === 'status') {
      for (const id of effect.users) {
        const entry = b.touch(id, [index]);
        entry.always = true;
        if (effect.reach === 'person') entry.fetch = true;
        else entry.user ??= 'read';
      }
    }
  }
  for (const [appId, list] of perApp) {
    const people = new Set(list.map((e) => e.id));
    const listCost = Math.ceil(store.appHolders(appId).length / PAGE_SIZE.appUsers) + (store.app(appId) ? 0 : 1);
    if (people.size > listCost) await diffApp(appId, list.map((e) => e.index), false);
    else for (const { id } of list) (b.touch(id, []).appReads ??= new Set()).add(appId);
  }
  for (const entry of b.people.values()) {
    if (!entry.appReads) continue;
    if (entry.appReads.size > 1) entry.fetch = true;
    else for (const appId of entry.appReads) if (!entry.accounts.has(appId)) entry.setAccount(appId, 'read');
  }

  await planGroupsWithStore(ctx, b, effects, store, signal);
  const everyone = effects.filter((e) => e.effect.reach === 'everyone').map((e) => e.index);
  if (everyone.length > 0) {
    // Of a person whose status alone changed only the status is kept, each distinct one once.
    const statuses = new Map<string, string>();
    await readEveryone(ctx, signal, (user) => {
      const before = store.identity(user.id);
      const now = toPerson(user);
      if (before && samePerson(before, now)) return;
      const entry = b.touch(user.id, everyone);
      if (before && before.login === now.login && before.email === now.email && before.displayName === now.displayName && typeof entry.user !== 'object') {
        if (!statuses.has(now.status)) statuses.set(now.status, now.status);
        entry.status = statuses.get(now.status);
      } else entry.user = user;
    });
  }
  return b.result((entry) => (entry.fetch || !store.hasPerson(entry.id) ? 'fetch' : 'patch'));
}

/**
 * One holder of a listed app against the index: the app user is kept only when its account
 * differs from the index's, and its user only when the person does (a relabelled app of
 * 100,000 unchanged holders keeps nothing of them but their ids); the account never keeps the
 * embedded user.
 */
function diffHolder(entry: PersonWork, appId: string, appUser: OktaAppUser, store: IdentityStore, fresh: boolean): void {
  entry.always ||= fresh;
  entry.listedIn = appId;
  const embedded = appUser._embedded;
  const account: OktaAppUser = { id: appUser.id, scope: appUser.scope, status: appUser.status, externalId: appUser.externalId ?? null, credentials: appUser.credentials ?? null };
  const before = store.identity(appUser.id);
  const user = embedded?.user;
  if (user && (entry.user === 'read' || !before || !samePerson(before, toPerson(user)))) entry.user = user;
  const held = before?.accounts.find((a) => a.appId === appId);
  const now = toAppAccount({ id: appId, name: '', label: '' }, account);
  const same = held !== undefined && held.userName === now.userName && held.externalId === now.externalId && held.scope === now.scope && held.status === now.status;
  if (same) entry.keepAccount(appId);
  else entry.setAccount(appId, account);
}
