/**
 * Group changes beyond an admin's membership edits: app groups imported from an app (created,
 * their members changed, deleted by the import), renames and deletions of any group.
 *
 * Imports are Okta System's JOB events. Okta's catalog names the event types
 * (`system.import.group.*`, `app.user_management.user_group_import.*`, and
 * `app.user_management`, "Imported new or deleted existing member of an application group")
 * but not their targets ("ResourceDetails"), so each import logs one of two shapes, chosen by
 * a seeded stream or forced by an option: a group import as `system.import.group.create` /
 * `.delete` [UserGroup, AppInstance] or `app.user_management.user_group_import.upsert_success`
 * / `.delete_success` [AppInstance, UserGroup]; a membership as `group.user_membership.add` /
 * `.remove` [User, UserGroup] or `app.user_management` [AppInstance, UserGroup], which does not
 * name the member (a connector must read the group's members again).
 * @module
 */
import { appGroupProfile, type AppGroupProfile } from './app-groups.js';
import { mappingTo, removeGroup } from './groups-model.js';
import type { GroupRecord } from './records.js';
import { appTarget, groupTarget, userTarget, type EventDraft, type LogEvent } from './log-events.js';
import { appUserInit, membershipDrafts } from './membership-events.js';
import { addMember, removeMember } from './memberships.js';
import { systemJob, type Emit, type MutatorDeps } from './mutation-context.js';
import type { PushMutations } from './mutations-push.js';
import { Rng, streamSeed } from './prng.js';

/**
 * How an import of a group (its creation or deletion) is logged: `system`
 * (`system.import.group.*` [UserGroup, AppInstance]) or `app`
 * (`app.user_management.user_group_import.*` [AppInstance, UserGroup]). Default: seeded.
 * @example
 * sim.importAppGroup(appId, 'Admins', {}, { shape: 'system' } satisfies AppGroupImportOptions);
 */
export interface AppGroupImportOptions {
  shape?: 'system' | 'app';
}

/**
 * How an imported membership change is logged: `group` (`group.user_membership.add` /
 * `.remove` [User, UserGroup]) or `app` (`app.user_management` [AppInstance, UserGroup]).
 * Default: seeded.
 * @example
 * sim.addAppGroupMember(groupId, userId, { shape: 'app' } satisfies AppGroupMemberOptions);
 */
export interface AppGroupMemberOptions {
  shape?: 'group' | 'app';
}

function choose<T extends string>(given: T | undefined, rng: Rng, a: T, b: T, op: string): T {
  if (given !== undefined && given !== a && given !== b) throw new RangeError(`${op}: shape must be '${a}' or '${b}'`);
  return given ?? (rng.chance(0.5) ? a : b);
}

/** Applies app group imports, renames and deletions, and logs them. */
export class GroupMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  readonly #push: PushMutations;
  readonly #shapes: Rng;
  readonly #profiles: Rng;

  constructor(deps: MutatorDeps, emit: Emit, push: PushMutations) {
    this.#d = deps;
    this.#emit = emit;
    this.#push = push;
    this.#shapes = new Rng(streamSeed(deps.seed, 'group-event-shapes'));
    this.#profiles = new Rng(streamSeed(deps.seed, 'app-group-profiles'));
  }

  /** An imported APP_GROUP (not a push target, whose members the push manages). */
  #imported(groupId: string, op: string): GroupRecord {
    const group = this.#d.org.group(groupId);
    if (group.type !== 'APP_GROUP' || group.sourceAppId === null) throw new RangeError(`${op}: group ${groupId} is ${group.type}, not an APP_GROUP`);
    if (mappingTo(this.#d.org, groupId)) throw new RangeError(`${op}: group ${groupId} is the target of a Group Push mapping; the push manages it`);
    return group;
  }

  /** The drafts of removing a group: its app users gone, then the mappings that pushed it. */
  #removal(groupId: string): EventDraft[] {
    const dropped = this.#push.dropMappingsFrom(groupId);
    return [...membershipDrafts(this.#d, removeGroup(this.#d.org, groupId), 'JOB'), ...dropped];
  }

  /**
   * An admin creates an empty OKTA_GROUP: `group.lifecycle.create`. `id` picks the group's id
   * instead of a generated one.
   * @throws RangeError when the id is taken.
   */
  createGroup(name: string, description = '', id?: string): GroupRecord {
    const { org, factory, clock } = this.#d;
    const group = factory.group(name, description, clock.now(), id);
    org.addGroup(group);
    this.#emit([{ eventType: 'group.lifecycle.create', target: [groupTarget(group)], requestUri: '/api/v1/groups' }]);
    return group;
  }

  /**
   * An import creates an APP_GROUP of the app (no members yet), with the profile the app's
   * groups have (see `app-groups.ts`) overridden by `profile`; logged as {@link AppGroupImportOptions}.
   * @throws RangeError for an unknown app or an empty name.
   */
  importAppGroup(appId: string, name: string, profile: AppGroupProfile = {}, options: AppGroupImportOptions = {}): GroupRecord {
    const { org, factory, clock } = this.#d;
    const app = org.app(appId);
    if (name === '') throw new RangeError('importAppGroup: the name cannot be empty');
    const shape = choose(options.shape, this.#shapes, 'system', 'app', 'importAppGroup');
    const group = factory.appGroup(app, appGroupProfile(app, name, profile, this.#profiles), clock.now());
    org.addGroup(group);
    const uri = `/api/v1/apps/${appId}`;
    if (shape === 'system') this.#emit([systemJob('system.import.group.create', [groupTarget(group), appTarget(app)], uri)]);
    else this.#emit([systemJob('app.user_management.user_group_import.upsert_success', [appTarget(app), groupTarget(group)], uri)]);
    return group;
  }

  #membership(groupId: string, userId: string, add: boolean, options: AppGroupMemberOptions): LogEvent[] {
    const { org, clock } = this.#d;
    const op = add ? 'addAppGroupMember' : 'removeAppGroupMember';
    const group = this.#imported(groupId, op);
    const user = org.user(userId);
    const shape = choose(options.shape, this.#shapes, 'group', 'app', op);
    const now = clock.now();
    const changes = add ? addMember(org, groupId, userId, now, appUserInit(this.#d, now)) : removeMember(org, groupId, userId, now);
    const app = org.app(group.sourceAppId as string);
    const draft =
      shape === 'group'
        ? systemJob(add ? 'group.user_membership.add' : 'group.user_membership.remove', [userTarget(user), groupTarget(group)], `/api/v1/groups/${groupId}/users/${userId}`)
        : systemJob('app.user_management', [appTarget(app), groupTarget(group)], `/api/v1/apps/${app.id}`);
    const events = this.#emit([draft, ...membershipDrafts(this.#d, changes, 'JOB')]);
    return [...events, ...this.#push.propagate(groupId)];
  }

  /** An import adds a member to an imported APP_GROUP; logged as {@link AppGroupMemberOptions}, then the app users its app assignments bring. */
  addAppGroupMember(groupId: string, userId: string, options: AppGroupMemberOptions = {}): LogEvent[] {
    return this.#membership(groupId, userId, true, options);
  }

  /** An import removes a member of an imported APP_GROUP; logged as {@link AppGroupMemberOptions}, then the app users it loses. */
  removeAppGroupMember(groupId: string, userId: string, options: AppGroupMemberOptions = {}): LogEvent[] {
    return this.#membership(groupId, userId, false, options);
  }

  /** An import deletes an imported APP_GROUP (gone from the app); logged as {@link AppGroupImportOptions}, then its app users and push mappings removed. */
  importAppGroupDelete(groupId: string, options: AppGroupImportOptions = {}): LogEvent[] {
    const group = this.#imported(groupId, 'importAppGroupDelete');
    const shape = choose(options.shape, this.#shapes, 'system', 'app', 'importAppGroupDelete');
    const app = this.#d.org.app(group.sourceAppId as string);
    const uri = `/api/v1/apps/${app.id}`;
    const draft =
      shape === 'system'
        ? systemJob('system.import.group.delete', [groupTarget(group), appTarget(app)], uri)
        : systemJob('app.user_management.user_group_import.delete_success', [appTarget(app), groupTarget(group)], uri);
    return this.#emit([draft, ...this.#removal(groupId)]);
  }

  /**
   * Renames a group. An OKTA_GROUP: `group.profile.update` by the admin; an imported
   * APP_GROUP (renamed in its app): `system.import.group.update` [UserGroup, AppInstance] by
   * Okta System. Then each ACTIVE mapping pushing it renames its target.
   * @throws RangeError for a BUILT_IN group, a push target (its name follows its source) or an empty name.
   */
  renameGroup(groupId: string, name: string): LogEvent[] {
    const { org, clock } = this.#d;
    const group = org.group(groupId);
    if (name === '') throw new RangeError('renameGroup: the name cannot be empty');
    if (group.type === 'APP_GROUP') this.#imported(groupId, 'renameGroup');
    else if (group.type !== 'OKTA_GROUP') throw new RangeError(`renameGroup: group ${groupId} is ${group.type}`);
    group.name = name;
    group.lastUpdated = clock.now();
    const draft: EventDraft =
      group.type === 'OKTA_GROUP'
        ? { eventType: 'group.profile.update', target: [groupTarget(group)], requestUri: `/api/v1/groups/${groupId}` }
        : systemJob('system.import.group.update', [groupTarget(group), appTarget(org.app(group.sourceAppId as string))], `/api/v1/apps/${group.sourceAppId}`);
    return [...this.#emit([draft]), ...this.#push.renamed(groupId)];
  }

  /**
   * Deletes a group (`DELETE /api/v1/groups/{groupId}`): `group.lifecycle.delete` by the
   * admin, then an `application.user_membership.remove` JOB event per app user only it gave,
   * then `application.provision.group_push.removed` per mapping that pushed it (its target stays
   * in the app, an ordinary app group with its last members).
   * @throws RangeError for a BUILT_IN group or an APP_GROUP that a mapping pushes to (Okta refuses).
   */
  deleteGroup(groupId: string): LogEvent[] {
    const group = this.#d.org.group(groupId);
    if (group.type === 'BUILT_IN') throw new RangeError(`deleteGroup: group ${groupId} is BUILT_IN`);
    if (mappingTo(this.#d.org, groupId)) throw new RangeError(`deleteGroup: group ${groupId} is the target of a Group Push mapping; delete the mapping instead`);
    return this.#emit([{ eventType: 'group.lifecycle.delete', target: [groupTarget(group)], requestUri: `/api/v1/groups/${groupId}` }, ...this.#removal(groupId)]);
  }

  /** After app `appId` was deleted: its app groups go too (`group.lifecycle.delete` by Okta System each); the drafts. */
  removeAppGroupsOf(appId: string): EventDraft[] {
    const { org } = this.#d;
    const doomed = org.groupIds.filter((id) => org.group(id).sourceAppId === appId);
    return doomed.flatMap((id) => [systemJob('group.lifecycle.delete', [groupTarget(org.group(id))], `/api/v1/groups/${id}`), ...this.#removal(id)]);
  }
}
