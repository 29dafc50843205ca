/**
 * The work a page's events ask for, person by person, as the planner (work.ts,
 * work-groups.ts) builds it and the delivery (refresh.ts) carries it out.
 *
 * A page may reach every person of a large app or org, so a person's work is one small object:
 * their event indices are shared arrays (every holder of a relabelled app points at the same
 * one), and the per-app and per-group parts exist only when the plan has something to say
 * there (an account read that differs from the index's, a group joined or left).
 * @module
 */
import type { OktaAppUser, OktaUser } from '../../okta/schemas.js';
import type { IdentityGroup } from '../../sdk.js';
import type { AppRef } from '../identity.js';
import type { IdSet } from '../store/id-set.js';

/** What a planned account is: the app user now, null for none, or `'read'` to read it. */
export type PlannedAccount = OktaAppUser | null | 'read';

const NO_ACCOUNTS: ReadonlyMap<string, PlannedAccount> = new Map();
const NO_GROUPS: ReadonlyMap<string, IdentityGroup | null> = new Map();
const NONE: readonly number[] = Object.freeze([]);

/**
 * One person to update and the page's events that touched them. `how`:
 * - `fetch`: read the whole person (`user` when a list embedded it);
 * - `patch`: the store's identity with fresh person fields (`user`, or `'read'` to read the
 *   user) and accounts (`accounts`: per app, the app user now, null for none, or `'read'`; an
 *   app the plan read whose account is not here keeps the index's, under the app's name and
 *   label as read);
 * - `store`: the store's identity as it is (the org was just read whole).
 */
export class PersonWork {
  /** Indices of the page's events that touched this person, ascending (shared: never mutated). */
  events: readonly number[] = NONE;
  /**
   * Indices of other events of the page whose delivery waits for this person too (the person is
   * delivered from a read that holds what those events did), ascending; not in `events` (shared).
   */
  holds: readonly number[] = NONE;
  how: 'fetch' | 'patch' | 'store' = 'patch';
  user: OktaUser | 'read' | undefined = undefined;
  /** `patch` without `user`: the person's new status, when nothing else of them changed (a mass password expiry). */
  status: string | undefined = undefined;
  /**
   * Deliver the identity even when it equals the store's: the person was named by an event (its
   * uuid then reaches the host in `eventIds`), or an app was updated (the store keeps one name
   * and label per app, which any holder's refresh updates for every holder at once).
   */
  always = false;
  /** Planning only: the whole person must be read. */
  fetch = false;
  /** Planning only: the apps whose app user is to be read one by one. */
  appReads: Set<string> | undefined = undefined;
  /** Planning only: the last app read whose list named this person (see work.ts). */
  listedIn: string | undefined = undefined;
  #accounts: Map<string, PlannedAccount> | undefined;
  #groups: Map<string, IdentityGroup | null> | undefined;
  /** Whether `#accounts` / `#groups` is a map shared with other people (see {@link shareAccounts}): copied before it changes. */
  #sharedAccounts = false;
  #sharedGroups = false;

  constructor(readonly id: string) {}

  /** Per app, the account as planned. */
  get accounts(): ReadonlyMap<string, PlannedAccount> {
    return this.#accounts ?? NO_ACCOUNTS;
  }

  /** `patch`: per group id, the group the person is now in, or null for one they left. */
  get groups(): ReadonlyMap<string, IdentityGroup | null> {
    return this.#groups ?? NO_GROUPS;
  }

  setAccount(appId: string, account: PlannedAccount): void {
    this.#ownAccounts().set(appId, account);
  }

  /** Forgets what was planned for `appId` (the index's account stands). */
  keepAccount(appId: string): void {
    if (this.#accounts?.has(appId)) this.#ownAccounts().delete(appId);
  }

  /**
   * Plans `accounts` for this person as for many others (every holder of a deleted app): a
   * person with no account planned yet refers to the one map they all share, never changed here.
   */
  shareAccounts(accounts: ReadonlyMap<string, PlannedAccount>): void {
    if (this.#accounts === undefined) {
      this.#accounts = accounts as Map<string, PlannedAccount>;
      this.#sharedAccounts = true;
    } else for (const [appId, account] of accounts) this.setAccount(appId, account);
  }

  setGroup(groupId: string, group: IdentityGroup | null): void {
    if (this.#sharedGroups) {
      this.#groups = new Map(this.#groups);
      this.#sharedGroups = false;
    }
    (this.#groups ??= new Map()).set(groupId, group);
  }

  /** Like {@link shareAccounts}, for groups (every member of a group deleted, renamed or read again). */
  shareGroups(groups: ReadonlyMap<string, IdentityGroup | null>): void {
    if (this.#groups === undefined) {
      this.#groups = groups as Map<string, IdentityGroup | null>;
      this.#sharedGroups = true;
    } else for (const [groupId, group] of groups) this.setGroup(groupId, group);
  }

  #ownAccounts(): Map<string, PlannedAccount> {
    if (this.#sharedAccounts) {
      this.#accounts = new Map(this.#accounts);
      this.#sharedAccounts = false;
    }
    return (this.#accounts ??= new Map());
  }
}

/**
 * A change to the index beyond one person's identity (a group's record, that its members could not
 * be read, an app's push mappings, a deleted group forgotten), made once every person the page's
 * `events` reach has been delivered: until then the index still answers for the people not yet
 * delivered, and a stream resumed mid-page finds what it needs to deliver them.
 */
export interface IndexCommit {
  events: number[];
  run: () => void;
}

/**
 * What each person of a tail is planned with besides their events: `status` as their status
 * (everyone whose status alone changed, to the same one), `groups` (every member of a deleted group).
 */
export interface TailPatch {
  status?: string;
  groups?: ReadonlyMap<string, IdentityGroup | null>;
}

/**
 * People delivered from the store after the people of the plan, each of them, only their ids kept
 * until their turn: as the store holds them (the org was read whole), or with `patch` as the store
 * holds them under the apps as the plan read them (every unchanged holder of an updated app) and
 * with what the patch says.
 */
export interface StoreTail {
  ids: IdSet;
  /** The events each of them was reached by (delivered in their `eventIds`); none when absent. */
  events?: readonly number[];
  /** The events each of them holds (none of `events`). */
  holds: readonly number[];
  patch?: TailPatch;
  /**
   * Those of them an event reached (every holder of an app, listed by id only), or with `except`
   * all but those: their events (delivered in their `eventIds`), and the rest of `holds` they hold.
   */
  named?: { ids: { has(id: string): boolean; readonly size: number }; events: readonly number[]; holds: readonly number[]; except?: boolean };
}

/** The work of each of `tail`'s people, built one at a time. */
export function* tailWork(tail: StoreTail): Generator<PersonWork> {
  const { ids, events, holds, named, patch } = tail;
  for (const id of ids) {
    const person = new PersonWork(id);
    person.how = patch ? 'patch' : 'store';
    person.status = patch?.status;
    if (patch?.groups) person.shareGroups(patch.groups);
    person.always = true;
    if (named && named.ids.has(id) !== (named.except === true)) {
      person.events = named.events;
      person.holds = named.holds;
    } else {
      if (events) person.events = events;
      person.holds = holds;
    }
    yield person;
  }
}

/** The people of a page, the apps whose current name and label were read, and the index changes to commit as the page is delivered. */
export interface PageWork {
  people: PersonWork[];
  tail?: StoreTail;
  apps: Map<string, AppRef>;
  commits: IndexCommit[];
}

/** `a` and `b` (each ascending, without repeats) merged, ascending, without repeats. */
function union(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    out.push(Math.min(x, y));
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}

/** `a` without the elements of `b` (both ascending): `a` itself when they share none. */
function minus(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (b[j] !== x) out.push(x);
  }
  return out.length === a.length ? a : out;
}

/** Builds the work of one page. */
export class Builder {
  readonly people = new Map<string, PersonWork>();
  readonly apps = new Map<string, AppRef>();
  readonly commits: IndexCommit[] = [];
  /**
   * The page's one tail of people planned by id alone (see {@link StoreTail}), started by the first
   * change of many people that asks: none of them has other work when they join it.
   */
  tail: { ids: IdSet; events: readonly number[]; patch: TailPatch } | undefined;
  /** Each index list given, sorted once and shared by every person it reaches (keyed by the list and its length: callers only append). */
  readonly #shared = new WeakMap<readonly number[], { length: number; sorted: readonly number[] }>();

  #normal(indices: Iterable<number>): readonly number[] {
    if (Array.isArray(indices) && indices.length === 0) return NONE;
    if (!Array.isArray(indices)) return [...new Set(indices)].sort((a, b) => a - b);
    const list = indices as readonly number[];
    const known = this.#shared.get(list);
    if (known && known.length === list.length) return known.sorted;
    const sorted = Object.freeze([...new Set(list)].sort((a, b) => a - b));
    this.#shared.set(list, { length: list.length, sorted });
    return sorted;
  }

  touch(id: string, indices: Iterable<number>): PersonWork {
    let entry = this.people.get(id);
    if (!entry) this.people.set(id, (entry = new PersonWork(id)));
    entry.events = union(entry.events, this.#normal(indices));
    return entry;
  }

  /** Makes the delivery of events `indices` wait for person `id` too (see {@link PersonWork.holds}). */
  hold(id: string, indices: Iterable<number>): void {
    const entry = this.touch(id, []);
    entry.holds = union(entry.holds, this.#normal(indices));
  }

  /** Changes the index once every person reached by `events` is delivered (see {@link IndexCommit}). */
  commit(events: readonly number[], run: () => void): void {
    this.commits.push({ events: [...events], run });
  }

  /**
   * The page's work. A person of {@link tail} that something else reached after they joined is
   * planned with the rest, with the tail's events and patch; `tail` here: the org was read whole.
   */
  result(how: (entry: PersonWork) => PersonWork['how'], tail?: StoreTail): PageWork {
    if (this.tail) {
      const { ids, events, patch } = this.tail;
      for (const id of ids) {
        if (!this.people.has(id)) continue;
        ids.delete(id);
        const entry = this.touch(id, events);
        entry.always = true;
        entry.status ??= patch.status;
        if (patch.groups) entry.shareGroups(patch.groups);
      }
      if (ids.size > 0) tail = { ids, events: this.#normal(events), holds: NONE, patch };
    }
    const people: PersonWork[] = [];
    for (const entry of this.people.values()) {
      entry.holds = minus(entry.holds, entry.events);
      entry.how = how(entry);
      entry.appReads = undefined;
      entry.listedIn = undefined;
      people.push(entry);
    }
    const first = (w: PersonWork): number => Math.min(w.events[0] ?? Infinity, w.holds[0] ?? Infinity);
    people.sort((a, b) => first(a) - first(b));
    return { people, apps: this.apps, commits: this.commits, ...(tail ? { tail } : {}) };
  }
}
