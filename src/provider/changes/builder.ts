/**
 * The work a page's events ask for, person by person, as the planner (work.ts,
 * work-groups.ts) builds it and the delivery (refresh.ts) carries it out.
 * @module
 */
import type { OktaAppUser, OktaUser } from '../../okta/schemas.js';
import type { IdentityGroup } from '../../sdk.js';
import type { AppRef } from '../identity.js';

/**
 * One person to update and the page's events that touched them. `how`:
 * - `fetch`: read the whole person (`user` when a list embedded it);
 * - `patch`: the store's identity with fresh person fields (`user`, or `'read'` to read the
 *   user) and accounts (`accounts`: per app, the app user now, null for none, or `'read'`);
 * - `store`: the store's identity as it is (the org was just read whole).
 */
export interface PersonWork {
  id: string;
  /** Indices of the page's events that touched this person, ascending. */
  events: number[];
  /**
   * Indices of other events of the page whose delivery waits for this person too (the person is
   * delivered from a read that holds what those events did), ascending; not in `eventIds`.
   */
  holds: number[];
  how: 'fetch' | 'patch' | 'store';
  user: OktaUser | 'read' | undefined;
  accounts: Map<string, OktaAppUser | null | 'read'>;
  /** `patch`: per group id, the group the person is now in, or null for one they left. */
  groups: Map<string, IdentityGroup | null>;
  /**
   * Deliver the identity even when it equals the store's: the person was named by an event (its
   * uuid then reaches the host in `eventIds`), or an app was updated (the store keeps one name
   * and label per app, which any holder's refresh updates for every holder at once).
   */
  always: boolean;
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

/** The people of a page, the apps whose current name and label were read, and the index changes to commit as the page is delivered. */
export interface PageWork {
  people: PersonWork[];
  apps: Map<string, AppRef>;
  commits: IndexCommit[];
}

/** Builds the work of one page. */
export class Builder {
  readonly people = new Map<string, { work: PersonWork; events: Set<number>; holds: Set<number>; fetch: boolean; appReads: Set<string> }>();
  readonly apps = new Map<string, AppRef>();
  readonly commits: IndexCommit[] = [];

  touch(id: string, indices: Iterable<number>): Builder['people'] extends Map<string, infer V> ? V : never {
    let entry = this.people.get(id);
    if (!entry) {
      entry = { work: { id, events: [], holds: [], how: 'patch', user: undefined, accounts: new Map(), groups: new Map(), always: false }, events: new Set(), holds: new Set(), fetch: false, appReads: new Set() };
      this.people.set(id, entry);
    }
    for (const i of indices) entry.events.add(i);
    return entry;
  }

  /** Makes the delivery of events `indices` wait for person `id` too (see {@link PersonWork.holds}). */
  hold(id: string, indices: Iterable<number>): void {
    const entry = this.touch(id, []);
    for (const i of indices) entry.holds.add(i);
  }

  /** Changes the index once every person reached by `events` is delivered (see {@link IndexCommit}). */
  commit(events: readonly number[], run: () => void): void {
    this.commits.push({ events: [...events], run });
  }

  result(how: (entry: { work: PersonWork; fetch: boolean }) => PersonWork['how']): PageWork {
    const people: PersonWork[] = [];
    for (const entry of this.people.values()) {
      entry.work.events = [...entry.events].sort((a, b) => a - b);
      entry.work.holds = [...entry.holds].filter((i) => !entry.events.has(i)).sort((a, b) => a - b);
      entry.work.how = how(entry);
      people.push(entry.work);
    }
    const first = (w: PersonWork): number => Math.min(w.events[0] ?? Infinity, w.holds[0] ?? Infinity);
    people.sort((a, b) => first(a) - first(b));
    return { people, apps: this.apps, commits: this.commits };
  }
}

