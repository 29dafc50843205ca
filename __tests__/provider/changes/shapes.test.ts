import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type Identity } from '../../../src/index.js';
import { OktaSimulator } from '../../../src/simulator/index.js';
import { stepHarness, UNLIMITED, type StepHarness } from '../../helpers/change-steps.js';
import { applyChange, byId, POLL_MS, WatchedClock } from '../../reliability/support.js';

/**
 * Each event shape Okta logs, applied alone after the stream has caught up, so that only the
 * event under test can bring the change: an auto-lock naming the user as actor, a provisioning
 * push naming only the app and the app user, an import naming only the directory app, ...
 * The host's view (a snapshot plus the changes) must then equal the simulator's ground truth.
 */

describe.each([
  ['with a synced index', true],
  ['without an index', false],
])('changes() %s: each event shape alone', (_what, synced) => {
  let h: StepHarness;
  beforeAll(async () => {
    h = await stepHarness({ seed: synced ? 41 : 43, users: 60, apps: 8, groups: 4 }, { synced });
  });
  afterAll(() => h.close());
  const active = () => h.sim.org.users.find((u) => u.status === 'ACTIVE')!;

  const cases: Array<[string, () => string]> = [
    ['an auto-lock naming the user only as actor', () => {
      const id = active().id;
      h.sim.lockUser(id);
      return id;
    }],
    ['an automatic unlock naming the user only as actor', () => {
      const id = h.sim.org.users.find((u) => u.status === 'LOCKED_OUT')!.id;
      h.sim.unlockUser(id, 'auto');
      return id;
    }],
    ['an admin unlock', () => {
      const id = active().id;
      h.sim.lockUser(id);
      h.sim.unlockUser(id, 'admin');
      return id;
    }],
    ['a password expired by an admin', () => {
      const id = active().id;
      h.sim.expirePassword(id);
      return id;
    }],
    ['the user’s own password change (actor only)', () => {
      const id = h.sim.org.users.find((u) => u.status === 'PASSWORD_EXPIRED')!.id;
      h.sim.changePassword(id);
      return id;
    }],
    ['a password reset', () => {
      const id = active().id;
      h.sim.resetPassword(id);
      return id;
    }],
    ['an import update from the system principal', () => {
      const id = active().id;
      h.sim.importUserUpdate(id, { login: `imported.${id}@example.com`, email: `imported.${id}@example.com` }, { shape: 'system' });
      return id;
    }],
    ['an import update naming only the directory app and its app user', () => {
      const user = h.sim.org.users.find((u) => u.status === 'ACTIVE' && h.sim.org.apps.some((a) => h.sim.org.appUsers(a.id).some((au) => au.userId === u.id)))!;
      h.sim.importUserUpdate(user.id, { lastName: 'Imported', displayName: 'From HR' }, { shape: 'app' });
      return user.id;
    }],
    ['an import suspend and unsuspend', () => {
      const id = active().id;
      h.sim.importUserSuspend(id);
      return id;
    }],
  ];

  it.each(cases)('%s', async (_name, mutate) => {
    let id = '';
    const { people } = await h.step(() => (id = mutate()));
    expect(people).toContain(id);
    expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities());
    expect(h.warnings).toEqual([]);
  });

  it('an account assigned STAGED, then provisioned by a push that names only the app and the app user', async () => {
    const app = h.sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
    const user = h.sim.org.users.find((u) => u.status === 'ACTIVE' && !h.sim.org.appUsers(app.id).some((au) => au.userId === u.id))!;
    await h.step(() => h.sim.assignUserToApp(app.id, user.id));
    expect(h.view.get(user.id)!.accounts.find((a) => a.appId === app.id)).toMatchObject({ status: 'STAGED', externalId: null });
    const { people } = await h.step(() => h.sim.provisionAppUser(app.id, user.id, { event: 'push' }));
    expect(people).toContain(user.id);
    const account = h.view.get(user.id)!.accounts.find((a) => a.appId === app.id)!;
    expect(account.status).toBe('PROVISIONED');
    expect(account.externalId).not.toBeNull();
    expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities());
  });

  it('a provisioning success naming the user', async () => {
    const app = h.sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
    const user = h.sim.org.users.find((u) => u.status === 'ACTIVE' && !h.sim.org.appUsers(app.id).some((au) => au.userId === u.id))!;
    await h.step(() => {
      h.sim.assignUserToApp(app.id, user.id);
      h.sim.provisionAppUser(app.id, user.id, { event: 'push_new_user_success' });
    });
    expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities());
  });

  it('a mass password expiry', async () => {
    const { people } = await h.step(() => h.sim.expireAllPasswords());
    expect(people.length).toBeGreaterThan(10);
    expect(byId(h.view.values())).toEqual(h.sim.expectedIdentities());
  });
});

describe('changes(): a big group assigned to an app, against the simulator', () => {
  it('costs the app’s user pages in the apps bucket on a synced provider, and converges', async () => {
    const sim = new OktaSimulator({ seed: 5, users: 1_500, apps: 4, groups: 1, appUsersPerApp: 200, rateLimits: UNLIMITED });
    await sim.start();
    const clock = new WatchedClock();
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, pollIntervalMs: POLL_MS }, { clock });
    try {
      const app = sim.org.apps[0]!;
      const group = sim.createGroup('Everyone in sales');
      const outside = sim.org.users.filter((u) => !sim.org.appUsers(app.id).some((au) => au.userId === u.id));
      for (const user of outside.slice(0, 900)) sim.addUserToGroup(group.id, user.id);
      const view = new Map<string, Identity>();
      for await (const identity of provider.listIdentities()) view.set(identity.id, identity);
      await new Promise((resolve) => setTimeout(resolve, 3));
      const since = new Date(sim.now());
      sim.assignGroupToApp(app.id, group.id);
      sim.resetStats();
      const controller = new AbortController();
      clock.onPoll = () => controller.abort();
      for await (const change of provider.changes({ since, signal: controller.signal })) applyChange(view, change);
      const appUsers = sim.org.appUsers(app.id).length;
      expect(sim.stats.byBucket.apps).toBeLessThanOrEqual(Math.ceil(appUsers / 500) + 2);
      expect(byId(view.values())).toEqual(sim.expectedIdentities());
    } finally {
      await provider.close();
      await sim.stop();
    }
  }, 60_000);
});
