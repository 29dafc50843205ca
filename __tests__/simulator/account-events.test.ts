import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type LogEvent } from '../../src/simulator/index.js';
import { all, getJson, q } from './helpers.js';

const START = Date.UTC(2025, 5, 1, 8, 0, 0);
const ADMIN = 'okta.admin@example.com';
const SYSTEM = { type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' };

type UserJson = { id: string; status: string; statusChanged: string | null; lastUpdated: string; passwordChanged: string | null; profile: Record<string, string | null> };

describe('self-service, password and import events', () => {
  let sim: OktaSimulator;
  let now = START;
  beforeEach(async () => {
    now = START;
    sim = new OktaSimulator({ seed: 5, users: 60, apps: 5, groups: 3, now: () => now, rateLimits: { limits: { users: 1e6, user: 1e6, logs: 1e6, apps: 1e6 } } });
    await sim.start();
  });
  afterEach(() => sim.stop());

  const active = () => sim.org.users.filter((u) => u.status === 'ACTIVE');
  const user = async (id: string) => (await getJson<UserJson>(sim, `/api/v1/users/${id}`)).body;
  /** The events of this type as GET /api/v1/logs serves them. */
  const served = async (eventType: string) => (await getJson<LogEvent[]>(sim, `/api/v1/logs?limit=1000&filter=${q(`eventType eq "${eventType}"`)}`)).body;
  const later = () => {
    now += 60_000;
    return new Date(now).toISOString();
  };

  it('lockUser: LOCKED_OUT, logged as user.account.lock with the user as actor and no target', async () => {
    const u = active()[0]!;
    const at = later();
    const [event] = sim.lockUser(u.id);
    expect(sim.org.user(u.id)!.status).toBe('LOCKED_OUT');
    expect(await user(u.id)).toMatchObject({ status: 'LOCKED_OUT', statusChanged: at, lastUpdated: at });
    expect(sim.identity(u.id)!.status).toBe('LOCKED_OUT');
    const [logged] = await served('user.account.lock');
    expect(logged).toEqual(event);
    expect(logged!.actor).toEqual({ id: u.id, type: 'User', alternateId: u.profile.login, displayName: `${u.profile.firstName} ${u.profile.lastName}`, detailEntry: null });
    expect(logged!.target).toEqual([]);
    expect(logged!.transaction.type).toBe('WEB');
    expect(logged!.debugContext.debugData.requestUri).toBe('/idp/idx/identify');
    expect(logged!.outcome).toEqual({ result: 'FAILURE', reason: 'LOCKED_OUT' });
    expect(logged!.legacyEventType).toBe('core.user_auth.account_locked');
    expect(() => sim.lockUser(u.id)).toThrow(/LOCKED_OUT/);
    // A user whose password expired can be locked out too.
    const other = active()[0]!;
    sim.expirePassword(other.id);
    sim.lockUser(other.id);
    expect(sim.org.user(other.id)!.status).toBe('LOCKED_OUT');
  });

  it('unlockUser auto: user.account.unlock by the user; admin: user.account.unlock_by_admin targeting the user', async () => {
    const [a, b] = active();
    sim.lockUser(a!.id);
    sim.lockUser(b!.id);
    const at = later();
    sim.unlockUser(a!.id);
    sim.unlockUser(b!.id, 'admin');
    expect(await user(a!.id)).toMatchObject({ status: 'ACTIVE', statusChanged: at });
    expect((await user(b!.id)).status).toBe('ACTIVE');
    const [auto] = await served('user.account.unlock');
    expect(auto).toMatchObject({ actor: { id: a!.id, type: 'User' }, target: [] });
    const [byAdmin] = await served('user.account.unlock_by_admin');
    expect(byAdmin!.actor).toMatchObject({ type: 'User', alternateId: ADMIN });
    expect(byAdmin!.actor.id).not.toBe(b!.id);
    expect(byAdmin!.target.map((t) => [t.type, t.id])).toEqual([['User', b!.id]]);
    expect(byAdmin!.debugContext.debugData.requestUri).toBe(`/api/v1/users/${b!.id}/lifecycle/unlock`);
    expect(() => sim.unlockUser(a!.id)).toThrow(/ACTIVE/);
    expect(() => sim.unlockUser(a!.id, 'robot' as never)).toThrow(/auto/);
  });

  it('expirePassword and resetPassword: PASSWORD_EXPIRED and RECOVERY, by the admin, targeting the user', async () => {
    const [a, b] = active();
    const at = later();
    sim.expirePassword(a!.id);
    sim.resetPassword(b!.id);
    expect(await user(a!.id)).toMatchObject({ status: 'PASSWORD_EXPIRED', statusChanged: at, lastUpdated: at });
    expect(await user(b!.id)).toMatchObject({ status: 'RECOVERY', statusChanged: at });
    expect(sim.expectedIdentities().find((i) => i.id === a!.id)!.status).toBe('PASSWORD_EXPIRED');
    for (const [type, id] of [['user.account.expire_password', a!.id], ['user.account.reset_password', b!.id]] as const) {
      const [e] = await served(type);
      expect(e!.actor.alternateId).toBe(ADMIN);
      expect(e!.target.map((t) => [t.type, t.id])).toEqual([['User', id]]);
    }
    expect(() => sim.expirePassword(a!.id)).toThrow(/PASSWORD_EXPIRED/);
    // An expired password can still be reset.
    sim.resetPassword(a!.id);
    expect(sim.org.user(a!.id)!.status).toBe('RECOVERY');
  });

  it('changePassword: the user ends an expiry or a reset (ACTIVE), logged by the user with no target', async () => {
    const [a, b, c] = active();
    sim.expirePassword(a!.id);
    sim.resetPassword(b!.id);
    const before = await user(c!.id);
    const at = later();
    sim.changePassword(a!.id);
    sim.changePassword(b!.id);
    sim.changePassword(c!.id);
    expect(await user(a!.id)).toMatchObject({ status: 'ACTIVE', statusChanged: at, passwordChanged: at, lastUpdated: at });
    expect(await user(b!.id)).toMatchObject({ status: 'ACTIVE', statusChanged: at, passwordChanged: at });
    // Already ACTIVE: only the password changes.
    expect(await user(c!.id)).toMatchObject({ status: 'ACTIVE', statusChanged: before.statusChanged, passwordChanged: at });
    const events = await served('user.account.update_password');
    expect(events.map((e) => e.actor.id)).toEqual([a!.id, b!.id, c!.id]);
    for (const e of events) expect(e.target).toEqual([]);
    sim.suspendUser(a!.id);
    expect(() => sim.changePassword(a!.id)).toThrow(/SUSPENDED/);
  });

  it('expireAllPasswords: every ACTIVE user PASSWORD_EXPIRED, one mass-expiry event with no target', async () => {
    const wereActive = active().map((u) => u.id);
    const others = sim.org.users.filter((u) => u.status !== 'ACTIVE').map((u) => [u.id, u.status]);
    expect(others.length).toBeGreaterThan(0);
    const size = sim.events.length;
    const events = sim.expireAllPasswords();
    expect(sim.events.length).toBe(size + 1);
    expect(events.map((e) => e.eventType)).toEqual(['user.lifecycle.password_mass_expiry']);
    const listed = await all<UserJson>(sim, `/api/v1/users?filter=${q('status eq "PASSWORD_EXPIRED"')}`);
    expect(listed.map((u) => u.id)).toEqual(wereActive);
    for (const [id, status] of others) expect(sim.org.user(id!)!.status).toBe(status);
    const [logged] = await served('user.lifecycle.password_mass_expiry');
    expect(logged!.actor.alternateId).toBe(ADMIN);
    expect(logged!.target).toEqual([]);
  });

  it('importUserUpdate (system shape): profile changes logged as system.import.user.update by Okta System, targeting the user', async () => {
    const u = active()[0]!;
    const at = later();
    sim.importUserUpdate(u.id, { login: 'imported@example.com', email: 'imported@hr.example.com', lastName: 'Imported' }, { shape: 'system' });
    expect(await user(u.id)).toMatchObject({ lastUpdated: at, profile: { login: 'imported@example.com', email: 'imported@hr.example.com', lastName: 'Imported' } });
    expect(sim.identity(u.id)).toMatchObject({ login: 'imported@example.com', email: 'imported@hr.example.com' });
    const [e] = await served('system.import.user.update');
    expect(e!.actor).toMatchObject(SYSTEM);
    expect(e!.transaction.type).toBe('JOB');
    expect(e!.target).toEqual([{ id: u.id, type: 'User', alternateId: 'imported@example.com', displayName: `${u.profile.firstName} Imported`, detailEntry: null }]);
    expect(await served('user.account.update_profile')).toEqual([]);
    expect(() => sim.importUserUpdate(u.id, { login: active()[1]!.profile.login })).toThrow(/taken/);
  });

  it('importUserUpdate (app shape): targets only the directory app and the 0ua app assignment', async () => {
    // The directory is the user's provisioning app when it has one.
    const holder = sim.org.users.find((u) => sim.org.apps.some((a) => a.provisioned && a.appUsers.has(u.id)))!.id;
    const app = sim.org.apps.find((a) => a.provisioned && a.appUsers.has(holder))!;
    const links = (await getJson<Array<{ appInstanceId: string; appAssignmentId: string }>>(sim, `/api/v1/users/${holder}/appLinks`)).body;
    const assignment = links.find((l) => l.appInstanceId === app.id)!.appAssignmentId;
    expect(assignment).toMatch(/^0ua/);
    sim.importUserUpdate(holder, { title: 'Imported title' }, { shape: 'app' });
    expect(sim.org.user(holder)!.profile.title).toBe('Imported title');
    const [e] = await served('system.import.user.update');
    expect(e!.actor).toMatchObject(SYSTEM);
    expect(e!.target.map((t) => [t.type, t.id])).toEqual([['AppInstance', app.id], ['AppUser', assignment]]);
    expect(e!.target.some((t) => t.type === 'User' || t.id === holder)).toBe(false);

    const loner = sim.org.users.find((u) => sim.identity(u.id)!.accounts.length === 0)!;
    expect(() => sim.importUserUpdate(loner.id, { title: 'x' }, { shape: 'app' })).toThrow(/no app account/);
    expect(sim.org.user(loner.id)!.profile.title).not.toBe('x');
  });

  it('importUserUpdate draws both shapes from the seed, the same way for the same seed', () => {
    const shapes = (s: OktaSimulator): string[] => {
      const holders = s.org.users.filter((u) => s.identity(u.id)!.accounts.length > 0).slice(0, 20);
      return holders.map((u) => s.importUserUpdate(u.id, { department: 'HR' })[0]!.target.map((t) => t.type).join('+'));
    };
    const a = shapes(sim);
    expect(new Set(a)).toEqual(new Set(['User', 'AppInstance+AppUser']));
    expect(shapes(new OktaSimulator({ seed: 5, users: 60, apps: 5, groups: 3 }))).toEqual(a);
  });

  it('importUserSuspend, importUserUnsuspend and importUserCreate log system.import.user.* targeting the user', async () => {
    const u = active()[0]!;
    const at = later();
    sim.importUserSuspend(u.id);
    expect(await user(u.id)).toMatchObject({ status: 'SUSPENDED', statusChanged: at });
    expect(() => sim.importUserSuspend(u.id)).toThrow(/SUSPENDED/);
    sim.importUserUnsuspend(u.id);
    expect((await user(u.id)).status).toBe('ACTIVE');
    const size = sim.events.length;
    const created = sim.importUserCreate({ firstName: 'Hana', lastName: 'Import', email: 'hana.import@example.com' });
    expect(sim.events.length).toBe(size + 1);
    expect(await user('hana.import@example.com')).toMatchObject({ id: created.id, status: 'ACTIVE' });
    expect(sim.identity(created.id)).toMatchObject({ login: 'hana.import@example.com', status: 'ACTIVE', accounts: [] });
    for (const [type, id] of [['system.import.user.suspend', u.id], ['system.import.user.unsuspend', u.id], ['system.import.user.create', created.id]] as const) {
      const [e] = await served(type);
      expect(e!.actor).toMatchObject(SYSTEM);
      expect(e!.target.map((t) => [t.type, t.id])).toEqual([['User', id]]);
      expect(e!.displayMessage).not.toBe(type);
    }
    expect(() => sim.importUserCreate({ login: 'HANA.import@example.com' })).toThrow(/taken/);
  });
});
