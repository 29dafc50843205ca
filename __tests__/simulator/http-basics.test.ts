import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get } from './helpers.js';

describe('HTTP basics', () => {
  const sim = new OktaSimulator({ users: 20, token: 'secret-token' });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('listens on 127.0.0.1 and exposes its token', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.token).toBe('secret-token');
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'SSWS wrong' }],
    ['a bearer token', { Authorization: 'Bearer secret-token' }],
    ['a lower-case scheme', { Authorization: 'ssws secret-token' }],
  ])('answers 401 E0000011 to %s', async (_name, headers: Record<string, string>) => {
    const res = await fetch(`${sim.baseUrl}/api/v1/users`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorCauses: [] });
    expect(body.errorId).toEqual(expect.any(String));
    expect(res.headers.get('x-rate-limit-limit')).toBe('600');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 E0000022', async (method) => {
    const res = await fetch(`${sim.baseUrl}/api/v1/users`, { method, headers: { Authorization: `SSWS ${sim.token}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000022');
  });

  it('answers unknown paths and unknown ids with 404 E0000007', async () => {
    for (const path of ['/api/v1/nope', '/api/v2/users', '/api/v1/users/00unknown', '/api/v1/apps/0oanope', '/api/v1/groups/00gnope/users', '/']) {
      const res = await get(sim, path);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { errorCode: string; errorSummary: string };
      expect(body.errorCode).toBe('E0000007');
      expect(body.errorSummary).toMatch(/^Not found: /);
    }
  });

  it('sends JSON with Date, X-Okta-Request-Id and rate-limit headers on every response', async () => {
    const ok = await get(sim, '/api/v1/users?limit=1');
    const missing = await get(sim, '/api/v1/users/00unknown');
    for (const res of [ok, missing]) {
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(Number.isNaN(Date.parse(res.headers.get('date') ?? ''))).toBe(false);
      expect(res.headers.get('x-okta-request-id')).toMatch(/^[A-Za-z0-9_-]{10,}$/);
      for (const h of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']) expect(res.headers.get(h)).toMatch(/^\d+$/);
    }
    expect(ok.headers.get('x-okta-request-id')).not.toBe(missing.headers.get('x-okta-request-id'));
  });

  it('refuses baseUrl before start', () => {
    expect(() => new OktaSimulator({ users: 1 }).baseUrl).toThrow(/start/);
  });
});
