import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from '../../src/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaResponseError } from '../../src/index.js';
import { recordFigures } from './support.js';

/**
 * An oversized body over a real socket (msw would buffer it): the client hangs up soon after
 * maxResponseBytes instead of reading an endless body, and retries that a bounded number of times.
 */
const HOSTNAME = 'example.okta.com';
const TOKEN = 'body-limit-token';

describe('oversized bodies', () => {
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
    const c = new OktaClient(resolveConfig({ hostname: HOSTNAME, baseUrl, token: TOKEN, maxResponseBytes: 64 * 1024, retries: 2, retryBaseDelayMs: 1 }));
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
