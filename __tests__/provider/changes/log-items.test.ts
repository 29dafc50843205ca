import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaResponseError } from '../../../src/errors.js';
import { OktaClient } from '../../../src/http/client.js';
import { readLogPage } from '../../../src/provider/changes/log.js';
import { FakeClock } from '../../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';

/** A System Log page is never held as Okta sent it: each event is cut to what the stream uses as it is parsed. */
const server = useMswServer();

const event = (n: number) => ({
  uuid: `uuid-${n}`,
  published: '2026-01-01T00:00:00.000Z',
  eventType: 'user.lifecycle.suspend',
  actor: { id: '00uAdmin', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
  target: [{ id: `00u${n}`, type: 'User', alternateId: `u${n}@example.com`, displayName: `U ${n}`, detailEntry: { big: 'x'.repeat(1000) } }],
  client: { userAgent: { rawUserAgent: 'x'.repeat(1000) } },
  debugContext: { debugData: { blob: 'y'.repeat(5000) } },
});

async function read(body: string | unknown[], limit = 1000) {
  let requests = 0;
  server.use(
    http.get(`${ORIGIN}/api/v1/logs`, () => {
      requests++;
      const headers = okHeaders({ link: `<${ORIGIN}/api/v1/logs?after=next&limit=${limit}>; rel="next"` });
      return typeof body === 'string' ? new HttpResponse(body, { headers }) : HttpResponse.json(body, { headers });
    }),
  );
  const clock = new FakeClock(Date.now());
  const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1 }), { clock, random: () => 0.5 });
  try {
    const page = await readLogPage({ client, warn: () => undefined }, `/api/v1/logs?since=2026-01-01T00%3A00%3A00.000Z&limit=${limit}`, Date.now(), clock).catch((e: unknown) => e);
    return { page, requests };
  } finally {
    await client.close();
  }
}

describe('readLogPage', () => {
  it('keeps of each event its uuid, time, type, actor and targets (id and type), nothing else', async () => {
    const { page } = await read([event(1), { uuid: 'bad-1', published: '2026-01-01T00:00:01.000Z', eventType: 42, debugContext: 'z'.repeat(5000) }, event(2)]);
    const { items } = page as { items: unknown[] };
    expect(items).toEqual([
      { uuid: 'uuid-1', published: '2026-01-01T00:00:00.000Z', eventType: 'user.lifecycle.suspend', actor: { id: '00uAdmin', type: 'User' }, target: [{ id: '00u1', type: 'User' }] },
      // An invalid event keeps only its place in the log: the planner counts it invalid.
      { uuid: 'bad-1', published: '2026-01-01T00:00:01.000Z' },
      { uuid: 'uuid-2', published: '2026-01-01T00:00:00.000Z', eventType: 'user.lifecycle.suspend', actor: { id: '00uAdmin', type: 'User' }, target: [{ id: '00u2', type: 'User' }] },
    ]);
    expect(JSON.stringify(items).length).toBeLessThan(600);
  });

  it('refuses a page of far more events than its limit, after 2 x limit of them and without a retry', async () => {
    const { page, requests } = await read(`[${new Array(10 * 1000).fill('{}').join(',')}]`, 10);
    expect(page).toBeInstanceOf(OktaResponseError);
    expect(page).toMatchObject({ code: 'invalid_response', path: '/api/v1/logs' });
    expect(requests).toBe(1);
  });
});
