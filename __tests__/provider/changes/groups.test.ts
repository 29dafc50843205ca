import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stepHarness, type StepHarness } from '../../helpers/change-steps.js';
import { byId } from '../../reliability/support.js';

/**
 * The change stream with the `groups` option: each group change Okta logs, applied alone after
 * the stream has caught up; then random changes of every kind. The host's view (a snapshot plus
 * the changes) must equal the simulator's ground truth with groups, at page cost.
 */
const groupHarness = (synced: boolean, seed: number): Promise<StepHarness> =>
  stepHarness({ seed, users: 80, apps: 8, groups: 6, appGroupsPerApp: 2, pushMappings: 3 }, { synced, groups: true });

describe('changes() with groups and a synced index: each group change alone', () => {
  let h: StepHarness;
  beforeAll(async () => {
    h = await groupHarness(true, 61);
  });
  afterAll(() => h.close());
  const converged = () => expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities({ groups: true }));
  const pushed = (groupId: string) => h.sim.org.apps.some((a) => h.sim.org.pushMappings(a.id).some((m) => m.sourceGroupId === groupId || m.targetGroupId === groupId));
  const oktaGroup = () => h.sim.org.groups.find((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 0 && !pushed(g.id))!;
  const appGroup = () => h.sim.org.groups.find((g) => g.type === 'APP_GROUP' && !h.sim.org.apps.some((a) => h.sim.org.pushMappings(a.id).some((m) => m.targetGroupId === g.id)))!;

  it('a group renamed: every member, for one read of the group', async () => {
    const group = oktaGroup();
    const { people, buckets } = await h.step(() => h.sim.renameGroup(group.id, 'Renamed group'));
    expect(new Set(people)).toEqual(new Set(group.memberIds));
    expect(buckets.groups).toBe(1);
    expect(buckets.apps).toBe(0);
    converged();
  });

  it('an imported app group renamed by an import', async () => {
    const group = appGroup();
    await h.step(() => h.sim.renameGroup(group.id, 'Renamed by import'));
    converged();
  });

  it.each([['group'], ['app']] as const)('an app group member added and removed by an import (%s-shaped events)', async (shape) => {
    const group = appGroup();
    const app = h.sim.org.app(group.sourceAppId!)!;
    const joiner = h.sim.org.appUsers(app.id).map((au) => au.userId).find((id) => !group.members.has(id))!;
    await h.step(() => h.sim.addAppGroupMember(group.id, joiner, { shape }));
    expect(h.view.get(joiner)!.groups!.map((g) => g.id)).toContain(group.id);
    converged();
    await h.step(() => h.sim.removeAppGroupMember(group.id, joiner, { shape }));
    converged();
  });

  it('a Group Push mapping created, deactivated, reactivated and deleted; resolveAppGroup follows', async () => {
    const app = h.sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
    const source = h.sim.org.groups.find((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 1 && !h.sim.org.pushMappings(app.id).some((m) => m.sourceGroupId === g.id))!;
    let mappingId = '';
    await h.step(() => (mappingId = h.sim.createPushMapping(app.id, source.id, { targetGroupName: 'pushed-team' }).id));
    converged();
    expect(await h.streamer.resolveAppGroup(app.id, 'pushed-team')).toMatchObject({ source: { kind: 'push', sourceGroupId: source.id, status: 'ACTIVE' } });
    await h.step(() => h.sim.setPushMappingStatus(app.id, mappingId, 'INACTIVE'));
    converged();
    expect(await h.streamer.resolveAppGroup(app.id, 'pushed-team')).toMatchObject({ source: { kind: 'push', status: 'INACTIVE' } });
    await h.step(() => h.sim.setPushMappingStatus(app.id, mappingId, 'ACTIVE'));
    converged();
    await h.step(() => {
      h.sim.setPushMappingStatus(app.id, mappingId, 'INACTIVE');
      h.sim.deletePushMapping(app.id, mappingId, { deleteTargetGroup: true });
    });
    converged();
    expect(await h.streamer.resolveAppGroup(app.id, 'pushed-team')).toBeNull();
  });

  it('an app group imported, then deleted by an import', async () => {
    const app = h.sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
    let groupId = '';
    await h.step(() => {
      groupId = h.sim.importAppGroup(app.id, 'Imported late').id;
      for (const au of h.sim.org.appUsers(app.id).slice(0, 3)) h.sim.addAppGroupMember(groupId, au.userId, { shape: 'app' });
    });
    converged();
    await h.step(() => h.sim.importAppGroupDelete(groupId));
    converged();
  });

  it('a group deleted: its members leave it with no request for the group, and lose the accounts it gave', async () => {
    const group = oktaGroup();
    const { buckets } = await h.step(() => h.sim.deleteGroup(group.id));
    expect(buckets.groups).toBe(0);
    converged();
  });

  it('a person added to an Okta group, with the accounts the group brings', async () => {
    const group = h.sim.org.groups.find((g) => g.type === 'OKTA_GROUP')!;
    const user = h.sim.org.users.find((u) => u.status === 'ACTIVE' && !group.members.has(u.id))!;
    await h.step(() => h.sim.addUserToGroup(group.id, user.id));
    converged();
    // Only groups deleted meanwhile (the push target above) may be reported missing.
    expect(h.warnings.filter((w) => w.code !== 'not_found')).toEqual([]);
    for (const w of h.warnings) expect(h.sim.org.group(w.path.split('/')[4]!)).toBeUndefined();
  });
});

describe.each([
  ['with a synced index', true, 71],
  ['without an index', false, 73],
])('changes() with groups %s: random changes of every kind', (_what, synced, seed) => {
  it('a snapshot plus the stream equals the ground truth with groups', async () => {
    const h = await groupHarness(synced, seed);
    try {
      const kinds = new Set<string>();
      for (let round = 0; round < 3; round++) {
        await h.step(() => {
          for (let i = 0; i < 40; i++) kinds.add(h.sim.randomMutation().kind);
        });
        expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities({ groups: true }));
      }
      expect([...kinds].filter((k) => /Group|Push/.test(k)).length).toBeGreaterThan(2);
      // Without an index a deleted group's members, or who left an app group, cannot be known: said, not hidden.
      expect(h.warnings.filter((w) => w.code !== 'incomplete_fanout' && w.code !== 'not_found')).toEqual([]);
      if (synced) expect(h.warnings.filter((w) => w.code === 'incomplete_fanout')).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
