import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { getJson, nextLink } from './helpers.js';

// Speed is measured by `npm run bench`, not asserted here: these check that a large org is built
// and served correctly.
describe('scale', () => {
  it('generates 20,000 users and about 60,000 app users', () => {
    const sim = new OktaSimulator({ users: 20_000, apps: 10, appUsersPerApp: 6_000 });
    expect(sim.org.users).toHaveLength(20_000);
    const appUsers = sim.org.apps.reduce((s, a) => s + a.appUserIds.length, 0);
    expect(appUsers).toBeGreaterThan(55_000);
  });

  it('serves a page deep in a long list from its cursor', async () => {
    const sim = new OktaSimulator({ users: 20_000, apps: 2, appUsersPerApp: 15_000, rateLimits: { limits: { apps: 1e6 } } });
    await sim.start();
    try {
      const app = sim.org.apps[1]!;
      // A cursor at a user near the end of the list (the test knows the cursor's format).
      const late = sim.org.appUsers(app.id).at(-20)!.userId;
      const deepCursor = Buffer.from(JSON.stringify({ a: late })).toString('base64url');
      const deep = await getJson<Array<{ id: string }>>(sim, `/api/v1/apps/${app.id}/users?limit=5&after=${deepCursor}`);
      expect(deep.body.map((u) => u.id)).toEqual(sim.org.appUsers(app.id).slice(-19, -14).map((au) => au.userId));
      expect(nextLink(deep.res)).not.toBeNull();
    } finally {
      await sim.stop();
    }
  });
});
