/**
 * Who has what: direct app assignments, account names, OKTA_GROUP memberships and group
 * assignments to apps, with the events Okta logs for them.
 *
 * App users that appear or disappear because of group changes get their own
 * `application.user_membership.add` / `.remove` events with `transaction.type: 'JOB'`, as
 * Okta's background reconciliation writes them. When only the scope of an existing app user
 * changes (a direct assignment added to or removed from a user a group also assigns), the event
 * is `application.user_membership.update`. A new account in a provisioning app starts STAGED
 * until Okta's push (`mutations-sync.ts`).
 * @module
 */
import type { AppUserOptions } from './factory.js';
import { appTarget, appUserTarget, groupTarget, userTarget, type LogEvent } from './log-events.js';
import { appUserInit, membershipDrafts } from './membership-events.js';
import { addMember, assignDirect, assignGroup, removeMember, unassignDirect, unassignGroup } from './memberships.js';
import type { Emit, MutatorDeps } from './mutation-context.js';
import type { PushMutations } from './mutations-push.js';

/** Applies assignment and membership changes and logs them. */
export class AssignmentMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  readonly #push: PushMutations;

  constructor(deps: MutatorDeps, emit: Emit, push: PushMutations) {
    this.#d = deps;
    this.#emit = emit;
    this.#push = push;
  }

  /** Only an OKTA_GROUP's members are an admin's to change (an app group's come from its app or a push). */
  #oktaGroup(groupId: string, op: string): void {
    const type = this.#d.org.group(groupId).type;
    if (type !== 'OKTA_GROUP') throw new RangeError(`${op}: group ${groupId} is ${type}; its members are managed by its app`);
  }

  /**
   * Assigns a user to an app directly: `application.user_membership.add`, or
   * `application.user_membership.update` when a group already assigned it (the app user's
   * scope becomes USER; a given userName/externalId replaces the old one).
   */
  assignUserToApp(appId: string, userId: string, options: AppUserOptions = {}): LogEvent[] {
    const now = this.#d.clock.now();
    const change = assignDirect(this.#d.org, appId, userId, now, appUserInit(this.#d, now, options));
    if (change.change === 'scope') {
      if (options.userName !== undefined) change.appUser.userName = options.userName;
      if (options.externalId !== undefined) change.appUser.externalId = options.externalId;
      if (change.appUser.status === 'STAGED' && typeof options.externalId === 'string') {
        change.appUser.status = 'PROVISIONED';
        change.appUser.statusChanged = now;
      }
    }
    return this.#emit(membershipDrafts(this.#d, [change], 'WEB'));
  }

  /**
   * Ends a user's direct assignment: `application.user_membership.remove`, or
   * `application.user_membership.update` when a group still assigns the app (scope GROUP).
   */
  unassignUserFromApp(appId: string, userId: string): LogEvent[] {
    const change = unassignDirect(this.#d.org, appId, userId, this.#d.clock.now());
    return this.#emit(membershipDrafts(this.#d, [change], 'WEB'));
  }

  /** Changes an app user's `credentials.userName`: `application.user_membership.change_username`. */
  renameAppUser(appId: string, userId: string, userName: string): LogEvent[] {
    const { org, seed, appUserTargetId } = this.#d;
    const app = org.app(appId);
    const appUser = app.appUsers.get(userId);
    if (!appUser) throw new RangeError(`renameAppUser: user ${userId} is not assigned to app ${appId}`);
    appUser.userName = userName;
    appUser.lastUpdated = this.#d.clock.now();
    const user = org.user(userId);
    return this.#emit([
      {
        eventType: 'application.user_membership.change_username',
        target: [appUserTarget(appUser, user, seed, appUserTargetId), appTarget(app), userTarget(user)],
        requestUri: `/api/v1/apps/${appId}/users/${userId}`,
      },
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
    const changes = addMember(org, groupId, userId, now, appUserInit(this.#d, now));
    const user = org.user(userId);
    const events = this.#emit([
      { eventType: 'group.user_membership.add', target: [userTarget(user), groupTarget(org.group(groupId))], requestUri: `/api/v1/groups/${groupId}/users/${userId}` },
      ...membershipDrafts(this.#d, changes, 'JOB'),
    ]);
    return [...events, ...this.#push.propagate(groupId)];
  }

  /** Removes a user from an OKTA_GROUP: `group.user_membership.remove`, then an app-user remove per app that only this group gave, then the pushes. */
  removeUserFromGroup(groupId: string, userId: string): LogEvent[] {
    const { org, clock } = this.#d;
    this.#oktaGroup(groupId, 'removeUserFromGroup');
    const user = org.user(userId);
    const changes = removeMember(org, groupId, userId, clock.now());
    const events = this.#emit([
      { eventType: 'group.user_membership.remove', target: [userTarget(user), groupTarget(org.group(groupId))], requestUri: `/api/v1/groups/${groupId}/users/${userId}` },
      ...membershipDrafts(this.#d, changes, 'JOB'),
    ]);
    return [...events, ...this.#push.propagate(groupId)];
  }

  /** Assigns a group to an app: `group.application_assignment.add` (targets UserGroup, AppInstance), then an app-user add per new member account. */
  assignGroupToApp(appId: string, groupId: string): LogEvent[] {
    const { org, clock } = this.#d;
    const now = clock.now();
    const changes = assignGroup(org, appId, groupId, now, appUserInit(this.#d, now));
    return this.#emit([
      { eventType: 'group.application_assignment.add', target: [groupTarget(org.group(groupId)), appTarget(org.app(appId))], requestUri: `/api/v1/apps/${appId}/groups/${groupId}` },
      ...membershipDrafts(this.#d, changes, 'JOB'),
    ]);
  }

  /** Unassigns a group from an app: `group.application_assignment.remove`, then an app-user remove per account only it gave. */
  unassignGroupFromApp(appId: string, groupId: string): LogEvent[] {
    const { org } = this.#d;
    const changes = unassignGroup(org, appId, groupId);
    return this.#emit([
      { eventType: 'group.application_assignment.remove', target: [groupTarget(org.group(groupId)), appTarget(org.app(appId))], requestUri: `/api/v1/apps/${appId}/groups/${groupId}` },
      ...membershipDrafts(this.#d, changes, 'JOB'),
    ]);
  }
}
