/**
 * An admin's changes to users through the Users API: creation, the lifecycle (deactivate,
 * suspend, unsuspend, reactivate, delete) and profile updates, each with the events Okta logs
 * for it (https://developer.okta.com/docs/reference/api/event-types/).
 * @module
 */
import { userTarget, type EventDraft, type LogEvent } from './log-events.js';
import type { Emit, MutatorDeps } from './mutation-context.js';
import type { UserProfile, UserRecord, UserStatus } from './records.js';

/**
 * The profile of a new user. `login` defaults to `email` and `email` to `login`; one of them is
 * required.
 * @example
 * const profile: NewUserProfile = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
 */
export interface NewUserProfile {
  login?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  [attribute: string]: string | null | undefined;
}

/**
 * A new user's profile: undefined values dropped, `login` defaulting to `email` and `email`
 * to `login`.
 * @throws RangeError when there is neither.
 */
export function newUserProfile(profile: NewUserProfile, op: string): UserProfile {
  const clean: UserProfile = {};
  for (const [k, v] of Object.entries(profile)) if (v !== undefined) clean[k] = v;
  clean.login ??= clean.email ?? null;
  if (clean.email === undefined) clean.email = clean.login ?? null;
  if (typeof clean.login !== 'string' || clean.login === '') throw new RangeError(`${op} needs a login or an email`);
  return clean;
}

const DEACTIVATABLE: readonly UserStatus[] = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED'];

/** Applies an admin's user changes and logs them. */
export class UserMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;

  constructor(deps: MutatorDeps, emit: Emit) {
    this.#d = deps;
    this.#emit = emit;
  }

  /**
   * Creates a user: `user.lifecycle.create`, then `user.lifecycle.activate` unless
   * `activate: false` (the user stays STAGED). `id` picks the user's id instead of a generated one.
   * @throws RangeError when the login is missing or taken, or the id is taken.
   */
  createUser(profile: NewUserProfile, options: { activate?: boolean; id?: string } = {}): UserRecord {
    const { org, factory, clock } = this.#d;
    const clean = newUserProfile(profile, 'createUser');
    const activate = options.activate ?? true;
    const now = clock.now();
    const user = factory.user(clean, activate ? 'ACTIVE' : 'STAGED', now, false, options.id);
    org.addUser(user);
    const drafts: EventDraft[] = [{ eventType: 'user.lifecycle.create', target: [userTarget(user)], requestUri: '/api/v1/users' }];
    if (activate) drafts.push({ eventType: 'user.lifecycle.activate', target: [userTarget(user)], requestUri: `/api/v1/users/${user.id}/lifecycle/activate` });
    this.#emit(drafts);
    return user;
  }

  #transition(id: string, from: readonly UserStatus[], to: UserStatus, eventType: string, op: string): LogEvent[] {
    const user = this.#d.org.user(id);
    if (!from.includes(user.status)) throw new RangeError(`${op}: user ${id} is ${user.status}, expected ${from.join(' or ')}`);
    const now = this.#d.clock.now();
    user.status = to;
    user.statusChanged = now;
    user.lastUpdated = now;
    if (to === 'ACTIVE') user.activated ??= now;
    return this.#emit([{ eventType, target: [userTarget(user)], requestUri: `/api/v1/users/${id}/lifecycle/${op}` }]);
  }

  /** Deactivates a user (status DEPROVISIONED): `user.lifecycle.deactivate`. Group memberships and app users stay. */
  deactivateUser(id: string): LogEvent[] {
    return this.#transition(id, DEACTIVATABLE, 'DEPROVISIONED', 'user.lifecycle.deactivate', 'deactivate');
  }

  /** Suspends an ACTIVE user: `user.lifecycle.suspend`. */
  suspendUser(id: string): LogEvent[] {
    return this.#transition(id, ['ACTIVE'], 'SUSPENDED', 'user.lifecycle.suspend', 'suspend');
  }

  /** Unsuspends a SUSPENDED user: `user.lifecycle.unsuspend`. */
  unsuspendUser(id: string): LogEvent[] {
    return this.#transition(id, ['SUSPENDED'], 'ACTIVE', 'user.lifecycle.unsuspend', 'unsuspend');
  }

  /**
   * Activates a DEPROVISIONED (or STAGED) user again: `user.lifecycle.activate`, which is what
   * Okta logs for `POST /users/{id}/lifecycle/activate` on a deactivated user.
   */
  reactivateUser(id: string): LogEvent[] {
    return this.#transition(id, ['DEPROVISIONED', 'STAGED'], 'ACTIVE', 'user.lifecycle.activate', 'activate');
  }

  /**
   * Deletes a deactivated user: `user.lifecycle.delete.initiated` then
   * `user.lifecycle.delete.completed`; the user, its memberships and its app users are gone.
   * @throws RangeError unless the user is DEPROVISIONED (Okta deletes only deactivated users).
   */
  deleteUser(id: string): LogEvent[] {
    const user = this.#d.org.user(id);
    if (user.status !== 'DEPROVISIONED') throw new RangeError(`deleteUser: user ${id} is ${user.status}; deactivate it first`);
    const target = [userTarget(user)];
    this.#d.org.removeUser(id);
    return this.#emit([
      { eventType: 'user.lifecycle.delete.initiated', target, requestUri: `/api/v1/users/${id}` },
      { eventType: 'user.lifecycle.delete.completed', target, transactionType: 'JOB', requestUri: `/api/v1/users/${id}` },
    ]);
  }

  /**
   * Changes profile attributes (null clears one): `user.account.update_profile`, plus
   * `user.account.update_primary_email` when the email changes.
   * @throws RangeError on a taken or empty login.
   */
  updateProfile(id: string, patch: Readonly<Record<string, string | null | undefined>>): LogEvent[] {
    const { org, clock } = this.#d;
    const user = org.user(id);
    const oldEmail = user.profile.email ?? null;
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key === 'login') {
        if (typeof value !== 'string') throw new RangeError('updateProfile: login cannot be null');
        org.changeLogin(user, value);
      } else {
        user.profile[key] = value;
      }
    }
    user.lastUpdated = clock.now();
    const drafts: EventDraft[] = [{ eventType: 'user.account.update_profile', target: [userTarget(user)], requestUri: `/api/v1/users/${id}` }];
    if ((user.profile.email ?? null) !== oldEmail) drafts.push({ eventType: 'user.account.update_primary_email', target: [userTarget(user)], requestUri: `/api/v1/users/${id}` });
    return this.#emit(drafts);
  }
}
