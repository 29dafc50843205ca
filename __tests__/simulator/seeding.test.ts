import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';

function snapshot(sim: OktaSimulator): unknown {
  return {
    users: sim.org.users.map((u) => [u.id, u.status, u.profile, u.created, u.lastUpdated]),
    apps: sim.org.apps.map((a) => [a.id, a.name, a.label, a.provisioned, [...a.groupIds], sim.org.appUsers(a.id).map((au) => [au.userId, au.userName, au.externalId, au.direct])]),
    groups: sim.org.groups.map((g) => [g.id, g.name, [...g.memberIds]]),
  };
}

describe('seeded org', () => {
  it('is the same for the same seed and different for another', () => {
    const a = new OktaSimulator({ seed: 42, users: 150 });
    const b = new OktaSimulator({ seed: 42, users: 150 });
    const c = new OktaSimulator({ seed: 43, users: 150 });
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(a.expectedIdentities()).toEqual(b.expectedIdentities());
    expect(snapshot(c)).not.toEqual(snapshot(a));
    expect(c.org.users[0]?.id).not.toBe(a.org.users[0]?.id);
  });

  it('has the requested sizes and Okta-looking ids', () => {
    const sim = new OktaSimulator({ users: 120, apps: 5, groups: 4 });
    expect(sim.org.users).toHaveLength(120);
    expect(sim.org.apps).toHaveLength(5);
    expect(sim.org.groups).toHaveLength(4);
    for (const u of sim.org.users) expect(u.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    for (const a of sim.org.apps) expect(a.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    for (const g of sim.org.groups) expect(g.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    const logins = sim.org.users.map((u) => String(u.profile.login).toLowerCase());
    expect(new Set(logins).size).toBe(logins.length);
  });

  it('has DEPROVISIONED, SUSPENDED and STAGED users', () => {
    const statuses = new Set(new OktaSimulator({ users: 50 }).org.users.map((u) => u.status));
    for (const s of ['ACTIVE', 'DEPROVISIONED', 'SUSPENDED', 'STAGED']) expect(statuses).toContain(s);
  });

  it('has two instances of one app name, provisioned and unprovisioned apps, null and absent externalIds', () => {
    const sim = new OktaSimulator({ apps: 3 });
    const names = sim.org.apps.map((a) => a.name);
    expect(names.filter((n) => n === 'slack')).toHaveLength(2);
    const slacks = sim.org.apps.filter((a) => a.name === 'slack');
    expect(new Set(slacks.map((a) => a.label)).size).toBe(2);

    const full = new OktaSimulator();
    const provisioned = full.org.apps.filter((a) => a.provisioned);
    const plain = full.org.apps.filter((a) => !a.provisioned);
    expect(provisioned.length).toBeGreaterThan(0);
    expect(plain.map((a) => a.externalIdStyle)).toEqual(expect.arrayContaining(['null', 'absent']));
    for (const app of provisioned) for (const au of full.org.appUsers(app.id)) expect(au.externalId).toEqual(expect.any(String));
    for (const app of plain) for (const au of full.org.appUsers(app.id)) expect(au.externalId).toBeNull();
  });

  it('assigns some apps through groups (scope GROUP) and gives USER scope to members also assigned directly', () => {
    const sim = new OktaSimulator();
    const ids = sim.expectedIdentities();
    const scopes = ids.flatMap((i) => i.accounts.map((a) => a.scope));
    expect(scopes).toContain('GROUP');
    expect(scopes).toContain('USER');
    const groupApps = sim.org.apps.filter((a) => a.groupIds.length > 0);
    expect(groupApps.length).toBeGreaterThan(0);
    let both = 0;
    for (const app of groupApps) {
      for (const au of sim.org.appUsers(app.id)) {
        const inGroup = app.groupIds.some((g) => sim.org.group(g)?.members.has(au.userId));
        expect(au.groupCount > 0).toBe(inGroup);
        if (au.direct && inGroup) both++;
        const account = sim.identity(au.userId)?.accounts.find((a) => a.appId === app.id);
        expect(account?.scope).toBe(au.direct ? 'USER' : 'GROUP');
      }
    }
    expect(both).toBeGreaterThan(0);
  });

  it('roughly honours appUsersPerApp', () => {
    const sim = new OktaSimulator({ users: 2_000, apps: 6, appUsersPerApp: 500 });
    const total = sim.org.apps.reduce((s, a) => s + a.appUserIds.length, 0);
    expect(total / 6).toBeGreaterThan(400);
    expect(total / 6).toBeLessThan(650);
  });

  it('maps users to identities the way the connector does', () => {
    const sim = new OktaSimulator({ users: 300 });
    const ids = sim.expectedIdentities();
    expect(ids.map((i) => i.id)).toEqual([...ids.map((i) => i.id)].sort());
    const byId = new Map(sim.org.users.map((u) => [u.id, u]));
    for (const identity of ids) {
      const u = byId.get(identity.id)!;
      expect(identity.login).toBe(u.profile.login);
      expect(identity.email).toBe(u.profile.email ?? null);
      const full = `${u.profile.firstName ?? ''} ${u.profile.lastName ?? ''}`.trim();
      expect(identity.displayName).toBe(u.profile.displayName ? u.profile.displayName : full || u.profile.login);
      expect(identity.accounts.map((a) => a.appId)).toEqual([...identity.accounts.map((a) => a.appId)].sort());
    }
    // The seed includes an explicit displayName, an empty one, and a nameless service account.
    expect(sim.org.users.some((u) => u.profile.displayName)).toBe(true);
    expect(sim.org.users.some((u) => u.profile.displayName === '')).toBe(true);
    const svc = ids.find((i) => i.login.startsWith('svc-'));
    expect(svc?.displayName).toBe(svc?.login);
  });

  it('rejects invalid options with a message naming them', () => {
    expect(() => new OktaSimulator({ users: -1 })).toThrow(/users/);
    expect(() => new OktaSimulator({ faults: { rate: 2 } })).toThrow(/faults.rate/);
    expect(() => new OktaSimulator({ rateLimits: { windowMs: 1_500 } })).toThrow(/windowMs/);
    expect(() => new OktaSimulator({ rateLimits: { limits: { nope: 1 } as never } })).toThrow(/nope/);
    expect(() => new OktaSimulator({ linkStyle: 'other' as never })).toThrow(/linkStyle/);
    expect(() => new OktaSimulator({ userz: 1 } as never)).toThrow(/userz/);
    expect(() => new OktaSimulator({ faults: { rate: 0.5, kinds: ['404' as never] } })).toThrow(/faults.kinds/);
    expect(() => new OktaSimulator({ appUsersPerApp: 10, users: 5 })).toThrow(/appUsersPerApp/);
  });

  it('throws a TypeError whose message names the option, nested ones by their path', () => {
    const message = (options: unknown): string => {
      try {
        new OktaSimulator(options as never);
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ rateLimits: { maxConcurrent: 0 } })).toBe('OktaSimulator: rateLimits.maxConcurrent must be an integer >= 1');
    expect(message({ faults: {} })).toBe('OktaSimulator: faults.rate is required');
    expect(message({ pageLimits: { listGroupUsers: 0 } })).toBe('OktaSimulator: pageLimits.listGroupUsers must be an integer >= 1');
    expect(message({ pageLimits: { listNothing: 5 } })).toBe('OktaSimulator: unknown option pageLimits.listNothing');
    expect(message({ oauth: { clients: [{ clientId: 'a', publicJwk: [], scopes: [] }] } })).toBe('OktaSimulator: oauth.clients[0].publicJwk must hold at least one key');
    expect(message('seven')).toBe('OktaSimulator: options must be an object');
  });
});
