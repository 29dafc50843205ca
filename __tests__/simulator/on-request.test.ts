import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get } from './helpers.js';

describe('onRequest', () => {
  it('is validated like the other options', () => {
    expect(() => new OktaSimulator({ onRequest: 5 as never })).toThrow(/onRequest must be a function/);
  });

  it('sees every authenticated request and can delete an app in the middle of the sync, so that very request answers 404', async () => {
    const seen: string[] = [];
    let doomed = '';
    const sim: OktaSimulator = new OktaSimulator({
      users: 30,
      apps: 4,
      onRequest: ({ method, path, query }) => {
        seen.push(`${method} ${path}?${query.toString()}`);
        if (path === `/api/v1/apps/${doomed}/users` && sim.org.app(doomed)) {
          sim.deactivateApp(doomed);
          sim.deleteApp(doomed);
        }
        if (path === '/api/v1/groups') throw new Error('boom');
      },
    });
    await sim.start();
    try {
      doomed = sim.org.apps[1]!.id;
      expect((await get(sim, '/api/v1/users?limit=2')).status).toBe(200);
      expect(seen).toEqual(['GET /api/v1/users?limit=2']);
      expect((await fetch(`${sim.baseUrl}/api/v1/users`)).status).toBe(401);
      expect(seen).toHaveLength(1);

      const res = await get(sim, `/api/v1/apps/${doomed}/users?limit=500`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ errorCode: 'E0000007' });
      expect(sim.org.app(doomed)).toBeUndefined();
      expect(sim.events.slice(-2).map((e) => e.eventType)).toEqual(['application.lifecycle.deactivate', 'application.lifecycle.delete']);
      const again = await get(sim, `/api/v1/apps/${doomed}`);
      expect(again.status).toBe(404);
      expect(await again.json()).toMatchObject({ errorCode: 'E0000007' });
      expect(seen.slice(1)).toEqual([`GET /api/v1/apps/${doomed}/users?limit=500`, `GET /api/v1/apps/${doomed}?`]);

      const failed = await get(sim, '/api/v1/groups');
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ errorCode: 'E0000009' });
    } finally {
      await sim.stop();
    }
  });
});
