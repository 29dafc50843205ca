import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { paginate } from '../../src/http/paginate.js';
import { OktaResponseError } from '../../src/index.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';
import { recordFigures } from '../reliability/support.js';

/**
 * Reading response bodies (body.ts): bounded by maxResponseBytes, parsed as they arrive, items
 * mapped on the way. msw is set up per block: it would intercept (and buffer) the real sockets.
 */

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

describe('oversized bodies', () => {
  describe('answered by msw', () => {
    const server = useMswServer();

    it('refuses a response larger than maxResponseBytes', async () => {
      server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json([{ big: 'x'.repeat(5000) }], { headers: okHeaders() })));
      const { client: c } = client({ maxResponseBytes: 2048, retries: 0 });
      await expect(c.get('/api/v1/users')).rejects.toMatchObject({ code: 'response_too_large' });
    });

    it('refuses at once a body whose Content-Length is over the limit', async () => {
      let calls = 0;
      server.use(http.get(`${ORIGIN}/api/v1/apps`, () => (calls++, HttpResponse.json([{ id: '0oa1', pad: 'x'.repeat(200_000) }], { headers: okHeaders() }))));
      const { client: c } = client({ maxResponseBytes: 64 * 1024, retries: 0 });
      await expect(c.get('/api/v1/apps')).rejects.toMatchObject({ code: 'response_too_large' });
      expect(calls).toBe(1);
    });
  });

  /** The client hangs up soon after maxResponseBytes instead of reading an endless body, and retries that a bounded number of times. */
  describe('over a real socket', () => {
    it('stops reading an endless body (no Content-Length) soon after maxResponseBytes, a bounded number of times', async () => {
      // A real socket, so that what the server manages to write is what the client really read.
      let calls = 0;
      let written = 0;
      let closedEarly = 0;
      const endless = createServer((_req, res) => {
        calls++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const chunk = Buffer.from(`${JSON.stringify({ id: '0oa1', pad: 'x'.repeat(16_000) })},`);
        const pump = (): void => {
          while (!res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        res.once('close', () => closedEarly++);
        pump();
      });
      await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
      const baseUrl = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
      const c = new OktaClient(resolveConfig({ hostname: HOSTNAME, baseUrl, token: 'body-limit-token', maxResponseBytes: 64 * 1024, retries: 2, retryBaseDelayMs: 1 }));
      const t0 = Date.now();
      try {
        const error = await c.get('/api/v1/apps').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OktaResponseError);
        expect(error).toMatchObject({ code: 'response_too_large', path: '/api/v1/apps' });
        // Refused by size, not by the 30 s request timeout; each attempt's socket closed by the client.
        expect(Date.now() - t0).toBeLessThan(5_000);
        expect(calls).toBe(3);
        for (let i = 0; i < 100 && closedEarly < 3; i++) await new Promise((r) => setTimeout(r, 10));
        expect(closedEarly).toBe(3);
        // What the server could push into socket buffers before the client hung up, not "everything".
        expect(written / calls).toBeLessThan(32 * 1024 * 1024);
        recordFigures('body-limit', { attempts: calls, bytesWrittenPerAttempt: Math.round(written / calls), maxResponseBytes: 64 * 1024 });
      } finally {
        await c.close();
        endless.closeAllConnections();
        await new Promise((resolve) => endless.close(resolve));
      }
    });
  });
});

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
