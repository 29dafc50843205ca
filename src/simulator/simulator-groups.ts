/**
 * The mutations of {@link OktaSimulator} for groups beyond an admin's membership edits: app
 * groups imported from apps, Group Push mappings, renames and deletions, and the ground truth
 * of an app group. Event shapes are documented in `mutations-groups.ts` and `mutations-push.ts`.
 * @module
 */
import type { AppGroupProfile } from './app-groups.js';
import { expectedAppGroup, type ExpectedAppGroup } from './ground-truth-groups.js';
import type { LogEvent } from './log-events.js';
import type { AppGroupImportOptions, AppGroupMemberOptions } from './mutations-groups.js';
import type { PushEventShape, PushMappingOptions } from './mutations-push.js';
import type { Mutator } from './mutations.js';
import type { DeepReadonly } from './org-view.js';
import type { Org } from './org.js';
import type { GroupRecord, PushMappingRecord, PushMappingStatus } from './records.js';
import { SimulatorAccountEvents } from './simulator-account.js';

/** The base of {@link OktaSimulator} holding the group mutations. */
export class SimulatorGroups extends SimulatorAccountEvents {
  readonly #m: Mutator;
  readonly #org: Org;

  constructor(mutator: Mutator, org: Org) {
    super(mutator);
    this.#m = mutator;
    this.#org = org;
  }

  /**
   * An import creates an APP_GROUP of the app (no members): `system.import.group.create`
   * [UserGroup, AppInstance] or `app.user_management.user_group_import.upsert_success`
   * [AppInstance, UserGroup], by Okta System. `profile` replaces generated attributes.
   */
  importAppGroup(appId: string, name: string, profile: AppGroupProfile = {}, options: AppGroupImportOptions = {}): DeepReadonly<GroupRecord> {
    return this.#m.groups.importAppGroup(appId, name, profile, options);
  }

  /**
   * An import adds a member to an imported APP_GROUP: `group.user_membership.add` [User,
   * UserGroup] or `app.user_management` [AppInstance, UserGroup], by Okta System; then the app
   * users the group's app assignments bring and the pushes of the group.
   */
  addAppGroupMember(groupId: string, userId: string, options: AppGroupMemberOptions = {}): readonly LogEvent[] {
    return this.#m.groups.addAppGroupMember(groupId, userId, options);
  }

  /** An import removes a member of an imported APP_GROUP: `group.user_membership.remove` [User, UserGroup] or `app.user_management` [AppInstance, UserGroup]. */
  removeAppGroupMember(groupId: string, userId: string, options: AppGroupMemberOptions = {}): readonly LogEvent[] {
    return this.#m.groups.removeAppGroupMember(groupId, userId, options);
  }

  /** An import deletes an imported APP_GROUP: `system.import.group.delete` [UserGroup, AppInstance] or `app.user_management.user_group_import.delete_success` [AppInstance, UserGroup]. */
  importAppGroupDelete(groupId: string, options: AppGroupImportOptions = {}): readonly LogEvent[] {
    return this.#m.groups.importAppGroupDelete(groupId, options);
  }

  /** Renames an OKTA_GROUP (`group.profile.update`) or an imported APP_GROUP (`system.import.group.update`); ACTIVE mappings rename its pushed copies. */
  renameGroup(groupId: string, name: string): readonly LogEvent[] {
    return this.#m.groups.renameGroup(groupId, name);
  }

  /** Deletes a group: `group.lifecycle.delete`, then the app users only it gave (JOB) and the mappings that pushed it. */
  deleteGroup(groupId: string): readonly LogEvent[] {
    return this.#m.groups.deleteGroup(groupId);
  }

  /** Pushes a group to an app with provisioning: `application.provision.group_push.mapping.created` (+ `pushed`, + `push_memberships` when ACTIVE). */
  createPushMapping(appId: string, sourceGroupId: string, options: PushMappingOptions = {}): DeepReadonly<PushMappingRecord> {
    return this.#m.push.createPushMapping(appId, sourceGroupId, options);
  }

  /** Activates (`activate_mapping` + `push_memberships`) or deactivates (`deactivate_mapping`) a mapping. */
  setPushMappingStatus(appId: string, mappingId: string, status: PushMappingStatus, options: { shape?: PushEventShape } = {}): readonly LogEvent[] {
    return this.#m.push.setPushMappingStatus(appId, mappingId, status, options);
  }

  /** Deletes an INACTIVE mapping: `application.provision.group_push.removed` (+ `delete_appgroup` with `deleteTargetGroup`). */
  deletePushMapping(appId: string, mappingId: string, options: { deleteTargetGroup?: boolean } = {}): readonly LogEvent[] {
    return this.#m.push.deletePushMapping(appId, mappingId, options);
  }

  /**
   * An app group's truth, or null: `app` by id, label or name; `group` by id, name
   * (case-insensitive) or identifier in the app (externalId, samAccountName,
   * windowsDomainQualifiedName, dn). Members of an ACTIVE push mapping's target are its source
   * group's; otherwise the group's own (an INACTIVE mapping's are stale).
   * @throws RangeError when `app` or `group` matches more than one.
   */
  expectedAppGroup(app: string, group: string): ExpectedAppGroup | null {
    return expectedAppGroup(this.#org, app, group);
  }
}
