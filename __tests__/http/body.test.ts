import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config.js';
import { OktaClient } from '../../src/http/client.js';
import { paginate } from '../../src/http/paginate.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/** Reading response bodies (body.ts): parsed as they arrive, items mapped on the way. */

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

describe('an item mapper that throws (a bug of the caller, not a body error)', () => {
  const server = useMswServer();
  const bug = new TypeError("Cannot read properties of undefined (reading 'login')");
  const throwing = (): never => {
    throw bug;
  };

  it('rejects with the mapper’s own error after exactly one request: never retried, never called invalid JSON', async () => {
    let calls = 0;
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => (calls++, HttpResponse.json([{ id: '00u1' }, { id: '00u2' }], { headers: okHeaders() }))));
    const { client: c } = client();
    const error = await c.get('/api/v1/users', { item: throwing }).catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(calls).toBe(1);
    expect(c.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it('ends a list read the same way, after the first element that throws', async () => {
    let calls = 0;
    const seen: number[] = [];
    server.use(http.get(`${ORIGIN}/api/v1/apps`, () => (calls++, HttpResponse.json([{ id: '0oa1' }, { id: '0oa2' }, { id: '0oa3' }], { headers: okHeaders() }))));
    const { client: c } = client();
    const mapper = (_element: unknown, index: number): number => {
      seen.push(index);
      if (index === 1) throw bug;
      return index;
    };
    const error = await (async () => {
      for await (const _ of paginate(c, '/api/v1/apps', {}, undefined, mapper)) void _;
    })().catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(calls).toBe(1);
    expect(seen).toEqual([0, 1]);
  });
});
