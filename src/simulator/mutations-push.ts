/**
 * Group Push (https://help.okta.com/en-us/content/topics/users-groups-profiles/usgp-about-group-push.htm):
 * a mapping pushes a group to a provisioning app as an APP_GROUP of that app (new, or an
 * existing one linked), and while ACTIVE the target's members are the source's members. An
 * INACTIVE mapping stops pushing; the target keeps the members it had. Okta deletes only
 * INACTIVE mappings (deleteGroupPushMapping), optionally with the target group.
 *
 * Events, from Okta's catalog (`application.provision.group_push.*`, whose targets the catalog
 * leaves open): the admin's changes (`mapping.created`, `activate_mapping`,
 * `deactivate_mapping`, `removed`) name [AppInstance, UserGroup source, UserGroup target]; the
 * push jobs by Okta System (`pushed`, `push_memberships`) name either all three or only
 * [AppInstance, UserGroup source] (a seeded choice, or {@link PushEventShape}), so a connector
 * must find the target through the app's mappings; `delete_appgroup`, `removed` after a
 * source group's deletion and `mapping.app.group.renamed` name all three. No per-member event
 * is written for a push; app users a pushed membership brings (a target assigned to apps)
 * get their `application.user_membership.*` JOB events.
 * @module
 */
import { appGroupProfile } from './app-groups.js';
import { addMapping, findMapping, mappingsFrom, mappingTo, mirror, removeGroup, removeMapping } from './groups-model.js';
import type { PushMappingRecord, PushMappingStatus } from './records.js';
import { appTarget, groupTarget, type EventDraft, type LogEvent, type LogTarget } from './log-events.js';
import { appUserInit, membershipDrafts } from './membership-events.js';
import { systemJob, type Emit, type MutatorDeps } from './mutation-context.js';
import { Rng, streamSeed } from './prng.js';

/**
 * The targets of a push job's event: `full` [AppInstance, UserGroup source, UserGroup target]
 * or `source` [AppInstance, UserGroup source].
 * @example
 * sim.setPushMappingStatus(appId, mappingId, 'ACTIVE', { shape: 'source' });
 */
export type PushEventShape = 'full' | 'source';

/**
 * How {@link PushMutations.createPushMapping} maps the group: `targetGroupName` (default the
 * source's name) creates a new APP_GROUP in the app, `targetGroupId` links an existing
 * APP_GROUP of the app (not both); `status` defaults to ACTIVE; `shape` forces the push events'.
 * @example
 * sim.createPushMapping(appId, groupId, { targetGroupName: 'eng-all', status: 'INACTIVE' } satisfies PushMappingOptions);
 */
export interface PushMappingOptions {
  targetGroupName?: string;
  targetGroupId?: string;
  status?: PushMappingStatus;
  shape?: PushEventShape;
}

function checkShape(shape: unknown, op: string): void {
  if (shape !== undefined && shape !== 'full' && shape !== 'source') throw new RangeError(`${op}: shape must be 'full' or 'source'`);
}

const mappingsUri = (appId: string, id?: string): string => `/api/v1/apps/${appId}/group-push/mappings${id === undefined ? '' : `/${id}`}`;

/** Applies Group Push changes and logs them. */
export class PushMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  /** Event shapes and new groups' profiles: streams of their own, so forcing a shape shifts nothing else. */
  readonly #shapes: Rng;
  readonly #profiles: Rng;

  constructor(deps: MutatorDeps, emit: Emit) {
    this.#d = deps;
    this.#emit = emit;
    this.#shapes = new Rng(streamSeed(deps.seed, 'push-event-shapes'));
    this.#profiles = new Rng(streamSeed(deps.seed, 'push-group-profiles'));
  }

  #full(m: PushMappingRecord): LogTarget[] {
    const { org } = this.#d;
    return [appTarget(org.app(m.appId)), groupTarget(org.group(m.sourceGroupId)), groupTarget(org.group(m.targetGroupId))];
  }

  #jobTargets(m: PushMappingRecord, shape: PushEventShape | undefined): LogTarget[] {
    const chosen = shape ?? (this.#shapes.chance(0.5) ? 'full' : 'source');
    return chosen === 'full' ? this.#full(m) : this.#full(m).slice(0, 2);
  }

  /** Pushes the source's members to the target (`always`: log the push even when nothing changed). */
  #push(m: PushMappingRecord, always: boolean, shape?: PushEventShape): LogEvent[] {
    const now = this.#d.clock.now();
    const { changed, changes } = mirror(this.#d.org, m, now, appUserInit(this.#d, now));
    if (!changed && !always) return [];
    m.lastPush = now;
    return this.#emit([systemJob('application.provision.group_push.push_memberships', this.#jobTargets(m, shape), mappingsUri(m.appId, m.id)), ...membershipDrafts(this.#d, changes, 'JOB')]);
  }

  /**
   * Pushes a group to a provisioning app: `application.provision.group_push.mapping.created`,
   * `pushed` when a new target group is created, then (ACTIVE) `push_memberships`.
   * @throws RangeError for an app without provisioning or INACTIVE, a BUILT_IN group, a group
   * already pushed to the app or itself a push target, or a target that is not a free APP_GROUP of the app.
   */
  createPushMapping(appId: string, sourceGroupId: string, options: PushMappingOptions = {}): PushMappingRecord {
    const { org, factory, clock } = this.#d;
    const app = org.app(appId);
    const source = org.group(sourceGroupId);
    const status = options.status ?? 'ACTIVE';
    if (status !== 'ACTIVE' && status !== 'INACTIVE') throw new RangeError(`createPushMapping: status must be 'ACTIVE' or 'INACTIVE'`);
    checkShape(options.shape, 'createPushMapping');
    if (!app.provisioned || app.status !== 'ACTIVE') throw new RangeError(`createPushMapping: app ${appId} must be an ACTIVE app with provisioning`);
    if (source.type === 'BUILT_IN' || source.sourceAppId === appId || mappingTo(org, sourceGroupId)) throw new RangeError(`createPushMapping: group ${sourceGroupId} cannot be pushed to app ${appId}`);
    if (mappingsFrom(org, sourceGroupId).some((m) => m.appId === appId)) throw new RangeError(`createPushMapping: group ${sourceGroupId} is already pushed to app ${appId}`);
    if (options.targetGroupId !== undefined && options.targetGroupName !== undefined) throw new RangeError('createPushMapping: give targetGroupId or targetGroupName, not both');
    const now = clock.now();
    let target;
    if (options.targetGroupId !== undefined) {
      target = org.group(options.targetGroupId);
      if (target.sourceAppId !== appId || mappingTo(org, target.id) || mappingsFrom(org, target.id).length > 0) throw new RangeError(`createPushMapping: group ${target.id} is not an unmapped APP_GROUP of app ${appId}`);
    } else {
      const name = options.targetGroupName ?? source.name;
      if (name === '') throw new RangeError('createPushMapping: the target group name cannot be empty');
      target = factory.appGroup(app, appGroupProfile(app, name, { description: source.description }, this.#profiles), now);
      org.addGroup(target);
    }
    const mapping: PushMappingRecord = { id: factory.ids.next('gPm'), appId, sourceGroupId, targetGroupId: target.id, status, created: now, lastUpdated: now, lastPush: now };
    addMapping(org, mapping);
    const drafts: EventDraft[] = [{ eventType: 'application.provision.group_push.mapping.created', target: this.#full(mapping), requestUri: mappingsUri(appId) }];
    if (options.targetGroupId === undefined) drafts.push(systemJob('application.provision.group_push.pushed', this.#jobTargets(mapping, options.shape), mappingsUri(appId, mapping.id)));
    this.#emit(drafts);
    if (status === 'ACTIVE') this.#push(mapping, true, options.shape);
    return mapping;
  }

  /**
   * Activates (`activate_mapping`, then `push_memberships`: the target gets the source's
   * members) or deactivates (`deactivate_mapping`; the target keeps its members) a mapping.
   * @throws RangeError when the mapping already has that status.
   */
  setPushMappingStatus(appId: string, mappingId: string, status: PushMappingStatus, options: { shape?: PushEventShape } = {}): LogEvent[] {
    const m = findMapping(this.#d.org, appId, mappingId);
    if (status !== 'ACTIVE' && status !== 'INACTIVE') throw new RangeError(`setPushMappingStatus: status must be 'ACTIVE' or 'INACTIVE'`);
    checkShape(options.shape, 'setPushMappingStatus');
    if (m.status === status) throw new RangeError(`setPushMappingStatus: mapping ${mappingId} is already ${status}`);
    m.status = status;
    m.lastUpdated = this.#d.clock.now();
    const eventType = status === 'ACTIVE' ? 'application.provision.group_push.activate_mapping' : 'application.provision.group_push.deactivate_mapping';
    const events = this.#emit([{ eventType, target: this.#full(m), requestUri: mappingsUri(appId, mappingId) }]);
    return status === 'ACTIVE' ? [...events, ...this.#push(m, true, options.shape)] : events;
  }

  /**
   * Deletes an INACTIVE mapping: `application.provision.group_push.removed`; with
   * `deleteTargetGroup`, also `delete_appgroup` and the target group is gone (with the app users
   * only it gave). Without, the target stays as an ordinary app group with its last members.
   * @throws RangeError when the mapping is ACTIVE (Okta requires INACTIVE).
   */
  deletePushMapping(appId: string, mappingId: string, options: { deleteTargetGroup?: boolean } = {}): LogEvent[] {
    const { org } = this.#d;
    const m = findMapping(org, appId, mappingId);
    if (m.status === 'ACTIVE') throw new RangeError(`deletePushMapping: mapping ${mappingId} is ACTIVE; deactivate it first`);
    const target = this.#full(m);
    const drafts: EventDraft[] = [{ eventType: 'application.provision.group_push.removed', target, requestUri: mappingsUri(appId, mappingId) }];
    removeMapping(org, m);
    if (options.deleteTargetGroup === true) {
      drafts.push(systemJob('application.provision.group_push.delete_appgroup', target, mappingsUri(appId, mappingId)));
      drafts.push(...membershipDrafts(this.#d, removeGroup(org, m.targetGroupId), 'JOB'));
    }
    return this.#emit(drafts);
  }

  /** After a membership change of `groupId`: pushes it to the target of each ACTIVE mapping (each its own job). */
  propagate(groupId: string): LogEvent[] {
    return mappingsFrom(this.#d.org, groupId).flatMap((m) => (m.status === 'ACTIVE' ? this.#push(m, false) : []));
  }

  /** Before `groupId` is deleted: removes the mappings that push it (their targets stay); the drafts of their `removed` events. */
  dropMappingsFrom(groupId: string): EventDraft[] {
    return mappingsFrom(this.#d.org, groupId).map((m) => {
      const draft = systemJob('application.provision.group_push.removed', this.#full(m), mappingsUri(m.appId, m.id));
      removeMapping(this.#d.org, m);
      return draft;
    });
  }

  /** After `groupId` was renamed: each ACTIVE mapping renames its target (`mapping.app.group.renamed`). */
  renamed(groupId: string): LogEvent[] {
    const { org, clock } = this.#d;
    const source = org.group(groupId);
    return mappingsFrom(org, groupId).flatMap((m) => {
      if (m.status !== 'ACTIVE') return [];
      const target = org.group(m.targetGroupId);
      target.name = source.name;
      target.lastUpdated = clock.now();
      return this.#emit([systemJob('application.provision.group_push.mapping.app.group.renamed', this.#full(m), mappingsUri(m.appId, m.id))]);
    });
  }
}
