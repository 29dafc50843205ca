import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { OktaResponseError } from '../../../src/index.js';
import { rsaKey } from '../../helpers/keys.js';

/**
 * The token response is read with the same bound as every API response (maxResponseBytes), over a
 * real socket (msw would buffer the body): an endless or oversized answer ends in
 * OktaResponseError response_too_large, and the connector hangs up instead of reading on.
 */
const key = rsaKey();
const MAX = 64 * 1024;
let server: Server;
let baseUrl: string;
const seen = { tokenRequests: 0, apiRequests: 0, written: 0, closedEarly: 0 };
let mode: 'endless' | 'declared' = 'endless';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/oauth2/v1/token') {
      seen.apiRequests++;
      res.writeHead(500).end();
      return;
    }
    seen.tokenRequests++;
    req.resume();
    if (mode === 'declared') {
      // A Content-Length above the bound is refused before a byte of the body is read.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX * 100) });
      res.write('{"access_token":"');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"access_token":"');
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const pump = (): void => {
      while (!res.destroyed) {
        seen.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.once('close', () => seen.closedEarly++);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(retries: number): OktaClient {
  const config = resolveConfig({
    hostname: 'example.okta.com',
    baseUrl,
    oauth: { clientId: '0oa1serviceapp0000001', privateKey: key.pem, keyId: key.jwk.kid },
    maxResponseBytes: MAX,
    retries,
    retryBaseDelayMs: 1,
    // Far longer than the test may take: it must end by size, not by time.
    requestTimeoutMs: 60_000,
  });
  return new OktaClient(config);
}

describe('the OAuth token response is bounded by maxResponseBytes', () => {
  it('an endless token response ends in OktaResponseError response_too_large, and the connector hangs up', async () => {
    mode = 'endless';
    Object.assign(seen, { tokenRequests: 0, apiRequests: 0, written: 0, closedEarly: 0 });
    const c = client(1);
    try {
      const error = await c.get('/api/v1/users').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OktaResponseError);
      expect(error).toMatchObject({ code: 'response_too_large', path: '/oauth2/v1/token' });
      expect((error as Error).message).toContain('maxResponseBytes');
      // Retried like any broken exchange, a bounded number of times; the API was never called.
      expect(seen.tokenRequests).toBe(2);
      expect(seen.apiRequests).toBe(0);
      for (let i = 0; i < 100 && seen.closedEarly < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.closedEarly).toBe(2);
      // What fits in socket buffers before the hang-up, not gigabytes.
      expect(seen.written / seen.tokenRequests).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await c.close();
    }
  });

  it('a Content-Length above the bound is refused without reading the body', async () => {
    mode = 'declared';
    Object.assign(seen, { tokenRequests: 0, apiRequests: 0, written: 0, closedEarly: 0 });
    const c = client(0);
    try {
      await expect(c.get('/api/v1/users')).rejects.toMatchObject({ name: 'OktaResponseError', code: 'response_too_large', path: '/oauth2/v1/token' });
      expect(seen.tokenRequests).toBe(1);
    } finally {
      await c.close();
    }
  });
});
