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
import type { AppAccount } from '../../sdk.js';
import type { ProviderContext } from '../context.js';
import { samePerson, toAppAccount, toPerson, type AppRef, type Person } from '../identity.js';
import { eachAppUser, readApp } from '../reads/apps.js';
import { readEveryone } from '../reads/users.js';
import { IdSet } from '../store/id-set.js';
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
  /** Reads the whole org into a store the provider then keeps; undefined when it went over `limits`' budget (then it stops there). */
  fullRead(signal: AbortSignal | undefined, limits?: FullReadLimits): Promise<IdentityStore | undefined>;
  memory: StreamMemory;
}

/** What a stream tells the full read it asks for (the full read's own options, see sync.ts). */
export interface FullReadLimits {
  /** The most apps-bucket requests it may take. */
  maxAppPages?: number;
  /** The app list, when just read. */
  apps?: AppRef[];
  /** An app read first, alone, whose accounts set the budget of the rest (0: stop there). */
  first?: { appId: string; budget(accounts: number): number };
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
  // `embedUsers`: an event changed some holder's person without naming them (their users are read too).
  const diffApp = async (appId: string, indices: number[], fresh: boolean, embedUsers = false): Promise<void> => {
    listed.add(appId);
    // Of an updated app, a holder listed as the index holds them that nothing else reached yet is
    // kept by id alone (an app of 100,000 relabelled costs no plan object per holder).
    const unchanged = fresh && !embedUsers && !b.tail ? new IdSet() : undefined;
    const read = await eachAppUser(
      ctx,
      appId,
      signal,
      (appUser) => {
        if (unchanged && !b.people.has(appUser.id) && store.hasPerson(appUser.id) && store.hasAccount(appUser.id, appId, accountIn(appId, appUser))) unchanged.add(appUser.id);
        else diffHolder(b.touch(appUser.id, indices), appId, appUser, store, fresh);
      },
      embedUsers,
    );
    // Unless the app turns out gone or unreadable: then they are planned as every other holder listed.
    const planUnchanged = (): void => {
      for (const id of unchanged ?? []) Object.assign(b.touch(id, indices), { always: true, listedIn: appId });
    };
    if (read === 'forbidden') return planUnchanged();
    const known = store.app(appId);
    const app = read === 'gone' ? 'gone' : fresh || !known ? await readApp(ctx, appId, signal) : known;
    if (read === 'gone' || app === 'gone') {
      planUnchanged();
      for (const entry of b.people.values()) if (entry.listedIn === appId) entry.setAccount(appId, null);
      return removeEveryAccount(appId, indices);
    }
    if (unchanged && unchanged.size > 0) b.tail = { ids: unchanged, events: indices, patch: {} };
    if (app !== 'forbidden') {
      b.apps.set(appId, app);
      // The index knows the app as the full read's app list does, holders or not (resolveAppGroup finds its groups).
      b.commit(indices, () => store.addApp(app));
    }
    if (read.readAt !== undefined) memory.accountsReadAt.set(appId, read.readAt);
    // A holder the read did not list has no account there any more.
    for (const id of store.appHolders(appId)) {
      if (unchanged?.has(id)) continue;
      const entry = b.touch(id, indices);
      if (entry.listedIn === appId) continue;
      entry.always ||= fresh;
      entry.setAccount(appId, null);
    }
  };

  for (const [appId, events] of appEventsOf(effects)) {
    if (events.changes.has('delete')) removeEveryAccount(appId, events.indices);
    else if (events.changes.size > 1 || !events.changes.has('deactivate')) await diffApp(appId, events.indices, events.changes.has('update'), events.changes.has('unnamed-person'));
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
    // Of a person whose status alone changed only the status is kept, each distinct one once; of
    // those nothing else reached, the first status taken makes the page's tail (a mass password expiry).
    const statuses = new Map<string, string>();
    await readEveryone(ctx, signal, (user) => {
      const before = store.personOf(user.id);
      const now = toPerson(user);
      if (samePersonAs(before, now)) return;
      const statusOnly = before !== undefined && before.login === now.login && before.email === now.email && before.displayName === now.displayName;
      if (statusOnly && !b.people.has(user.id)) {
        b.tail ??= { ids: new IdSet(), events: everyone, patch: { status: now.status } };
        if (b.tail.events === everyone && b.tail.patch.status === now.status) return void b.tail.ids.add(user.id);
      }
      const entry = b.touch(user.id, everyone);
      if (statusOnly && typeof entry.user !== 'object') {
        if (!statuses.has(now.status)) statuses.set(now.status, now.status);
        entry.status = statuses.get(now.status);
      } else entry.user = user;
    });
  }
  return b.result((entry) => (entry.fetch || !store.hasPerson(entry.id) ? 'fetch' : 'patch'));
}

/** The account an app user is in `appId` (its name and label aside). */
function accountIn(appId: string, appUser: OktaAppUser): AppAccount {
  return toAppAccount({ id: appId, name: '', label: '' }, appUser);
}

/**
 * One holder of a listed app against the index: the app user is kept only when its account
 * differs from the index's, and its embedded user only when the person does (a relabelled app of
 * 100,000 unchanged holders keeps nothing of them but their ids). The accounts are read without
 * their users, as the full sync reads them, unless an event changed a holder's person without
 * naming them: the index holds the people (a person's own events keep them current), and a holder
 * it does not hold is read whole (`fetch`, see the planner's result).
 */
function diffHolder(entry: PersonWork, appId: string, appUser: OktaAppUser, store: IdentityStore, fresh: boolean): void {
  entry.always ||= fresh;
  entry.listedIn = appId;
  const user = appUser._embedded?.user;
  if (user && (entry.user === 'read' || !samePersonAs(store.personOf(user.id), toPerson(user)))) entry.user = user;
  const account: OktaAppUser = { id: appUser.id, scope: appUser.scope, status: appUser.status, externalId: appUser.externalId ?? null, credentials: appUser.credentials ?? null };
  if (store.hasAccount(appUser.id, appId, accountIn(appId, account))) entry.keepAccount(appId);
  else entry.setAccount(appId, account);
}

function samePersonAs(before: Person | undefined, now: Person): boolean {
  return before !== undefined && samePerson(before, now);
}
