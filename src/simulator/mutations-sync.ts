/**
 * What Okta's background jobs do to identities: provisioning pushes (a STAGED account of a
 * provisioning app gets PROVISIONED with an `externalId`) and directory imports (profile
 * updates, suspensions, new users), with the System Log events they write.
 *
 * These events are written by "Okta System" and do not always name the person: a push may
 * name only the app and the app assignment (`AppInstance`, `AppUser` `0ua...`), and so may an
 * import from an app directory. The catalogue leaves their targets open ("ResourceDetails",
 * https://developer.okta.com/docs/reference/api/event-types/), so each mutation logs one of the
 * shapes seen in real orgs, chosen by a seeded stream or forced by an option.
 * @module
 */
import { appTarget, appUserTarget, userTarget, type LogEvent, type LogTarget } from './log-events.js';
import { systemJob, type Emit, type MutatorDeps } from './mutation-context.js';
import { newUserProfile, type NewUserProfile } from './mutations-users.js';
import type { AppRecord, AppUserRecord, UserRecord, UserStatus } from './records.js';
import { Rng, streamSeed } from './prng.js';

/**
 * How {@link SyncMutations.provisionAppUser} logs a push: `push` is
 * `application.provision.user.push` with targets [AppInstance, AppUser] only;
 * `push_new_user_success` is `app.user_management.push_new_user_success` with targets
 * [AppInstance, AppUser, User]. Default: one of them, from the seeded stream.
 * @example
 * sim.provisionAppUser(appId, userId, { event: 'push' } satisfies ProvisionOptions);
 */
export interface ProvisionOptions {
  event?: 'push' | 'push_new_user_success';
  /** The id the app gave the account; default one in the app's usual format. */
  externalId?: string;
}

/**
 * How an import is logged: `system` targets the User; `app` (an import from an app directory)
 * targets only the app and the user's app assignment [AppInstance, AppUser]. Default: one of
 * them, from the seeded stream (`system` when the user has no app account).
 * @example
 * sim.importUserUpdate(userId, { lastName: 'Lovelace' }, { shape: 'app' } satisfies ImportOptions);
 */
export interface ImportOptions {
  shape?: 'system' | 'app';
}

/** Applies provisioning pushes and imports and logs them. */
export class SyncMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  /** Chooses event shapes; its own stream, so forcing a shape never shifts the org's random changes. */
  readonly #shapes: Rng;

  constructor(deps: MutatorDeps, emit: Emit) {
    this.#d = deps;
    this.#emit = emit;
    this.#shapes = new Rng(streamSeed(deps.seed, 'event-shapes'));
  }

  #appUserTarget(appUser: AppUserRecord, user: UserRecord): LogTarget {
    // Background jobs name the app assignment by its own id, whatever appUserTargetId says
    // of membership events.
    return appUserTarget(appUser, user, this.#d.seed, 'assignment');
  }

  /**
   * Completes the push of a STAGED account of an active provisioning app: PROVISIONED, with
   * an `externalId` in the app's format, synchronised now. Logged as {@link ProvisionOptions}.
   * @throws RangeError when there is no such account, it is not STAGED or the app is INACTIVE.
   */
  provisionAppUser(appId: string, userId: string, options: ProvisionOptions = {}): LogEvent[] {
    const { org, factory, clock } = this.#d;
    const app = org.app(appId);
    const appUser = app.appUsers.get(userId);
    if (!appUser) throw new RangeError(`provisionAppUser: user ${userId} is not assigned to app ${appId}`);
    if (appUser.status !== 'STAGED') throw new RangeError(`provisionAppUser: the account of user ${userId} in app ${appId} is ${appUser.status}, not STAGED`);
    if (app.status !== 'ACTIVE') throw new RangeError(`provisionAppUser: app ${appId} is INACTIVE; Okta pushes to active apps only`);
    const event = options.event ?? (this.#shapes.chance(0.5) ? 'push' : 'push_new_user_success');
    if (event !== 'push' && event !== 'push_new_user_success') throw new RangeError(`provisionAppUser: event must be 'push' or 'push_new_user_success'`);
    const now = clock.now();
    appUser.status = 'PROVISIONED';
    appUser.externalId = options.externalId ?? factory.externalIdFor(app);
    appUser.statusChanged = now;
    appUser.lastUpdated = now;
    const user = org.user(userId);
    const requestUri = `/api/v1/apps/${appId}/users/${userId}`;
    const target = [appTarget(app), this.#appUserTarget(appUser, user)];
    if (event === 'push') return this.#emit([systemJob('application.provision.user.push', target, requestUri)]);
    return this.#emit([systemJob('app.user_management.push_new_user_success', [...target, userTarget(user)], requestUri)]);
  }

  /** Provisions every STAGED account of the active provisioning apps (app by app, user by user); returns the events. */
  provisionPending(options: ProvisionOptions = {}): LogEvent[] {
    const { org } = this.#d;
    const out: LogEvent[] = [];
    for (const appId of org.appIds) {
      const app = org.app(appId);
      if (!app.provisioned || app.status !== 'ACTIVE') continue;
      const staged = app.appUserIds.filter((id) => app.appUsers.get(id)?.status === 'STAGED');
      for (const userId of staged) out.push(...this.provisionAppUser(appId, userId, options));
    }
    return out;
  }

  /** The user's account in the directory an import reads: in a provisioning app if any, else the first app. */
  #directory(user: UserRecord): { app: AppRecord; appUser: AppUserRecord } | undefined {
    const apps = this.#d.org.appsOf(user.id);
    const app = apps.find((a) => a.provisioned) ?? apps[0];
    return app && { app, appUser: app.appUsers.get(user.id) as AppUserRecord };
  }

  /**
   * An import changes profile attributes (null clears one) as `updateProfile` does, logged as
   * `system.import.user.update` by Okta System, shaped as {@link ImportOptions}.
   * @throws RangeError on a taken or empty login, or `shape: 'app'` for a user without an app account.
   */
  importUserUpdate(userId: string, patch: Readonly<Record<string, string | null | undefined>>, options: ImportOptions = {}): LogEvent[] {
    const { org, clock } = this.#d;
    const user = org.user(userId);
    const shape = options.shape ?? (this.#shapes.chance(0.5) ? 'system' : 'app');
    if (shape !== 'system' && shape !== 'app') throw new RangeError(`importUserUpdate: shape must be 'system' or 'app'`);
    const directory = shape === 'app' ? this.#directory(user) : undefined;
    if (options.shape === 'app' && !directory) throw new RangeError(`importUserUpdate: user ${userId} has no app account to import from`);
    const login = patch.login;
    if (login !== undefined) {
      if (typeof login !== 'string') throw new RangeError('importUserUpdate: login cannot be null');
      org.changeLogin(user, login);
    }
    for (const [key, value] of Object.entries(patch)) if (value !== undefined && key !== 'login') user.profile[key] = value;
    user.lastUpdated = clock.now();
    const target = directory ? [appTarget(directory.app), this.#appUserTarget(directory.appUser, user)] : [userTarget(user)];
    return this.#emit([systemJob('system.import.user.update', target, `/api/v1/users/${userId}`)]);
  }

  #importStatus(id: string, from: UserStatus, to: UserStatus, eventType: string, op: string): LogEvent[] {
    const user = this.#d.org.user(id);
    if (user.status !== from) throw new RangeError(`${op}: user ${id} is ${user.status}, expected ${from}`);
    const now = this.#d.clock.now();
    user.status = to;
    user.statusChanged = now;
    user.lastUpdated = now;
    return this.#emit([systemJob(eventType, [userTarget(user)], `/api/v1/users/${id}`)]);
  }

  /** An import suspends an ACTIVE user: `system.import.user.suspend`, target the User. */
  importUserSuspend(id: string): LogEvent[] {
    return this.#importStatus(id, 'ACTIVE', 'SUSPENDED', 'system.import.user.suspend', 'importUserSuspend');
  }

  /** An import unsuspends a SUSPENDED user: `system.import.user.unsuspend`, target the User. */
  importUserUnsuspend(id: string): LogEvent[] {
    return this.#importStatus(id, 'SUSPENDED', 'ACTIVE', 'system.import.user.unsuspend', 'importUserUnsuspend');
  }

  /**
   * An import creates an ACTIVE user: `system.import.user.create`, target the User.
   * @throws RangeError when the login is missing or taken.
   */
  importUserCreate(profile: NewUserProfile): UserRecord {
    const { org, factory, clock } = this.#d;
    const user = factory.user(newUserProfile(profile, 'importUserCreate'), 'ACTIVE', clock.now());
    org.addUser(user);
    this.#emit([systemJob('system.import.user.create', [userTarget(user)], '/api/v1/users')]);
    return user;
  }
}
