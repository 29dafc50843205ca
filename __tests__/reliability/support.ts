/**
 * Shared pieces of the reliability tests: a seeded PRNG, a clock that tells when the change
 * stream has caught up, a mutation picker whose every identity event touches somebody, the
 * consumer's side (a snapshot the changes are applied to) and the figures each test records.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src/clock.js';
import type { Identity, IdentityChange } from '../../src/index.js';
import { isIdentityEvent } from '../../src/provider/changes/events.js';
import type { OktaSimulator } from '../../src/simulator/index.js';

/**
 * The poll interval the streams are given. No backoff (capped far lower by maxRetryDelayMs) or
 * rate-limit wait (windows of one second) can last exactly this long, so a sleep of this length
 * is the stream saying "caught up": {@link WatchedClock} sleeps only `realPollMs` for it.
 */
export const POLL_MS = 4_999;

/** The real clock, except that the poll sleep is short and reported; counts the other sleeps. */
export class WatchedClock implements Clock {
  polls = 0;
  onPoll: ((count: number) => void) | undefined;
  /** Backoffs and rate-limit waits: how many, their total and the longest (no per-sleep list: soaks run long). */
  waits = { count: 0, totalMs: 0, maxMs: 0 };

  constructor(private readonly realPollMs = 2) {}

  now(): number {
    return systemClock.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms === POLL_MS) {
      await systemClock.sleep(this.realPollMs, signal);
      this.polls++;
      this.onPoll?.(this.polls);
      return;
    }
    this.waits.count++;
    this.waits.totalMs += ms;
    this.waits.maxMs = Math.max(this.waits.maxMs, ms);
    await systemClock.sleep(ms, signal);
  }
}

/** mulberry32: a tiny seeded PRNG, so every run can be replayed from its seed. */
export class Prng {
  #a: number;
  constructor(seed: number) {
    this.#a = seed >>> 0;
  }
  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }
}

export const byId = (identities: Iterable<Identity>): Identity[] => [...identities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What the host does with a change: upsert or delete the person in its own view. */
export function applyChange(snapshot: Map<string, Identity>, change: IdentityChange): void {
  if (change.type === 'upsert') snapshot.set(change.identity.id, change.identity);
  else snapshot.delete(change.id);
}

/**
 * The uuids of the identity events the simulator wrote from `fromIndex` on that name a person
 * (a `User` target, or a `User` actor and no target): the stream delivers each with that
 * person. An event that names only an app or a group (an assignment, a deactivation) reaches
 * the host only through the people it changed, which convergence checks.
 */
export function identityEventUuids(sim: OktaSimulator, fromIndex: number): string[] {
  const namesPerson = (e: OktaSimulator['events'][number]): boolean => e.target.some((t) => t.type === 'User') || (e.target.length === 0 && e.actor.type === 'User');
  return sim.events.slice(fromIndex).filter((e) => isIdentityEvent(e.eventType) && namesPerson(e)).map((e) => e.uuid);
}

/** The uuids of `expected` that no change carried. */
export function lostEvents(expected: readonly string[], delivered: ReadonlySet<string>): string[] {
  return expected.filter((uuid) => !delivered.has(uuid));
}

/** Total faults the simulator injected, and per kind. */
export function faultsInjected(sim: OktaSimulator): { total: number; byKind: Record<string, number> } {
  const byKind = { ...sim.stats.faults };
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}

/**
 * The kinds of {@link OrgChanges} and their weights. `#try` switches over exactly these (the
 * compiler checks it); the order is part of the seeded sequence, so a new kind goes at the end.
 * A mass password expiry is not among them: its one event names no one, and what it costs is
 * tested on its own (fanout.test.ts).
 */
const WEIGHT_OF = {
  createUser: 8, updateProfile: 12, suspendUser: 3, unsuspendUser: 3, deactivateUser: 4, reactivateUser: 2,
  deleteUser: 2, assignUserToApp: 10, unassignUserFromApp: 5, renameAppUser: 5, addUserToGroup: 8,
  removeUserFromGroup: 5, assignGroupToApp: 2, unassignGroupFromApp: 2, toggleApp: 1, renameApp: 1, createApp: 1, noise: 6,
  // What Okta and the people do, in the event shapes Okta logs them (issue 11).
  lockUser: 2, unlockUser: 2, expirePassword: 1, resetPassword: 1, changePassword: 2,
  provisionAppUser: 4, importUserUpdate: 2, importUserSuspend: 1, importUserUnsuspend: 1, importUserCreate: 1,
};
type OrgChangeKind = keyof typeof WEIGHT_OF;
const WEIGHTS = Object.entries(WEIGHT_OF) as Array<[OrgChangeKind, number]>;
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

/**
 * Seeded org changes of every kind a person's identity can see, keeping one "anchor" person
 * in every group and directly in every app. Group and app events reach the people in that
 * group or app at the time the stream reads them; with the anchor there is always someone, so
 * every identity event must come back in some change's eventIds (an event that reaches nobody
 * has nobody to be delivered to). Apps are never deleted: a deleted app's members cannot be
 * listed by a stream restarted in a new process (it warns `incomplete_fanout` instead).
 */
export class OrgChanges {
  readonly kinds = new Map<string, number>();
  #created = 0;

  private constructor(
    readonly sim: OktaSimulator,
    readonly rng: Prng,
    readonly anchorId: string,
  ) {}

  /** Picks the anchor (an ACTIVE user) and puts it in every group and directly in every app. */
  static setup(sim: OktaSimulator, rng: Prng): OrgChanges {
    const anchor = sim.org.users.find((u) => u.status === 'ACTIVE');
    if (!anchor) throw new Error('the org needs an ACTIVE user');
    for (const group of sim.org.groups) if (!sim.org.groupMembers(group.id).includes(anchor.id)) sim.addUserToGroup(group.id, anchor.id);
    for (const app of sim.org.apps) {
      if (app.status !== 'ACTIVE') sim.activateApp(app.id);
      if (!sim.org.appUsers(app.id).some((au) => au.userId === anchor.id && au.direct)) sim.assignUserToApp(app.id, anchor.id);
    }
    return new OrgChanges(sim, rng, anchor.id);
  }

  /** Applies `n` seeded changes. */
  apply(n: number): void {
    for (let i = 0; i < n; i++) this.one();
  }

  /** Applies one seeded change and returns its kind. */
  one(): string {
    for (let attempt = 0; attempt < 50; attempt++) {
      let x = this.rng.next() * TOTAL_WEIGHT;
      let kind: OrgChangeKind = 'noise';
      for (const [k, w] of WEIGHTS) {
        if ((x -= w) < 0) {
          kind = k;
          break;
        }
      }
      if (this.#try(kind)) {
        this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
        return kind;
      }
    }
    this.sim.noise(1);
    return 'noise';
  }

  /** A user other than the anchor matching `pred`, or undefined. */
  #user(pred: (u: { id: string; status: string }) => boolean): string | undefined {
    const users = this.sim.org.users.filter((u) => u.id !== this.anchorId && pred(u));
    return users.length === 0 ? undefined : this.rng.pick(users).id;
  }

  /** Applies `change` to a user other than the anchor in one of `statuses`; false when there is none. */
  #onUser(statuses: readonly string[], change: (id: string) => unknown): boolean {
    const id = this.#user((u) => statuses.includes(u.status));
    if (!id) return false;
    change(id);
    return true;
  }

  #try(kind: OrgChangeKind): boolean {
    const { sim, rng } = this;
    const org = sim.org;
    const live = (u: { status: string }): boolean => u.status !== 'DEPROVISIONED';
    switch (kind) {
      case 'createUser': {
        const login = `rel.${(++this.#created).toString(36)}.${rng.int(1e6).toString(36)}@example.com`;
        sim.createUser({ firstName: rng.pick(['Ana', 'Bo', 'Cy', 'Di']), lastName: rng.pick(['Ek', 'Fa', 'Gu']), login, email: login }, { activate: rng.chance(0.9) });
        return true;
      }
      case 'updateProfile': {
        const id = rng.chance(0.1) ? this.anchorId : this.#user(() => true);
        if (!id) return false;
        const which = rng.int(4);
        if (which === 0) sim.updateProfile(id, { email: `mail.${rng.int(1e9).toString(36)}@example.com` });
        else if (which === 1) sim.updateProfile(id, { login: `login.${(++this.#created).toString(36)}.${rng.int(1e6).toString(36)}@example.com` });
        else if (which === 2) sim.updateProfile(id, { lastName: rng.pick(['Ivers', 'Jonas', 'Kaur', 'Lund']) });
        else sim.updateProfile(id, { displayName: rng.chance(0.5) ? `Person ${rng.int(1000)}` : '' });
        return true;
      }
      case 'suspendUser': {
        const id = this.#user((u) => u.status === 'ACTIVE');
        if (!id) return false;
        sim.suspendUser(id);
        return true;
      }
      case 'unsuspendUser': {
        const id = this.#user((u) => u.status === 'SUSPENDED');
        if (!id) return false;
        sim.unsuspendUser(id);
        return true;
      }
      case 'deactivateUser': {
        const id = this.#user(live);
        if (!id) return false;
        sim.deactivateUser(id);
        return true;
      }
      case 'reactivateUser': {
        const id = this.#user((u) => u.status === 'DEPROVISIONED');
        if (!id) return false;
        sim.reactivateUser(id);
        return true;
      }
      case 'deleteUser': {
        const id = this.#user((u) => u.status === 'DEPROVISIONED');
        if (!id) return false;
        sim.deleteUser(id);
        return true;
      }
      case 'assignUserToApp': {
        const app = rng.pick(org.apps);
        const id = this.#user((u) => live(u) && !org.appUsers(app.id).some((au) => au.userId === u.id && au.direct));
        if (!id) return false;
        sim.assignUserToApp(app.id, id, rng.chance(0.5) ? { userName: `acct-${rng.int(1e9).toString(36)}` } : {});
        return true;
      }
      case 'unassignUserFromApp': {
        const direct = org.apps.flatMap((a) => org.appUsers(a.id)).filter((au) => au.direct && au.userId !== this.anchorId);
        if (direct.length === 0) return false;
        const au = rng.pick(direct);
        sim.unassignUserFromApp(au.appId, au.userId);
        return true;
      }
      case 'renameAppUser': {
        const all = org.apps.flatMap((a) => org.appUsers(a.id));
        if (all.length === 0) return false;
        const au = rng.pick(all);
        sim.renameAppUser(au.appId, au.userId, `renamed-${rng.int(1e9).toString(36)}`);
        return true;
      }
      case 'addUserToGroup': {
        const group = rng.pick(org.groups);
        const id = this.#user((u) => live(u) && !org.groupMembers(group.id).includes(u.id));
        if (!id) return false;
        sim.addUserToGroup(group.id, id);
        return true;
      }
      case 'removeUserFromGroup': {
        const group = rng.pick(org.groups);
        const members = org.groupMembers(group.id).filter((id) => id !== this.anchorId);
        if (members.length === 0) return false;
        sim.removeUserFromGroup(group.id, rng.pick(members));
        return true;
      }
      case 'assignGroupToApp': {
        const app = rng.pick(org.apps);
        const groups = org.groups.filter((g) => !app.groups.has(g.id));
        if (groups.length === 0) return false;
        sim.assignGroupToApp(app.id, rng.pick(groups).id);
        return true;
      }
      case 'unassignGroupFromApp': {
        const apps = org.apps.filter((a) => a.groupIds.length > 0);
        if (apps.length === 0) return false;
        const app = rng.pick(apps);
        sim.unassignGroupFromApp(app.id, rng.pick(app.groupIds));
        return true;
      }
      case 'toggleApp': {
        const app = rng.pick(org.apps);
        if (app.status === 'ACTIVE') sim.deactivateApp(app.id);
        else sim.activateApp(app.id);
        return true;
      }
      case 'renameApp': {
        const app = rng.pick(org.apps);
        sim.renameApp(app.id, `${app.label.replace(/ #\d+$/, '')} #${rng.int(100)}`);
        return true;
      }
      case 'createApp': {
        if (org.apps.length >= 12) return false;
        const app = sim.createApp({ name: rng.pick(['slack', 'github', 'zoom']), label: `Extra ${rng.int(1000)}`, provisioned: rng.chance(0.5) });
        sim.assignUserToApp(app.id, this.anchorId);
        return true;
      }
      case 'lockUser':
        return this.#onUser(['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY'], (id) => sim.lockUser(id));
      case 'unlockUser':
        return this.#onUser(['LOCKED_OUT'], (id) => sim.unlockUser(id, rng.chance(0.5) ? 'auto' : 'admin'));
      case 'expirePassword':
        return this.#onUser(['ACTIVE', 'RECOVERY'], (id) => sim.expirePassword(id));
      case 'resetPassword':
        return this.#onUser(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT'], (id) => sim.resetPassword(id));
      case 'changePassword':
        return this.#onUser(['PASSWORD_EXPIRED', 'RECOVERY'], (id) => sim.changePassword(id));
      case 'provisionAppUser': {
        const staged = org.apps.filter((a) => a.status === 'ACTIVE').flatMap((a) => org.appUsers(a.id)).filter((au) => au.status === 'STAGED');
        if (staged.length === 0) return false;
        const au = rng.pick(staged);
        sim.provisionAppUser(au.appId, au.userId, { event: rng.pick(['push', 'push_new_user_success'] as const) });
        return true;
      }
      case 'importUserUpdate':
        // The simulator picks the shape: the User, or (for someone with an app account) the app and the AppUser.
        return this.#onUser(['ACTIVE', 'SUSPENDED'], (id) => sim.importUserUpdate(id, { lastName: rng.pick(['Moreau', 'Novak', 'Okafor']) }));
      case 'importUserSuspend':
        return this.#onUser(['ACTIVE'], (id) => sim.importUserSuspend(id));
      case 'importUserUnsuspend':
        return this.#onUser(['SUSPENDED'], (id) => sim.importUserUnsuspend(id));
      case 'importUserCreate': {
        const login = `hr.${(++this.#created).toString(36)}.${rng.int(1e6).toString(36)}@example.com`;
        sim.importUserCreate({ firstName: 'Imported', lastName: rng.pick(['Moreau', 'Novak']), login, email: login });
        return true;
      }
      case 'noise':
        sim.noise(1 + rng.int(3));
        return true;
      default: {
        const unhandled: never = kind;
        throw new RangeError(`unknown change ${String(unhandled)}`);
      }
    }
  }
}

/**
 * Records a test's figures (faults injected, restarts, events checked...) as JSON under the OS
 * temp directory, since tests print nothing: `<tmpdir>/okta-idp-reliability/<name>.json`.
 */
export function recordFigures(name: string, figures: object): string {
  const dir = join(tmpdir(), 'okta-idp-reliability');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ recordedAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  return file;
}

/** The budget of a soak run: SOAK_BUDGET_MS (CI sets 20,000), else `fallback` for a local run. */
export function soakBudgetMs(fallback = 120_000): number {
  const raw = process.env.SOAK_BUDGET_MS;
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`SOAK_BUDGET_MS must be a positive number of milliseconds, not ${JSON.stringify(raw)}`);
  return value;
}

/** Active handles and requests by kind (`TCPServerWrap`, `Timeout`, ...), to show a test left none behind. */
export function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}
