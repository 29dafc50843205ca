/**
 * Account and password changes: lockouts, unlocks, password expiry, resets and changes, with
 * the System Log events Okta writes for them
 * (https://developer.okta.com/docs/reference/api/event-types/).
 *
 * What the person does or suffers at the sign-in page (a lockout, an automatic unlock, their
 * own password change) names the person as the `actor` and carries no `User` target; what an
 * admin does names the admin as actor and the person as the `User` target. A connector must
 * read both shapes.
 * @module
 */
import { userTarget, type LogEvent } from './log-events.js';
import type { Emit, MutatorDeps } from './mutation-context.js';
import type { UserRecord, UserStatus } from './records.js';

/** The sign-in page's API (Okta Identity Engine), where lockouts and self-service password changes happen. */
const IDX_IDENTIFY = '/idp/idx/identify';
const IDX_ANSWER = '/idp/idx/challenge/answer';

/** The statuses a lockout, an expiry and a reset start from (the random mutations pick users in them). */
export const LOCKABLE: readonly UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY'];
export const EXPIRABLE: readonly UserStatus[] = ['ACTIVE', 'RECOVERY'];
export const RESETTABLE: readonly UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT'];
const CHANGEABLE: readonly UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY'];

/** Applies account and password changes and logs them. */
export class AccountMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;

  constructor(deps: MutatorDeps, emit: Emit) {
    this.#d = deps;
    this.#emit = emit;
  }

  #user(id: string, from: readonly UserStatus[], op: string): UserRecord {
    const user = this.#d.org.user(id);
    if (!from.includes(user.status)) throw new RangeError(`${op}: user ${id} is ${user.status}, expected ${from.join(' or ')}`);
    return user;
  }

  /** Sets the status (statusChanged only when it changes) and lastUpdated; returns now. */
  #set(user: UserRecord, to: UserStatus): number {
    const now = this.#d.clock.now();
    if (user.status !== to) {
      user.status = to;
      user.statusChanged = now;
    }
    user.lastUpdated = now;
    if (to === 'ACTIVE') user.activated ??= now;
    return now;
  }

  /**
   * Too many failed sign-ins lock the user out (LOCKED_OUT): `user.account.lock`, actor = the
   * user, no target, outcome FAILURE with reason LOCKED_OUT, from the sign-in page.
   */
  lockUser(id: string): LogEvent[] {
    const user = this.#user(id, LOCKABLE, 'lockUser');
    this.#set(user, 'LOCKED_OUT');
    return this.#emit([{ eventType: 'user.account.lock', actor: userTarget(user), target: [], browser: true, requestUri: IDX_IDENTIFY, outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' } }]);
  }

  /**
   * Unlocks a LOCKED_OUT user (ACTIVE). `auto` (the lockout period ended, seen at the next
   * sign-in): `user.account.unlock`, actor = the user, no target. `admin`:
   * `user.account.unlock_by_admin`, actor = the admin, target the User.
   */
  unlockUser(id: string, by: 'auto' | 'admin' = 'auto'): LogEvent[] {
    if (by !== 'auto' && by !== 'admin') throw new RangeError(`unlockUser: by must be 'auto' or 'admin'`);
    const user = this.#user(id, ['LOCKED_OUT'], 'unlockUser');
    this.#set(user, 'ACTIVE');
    if (by === 'auto') return this.#emit([{ eventType: 'user.account.unlock', actor: userTarget(user), target: [], browser: true, requestUri: IDX_IDENTIFY }]);
    return this.#emit([{ eventType: 'user.account.unlock_by_admin', target: [userTarget(user)], requestUri: `/api/v1/users/${id}/lifecycle/unlock` }]);
  }

  /** An admin expires the password (PASSWORD_EXPIRED): `user.account.expire_password`, target the User. */
  expirePassword(id: string): LogEvent[] {
    const user = this.#user(id, EXPIRABLE, 'expirePassword');
    this.#set(user, 'PASSWORD_EXPIRED');
    return this.#emit([{ eventType: 'user.account.expire_password', target: [userTarget(user)], requestUri: `/api/v1/users/${id}/lifecycle/expire_password` }]);
  }

  /** An admin resets the password (RECOVERY until the user sets a new one): `user.account.reset_password`, target the User. */
  resetPassword(id: string): LogEvent[] {
    const user = this.#user(id, RESETTABLE, 'resetPassword');
    this.#set(user, 'RECOVERY');
    return this.#emit([{ eventType: 'user.account.reset_password', target: [userTarget(user)], requestUri: `/api/v1/users/${id}/lifecycle/reset_password` }]);
  }

  /**
   * The user sets a new password (ACTIVE; from PASSWORD_EXPIRED or RECOVERY this ends the
   * expiry or the reset): `user.account.update_password`, actor = the user, no target.
   */
  changePassword(id: string): LogEvent[] {
    const user = this.#user(id, CHANGEABLE, 'changePassword');
    user.passwordChanged = this.#set(user, 'ACTIVE');
    return this.#emit([{ eventType: 'user.account.update_password', actor: userTarget(user), target: [], browser: true, requestUri: IDX_ANSWER }]);
  }

  /**
   * An admin expires every ACTIVE user's password (PASSWORD_EXPIRED) at once: a single
   * `user.lifecycle.password_mass_expiry` with no target, and no per-user event.
   */
  expireAllPasswords(): LogEvent[] {
    const { org } = this.#d;
    for (const id of org.userIds) {
      const user = org.user(id);
      if (user.status === 'ACTIVE') this.#set(user, 'PASSWORD_EXPIRED');
    }
    return this.#emit([{ eventType: 'user.lifecycle.password_mass_expiry', target: [], browser: true, requestUri: '/admin/users/expire-passwords' }]);
  }
}
