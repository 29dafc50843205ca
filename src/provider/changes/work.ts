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
 * full read (at least one per app), in which case the org is read once into a store.
 * @module
 */
import { PAGE_SIZE } from '../../okta/endpoints.js';
import type { OktaUser } from '../../okta/schemas.js';
import { Builder, type PageWork, type PersonWork } from './builder.js';
import type { AppChange } from './families.js';
import type { EventEffect } from './events.js';
import { planGroupsWithoutStore, planGroupsWithStore } from './work-groups.js';
import { countAppUsers, eachAppUser, readApp, listApps } from '../reads/apps.js';
import { readGroupMembers } from '../reads/groups.js';
import { readEveryone } from '../reads/users.js';
import type { StreamMemory } from './memory.js';
import { warnIncomplete } from './incomplete.js';
import type { ProviderContext } from '../context.js';
import { samePerson, toAppAccount, toPerson, type AppRef } from '../identity.js';
import type { OktaAppUser } from '../../okta/schemas.js';
import type { IdentityStore } from '../store/store.js';

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

interface AppEvents {
  indices: number[];
  changes: Set<AppChange | 'unnamed-person' | 'unnamed-account'>;
  groups: Set<string>;
}

/**
 * Decides how each person the page's effects reach is updated, reading app accounts, apps,
 * group members or every user where that is cheaper than reading people one by one.
 */
export async function planWork(ctx: ProviderContext, effects: readonly PlacedEffect[], env: WorkEnv, signal?: AbortSignal): Promise<PageWork> {
  const store = env.store();
  return store ? withStore(ctx, effects, store, env.memory, signal) : withoutStore(ctx, effects, env, signal);
}

function appEventsOf(effects: readonly PlacedEffect[]): Map<string, AppEvents> {
  const apps = new Map<string, AppEvents>();
  for (const { index, effect } of effects) {
    if (effect.reach !== 'app') continue;
    for (const appId of effect.apps) {
      let entry = apps.get(appId);
      if (!entry) apps.set(appId, (entry = { indices: [], changes: new Set(), groups: new Set() }));
      entry.indices.push(index);
      entry.changes.add(effect.change);
      for (const g of effect.groups) entry.groups.add(g);
    }
  }
  return apps;
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

async function withoutStore(ctx: ProviderContext, effects: readonly PlacedEffect[], env: WorkEnv, signal?: AbortSignal): Promise<PageWork> {
  const b = new Builder();
  const { memory } = env;
  // A listed user saves reading them if each person is read one by one, which only a few are:
  // past a page of people every user is let go (the org is then read whole, or each person is).
  let keeping = true;
  const keepUsers = (): boolean => {
    if (keeping && b.people.size > PAGE_SIZE.users) {
      keeping = false;
      for (const entry of b.people.values()) if (typeof entry.user === 'object') entry.user = undefined;
    }
    return keeping;
  };
  for (const { index, effect } of effects) {
    if (effect.reach !== 'app' && effect.reach !== 'group' && effect.reach !== 'everyone') for (const id of effect.users) b.touch(id, [index]);
  }
  // The holders of one app that the page reaches every one of are counted before any is planned:
  // if the org is then read whole, they are delivered from it with the rest (nothing was held
  // per holder while it was read); otherwise each is planned as before.
  let deferred: Deferred | undefined;
  let counted: number | undefined;
  for (const [appId, { indices, changes, groups }] of appEventsOf(effects)) {
    const affected = (id: string, user?: OktaUser): void => {
      const entry = b.touch(id, indices);
      if (user && keepUsers()) entry.user = user;
    };
    const remembered = memory.holders.get(appId);
    const rememberedAffected = (why: string): void => {
      if (remembered) for (const id of remembered) affected(id);
      else incomplete(ctx, appId, why);
    };
    // A group's assignment reaches its members; any other change every holder of the app.
    const everyHolder = changes.has('update') || changes.has('unnamed-person') || changes.has('unnamed-account') || (changes.has('assignment') && groups.size === 0);
    if (changes.has('delete')) {
      memory.holders.delete(appId);
      rememberedAffected(`app ${appId} was deleted and its holders were neither seen by this stream nor held by a synced store`);
    } else if (everyHolder && !deferred && [...changes].every((c) => c === 'update' || c === 'unnamed-person') && (counted = await countAppUsers(ctx, appId, signal)) !== undefined) {
      // Every holder is reached and none needs what this stream saw before: they are only
      // counted, and listed once the org is known not to be read whole.
      deferred = { ids: [], indices, users: new Map(), counted: { appId, holders: counted } };
    } else if (everyHolder || changes.has('deactivate')) {
      const holders: string[] = [];
      const later = everyHolder && !deferred ? (deferred = { ids: holders, indices, users: new Map() }) : undefined;
      const read = await eachAppUser(ctx, appId, signal, (appUser) => {
        holders.push(appUser.id);
        const user = appUser._embedded?.user;
        if (later) {
          if (user && later.users.size < PAGE_SIZE.users) later.users.set(appUser.id, user);
        } else if (everyHolder) affected(appUser.id, user);
      });
      if (typeof read !== 'string') memory.holders.set(appId, holders);
      // Whom a removal took away is no longer listed: only what this stream saw before knows.
      if (read === 'gone') rememberedAffected(`app ${appId} can no longer be listed and its holders were not seen by this stream`);
      else if (changes.has('unnamed-account') || (changes.has('assignment') && groups.size === 0)) {
        rememberedAffected(`an account in app ${appId} changed for a person the event does not name, and one that was removed cannot be found without a synced store`);
      }
    }
    if (changes.has('assignment')) {
      for (const groupId of groups) {
        await readGroupMembers(ctx, groupId, signal, (user) => affected(user.id, user as OktaUser));
      }
    }
  }
  await planGroupsWithoutStore(ctx, b, effects, signal);
  const everyone = effects.filter((e) => e.effect.reach === 'everyone').map((e) => e.index);
  // The deferred holders not planned otherwise: by id only.
  const unplanned = deferred ? new Set(deferred.ids.filter((id) => !b.people.has(id))) : new Set<string>();
  const planDeferred = async (): Promise<void> => {
    if (!deferred) return;
    // Counted only: listed now, as any app whose holders are all reached.
    if (deferred.counted) {
      const { appId } = deferred.counted;
      const holders = deferred.ids;
      const read = await eachAppUser(ctx, appId, signal, (appUser) => {
        holders.push(appUser.id);
        const user = appUser._embedded?.user;
        if (user && deferred!.users.size < PAGE_SIZE.users) deferred!.users.set(appUser.id, user);
      });
      if (typeof read !== 'string') memory.holders.set(appId, holders);
      else if (read === 'gone') warnIncomplete(ctx, `/api/v1/apps/${encodeURIComponent(appId)}/users`, `app ${appId} can no longer be listed and its holders were not seen by this stream`);
    }
    for (const id of deferred.ids) {
      const entry = b.touch(id, deferred.indices);
      const user = deferred.users.get(id);
      if (user && keepUsers()) entry.user = user;
    }
    deferred = undefined;
  };
  // Reading each person costs one apps-bucket request; a full read at least one per app, and
  // how many more only shows as it goes: it is tried with the per-person cost as its budget.
  const people = b.people.size + (deferred?.counted ? deferred.counted.holders : unplanned.size);
  // The app list read to count the apps is handed to the full read, so it is not read twice.
  let apps: AppRef[] | undefined;
  if (people > 1 && people > memory.fullReadAbove && memory.apps === undefined) memory.apps = (apps = await listApps(ctx, signal)).length;
  if (everyone.length > 0 || (people > 1 && people > memory.fullReadAbove && people > memory.apps!)) {
    const store = await env.fullRead(signal, everyone.length > 0 ? undefined : people, apps);
    if (store) {
      // The read holds every change up to now, including those of events after this page that
      // the host has not been given: every identity is delivered with this page. The people the
      // events named come first (with their events), then everyone else, by id only until their turn.
      const all = effects.map((e) => e.index);
      for (const id of b.people.keys()) b.hold(id, all);
      const tail: string[] = [];
      store.undelivered = new Set();
      for (const id of store.personIds()) {
        store.undelivered.add(id);
        if (!b.people.has(id)) tail.push(id);
      }
      if (!deferred) return b.result(() => 'store', { ids: tail, holds: all });
      const events = sortedOnce(deferred.indices);
      const holds = all.filter((i) => !events.includes(i));
      // Holders counted only are the app's in the org as read: named by the tail's own ids, or by
      // those the change did not reach when they are fewer (every person of an app everyone holds).
      if (deferred.counted) {
        const holders = new Set(store.appHolders(deferred.counted.appId));
        const reached = tail.filter((id) => holders.has(id));
        const named = reached.length * 2 > tail.length ? { ids: new Set(tail.filter((id) => !holders.has(id))), except: true } : { ids: new Set(reached) };
        return b.result(() => 'store', { ids: tail, holds: all, named: { ...named, events, holds } });
      }
      // A holder listed but gone from the org since is delivered as gone, as the holders planned one by one are.
      for (const id of unplanned) {
        if (store.hasPerson(id)) continue;
        unplanned.delete(id);
        b.touch(id, deferred.indices);
        b.hold(id, all);
      }
      return b.result(() => 'store', { ids: tail, holds: all, named: { ids: unplanned, events, holds } });
    }
    memory.fullReadAbove = people;
  }
  await planDeferred();
  return b.result(() => 'fetch');
}

/** The holders of an app listed before the plan counts its people (see withoutStore). */
interface Deferred {
  ids: string[];
  indices: number[];
  /** The users listed with the first of them (saving their reads when only a few are read one by one). */
  users: Map<string, OktaUser>;
  /** Set when the holders were only counted (`ids` is empty until they are listed). */
  counted?: { appId: string; holders: number };
}

function sortedOnce(indices: readonly number[]): readonly number[] {
  return [...new Set(indices)].sort((x, y) => x - y);
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

function incomplete(ctx: ProviderContext, appId: string, why: string): void {
  warnIncomplete(ctx, `/api/v1/apps/${encodeURIComponent(appId)}/users`, why);
}
