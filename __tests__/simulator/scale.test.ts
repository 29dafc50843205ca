import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { getJson, nextLink } from './helpers.js';

/** CPU milliseconds `fn` takes (less sensitive than wall time to other processes on the machine). */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('scale', () => {
  it('generates 20,000 users and 60,000 app users within a CPU budget', () => {
    let sim: OktaSimulator | undefined;
    const ms = cpuMs(() => {
      sim = new OktaSimulator({ users: 20_000, apps: 10, appUsersPerApp: 6_000 });
    });
    const appUsers = sim!.org.apps.reduce((s, a) => s + a.appUserIds.length, 0);
    expect(appUsers).toBeGreaterThan(55_000);
    expect(ms).toBeLessThan(3_000);
  });

  it('serves a page deep in a long list as fast as the first one', async () => {
    const sim = new OktaSimulator({ users: 20_000, apps: 2, appUsersPerApp: 15_000, rateLimits: { limits: { apps: 1e6 } } });
    await sim.start();
    try {
      const app = sim.org.apps[1]!;
      const time = async (url: string): Promise<number> => {
        const t0 = performance.now();
        await getJson(sim, url);
        return performance.now() - t0;
      };
      // A cursor at a user near the end of the list (the test knows the cursor's format).
      const late = sim.org.appUsers(app.id).at(-20)!.userId;
      const deepCursor = Buffer.from(JSON.stringify({ a: late })).toString('base64url');
      const firsts: number[] = [];
      const deeps: number[] = [];
      for (let i = 0; i < 20; i++) {
        firsts.push(await time(`/api/v1/apps/${app.id}/users?limit=5`));
        deeps.push(await time(`/api/v1/apps/${app.id}/users?limit=5&after=${deepCursor}`));
      }
      const deep = await getJson<Array<{ id: string }>>(sim, `/api/v1/apps/${app.id}/users?limit=5&after=${deepCursor}`);
      expect(deep.body.map((u) => u.id)).toEqual(sim.org.appUsers(app.id).slice(-19, -14).map((au) => au.userId));
      expect(nextLink(deep.res)).not.toBeNull();
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      expect(median(deeps)).toBeLessThan(median(firsts) * 3 + 5);
    } finally {
      await sim.stop();
    }
  });
});
