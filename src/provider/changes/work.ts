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
import { Builder, type PageWork } from './builder.js';
import type { AppChange } from './families.js';
import type { EventEffect } from './events.js';
import { planGroupsWithoutStore, planGroupsWithStore } from './work-groups.js';
import { readApp, readAppAccounts, listApps } from '../reads/apps.js';
import { readGroupMembers } from '../reads/groups.js';
import { readEveryone } from '../reads/users.js';
import type { StreamMemory } from './memory.js';
import { warnIncomplete } from './incomplete.js';
import type { ProviderContext } from '../context.js';
import { samePerson, toPerson, type AppRef } from '../identity.js';
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
      b.touch(id, []).work.always = true;
    }
  }
  const listed = new Set<string>();
  const removeEveryAccount = (appId: string, indices: number[]): void => {
    for (const id of store.appHolders(appId)) b.touch(id, indices).work.accounts.set(appId, null);
  };
  // Reads the app's accounts and diffs them against the store: every holder, before or now.
  const diffApp = async (appId: string, indices: number[], fresh: boolean): Promise<void> => {
    listed.add(appId);
    const read = await readAppAccounts(ctx, appId, signal);
    if (read === 'forbidden') return;
    const known = store.app(appId);
    const app = read === 'gone' ? 'gone' : fresh || !known ? await readApp(ctx, appId, signal) : known;
    if (read === 'gone' || app === 'gone') return removeEveryAccount(appId, indices);
    if (app !== 'forbidden') {
      b.apps.set(appId, app);
      // The index knows the app as the full read's app list does, holders or not (resolveAppGroup finds its groups).
      b.commit(indices, () => store.addApp(app));
    }
    if (read.readAt !== undefined) memory.accountsReadAt.set(appId, read.readAt);
    for (const id of new Set([...store.appHolders(appId), ...read.holders.keys()])) {
      const entry = b.touch(id, indices);
      entry.work.always ||= fresh;
      const appUser = read.holders.get(id) ?? null;
      entry.work.accounts.set(appId, appUser);
      if (appUser?._embedded?.user) entry.work.user = appUser._embedded.user;
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
        entry.work.always = true;
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
        entry.work.always = true;
        if (effect.reach === 'person') entry.fetch = true;
        else entry.work.user ??= 'read';
      }
    }
  }
  for (const [appId, list] of perApp) {
    const people = new Set(list.map((e) => e.id));
    const listCost = Math.ceil(store.appHolders(appId).length / PAGE_SIZE.appUsers) + (store.app(appId) ? 0 : 1);
    if (people.size > listCost) await diffApp(appId, list.map((e) => e.index), false);
    else for (const { id } of list) b.touch(id, []).appReads.add(appId);
  }
  for (const entry of b.people.values()) {
    if (entry.appReads.size > 1) entry.fetch = true;
    else for (const appId of entry.appReads) if (!entry.work.accounts.has(appId)) entry.work.accounts.set(appId, 'read');
  }

  await planGroupsWithStore(ctx, b, effects, store, signal);
  const everyone = effects.filter((e) => e.effect.reach === 'everyone').map((e) => e.index);
  if (everyone.length > 0) {
    for (const user of await readEveryone(ctx, signal)) {
      const before = store.identity(user.id);
      if (!before || !samePerson(before, toPerson(user))) b.touch(user.id, everyone).work.user = user;
    }
  }
  return b.result(({ work, fetch }) => (fetch || !store.hasPerson(work.id) ? 'fetch' : 'patch'));
}

async function withoutStore(ctx: ProviderContext, effects: readonly PlacedEffect[], env: WorkEnv, signal?: AbortSignal): Promise<PageWork> {
  const b = new Builder();
  const { memory } = env;
  for (const { index, effect } of effects) {
    if (effect.reach !== 'app' && effect.reach !== 'group' && effect.reach !== 'everyone') for (const id of effect.users) b.touch(id, [index]);
  }
  for (const [appId, { indices, changes, groups }] of appEventsOf(effects)) {
    const affected = new Map<string, OktaUser | undefined>();
    const remembered = memory.holders.get(appId);
    const rememberedAffected = (why: string): void => {
      if (remembered) for (const id of remembered) affected.set(id, undefined);
      else incomplete(ctx, appId, why);
    };
    // A group's assignment reaches its members; any other change every holder of the app.
    const everyHolder = changes.has('update') || changes.has('unnamed-person') || changes.has('unnamed-account') || (changes.has('assignment') && groups.size === 0);
    if (changes.has('delete')) {
      memory.holders.delete(appId);
      rememberedAffected(`app ${appId} was deleted and its holders were neither seen by this stream nor held by a synced store`);
    } else if (everyHolder || changes.has('deactivate')) {
      const read = await readAppAccounts(ctx, appId, signal);
      if (typeof read !== 'string') {
        memory.holders.set(appId, [...read.holders.keys()]);
        if (everyHolder) for (const [id, appUser] of read.holders) affected.set(id, appUser._embedded?.user);
      }
      // Whom a removal took away is no longer listed: only what this stream saw before knows.
      if (read === 'gone') rememberedAffected(`app ${appId} can no longer be listed and its holders were not seen by this stream`);
      else if (changes.has('unnamed-account') || (changes.has('assignment') && groups.size === 0)) {
        rememberedAffected(`an account in app ${appId} changed for a person the event does not name, and one that was removed cannot be found without a synced store`);
      }
    }
    if (changes.has('assignment')) {
      for (const groupId of groups) {
        await readGroupMembers(ctx, groupId, signal, (user) => affected.set(user.id, user as OktaUser));
      }
    }
    for (const [id, user] of affected) {
      const entry = b.touch(id, indices);
      if (user) entry.work.user = user;
    }
  }
  await planGroupsWithoutStore(ctx, b, effects, signal);
  const everyone = effects.filter((e) => e.effect.reach === 'everyone').map((e) => e.index);
  // Reading each person costs one apps-bucket request; a full read at least one per app, and
  // how many more only shows as it goes: it is tried with the per-person cost as its budget.
  const people = b.people.size;
  // The app list read to count the apps is handed to the full read, so it is not read twice.
  let apps: AppRef[] | undefined;
  if (people > 1 && people > memory.fullReadAbove && memory.apps === undefined) memory.apps = (apps = await listApps(ctx, signal)).length;
  if (everyone.length > 0 || (people > 1 && people > memory.fullReadAbove && people > memory.apps!)) {
    const store = await env.fullRead(signal, everyone.length > 0 ? undefined : people, apps);
    if (store) {
      // The read holds every change up to now, including those of events after this page that
      // the host has not been given: every identity is delivered with this page.
      const all = effects.map((e) => e.index);
      store.undelivered = new Set();
      for (const id of b.people.keys()) b.hold(id, all);
      for (const identity of store.identities()) {
        b.hold(identity.id, all);
        store.undelivered.add(identity.id);
      }
      return b.result(() => 'store');
    }
    memory.fullReadAbove = people;
  }
  return b.result(() => 'fetch');
}

function incomplete(ctx: ProviderContext, appId: string, why: string): void {
  warnIncomplete(ctx, `/api/v1/apps/${encodeURIComponent(appId)}/users`, why);
}
