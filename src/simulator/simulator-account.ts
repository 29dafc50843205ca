/**
 * The mutations of {@link OktaSimulator} that model what Okta and the people themselves do,
 * rather than an admin's API calls: lockouts and password changes, provisioning pushes and
 * directory imports. Their events do not always name the person as a `User` target (see
 * `mutations-account.ts` and `mutations-sync.ts`).
 * @module
 */
import type { LogEvent } from './log-events.js';
import type { ImportOptions, ProvisionOptions } from './mutations-sync.js';
import type { NewUserProfile } from './mutations-users.js';
import type { Mutator } from './mutations.js';
import type { UserRecord } from './records.js';
import type { DeepReadonly } from './simulator.js';

/** The base of {@link OktaSimulator} holding these mutations. */
export class SimulatorAccountEvents {
  readonly #m: Mutator;

  constructor(mutator: Mutator) {
    this.#m = mutator;
  }

  /** Locks out an ACTIVE, PASSWORD_EXPIRED or RECOVERY user (LOCKED_OUT): `user.account.lock`, actor = the user, no target. */
  lockUser(id: string): readonly LogEvent[] {
    return this.#m.account.lockUser(id);
  }

  /** Unlocks a LOCKED_OUT user (ACTIVE): `auto` logs `user.account.unlock` (actor = the user, no target), `admin` logs `user.account.unlock_by_admin` (target the User). */
  unlockUser(id: string, by: 'auto' | 'admin' = 'auto'): readonly LogEvent[] {
    return this.#m.account.unlockUser(id, by);
  }

  /** An admin expires an ACTIVE or RECOVERY user's password (PASSWORD_EXPIRED): `user.account.expire_password`. */
  expirePassword(id: string): readonly LogEvent[] {
    return this.#m.account.expirePassword(id);
  }

  /** An admin resets an ACTIVE, PASSWORD_EXPIRED or LOCKED_OUT user's password (RECOVERY): `user.account.reset_password`. */
  resetPassword(id: string): readonly LogEvent[] {
    return this.#m.account.resetPassword(id);
  }

  /** The user sets a new password (ACTIVE): `user.account.update_password`, actor = the user, no target. */
  changePassword(id: string): readonly LogEvent[] {
    return this.#m.account.changePassword(id);
  }

  /** Expires every ACTIVE user's password: one `user.lifecycle.password_mass_expiry`, no target, no per-user event. */
  expireAllPasswords(): readonly LogEvent[] {
    return this.#m.account.expireAllPasswords();
  }

  /**
   * Pushes a STAGED account of a provisioning app (PROVISIONED, with an externalId):
   * `application.provision.user.push` [AppInstance, AppUser] or
   * `app.user_management.push_new_user_success` [AppInstance, AppUser, User].
   */
  provisionAppUser(appId: string, userId: string, options: ProvisionOptions = {}): readonly LogEvent[] {
    return this.#m.sync.provisionAppUser(appId, userId, options);
  }

  /** Pushes every STAGED account of the active provisioning apps; returns the events. */
  provisionPending(options: ProvisionOptions = {}): readonly LogEvent[] {
    return this.#m.sync.provisionPending(options);
  }

  /** An import changes profile attributes: `system.import.user.update` by Okta System, targeting the User or [AppInstance, AppUser]. */
  importUserUpdate(userId: string, patch: Readonly<Record<string, string | null | undefined>>, options: ImportOptions = {}): readonly LogEvent[] {
    return this.#m.sync.importUserUpdate(userId, patch, options);
  }

  /** An import suspends an ACTIVE user: `system.import.user.suspend`. */
  importUserSuspend(id: string): readonly LogEvent[] {
    return this.#m.sync.importUserSuspend(id);
  }

  /** An import unsuspends a SUSPENDED user: `system.import.user.unsuspend`. */
  importUserUnsuspend(id: string): readonly LogEvent[] {
    return this.#m.sync.importUserUnsuspend(id);
  }

  /** An import creates an ACTIVE user: `system.import.user.create`. */
  importUserCreate(profile: NewUserProfile): DeepReadonly<UserRecord> {
    return this.#m.sync.importUserCreate(profile);
  }
}
