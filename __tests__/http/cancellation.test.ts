import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaIdentityProvider } from '../../src/index.js';

/** Timeouts and cancellation against a real loopback server that can hang. */
let hangs = 0;
let open = 0;
const server = http.createServer((req, res) => {
  open++;
  req.socket.once('close', () => open--);
  if (req.url?.startsWith('/api/v1/slow-once') && hangs++ === 0) return; // never answers the first time
  if (req.url?.startsWith('/api/v1/hang') || req.url?.startsWith('/api/v1/users')) return; // never answers
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('[]');
});
let baseUrl = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = (extra = {}) => resolveConfig({ hostname: 'example.okta.com', baseUrl, token: 't0ken', retryBaseDelayMs: 1, ...extra });

describe('timeouts and cancellation', () => {
  it('times out a response slower than requestTimeoutMs and retries it', async () => {
    const client = new OktaClient(config({ requestTimeoutMs: 100 }));
    await expect(client.get('/api/v1/slow-once')).resolves.toMatchObject({ body: [] });
    expect(client.stats.retries).toBe(1);
    await client.close();
  });

  it('fails with a typed error naming the path when every attempt times out', async () => {
    const client = new OktaClient(config({ requestTimeoutMs: 50, retries: 1 }));
    await expect(client.get('/api/v1/hang')).rejects.toMatchObject({ code: 'network_error', path: '/api/v1/hang' });
    await client.close();
  });

  it('aborting a request in flight rejects at once and closes its socket', async () => {
    const client = new OktaClient(config());
    const controller = new AbortController();
    const pending = client.get('/api/v1/hang', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    controller.abort(new Error('cancelled by host'));
    await expect(pending).rejects.toThrow('cancelled by host');
    expect(Date.now() - started).toBeLessThan(200);
    await client.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(open).toBe(0);
  });

  it('close() stops calls that are still running', async () => {
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl, token: 't0ken' });
    const pending = provider.resolveAppUser('okta', 'someone@example.com');
    await new Promise((r) => setTimeout(r, 30));
    await provider.close();
    await expect(pending).rejects.toThrow('closed');
  });
});
