/**
 * Seeds the app groups and Group Push mappings the options `appGroupsPerApp` and
 * `pushMappings` ask for, after the rest of the org. Both default to 0, and then nothing here
 * draws a random number or an id, so the org of every existing seed stays the same.
 * @module
 */
import { appGroupName, appGroupProfile } from './app-groups.js';
import type { RecordFactory } from './factory.js';
import { addMapping } from './groups-model.js';
import type { Org } from './org.js';
import type { AppRecord, GroupRecord, PushMappingStatus } from './records.js';
import { Rng, streamSeed } from './prng.js';
import { SEED_EPOCH } from './seed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What {@link seedGroups} needs. */
export interface GroupSeedSpec {
  seed: number;
  appGroupsPerApp: number;
  pushMappings: number;
}

/** Makes sorted, distinct `ids` the members of a new group. */
function setMembers(org: Org, group: GroupRecord, ids: readonly string[], when: number): void {
  for (const id of ids) {
    group.members.add(id);
    group.memberIds.push(id);
    const mine = org.userGroups.get(id);
    if (mine) mine.push(group.id);
    else org.userGroups.set(id, [group.id]);
  }
  if (ids.length > 0) group.lastMembershipUpdated = when;
}

/**
 * Adds `appGroupsPerApp` imported groups to every app with provisioning (members: each of the
 * app's account holders with a per-group probability from 10 to 50 %), then `pushMappings`
 * mappings, spread over those apps, from the OKTA_GROUPs to new APP_GROUPs named like their
 * source. Every third mapping is INACTIVE, its target holding stale members (most of the
 * source's, plus a few others); an ACTIVE one's target has exactly the source's members.
 * @throws TypeError when there are fewer (app, group) pairs than `pushMappings`.
 */
export function seedGroups(org: Org, factory: RecordFactory, spec: GroupSeedSpec): void {
  if (spec.appGroupsPerApp === 0 && spec.pushMappings === 0) return;
  const rng = new Rng(streamSeed(spec.seed, 'seeded-groups'));
  const apps: AppRecord[] = org.appIds.map((id) => org.app(id)).filter((a) => a.provisioned);
  const sources = org.groupIds.filter((id) => org.group(id).type === 'OKTA_GROUP');
  const pairs = apps.length * sources.length;
  if (spec.pushMappings > pairs) throw new TypeError(`OktaSimulator: pushMappings (${spec.pushMappings}) exceeds the ${pairs} pairs of a seeded group and an app with provisioning`);

  for (const app of apps) {
    for (let k = 0; k < spec.appGroupsPerApp; k++) {
      const name = appGroupName(k);
      const when = Math.min(SEED_EPOCH - DAY, app.created + (k + 1) * HOUR);
      const group = factory.appGroup(app, appGroupProfile(app, name, { description: `${name} in ${app.label}` }, rng), when);
      org.addGroup(group);
      const p = 0.1 + 0.4 * rng.float();
      setMembers(org, group, app.appUserIds.filter(() => rng.chance(p)), when);
    }
  }

  for (let i = 0; i < spec.pushMappings; i++) {
    // Pair i takes app i mod A and, for that app, the next group: no pair comes twice.
    const a = i % apps.length;
    const app = apps[a] as AppRecord;
    const source = org.group(sources[(Math.floor(i / apps.length) + a) % sources.length] as string);
    const status: PushMappingStatus = i % 3 === 2 ? 'INACTIVE' : 'ACTIVE';
    const when = Math.min(SEED_EPOCH - 1_000, SEED_EPOCH - 30 * DAY + i * 60_000);
    const target = factory.appGroup(app, appGroupProfile(app, source.name, { description: source.description }, rng), when);
    org.addGroup(target);
    let members = source.memberIds;
    if (status === 'INACTIVE') {
      const stale = new Set(source.memberIds.filter(() => rng.chance(0.8)));
      for (let k = 0; k < 3 && org.userIds.length > 0; k++) stale.add(rng.pick(org.userIds));
      members = [...stale].sort();
    }
    setMembers(org, target, members, when);
    addMapping(org, { id: factory.ids.next('gPm'), appId: app.id, sourceGroupId: source.id, targetGroupId: target.id, status, created: when, lastUpdated: when, lastPush: when });
  }
}
