import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type LogEvent, type SimulatorOptions } from '../../src/simulator/index.js';
import { getJson, q } from './helpers.js';

const START = Date.UTC(2025, 5, 1, 8, 0, 0);
const UNLIMITED = { users: 1e6, user: 1e6, logs: 1e6, apps: 1e6, groups: 1e6 };

type AppUserJson = { id: string; status: string; externalId?: string | null; syncState: string; lastSync: string | null; scope: string; statusChanged: string };

describe('provisioning: new accounts of provisioning apps start STAGED and are pushed later', () => {
  let sim: OktaSimulator;
  let now = START;
  async function start(options: SimulatorOptions = {}): Promise<OktaSimulator> {
    now = START;
    sim = new OktaSimulator({ seed: 9, users: 60, apps: 5, groups: 3, now: () => now, rateLimits: { limits: UNLIMITED }, ...options });
    await sim.start();
    return sim;
  }
  beforeEach(() => start());
  afterEach(() => sim.stop());

  const outsider = (appId: string) => sim.org.users.find((u) => u.status === 'ACTIVE' && !sim.org.app(appId)!.appUsers.has(u.id))!;
  const appUser = async (appId: string, userId: string) => (await getJson<AppUserJson>(sim, `/api/v1/apps/${appId}/users/${userId}`)).body;
  const account = (userId: string, appId: string) => sim.expectedIdentities().find((i) => i.id === userId)!.accounts.find((a) => a.appId === appId);
  const served = async (eventType: string) => (await getJson<LogEvent[]>(sim, `/api/v1/logs?limit=1000&filter=${q(`eventType eq "${eventType}"`)}`)).body;
  const assignmentOf = async (userId: string, appId: string) =>
    (await getJson<Array<{ appInstanceId: string; appAssignmentId: string }>>(sim, `/api/v1/users/${userId}/appLinks`)).body.find((l) => l.appInstanceId === appId)!.appAssignmentId;

  it('a direct assignment is STAGED with externalId null; the push makes it PROVISIONED (application.provision.user.push: AppInstance and AppUser only)', async () => {
    const app = sim.createApp({ name: 'slack', label: 'Slack (Ops)', provisioned: true });
    const u = outsider(app.id);
    sim.assignUserToApp(app.id, u.id);
    expect(await appUser(app.id, u.id)).toMatchObject({ status: 'STAGED', externalId: null, syncState: 'OUT_OF_SYNC', lastSync: null });
    expect(account(u.id, app.id)).toMatchObject({ status: 'STAGED', externalId: null });

    now += 60_000;
    const at = new Date(now).toISOString();
    sim.provisionAppUser(app.id, u.id, { event: 'push' });
    const pushed = await appUser(app.id, u.id);
    expect(pushed).toMatchObject({ status: 'PROVISIONED', syncState: 'SYNCHRONIZED', lastSync: at });
    expect(pushed.externalId).toMatch(/^U[A-Z0-9]{10}$/); // Slack's member id format, as the factory makes them
    expect(account(u.id, app.id)).toMatchObject({ status: 'PROVISIONED', externalId: pushed.externalId });

    const [e] = await served('application.provision.user.push');
    expect(e!.target.map((t) => [t.type, t.id])).toEqual([['AppInstance', app.id], ['AppUser', await assignmentOf(u.id, app.id)]]);
    expect(e!.target[1]!.id).toMatch(/^0ua/);
    expect(e!.target.some((t) => t.type === 'User' || t.id === u.id)).toBe(false);
    expect(e!.actor).toMatchObject({ type: 'SystemPrincipal', alternateId: 'system@okta.com' });
    expect(e!.transaction.type).toBe('JOB');
    expect(() => sim.provisionAppUser(app.id, u.id)).toThrow(/PROVISIONED, not STAGED/);
  });

  it('push_new_user_success names the app, the assignment and the user', async () => {
    const app = sim.org.apps.find((a) => a.provisioned)!;
    const u = outsider(app.id);
    sim.assignUserToApp(app.id, u.id);
    sim.provisionAppUser(app.id, u.id, { event: 'push_new_user_success' });
    const [e] = await served('app.user_management.push_new_user_success');
    expect(e!.target.map((t) => [t.type, t.id])).toEqual([['AppInstance', app.id], ['AppUser', await assignmentOf(u.id, app.id)], ['User', u.id]]);
    expect((await appUser(app.id, u.id)).status).toBe('PROVISIONED');
  });

  it('accounts given through a group (a new member, or a group newly assigned) start STAGED too; apps without provisioning stay ACTIVE', async () => {
    const app = sim.createApp({ name: 'github', label: 'GitHub (Ops)', provisioned: true });
    const plain = sim.createApp({ name: 'zoom', label: 'Zoom (Ops)' });
    const group = sim.org.groups.find((g) => g.memberIds.length > 0)!;
    sim.assignGroupToApp(app.id, group.id);
    sim.assignGroupToApp(plain.id, group.id);
    for (const id of group.memberIds) {
      expect(await appUser(app.id, id)).toMatchObject({ status: 'STAGED', externalId: null, scope: 'GROUP' });
      expect(await appUser(plain.id, id)).toMatchObject({ status: 'ACTIVE', syncState: 'DISABLED' });
    }
    const newcomer = sim.org.users.find((u) => !group.members.has(u.id))!;
    sim.addUserToGroup(group.id, newcomer.id);
    expect(account(newcomer.id, app.id)).toMatchObject({ status: 'STAGED', externalId: null, scope: 'GROUP' });
  });

  it('an explicit externalId still assigns the account already provisioned', async () => {
    const app = sim.org.apps.find((a) => a.provisioned)!;
    const u = outsider(app.id);
    sim.assignUserToApp(app.id, u.id, { externalId: 'ext-42' });
    expect(await appUser(app.id, u.id)).toMatchObject({ status: 'PROVISIONED', externalId: 'ext-42', syncState: 'SYNCHRONIZED' });
    expect(() => sim.provisionAppUser(app.id, u.id)).toThrow(/not STAGED/);
    // A STAGED account given through a group, then assigned directly with an externalId.
    const group = sim.createGroup('Linked');
    const member = outsider(app.id);
    sim.assignGroupToApp(app.id, group.id);
    sim.addUserToGroup(group.id, member.id);
    expect((await appUser(app.id, member.id)).status).toBe('STAGED');
    now += 1_000;
    sim.assignUserToApp(app.id, member.id, { externalId: 'ext-43' });
    expect(await appUser(app.id, member.id)).toMatchObject({ status: 'PROVISIONED', externalId: 'ext-43', scope: 'USER', statusChanged: new Date(now).toISOString() });
  });

  it('provisionPending pushes every STAGED account of active apps, with both event shapes, and keeps the seeded accounts', async () => {
    const seeded = sim.org.apps.filter((a) => a.provisioned).flatMap((a) => sim.org.appUsers(a.id));
    expect(seeded.length).toBeGreaterThan(0);
    for (const au of seeded) {
      expect(au.status).toBe('PROVISIONED');
      expect(au.externalId).toEqual(expect.any(String));
    }
    const app = sim.org.apps.find((a) => a.provisioned)!;
    const asleep = sim.createApp({ name: 'salesforce', label: 'Salesforce (Asleep)', provisioned: true });
    const newcomers = sim.org.users.filter((u) => !app.appUsers.has(u.id)).slice(0, 24);
    for (const u of newcomers) sim.assignUserToApp(app.id, u.id);
    sim.assignUserToApp(asleep.id, newcomers[0]!.id);
    sim.deactivateApp(asleep.id);
    expect(() => sim.provisionAppUser(asleep.id, newcomers[0]!.id)).toThrow(/INACTIVE/);

    const events = sim.provisionPending();
    expect(events).toHaveLength(newcomers.length);
    expect(new Set(events.map((e) => e.eventType))).toEqual(new Set(['application.provision.user.push', 'app.user_management.push_new_user_success']));
    for (const u of newcomers) expect(account(u.id, app.id)).toMatchObject({ status: 'PROVISIONED', externalId: expect.any(String) });
    expect(account(newcomers[0]!.id, asleep.id)?.status).toBe('STAGED');
    expect(sim.provisionPending()).toEqual([]);
  });

  it('the push names the 0ua assignment even with appUserTargetId: user', async () => {
    await sim.stop();
    await start({ appUserTargetId: 'user' });
    const app = sim.org.apps.find((a) => a.provisioned)!;
    const u = outsider(app.id);
    sim.assignUserToApp(app.id, u.id);
    const [e] = sim.provisionAppUser(app.id, u.id, { event: 'push' });
    expect(e!.target[1]).toMatchObject({ type: 'AppUser', id: await assignmentOf(u.id, app.id) });
  });
});

describe('random mutations', () => {
  it('apply the account, provisioning and import kinds over a few hundred draws, reproducibly', () => {
    const run = () => {
      const s = new OktaSimulator({ seed: 21, users: 150, apps: 7, groups: 5, now: () => START });
      const kinds = new Set<string>();
      for (let i = 0; i < 600; i++) kinds.add(s.randomMutation().kind);
      return { kinds, events: s.events, identities: s.expectedIdentities() };
    };
    const a = run();
    for (const kind of ['lockUser', 'unlockUser', 'expirePassword', 'resetPassword', 'changePassword', 'provisionAppUser', 'importUserUpdate', 'importUserSuspend', 'importUserUnsuspend']) {
      expect(a.kinds).toContain(kind);
    }
    const types = new Set(a.events.map((e) => e.eventType));
    for (const type of ['user.account.unlock', 'user.account.unlock_by_admin', 'application.provision.user.push', 'app.user_management.push_new_user_success']) expect(types).toContain(type);
    expect(types).not.toContain('user.lifecycle.password_mass_expiry');
    const importShapes = new Set(a.events.filter((e) => e.eventType === 'system.import.user.update').map((e) => e.target.map((t) => t.type).join('+')));
    expect(importShapes).toEqual(new Set(['User', 'AppInstance+AppUser']));
    const b = run();
    expect(b.events.map((e) => `${e.eventType}:${e.uuid}:${JSON.stringify(e.target)}`)).toEqual(a.events.map((e) => `${e.eventType}:${e.uuid}:${JSON.stringify(e.target)}`));
    expect(b.identities).toEqual(a.identities);
  });
});
