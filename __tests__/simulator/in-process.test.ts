import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get, nextLink } from './helpers.js';

/** `sim.fetch(request)`: the simulator answering a fetch Request without a socket, as its HTTP server does. */
const ORIGIN = 'https://example.okta.com';
const UNLIMITED = { limits: { users: 1e6, apps: 1e6, user: 1e6 } };

describe('in-process answers', () => {
  const sim = new OktaSimulator({ seed: 3, users: 30, apps: 3, rateLimits: UNLIMITED, now: () => Date.UTC(2026, 0, 1) });
  const local = (path: string, init: RequestInit = {}): Promise<Response> => sim.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers: { Authorization: `SSWS ${sim.token}`, ...init.headers } }));
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('are the HTTP server’s, with links at the request’s origin', async () => {
    for (const path of ['/api/v1/users?limit=7', `/api/v1/apps/${sim.org.apps[0]!.id}/users?limit=2&expand=user`, `/api/v1/users/${sim.org.users[3]!.id}`, '/api/v1/groups']) {
      const [overHttp, inProcess] = await Promise.all([get(sim, path), local(path)]);
      expect(inProcess.status).toBe(overHttp.status);
      expect(inProcess.headers.get('x-rate-limit-limit')).toBe(overHttp.headers.get('x-rate-limit-limit'));
      expect(inProcess.headers.get('date')).toBe(overHttp.headers.get('date'));
      expect(await inProcess.text()).toBe((await overHttp.text()).replaceAll(sim.baseUrl, ORIGIN));
    }
    const page = await local('/api/v1/users?limit=7');
    expect(new URL(nextLink(page)!).origin).toBe(ORIGIN);
  });

  it('check the token and the method, and count into the same stats', async () => {
    sim.resetStats();
    expect((await sim.fetch(new Request(`${ORIGIN}/api/v1/users`, { headers: { Authorization: 'SSWS wrong' } }))).status).toBe(401);
    expect((await local('/api/v1/users', { method: 'DELETE' })).status).toBe(405);
    await get(sim, '/api/v1/users?limit=1');
    expect(sim.stats).toMatchObject({ requests: 3, byStatus: { '401': 1, '405': 1, '200': 1 }, inFlight: 0 });
  });

  it('turn a dropped connection into a network error', async () => {
    const dropping = new OktaSimulator({ users: 2, apps: 0, groups: 0, faults: { rate: 1, kinds: ['drop'] } });
    const res = await dropping.fetch(new Request(`${ORIGIN}/api/v1/users`, { headers: { Authorization: `SSWS ${dropping.token}` } }));
    expect(res.type).toBe('error');
    expect(dropping.stats.faults.drop).toBe(1);
  });
});
