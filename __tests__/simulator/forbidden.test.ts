import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get, readIdentities } from './helpers.js';

describe('forbidden paths', () => {
  const base = new OktaSimulator({ users: 60, apps: 5 });
  const [hidden, other] = [base.org.apps[1]!.id, base.org.apps[3]!.id];
  const sim = new OktaSimulator({ users: 60, apps: 5, forbidden: [`/api/v1/apps/${hidden}/users`, new RegExp(`^/api/v1/apps/${other}/users$`), '/api/v1/logs'] });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('answers 403 E0000006 on forbidden prefixes and patterns only', async () => {
    for (const path of [`/api/v1/apps/${hidden}/users`, `/api/v1/apps/${hidden}/users/${sim.org.users[0]!.id}`, `/api/v1/apps/${other}/users`, '/api/v1/logs?since=2020-01-01T00:00:00Z']) {
      const res = await get(sim, path);
      expect(res.status).toBe(403);
      const body = (await res.json()) as { errorCode: string; errorSummary: string };
      expect(body).toMatchObject({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' });
      expect(res.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
    }
    expect((await get(sim, `/api/v1/apps/${other}/users/${sim.org.users[0]!.id}`)).status).not.toBe(403);
    expect((await get(sim, `/api/v1/apps/${hidden}`)).status).toBe(200);
    expect((await get(sim, `/api/v1/apps/${sim.org.apps[0]!.id}/users`)).status).toBe(200);
  });

  it('checks authentication before the forbidden list', async () => {
    const res = await fetch(`${sim.baseUrl}/api/v1/apps/${hidden}/users`);
    expect(res.status).toBe(401);
  });

  it('leaves accounts of apps whose users are forbidden out of the ground truth', async () => {
    const all = base.expectedIdentities();
    const visible = sim.expectedIdentities();
    expect(all.some((i) => i.accounts.some((a) => a.appId === hidden))).toBe(true);
    expect(visible.some((i) => i.accounts.some((a) => a.appId === hidden || a.appId === other))).toBe(false);
    expect(visible).toEqual(all.map((i) => ({ ...i, accounts: i.accounts.filter((a) => a.appId !== hidden && a.appId !== other) })));
    expect(await readIdentities(sim)).toEqual(visible);
  });
});
