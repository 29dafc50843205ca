/**
 * What a random change draws with: the mutator's seeded stream, pickers over the org, and the
 * shape of one attempt at a kind of change.
 * @module
 */
import { DOMAIN } from './factory.js';
import { allMappings } from './groups-model.js';
import type { Org } from './org.js';
import type { AppRecord, GroupRecord, PushMappingRecord, PushMappingStatus, UserRecord, UserStatus } from './records.js';
import type { LogEvent } from './log-events.js';
import type { Mutator } from './mutations.js';
import type { Rng } from './prng.js';

/** What random changes draw from: the mutator's seeded stream, and pickers over the org. */
export class Picker {
  readonly rng: Rng;
  readonly #org: Org;
  #created = 0;

  constructor(rng: Rng, org: Org) {
    this.rng = rng;
    this.#org = org;
  }

  /** A random user satisfying `pred`, or undefined when 30 draws found none (it is a soak: a miss is fine). */
  user(pred: (u: UserRecord) => boolean): UserRecord | undefined {
    const org = this.#org;
    if (org.userIds.length === 0) return undefined;
    for (let i = 0; i < 30; i++) {
      const user = org.user(this.rng.pick(org.userIds));
      if (pred(user)) return user;
    }
    return undefined;
  }

  /** A random app satisfying `pred`, or undefined when none does. */
  app(pred: (a: AppRecord) => boolean = () => true): AppRecord | undefined {
    const apps = this.#org.appIds.map((id) => this.#org.app(id)).filter(pred);
    return apps.length === 0 ? undefined : this.rng.pick(apps);
  }

  /** A random group satisfying `pred`, or undefined when none does. */
  group(pred: (g: GroupRecord) => boolean = () => true): GroupRecord | undefined {
    const groups = this.#org.groupIds.map((id) => this.#org.group(id)).filter(pred);
    return groups.length === 0 ? undefined : this.rng.pick(groups);
  }

  /** A login no user has. */
  newLogin(): string {
    for (;;) {
      const login = `user.${(++this.#created).toString(36)}.${this.rng.chars(4, 'abcdefghijklmnopqrstuvwxyz')}@${DOMAIN}`;
      if (!this.#org.logins.has(login)) return login;
    }
  }
}

/** One try at a kind of change: its events, or null when nothing in the org fits it now. */
export type Attempt = (m: Mutator, pick: Picker, org: Org) => LogEvent[] | null;

/** The events appended while `change` ran, for the mutations that return a record. */
export function logged(m: Mutator, change: () => unknown): LogEvent[] {
  const before = m.log.size;
  change();
  return m.log.eventsFrom(before);
}

/** `apply` to a user `pred` accepts; null when the picker finds none. */
export const onUser =
  (pred: (u: UserRecord) => boolean, apply: (m: Mutator, id: string, pick: Picker) => LogEvent[]): Attempt =>
  (m, pick) => {
    const user = pick.user(pred);
    return user ? apply(m, user.id, pick) : null;
  };

export const inStatus =
  (...statuses: readonly UserStatus[]) =>
  (u: UserRecord): boolean =>
    statuses.includes(u.status);

/** Groups a random change may touch: not push targets, whose members their push manages. */
export function freeGroups(org: Org, pred: (g: GroupRecord) => boolean): GroupRecord[] {
  const targets = new Set([...allMappings(org)].map((m) => m.targetGroupId));
  return org.groupIds.map((id) => org.group(id)).filter((g) => !targets.has(g.id) && pred(g));
}

export const imported = (g: GroupRecord): boolean => g.type === 'APP_GROUP';
/** `apply` to a Group Push mapping in `status`; null when there is none. */
export const onMapping =
  (status: PushMappingStatus, apply: (m: Mutator, mapping: PushMappingRecord, pick: Picker) => LogEvent[]): Attempt =>
  (m, pick, org) => {
    const mappings = [...allMappings(org)].filter((mapping) => mapping.status === status);
    return mappings.length === 0 ? null : apply(m, pick.rng.pick(mappings), pick);
  };
