/**
 * The admin's changes of {@link OktaSimulator} (users, assignments and memberships, apps,
 * groups) and the noise and random changes. Event shapes are documented in the
 * `mutations-*.ts` modules.
 * @module
 */
import type { AppUserOptions } from './factory.js';
import type { LogEvent } from './log-events.js';
import type { NewApp } from './mutations-apps.js';
import type { NewUserProfile } from './mutations-users.js';
import type { Mutator } from './mutations.js';
import type { DeepReadonly } from './org-view.js';
import type { Org } from './org.js';
import type { AppRecord, GroupRecord, UserRecord } from './records.js';
import type { RandomMutation } from './random-mutations.js';
import { SimulatorGroups } from './simulator-groups.js';

/** The base of {@link OktaSimulator} holding an admin's changes. */
export class SimulatorAdmin extends SimulatorGroups {
  readonly #m: Mutator;

  constructor(mutator: Mutator, org: Org) {
    super(mutator, org);
    this.#m = mutator;
  }

  /**
   * Creates a user (ACTIVE, or STAGED with `activate: false`): `user.lifecycle.create` (+
   * `.activate`). `id` gives it that id instead of a generated one (letters and digits).
   */
  createUser(profile: NewUserProfile, options: { activate?: boolean; id?: string } = {}): DeepReadonly<UserRecord> {
    return this.#m.users.createUser(profile, options);
  }

  /** Deactivates a user (DEPROVISIONED): `user.lifecycle.deactivate`. */
  deactivateUser(id: string): readonly LogEvent[] {
    return this.#m.users.deactivateUser(id);
  }

  /** Suspends an ACTIVE user: `user.lifecycle.suspend`. */
  suspendUser(id: string): readonly LogEvent[] {
    return this.#m.users.suspendUser(id);
  }

  /** Unsuspends a SUSPENDED user: `user.lifecycle.unsuspend`. */
  unsuspendUser(id: string): readonly LogEvent[] {
    return this.#m.users.unsuspendUser(id);
  }

  /** Activates a DEPROVISIONED (or STAGED) user again: `user.lifecycle.activate`. */
  reactivateUser(id: string): readonly LogEvent[] {
    return this.#m.users.reactivateUser(id);
  }

  /** Deletes a DEPROVISIONED user and its app users: `user.lifecycle.delete.initiated`, `.completed`. */
  deleteUser(id: string): readonly LogEvent[] {
    return this.#m.users.deleteUser(id);
  }

  /** Changes profile attributes: `user.account.update_profile` (+ `update_primary_email`). */
  updateProfile(id: string, patch: Readonly<Record<string, string | null | undefined>>): readonly LogEvent[] {
    return this.#m.users.updateProfile(id, patch);
  }

  /** Assigns a user to an app directly: `application.user_membership.add` (or `.update` when a group already did). */
  assignUserToApp(appId: string, userId: string, options: AppUserOptions = {}): readonly LogEvent[] {
    return this.#m.assignments.assignUserToApp(appId, userId, options);
  }

  /** Ends a direct assignment: `application.user_membership.remove` (or `.update` when a group still assigns). */
  unassignUserFromApp(appId: string, userId: string): readonly LogEvent[] {
    return this.#m.assignments.unassignUserFromApp(appId, userId);
  }

  /** Changes an account name: `application.user_membership.change_username`. */
  renameAppUser(appId: string, userId: string, userName: string): readonly LogEvent[] {
    return this.#m.assignments.renameAppUser(appId, userId, userName);
  }

  /** Adds a member to an OKTA_GROUP: `group.user_membership.add` (+ GROUP app users of its apps, + the pushes of its ACTIVE mappings). */
  addUserToGroup(groupId: string, userId: string): readonly LogEvent[] {
    return this.#m.assignments.addUserToGroup(groupId, userId);
  }

  /** Removes a member of an OKTA_GROUP: `group.user_membership.remove` (+ the GROUP app users it loses, + the pushes). */
  removeUserFromGroup(groupId: string, userId: string): readonly LogEvent[] {
    return this.#m.assignments.removeUserFromGroup(groupId, userId);
  }

  /** Assigns a group to an app: `group.application_assignment.add` (+ a GROUP app user per new member). */
  assignGroupToApp(appId: string, groupId: string): readonly LogEvent[] {
    return this.#m.assignments.assignGroupToApp(appId, groupId);
  }

  /** Unassigns a group from an app: `group.application_assignment.remove` (+ the GROUP app users lost). */
  unassignGroupFromApp(appId: string, groupId: string): readonly LogEvent[] {
    return this.#m.assignments.unassignGroupFromApp(appId, groupId);
  }

  /** Deactivates an app (INACTIVE; app users kept): `application.lifecycle.deactivate`. */
  deactivateApp(appId: string): readonly LogEvent[] {
    return this.#m.apps.deactivateApp(appId);
  }

  /** Activates an INACTIVE app: `application.lifecycle.activate`. */
  activateApp(appId: string): readonly LogEvent[] {
    return this.#m.apps.activateApp(appId);
  }

  /** Changes an app's label: `application.lifecycle.update`. */
  renameApp(appId: string, label: string): readonly LogEvent[] {
    return this.#m.apps.renameApp(appId, label);
  }

  /** Deletes an INACTIVE app with its app users: `application.lifecycle.delete`. */
  deleteApp(appId: string): readonly LogEvent[] {
    return this.#m.apps.deleteApp(appId);
  }

  /** Creates an empty OKTA_GROUP: `group.lifecycle.create`; `options.id` gives it that id. */
  createGroup(name: string, description = '', options: { id?: string } = {}): DeepReadonly<GroupRecord> {
    return this.#m.groups.createGroup(name, description, options.id);
  }

  /** Creates an active app without users: `application.lifecycle.create`, `.activate`; `spec.id` gives it that id. */
  createApp(spec: NewApp): DeepReadonly<AppRecord> {
    return this.#m.apps.createApp(spec);
  }

  /** Appends `n` events no identity connector cares about (sign-ins, SSO, policy evaluations). */
  noise(n: number): readonly LogEvent[] {
    return this.#m.noise(n);
  }

  /** Applies one seeded random mutation of any kind; for soak tests. */
  randomMutation(): RandomMutation {
    return this.#m.randomMutation();
  }
}
