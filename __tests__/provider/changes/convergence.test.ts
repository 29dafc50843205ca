import { describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type IdentityChange } from '../../../src/index.js';
import { OktaSimulator } from '../../../src/simulator/index.js';
import { applyChange, byId, POLL_MS, WatchedClock } from '../../reliability/support.js';


/** A few dozen explicit mutations, at least one of every kind. */
function mutateEveryKind(sim: OktaSimulator, round: number): void {
  const active = () => sim.org.users.filter((u) => u.status === 'ACTIVE');
  const [app0, app1] = sim.org.apps;
  const [group0, group1] = sim.org.groups;
  const created = sim.createUser({ firstName: 'New', lastName: `Person${round}`, email: `new.person${round}@example.com` });
  sim.assignUserToApp(app0!.id, created.id, { userName: `np${round}` });
  sim.addUserToGroup(group0!.id, created.id);
  sim.updateProfile(active()[0]!.id, { lastName: `Renamed${round}` });
  sim.updateProfile(active()[1]!.id, { email: `changed${round}@example.com` });
  const suspended = active()[2]!.id;
  sim.suspendUser(suspended);
  sim.suspendUser(active()[3]!.id);
  sim.unsuspendUser(suspended);
  const leaving = active()[4]!.id;
  sim.deactivateUser(leaving);
  sim.deleteUser(leaving);
  const deactivated = active()[5]!.id;
  sim.deactivateUser(deactivated);
  sim.reactivateUser(deactivated);
  sim.deactivateUser(active()[6]!.id);
  const someAppUser = sim.org.appUsers(app1!.id)[0]!;
  sim.renameAppUser(app1!.id, someAppUser.userId, `renamed-${round}`);
  const direct = sim.org.apps.flatMap((a) => sim.org.appUsers(a.id)).find((au) => au.direct);
  if (direct) sim.unassignUserFromApp(direct.appId, direct.userId);
  const member = sim.org.groupMembers(group1!.id)[0];
  if (member) sim.removeUserFromGroup(group1!.id, member);
  const target = sim.org.apps.find((a) => !a.groups.has(group1!.id));
  if (target) sim.assignGroupToApp(target.id, group1!.id);
  const grouped = sim.org.apps.find((a) => a.groupIds.length > 0);
  if (grouped) sim.unassignGroupFromApp(grouped.id, grouped.groupIds[0]!);
  // Okta deletes only deactivated apps; a deleted app's users can no longer be listed.
  const doomed = sim.org.apps[sim.org.apps.length - 1]!;
  sim.deactivateApp(doomed.id);
  sim.deleteApp(doomed.id);
  const sleeping = sim.org.apps.find((a) => a.status === 'ACTIVE' && a.id !== app0!.id && a.id !== app1!.id);
  if (sleeping) sim.deactivateApp(sleeping.id);
  sim.noise(25);
  for (let i = 0; i < 30; i++) sim.randomMutation();
}

describe('changes() converges with the org (simulator)', () => {
  it.each([['assignment' as const], ['user' as const]])(
    'a snapshot plus the stream equals a fresh listIdentities() and the expected identities (AppUser target id: %s)',
    async (appUserTargetId) => {
      const sim = new OktaSimulator({
        seed: appUserTargetId === 'user' ? 11 : 7,
        users: 80,
        apps: 8,
        groups: 6,
        appUserTargetId,
        lateEventRate: 0.2,
        duplicateEventRate: 0.3,
        rateLimits: { limits: { apps: 100_000, users: 100_000, user: 100_000, groups: 100_000, logs: 100_000 } },
      });
      await sim.start();
      const clock = new WatchedClock();
      const warnings: ConnectorWarning[] = [];
      const config = { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, retryBaseDelayMs: 1, pollIntervalMs: POLL_MS, onWarning: (w: ConnectorWarning) => warnings.push(w) };
      const provider = new OktaIdentityProvider(config, { clock });
      const fresh = new OktaIdentityProvider(config);
      try {
        const since = new Date(sim.now());
        const snapshot = new Map<string, Identity>();
        for await (const identity of provider.listIdentities()) snapshot.set(identity.id, identity);
        expect(byId(snapshot.values())).toEqual(sim.expectedIdentities());

        mutateEveryKind(sim, 1);
        const kinds = new Set(sim.events.map((e) => e.eventType));
        for (const kind of ['user.lifecycle.delete.completed', 'group.application_assignment.add', 'group.application_assignment.remove', 'application.lifecycle.delete', 'application.user_membership.change_username', 'user.account.update_primary_email']) {
          expect(kinds).toContain(kind);
        }
        expect(byId(snapshot.values())).not.toEqual(sim.expectedIdentities());

        // Caught up with round 1: change the org again while the stream waits, then stop once
        // it has caught up with that too.
        const controller = new AbortController();
        clock.onPoll = (n) => {
          if (n === 1) mutateEveryKind(sim, 2);
          else controller.abort();
        };
        const changes: IdentityChange[] = [];
        for await (const change of provider.changes({ since, signal: controller.signal })) {
          changes.push(change);
          applyChange(snapshot, change);
        }
        expect(clock.polls).toBe(2);
        expect(changes.length).toBeGreaterThan(20);

        const listed: Identity[] = [];
        for await (const identity of fresh.listIdentities()) listed.push(identity);
        expect(byId(snapshot.values())).toEqual(byId(listed));
        expect(byId(snapshot.values())).toEqual(sim.expectedIdentities());
        // Only apps deleted while the stream read them may be reported missing.
        expect(warnings.filter((w) => w.code !== 'not_found')).toEqual([]);
        for (const w of warnings) expect(sim.org.app(/^\/api\/v1\/apps\/([^/]+)/.exec(w.path)?.[1] ?? '')).toBeUndefined();
      } finally {
        await Promise.all([provider.close(), fresh.close()]);
        await sim.stop();
      }
    },
    60_000,
  );
});
