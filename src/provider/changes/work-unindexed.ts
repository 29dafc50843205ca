/**
 * The planner of a stream without a synced index (resumed in a new process): each person is read
 * whole, unless that would cost more apps-bucket requests than a full read (at least one per app),
 * in which case the org is read once into a store; see work.ts.
 * @module
 */
import { PAGE_SIZE } from '../../okta/endpoints.js';
import type { OktaUser } from '../../okta/schemas.js';
import type { ProviderContext } from '../context.js';
import type { AppRef } from '../identity.js';
import { IdSet } from '../store/id-set.js';
import { eachAppUser, listApps } from '../reads/apps.js';
import { readGroupMembers } from '../reads/groups.js';
import { appEventsOf } from './app-events.js';
import { Builder, type PageWork } from './builder.js';
import { warnIncompleteApp } from './incomplete.js';
import { planGroupsWithoutStore } from './work-groups.js';
import type { PlacedEffect, WorkEnv } from './work.js';
export async function withoutStore(ctx: ProviderContext, effects: readonly PlacedEffect[], env: WorkEnv, signal?: AbortSignal): Promise<PageWork> {
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
  // The holders of one app that the page reaches every one of are not listed while planning: the
  // full read, if it is worth it, reads that app first and counts them (its pages read once, and
  // they are delivered from the org read with the rest); otherwise they are listed and each is
  // planned as before.
  let deferred: Deferred | undefined;
  for (const [appId, { indices, changes, groups }] of appEventsOf(effects)) {
    const affected = (id: string, user?: OktaUser): void => {
      const entry = b.touch(id, indices);
      if (user && keepUsers()) entry.user = user;
    };
    const remembered = memory.holders.get(appId);
    const rememberedAffected = (why: string): void => {
      if (remembered) for (const id of remembered) affected(id);
      else warnIncompleteApp(ctx, appId, why);
    };
    // A group's assignment reaches its members; any other change every holder of the app.
    const everyHolder = changes.has('update') || changes.has('unnamed-person') || changes.has('unnamed-account') || (changes.has('assignment') && groups.size === 0);
    if (changes.has('delete')) {
      memory.holders.delete(appId);
      rememberedAffected(`app ${appId} was deleted and its holders were neither seen by this stream nor held by a synced store`);
    } else if (everyHolder && !deferred && [...changes].every((c) => c === 'update' || c === 'unnamed-person')) {
      // Every holder is reached and none needs what this stream saw before: counted by the full
      // read, and listed once the org is known not to be read whole.
      deferred = { ids: [], indices, users: new Map(), counted: { appId } };
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
      else if (read === 'gone') warnIncompleteApp(ctx, appId, `app ${appId} can no longer be listed and its holders were not seen by this stream`);
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
  // Counted holders are part of that cost only once the full read has read their app.
  const counted = deferred?.counted;
  let people = b.people.size + (counted ? 0 : unplanned.size);
  const worth = (n: number): boolean => n > 1 && n > memory.fullReadAbove && n > memory.apps!;
  // The app list read to count the apps is handed to the full read, so it is not read twice.
  let apps: AppRef[] | undefined;
  if ((counted || (people > 1 && people > memory.fullReadAbove)) && memory.apps === undefined) memory.apps = (apps = await listApps(ctx, signal)).length;
  if (everyone.length > 0 || counted || worth(people)) {
    const budget = (accounts: number): number => {
      people += accounts;
      return worth(people) ? people : 0;
    };
    const limits = everyone.length > 0 ? {} : counted ? { first: { appId: counted.appId, budget } } : { maxAppPages: people };
    const store = await env.fullRead(signal, { ...limits, ...(apps ? { apps } : {}) });
    if (store) {
      // The read holds every change up to now, including those of events after this page that
      // the host has not been given: every identity is delivered with this page. The people the
      // events named come first (with their events), then everyone else, by id only until their turn.
      const all = effects.map((e) => e.index);
      for (const id of b.people.keys()) b.hold(id, all);
      store.markUndelivered();
      const tail = new IdSet();
      for (const id of store.personIds()) if (!b.people.has(id)) tail.add(id);
      if (!deferred) return b.result(() => 'store', { ids: tail, holds: all });
      const events = sortedOnce(deferred.indices);
      const holds = all.filter((i) => !events.includes(i));
      // Holders counted only are the app's in the org as read: named by the tail's own ids, or by
      // those the change did not reach when they are fewer (every person of an app everyone holds).
      if (deferred.counted) {
        const { appId } = deferred.counted;
        let reached = 0;
        for (const id of tail) if (store.hasAccount(id, appId)) reached++;
        const except = reached * 2 > tail.size;
        const named = new IdSet();
        for (const id of tail) if (store.hasAccount(id, appId) !== except) named.add(id);
        return b.result(() => 'store', { ids: tail, holds: all, named: { ids: named, except, events, holds } });
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
  /** Set when the holders are counted by the full read (`ids` is empty until they are listed). */
  counted?: { appId: string };
}

function sortedOnce(indices: readonly number[]): readonly number[] {
  return [...new Set(indices)].sort((x, y) => x - y);
}
