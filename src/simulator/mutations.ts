/**
 * Changes to the org, each applied at once and logged with the System Log events Okta would
 * write for it (https://developer.okta.com/docs/reference/api/event-types/), with the targets
 * documented in {@link ./log-events.ts}.
 *
 * App users that appear or disappear because of group changes (membership, group
 * assignment) get their own `application.user_membership.add` / `.remove` events with
 * `transaction.type: 'JOB'`, as Okta's background reconciliation writes them. When only the
 * scope of an existing app user changes (a direct assignment added to or removed from a user a
 * group also assigns), the event is `application.user_membership.update`. A new account in a
 * provisioning app starts STAGED until Okta's push; the push, imports and account or password
 * changes are in {@link ./mutations-sync.ts} and {@link ./mutations-account.ts}.
 * @module
 */
import { appSpec } from './catalog.js';
import type { SimClock } from './clock.js';
import { DOMAIN, type AppUserOptions, type RecordFactory } from './factory.js';
import { appTarget, appUserTarget, groupTarget, userTarget, type EventDraft, type LogEvent, type LogTarget } from './log-events.js';
import { membershipDrafts } from './membership-events.js';
import { AccountMutations, ACCOUNT_KINDS, type RandomPick } from './mutations-account.js';
import { GroupMutations, GROUP_KINDS } from './mutations-groups.js';
import { PushMutations, PUSH_KINDS } from './mutations-push.js';
import { newUserProfile, SyncMutations, SYNC_KINDS } from './mutations-sync.js';
import type { AppRecord, AppUserChange, AppUserInit, GroupRecord, Org, UserNameStyle, UserRecord } from './org.js';
import { Rng, streamSeed } from './prng.js';
import { slug } from './seed.js';
import type { SystemLog } from './system-log.js';

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
 * A new app instance.
 * @example
 * const spec: NewApp = { name: 'slack', label: 'Slack (Support)', provisioned: true };
 */
export interface NewApp {
  name: string;
  label: string;
  /** Default false. */
  provisioned?: boolean;
  /** Default `login`. */
  userNameStyle?: UserNameStyle;
  /** Default `SAML_2_0`. */
  signOnMode?: string;
}

/**
 * What {@link Mutator.randomMutation} did.
 * @example
 * const { kind, events } = sim.randomMutation(); // e.g. 'addUserToGroup', [group.user_membership.add, ...]
 */
export interface RandomMutation {
  /** The mutation method applied (`createUser`, `addUserToGroup`...). */
  kind: string;
  /** The events it appended. */
  events: readonly LogEvent[];
}

/**
 * What a mutator works on.
 * @example
 * new Mutator({ org, factory, log, clock, seed: 1, appUserTargetId: 'assignment' } satisfies MutatorDeps);
 */
export interface MutatorDeps {
  org: Org;
  factory: RecordFactory;
  log: SystemLog;
  clock: SimClock;
  seed: number;
  appUserTargetId: 'assignment' | 'user';
}

/**
 * Applies changes and logs them.
 * @example
 * const mutator = new Mutator({ org, factory, log, clock, seed: 1, appUserTargetId: 'assignment' });
 * const user = mutator.createUser({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
 * mutator.assignUserToApp(appId, user.id, { userName: 'ada' });
 */
export class Mutator {
  readonly #d: MutatorDeps;
  readonly #rng: Rng;
  #created = 0;
  /** Lockouts, unlocks and password changes (`mutations-account.ts`). */
  readonly account: AccountMutations;
  /** Provisioning pushes and imports (`mutations-sync.ts`). */
  readonly sync: SyncMutations;
  /** App group imports, renames and deletions (`mutations-groups.ts`). */
  readonly groups: GroupMutations;
  /** Group Push mappings (`mutations-push.ts`). */
  readonly push: PushMutations;

  constructor(deps: MutatorDeps) {
    this.#d = deps;
    this.#rng = new Rng(streamSeed(deps.seed, 'mutations'));
    const emit = (drafts: EventDraft[]): LogEvent[] => this.#emit(drafts);
    this.account = new AccountMutations(deps, emit);
    this.sync = new SyncMutations(deps, emit);
    this.push = new PushMutations(deps, emit);
    this.groups = new GroupMutations(deps, emit, this.push);
  }

  #emit(drafts: EventDraft[]): LogEvent[] {
    const tx = this.#d.log.transactionId();
    return drafts.map((d) => this.#d.log.append(d, tx));
  }

  #appUserTargets(app: AppRecord, change: AppUserChange): LogTarget[] {
    const user = this.#d.org.user(change.appUser.userId);
    return [appUserTarget(change.appUser, user, this.#d.seed, this.#d.appUserTargetId), appTarget(app), userTarget(user)];
  }

  #membershipDrafts(changes: readonly AppUserChange[], transactionType: 'WEB' | 'JOB'): EventDraft[] {
    return membershipDrafts(this.#d, changes, transactionType);
  }

  /** Only an OKTA_GROUP's members are an admin's to change (an app group's come from its app or a push). */
  #oktaGroup(groupId: string, op: string): void {
    const type = this.#d.org.group(groupId).type;
    if (type !== 'OKTA_GROUP') throw new RangeError(`${op}: group ${groupId} is ${type}; its members are managed by its app`);
  }

  /** New app users of provisioning apps start STAGED (see `provisionAppUser`) unless given an externalId. */
  #init(now: number, options: AppUserOptions = {}): AppUserInit {
    return (app, user, direct) => this.#d.factory.appUser(app, user, direct, now, options, true);
  }

  /**
   * Creates a user: `user.lifecycle.create`, then `user.lifecycle.activate` unless
   * `activate: false` (the user stays STAGED).
   * @throws RangeError when the login is missing or taken.
   */
  createUser(profile: NewUserProfile, options: { activate?: boolean } = {}): UserRecord {
    const { org, factory, clock } = this.#d;
    const clean = newUserProfile(profile, 'createUser');
    const activate = options.activate ?? true;
    const now = clock.now();
    const user = factory.user(clean, activate ? 'ACTIVE' : 'STAGED', now);
    org.addUser(user);
    const drafts: EventDraft[] = [{ eventType: 'user.lifecycle.create', target: [userTarget(user)], requestUri: '/api/v1/users' }];
    if (activate) drafts.push({ eventType: 'user.lifecycle.activate', target: [userTarget(user)], requestUri: `/api/v1/users/${user.id}/lifecycle/activate` });
    this.#emit(drafts);
    return user;
  }

  #transition(id: string, from: readonly string[], to: UserRecord['status'], eventType: string, op: string): LogEvent[] {
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
    const from = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED'];
    return this.#transition(id, from, 'DEPROVISIONED', 'user.lifecycle.deactivate', 'deactivate');
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

  /**
   * Assigns a user to an app directly: `application.user_membership.add`, or
   * `application.user_membership.update` when a group already assigned it (the app user's
   * scope becomes USER; a given userName/externalId replaces the old one).
   */
  assignUserToApp(appId: string, userId: string, options: AppUserOptions = {}): LogEvent[] {
    const now = this.#d.clock.now();
    const change = this.#d.org.assignDirect(appId, userId, now, this.#init(now, options));
    if (change.change === 'scope') {
      if (options.userName !== undefined) change.appUser.userName = options.userName;
      if (options.externalId !== undefined) change.appUser.externalId = options.externalId;
      if (change.appUser.status === 'STAGED' && typeof options.externalId === 'string') {
        change.appUser.status = 'PROVISIONED';
        change.appUser.statusChanged = now;
      }
    }
    return this.#emit(this.#membershipDrafts([change], 'WEB'));
  }

  /**
   * Ends a user's direct assignment: `application.user_membership.remove`, or
   * `application.user_membership.update` when a group still assigns the app (scope GROUP).
   */
  unassignUserFromApp(appId: string, userId: string): LogEvent[] {
    const change = this.#d.org.unassignDirect(appId, userId, this.#d.clock.now());
    return this.#emit(this.#membershipDrafts([change], 'WEB'));
  }

  /** Changes an app user's `credentials.userName`: `application.user_membership.change_username`. */
  renameAppUser(appId: string, userId: string, userName: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    const appUser = app.appUsers.get(userId);
    if (!appUser) throw new RangeError(`renameAppUser: user ${userId} is not assigned to app ${appId}`);
    appUser.userName = userName;
    appUser.lastUpdated = this.#d.clock.now();
    return this.#emit([
      { eventType: 'application.user_membership.change_username', target: this.#appUserTargets(app, { app, appUser, change: 'scope' }), requestUri: `/api/v1/apps/${appId}/users/${userId}` },
    ]);
  }

  /**
   * Adds a user to an OKTA_GROUP: `group.user_membership.add`, then an app-user add per app the
   * group brings, then the pushes of the group's ACTIVE Group Push mappings.
   */
  addUserToGroup(groupId: string, userId: string): LogEvent[] {
    const { org, clock } = this.#d;
    this.#oktaGroup(groupId, 'addUserToGroup');
    const now = clock.now();
    const changes = org.addMember(groupId, userId, now, this.#init(now));
    const user = org.user(userId);
    const events = this.#emit([
      { eventType: 'group.user_membership.add', target: [userTarget(user), groupTarget(org.group(groupId))], requestUri: `/api/v1/groups/${groupId}/users/${userId}` },
      ...this.#membershipDrafts(changes, 'JOB'),
    ]);
    return [...events, ...this.push.propagate(groupId)];
  }

  /** Removes a user from an OKTA_GROUP: `group.user_membership.remove`, then an app-user remove per app that only this group gave, then the pushes. */
  removeUserFromGroup(groupId: string, userId: string): LogEvent[] {
    const { org, clock } = this.#d;
    this.#oktaGroup(groupId, 'removeUserFromGroup');
    const user = org.user(userId);
    const changes = org.removeMember(groupId, userId, clock.now());
    const events = this.#emit([
      { eventType: 'group.user_membership.remove', target: [userTarget(user), groupTarget(org.group(groupId))], requestUri: `/api/v1/groups/${groupId}/users/${userId}` },
      ...this.#membershipDrafts(changes, 'JOB'),
    ]);
    return [...events, ...this.push.propagate(groupId)];
  }

  /** Assigns a group to an app: `group.application_assignment.add` (targets UserGroup, AppInstance), then an app-user add per new member account. */
  assignGroupToApp(appId: string, groupId: string): LogEvent[] {
    const { org, clock } = this.#d;
    const now = clock.now();
    const changes = org.assignGroup(appId, groupId, now, this.#init(now));
    return this.#emit([
      { eventType: 'group.application_assignment.add', target: [groupTarget(org.group(groupId)), appTarget(org.app(appId))], requestUri: `/api/v1/apps/${appId}/groups/${groupId}` },
      ...this.#membershipDrafts(changes, 'JOB'),
    ]);
  }

  /** Unassigns a group from an app: `group.application_assignment.remove`, then an app-user remove per account only it gave. */
  unassignGroupFromApp(appId: string, groupId: string): LogEvent[] {
    const { org } = this.#d;
    const changes = org.unassignGroup(appId, groupId);
    return this.#emit([
      { eventType: 'group.application_assignment.remove', target: [groupTarget(org.group(groupId)), appTarget(org.app(appId))], requestUri: `/api/v1/apps/${appId}/groups/${groupId}` },
      ...this.#membershipDrafts(changes, 'JOB'),
    ]);
  }

  #appStatus(appId: string, to: 'ACTIVE' | 'INACTIVE', eventType: string, op: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (app.status === to) throw new RangeError(`${op}: app ${appId} is already ${to}`);
    app.status = to;
    app.lastUpdated = this.#d.clock.now();
    return this.#emit([{ eventType, target: [appTarget(app)], requestUri: `/api/v1/apps/${appId}/lifecycle/${op}` }]);
  }

  /** Deactivates an app (status INACTIVE): `application.lifecycle.deactivate`. Its app users stay and it is still listed. */
  deactivateApp(appId: string): LogEvent[] {
    return this.#appStatus(appId, 'INACTIVE', 'application.lifecycle.deactivate', 'deactivate');
  }

  /** Activates an INACTIVE app again: `application.lifecycle.activate`. */
  activateApp(appId: string): LogEvent[] {
    return this.#appStatus(appId, 'ACTIVE', 'application.lifecycle.activate', 'activate');
  }

  /**
   * Changes an app's label (every account in it shows the new label):
   * `application.lifecycle.update`, targeting the AppInstance with its new label.
   */
  renameApp(appId: string, label: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (label === '') throw new RangeError('renameApp: the label cannot be empty');
    app.label = label;
    app.lastUpdated = this.#d.clock.now();
    return this.#emit([{ eventType: 'application.lifecycle.update', target: [appTarget(app)], requestUri: `/api/v1/apps/${appId}` }]);
  }

  /**
   * Deletes an app with its app users, push mappings and app groups: `application.lifecycle.delete`
   * (then, per app group, `group.lifecycle.delete` as `deleteGroup` logs it, by Okta System).
   * @throws RangeError unless the app is INACTIVE (Okta deletes only deactivated apps).
   */
  deleteApp(appId: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (app.status !== 'INACTIVE') throw new RangeError(`deleteApp: app ${appId} is ACTIVE; deactivate it first`);
    const target = [appTarget(app)];
    this.#d.org.removeApp(appId);
    return this.#emit([{ eventType: 'application.lifecycle.delete', target, requestUri: `/api/v1/apps/${appId}` }, ...this.groups.removeAppGroupsOf(appId)]);
  }

  /** Creates an empty group: `group.lifecycle.create`. */
  createGroup(name: string, description = ''): GroupRecord {
    const group = this.#d.factory.group(name, description, this.#d.clock.now());
    this.#d.org.addGroup(group);
    this.#emit([{ eventType: 'group.lifecycle.create', target: [groupTarget(group)], requestUri: '/api/v1/groups' }]);
    return group;
  }

  /** Creates an active app without users: `application.lifecycle.create` then `application.lifecycle.activate`. */
  createApp(spec: NewApp): AppRecord {
    const { org, factory, clock } = this.#d;
    const app = factory.app(
      { name: spec.name, label: spec.label, provisioned: spec.provisioned ?? false, userNameStyle: spec.userNameStyle ?? 'login', signOnMode: spec.signOnMode ?? 'SAML_2_0' },
      clock.now(),
      org.appIds.length,
    );
    org.addApp(app);
    this.#emit([
      { eventType: 'application.lifecycle.create', target: [appTarget(app)], requestUri: '/api/v1/apps' },
      { eventType: 'application.lifecycle.activate', target: [appTarget(app)], requestUri: `/api/v1/apps/${app.id}/lifecycle/activate` },
    ]);
    return app;
  }

  /** Appends `n` events no identity connector cares about: sign-ins, SSO, policy evaluations. */
  noise(n: number): LogEvent[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('noise(n) takes a non-negative integer');
    const { org, log } = this.#d;
    const out: LogEvent[] = [];
    for (let i = 0; i < n; i++) {
      const userId = org.userIds.length > 0 ? this.#rng.pick(org.userIds) : undefined;
      const actor = userId === undefined ? log.admin : userTarget(org.user(userId));
      const appId = org.appIds.length > 0 ? this.#rng.pick(org.appIds) : undefined;
      const kind = this.#rng.int(3);
      let draft: EventDraft;
      if (kind === 0 || appId === undefined) {
        draft = { eventType: 'user.session.start', actor, browser: true, target: [{ id: 'pfdsimulatorverify001', type: 'AuthenticatorEnrollment', alternateId: 'unknown', displayName: 'Okta Verify', detailEntry: null }] };
      } else if (kind === 1) {
        draft = { eventType: 'user.authentication.sso', actor, browser: true, target: [appTarget(org.app(appId))], requestUri: `/app/${org.app(appId).name}/${appId}/sso/saml` };
      } else {
        draft = {
          eventType: 'policy.evaluate_sign_on',
          actor,
          browser: true,
          target: [
            { id: '00psimulatorpolicy001', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy', detailEntry: { policyType: 'OKTA_SIGN_ON' } },
            { id: '0prsimulatorrule00001', type: 'PolicyRule', alternateId: 'unknown', displayName: 'Default Rule', detailEntry: null },
          ],
        };
      }
      out.push(...this.#emit([draft]));
    }
    return out;
  }

  #someUser(pred: (u: UserRecord) => boolean): UserRecord | undefined {
    const { org } = this.#d;
    if (org.userIds.length === 0) return undefined;
    for (let i = 0; i < 30; i++) {
      const user = org.user(this.#rng.pick(org.userIds));
      if (pred(user)) return user;
    }
    return undefined;
  }

  #someApp(pred: (a: AppRecord) => boolean = () => true): AppRecord | undefined {
    const { org } = this.#d;
    const apps = org.appIds.map((id) => org.app(id)).filter(pred);
    return apps.length === 0 ? undefined : this.#rng.pick(apps);
  }

  #someGroup(pred: (g: GroupRecord) => boolean = () => true): GroupRecord | undefined {
    const { org } = this.#d;
    const groups = org.groupIds.map((id) => org.group(id)).filter(pred);
    return groups.length === 0 ? undefined : this.#rng.pick(groups);
  }

  #newLogin(): string {
    const { org } = this.#d;
    for (;;) {
      const login = `user.${(++this.#created).toString(36)}.${this.#rng.chars(4, 'abcdefghijklmnopqrstuvwxyz')}@${DOMAIN}`;
      if (!org.logins.has(login)) return login;
    }
  }

  /** One attempt at a mutation of `kind`; null when nothing fits (no suspended user to unsuspend...). */
  #attempt(kind: string): LogEvent[] | null {
    const { org, log } = this.#d;
    const r = this.#rng;
    const pick: RandomPick = { rng: r, user: (p) => this.#someUser(p), app: (p) => this.#someApp(p) };
    if (ACCOUNT_KINDS.includes(kind)) return this.account.attempt(kind, pick);
    if (SYNC_KINDS.includes(kind)) return this.sync.attempt(kind, pick);
    if (GROUP_KINDS.includes(kind)) return this.groups.attempt(kind, pick);
    if (PUSH_KINDS.includes(kind)) return this.push.attempt(kind, pick);
    const before = log.size;
    const appended = (): LogEvent[] => log.eventsFrom(before);
    switch (kind) {
      case 'createUser': {
        const first = r.pick(['Quinn', 'Riley', 'Sasha', 'Toni', 'Uma', 'Vic', 'Wren', 'Xiu', 'Yael', 'Zeno']);
        const last = r.pick(['Abe', 'Bose', 'Cruz', 'Dahl', 'Eze', 'Fox', 'Gray', 'Hale']);
        const login = this.#newLogin();
        this.createUser({ firstName: first, lastName: last, login, email: login }, { activate: r.chance(0.9) });
        return appended();
      }
      case 'updateProfile': {
        const user = this.#someUser(() => true);
        if (!user) return null;
        const which = r.int(5);
        if (which === 0) return this.updateProfile(user.id, { email: `${slug(String(user.profile.firstName ?? 'x'))}.${r.chars(5, 'abcdefghij')}@corp.${DOMAIN}` });
        if (which === 1) return this.updateProfile(user.id, { login: this.#newLogin() });
        if (which === 2) return this.updateProfile(user.id, { lastName: r.pick(['Ivers', 'Jonas', 'Kaur', 'Lund']) });
        if (which === 3) return this.updateProfile(user.id, { displayName: r.chance(0.5) ? `${user.profile.firstName ?? ''} the ${r.pick(['Great', 'Brave'])}` : '' });
        return this.updateProfile(user.id, { title: r.pick(['Engineer', 'Manager', 'Director', 'Principal']) });
      }
      case 'deactivateUser': {
        const user = this.#someUser((u) => u.status !== 'DEPROVISIONED');
        return user ? this.deactivateUser(user.id) : null;
      }
      case 'suspendUser': {
        const user = this.#someUser((u) => u.status === 'ACTIVE');
        return user ? this.suspendUser(user.id) : null;
      }
      case 'unsuspendUser': {
        const user = this.#someUser((u) => u.status === 'SUSPENDED');
        return user ? this.unsuspendUser(user.id) : null;
      }
      case 'reactivateUser': {
        const user = this.#someUser((u) => u.status === 'DEPROVISIONED');
        return user ? this.reactivateUser(user.id) : null;
      }
      case 'deleteUser': {
        const user = this.#someUser((u) => u.status === 'DEPROVISIONED');
        return user ? this.deleteUser(user.id) : null;
      }
      case 'assignUserToApp': {
        const app = this.#someApp();
        const user = app && this.#someUser((u) => !app.appUsers.get(u.id)?.direct);
        return app && user ? this.assignUserToApp(app.id, user.id) : null;
      }
      case 'unassignUserFromApp': {
        const app = this.#someApp((a) => a.appUserIds.length > 0);
        if (!app) return null;
        for (let i = 0; i < 30; i++) {
          const userId = r.pick(app.appUserIds);
          if (app.appUsers.get(userId)?.direct) return this.unassignUserFromApp(app.id, userId);
        }
        return null;
      }
      case 'renameAppUser': {
        const app = this.#someApp((a) => a.appUserIds.length > 0);
        if (!app) return null;
        const userId = r.pick(app.appUserIds);
        return this.renameAppUser(app.id, userId, `${app.appUsers.get(userId)?.userName ?? 'user'}-${r.chars(3, 'abcdefghij')}`);
      }
      case 'addUserToGroup': {
        const group = this.#someGroup((g) => g.type === 'OKTA_GROUP');
        const user = group && this.#someUser((u) => !group.members.has(u.id));
        return group && user ? this.addUserToGroup(group.id, user.id) : null;
      }
      case 'removeUserFromGroup': {
        const group = this.#someGroup((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 0);
        return group ? this.removeUserFromGroup(group.id, r.pick(group.memberIds)) : null;
      }
      case 'assignGroupToApp': {
        const app = this.#someApp();
        const group = app && this.#someGroup((g) => !app.groups.has(g.id));
        return app && group ? this.assignGroupToApp(app.id, group.id) : null;
      }
      case 'unassignGroupFromApp': {
        const app = this.#someApp((a) => a.groupIds.length > 0);
        return app ? this.unassignGroupFromApp(app.id, r.pick(app.groupIds)) : null;
      }
      case 'deactivateApp': {
        const app = this.#someApp((a) => a.status === 'ACTIVE');
        return app ? this.deactivateApp(app.id) : null;
      }
      case 'activateApp': {
        const app = this.#someApp((a) => a.status === 'INACTIVE');
        return app ? this.activateApp(app.id) : null;
      }
      case 'renameApp': {
        const app = this.#someApp();
        return app ? this.renameApp(app.id, `${app.label.replace(/ #\d+$/, '')} #${r.int(100)}`) : null;
      }
      case 'deleteApp': {
        if (org.appIds.length < 4) return null;
        const app = this.#someApp((a) => a.status === 'INACTIVE');
        return app ? this.deleteApp(app.id) : null;
      }
      case 'createGroup':
        this.createGroup(`Project ${r.chars(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}`, 'Created by a random mutation');
        return appended();
      case 'createApp': {
        const spec = appSpec(r.int(12));
        this.createApp({ name: spec.name, label: `${spec.label} ${r.chars(3, '0123456789')}`, provisioned: spec.provisioned, userNameStyle: spec.userNameStyle });
        return appended();
      }
      case 'noise':
        return this.noise(1 + r.int(3));
      default:
        throw new RangeError(`unknown mutation ${kind}`);
    }
  }

  /**
   * Applies one seeded random mutation of any kind (weighted towards the common ones) and
   * returns what it did; for soak tests.
   * @example
   * for (let i = 0; i < 1000; i++) mutator.randomMutation();
   */
  randomMutation(): RandomMutation {
    const weights: Array<[string, number]> = [
      ['createUser', 10], ['updateProfile', 12], ['deactivateUser', 4], ['suspendUser', 3], ['unsuspendUser', 3],
      ['reactivateUser', 2], ['deleteUser', 2], ['assignUserToApp', 12], ['unassignUserFromApp', 6], ['renameAppUser', 6],
      ['addUserToGroup', 10], ['removeUserFromGroup', 6], ['assignGroupToApp', 1], ['unassignGroupFromApp', 1],
      ['deactivateApp', 1], ['activateApp', 1], ['renameApp', 1], ['deleteApp', 1], ['createGroup', 1], ['createApp', 1], ['noise', 10],
      ['lockUser', 3], ['unlockUser', 3], ['expirePassword', 2], ['resetPassword', 2], ['changePassword', 3],
      ['provisionAppUser', 6], ['importUserUpdate', 4], ['importUserSuspend', 1], ['importUserUnsuspend', 1],
      ['importAppGroup', 1], ['addAppGroupMember', 3], ['removeAppGroupMember', 2], ['renameGroup', 1], ['deleteGroup', 1],
      ['createPushMapping', 1], ['activatePushMapping', 1], ['deactivatePushMapping', 1], ['deletePushMapping', 1],
    ];
    const total = weights.reduce((s, [, w]) => s + w, 0);
    for (let attempt = 0; attempt < 100; attempt++) {
      let x = this.#rng.float() * total;
      let kind = 'noise';
      for (const [k, w] of weights) {
        if ((x -= w) < 0) {
          kind = k;
          break;
        }
      }
      const events = this.#attempt(kind);
      if (events) return { kind, events };
    }
    return { kind: 'noise', events: this.noise(1) };
  }
}
