import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { all, get, getJson, q } from './helpers.js';

/**
 * What tests of a connector need to say exactly what Okta holds and logged: records with the ids
 * they choose, changes that log nothing, log entries of any shape, and a role that changes.
 */
const NOW = Date.UTC(2026, 0, 1);

describe('test seams', () => {
  let clock = NOW;
  const sim = new OktaSimulator({ users: 0, apps: 0, groups: 0, now: () => clock });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('creates users, apps and groups with the ids a test picks, listed in id order', async () => {
    const b = sim.createUser({ login: 'b@example.com' }, { id: '00uB' });
    const a = sim.createUser({ login: 'a@example.com' }, { id: '00uA' });
    expect([a.id, b.id]).toEqual(['00uA', '00uB']);
    expect(sim.createApp({ name: 'slack', label: 'Slack', id: '0oaSlack' }).id).toBe('0oaSlack');
    expect(sim.createGroup('Eng', 'Engineers', { id: '00gEng' }).id).toBe('00gEng');
    expect((await all<{ id: string }>(sim, '/api/v1/users?limit=1')).map((u) => u.id)).toEqual(['00uA', '00uB']);
    expect(() => sim.createUser({ login: 'c@example.com' }, { id: '00uA' })).toThrow(/already exists/);
    expect(() => sim.createUser({ login: 'd@example.com' }, { id: '../x' })).toThrow(/letters and digits/);
    expect(() => sim.createApp({ name: 'x', label: 'X', id: '0oa/users' })).toThrow(/letters and digits/);
  });

  it('changes the org silently: the ground truth moves, the log does not', () => {
    const before = sim.events.length;
    const events = sim.silently(() => {
      sim.assignUserToApp('0oaSlack', '00uA', { userName: 'ada' });
      return sim.suspendUser('00uB');
    });
    expect(events.map((e) => e.eventType)).toEqual(['user.lifecycle.suspend']);
    expect(sim.events).toHaveLength(before);
    expect(sim.identity('00uA')!.accounts.map((x) => x.userName)).toEqual(['ada']);
    expect(sim.identity('00uB')!.status).toBe('SUSPENDED');
    expect(() => sim.silently(() => sim.suspendUser('00uB'))).toThrow(/SUSPENDED/);
    sim.unsuspendUser('00uB');
    expect(sim.events.map((e) => e.eventType).slice(before)).toEqual(['user.lifecycle.unsuspend']);
  });

  it('serves an appended event exactly as given, in persistence order, and filters it like any other', async () => {
    clock = NOW + 60_000;
    const since = new Date(clock).toISOString();
    const odd = { uuid: 'e-odd', published: new Date(NOW - 3_600_000).toISOString(), eventType: 'user.account.lock', target: [null, { id: '00uA' }] };
    sim.appendEvent(odd);
    sim.appendEvent({ uuid: 'e-bare', eventType: 'user.lifecycle.create' });
    odd.eventType = 'changed afterwards';
    const polled = await getJson<Array<Record<string, unknown>>>(sim, `/api/v1/logs?since=${since}`);
    expect(polled.body).toEqual([
      { uuid: 'e-odd', published: new Date(NOW - 3_600_000).toISOString(), eventType: 'user.account.lock', target: [null, { id: '00uA' }] },
      { uuid: 'e-bare', eventType: 'user.lifecycle.create' },
    ]);
    const filtered = await getJson<Array<{ uuid: string }>>(sim, `/api/v1/logs?since=${since}&filter=${q('target.id eq "00uA" or eventType sw "user.lifecycle."')}`);
    expect(filtered.body.map((e) => e.uuid)).toEqual(['e-odd', 'e-bare']);
    // A bounded query orders by published: the late entry comes first, the bare one is published when appended.
    const bounded = await getJson<Array<{ uuid: string }>>(sim, `/api/v1/logs?since=${new Date(NOW - 7_200_000).toISOString()}&until=${new Date(clock + 1).toISOString()}`);
    expect(bounded.body.map((e) => e.uuid).filter((u) => u.startsWith('e-'))).toEqual(['e-odd', 'e-bare']);
    expect(sim.events.at(-1)).toEqual({ uuid: 'e-bare', eventType: 'user.lifecycle.create' });
  });

  it('forbids paths from now on, and back', async () => {
    sim.setForbidden(['/api/v1/apps/0oaSlack/users', /^\/api\/v1\/users\/00uB$/]);
    expect((await get(sim, '/api/v1/apps/0oaSlack/users')).status).toBe(403);
    expect((await get(sim, '/api/v1/users/00uB')).status).toBe(403);
    expect((await get(sim, '/api/v1/users/00uA')).status).toBe(200);
    expect(sim.identity('00uA')!.accounts).toEqual([]);
    expect(sim.options.forbidden).toHaveLength(2);
    sim.setForbidden([]);
    expect((await get(sim, '/api/v1/apps/0oaSlack/users')).status).toBe(200);
    expect(sim.identity('00uA')!.accounts).toHaveLength(1);
    expect(() => sim.setForbidden([5 as never])).toThrow(TypeError);
  });
});
