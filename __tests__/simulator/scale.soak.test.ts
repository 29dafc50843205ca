import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { getJson, nextLink, readIdentities } from './helpers.js';

describe('scale (soak)', () => {
  // The full size with a local budget (default 120 s); a third of it under CI's small SOAK_BUDGET_MS.
  const full = Number(process.env.SOAK_BUDGET_MS ?? 120_000) >= 60_000;
  const users = full ? 100_000 : 30_000;
  // Speed and memory are measured by `npm run bench`; this checks a large org is built and served correctly.
  it(`generates ${users} users and ~${users * 3} app users and serves them`, async () => {
    const sim = new OktaSimulator({ users, apps: 10, appUsersPerApp: (users * 3) / 10, rateLimits: { windowMs: 1_000, limits: { users: 1e6, apps: 1e6 } } });
    expect(sim.org.apps.reduce((s, a) => s + a.appUserIds.length, 0)).toBeGreaterThan(users * 2.7);
    await sim.start();
    try {
      let url: string | null = `/api/v1/apps/${sim.org.apps[0]!.id}/users?limit=500`;
      let n = 0;
      while (url) {
        const { body, res }: { body: unknown[]; res: Response } = await getJson<unknown[]>(sim, url);
        n += body.length;
        url = nextLink(res);
      }
      expect(n).toBe(sim.org.apps[0]!.appUserIds.length);
      const group = sim.org.groups[0]!;
      const target = sim.org.apps.find((a) => !a.groups.has(group.id))!;
      const before = sim.events.length;
      sim.assignGroupToApp(target.id, group.id);
      expect(sim.events.length - before).toBeGreaterThan(1);
      for (let i = 0; i < 500; i++) sim.randomMutation();
      expect(await readIdentities(sim, 200)).toEqual(sim.expectedIdentities());
    } finally {
      await sim.stop();
    }
  }, 300_000);
});
