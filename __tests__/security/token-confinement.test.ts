import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import createDebug from 'debug';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { format, inspect } from 'node:util';
import { resolveConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaIdentityProvider, type ConnectorWarning } from '../../src/index.js';

/**
 * The token goes to the configured origin only, and never into debug output, errors, warnings
 * or inspect output. These tests use real loopback servers (not msw) so that what crosses the
 * socket is what is checked.
 */
const TOKEN = 'confined-token-7f3a9c-SECRET';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

function server(handler: (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen[]) => void) {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res, seen);
  });
  return {
    seen,
    start: () => new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => s.close(() => resolve())),
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const elsewhere = server((_req, res) => json(res, 200, []));
let elsewhereUrl = '';
const okta = server((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/api/v1/users') return json(res, 200, [{ id: '00u1', status: 'ACTIVE', profile: { login: 'a@example.com' } }], { link: `<${elsewhereUrl}/api/v1/users?after=x>; rel="next"` });
  if (path === '/api/v1/redirect') {
    res.writeHead(307, { location: `${elsewhereUrl}/steal` });
    return res.end();
  }
  if (path === '/api/v1/echo-token') return json(res, 500, { errorCode: 'E0000009', errorSummary: `Internal error for SSWS ${TOKEN}` });
  if (path === '/api/v1/apps') return json(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission' });
  return json(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
});
let oktaUrl = '';
const debugOutput: string[] = [];
const originalLog = createDebug.log;

beforeAll(async () => {
  elsewhereUrl = await elsewhere.start();
  oktaUrl = await okta.start();
  createDebug.enable('okta-idp:*');
  createDebug.log = (...args: unknown[]) => void debugOutput.push(format(...args));
});
afterAll(async () => {
  createDebug.disable();
  createDebug.log = originalLog;
  await okta.stop();
  await elsewhere.stop();
});

function client() {
  return new OktaClient(resolveConfig({ hostname: 'example.okta.com', baseUrl: oktaUrl, token: TOKEN, retries: 1, retryBaseDelayMs: 1 }));
}

function provider(warnings: ConnectorWarning[] = []) {
  return new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: oktaUrl, token: TOKEN, retries: 1, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w) });
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function leaks(value: unknown): boolean {
  return [inspect(value, { depth: 20, showHidden: true }), JSON.stringify(value) ?? '', String(value), (value as Error)?.stack ?? ''].some((t) => t.includes(TOKEN));
}

describe('token confinement', () => {
  it('never follows a cross-origin next link: the other server sees nothing', async () => {
    const p = provider();
    const error = await failure(async () => {
      for await (const _ of p.listIdentities()) void _;
    });
    expect(error).toMatchObject({ code: 'cross_origin_link' });
    expect(elsewhere.seen).toEqual([]);
    expect(leaks(error)).toBe(false);
    await p.close();
  });

  it('never follows a redirect', async () => {
    const c = client();
    const error = await failure(() => c.get('/api/v1/redirect'));
    expect(error).toMatchObject({ status: 307 });
    expect(elsewhere.seen).toEqual([]);
    await c.close();
  });

  it('does not pick up HTTP(S)_PROXY from the environment', async () => {
    const saved = { http: process.env.HTTP_PROXY, https: process.env.HTTPS_PROXY };
    process.env.HTTP_PROXY = elsewhereUrl;
    process.env.HTTPS_PROXY = elsewhereUrl;
    try {
      const p = provider();
      await p.checkAccess();
      await p.close();
      expect(elsewhere.seen).toEqual([]);
      expect(okta.seen.length).toBeGreaterThan(0);
    } finally {
      process.env.HTTP_PROXY = saved.http;
      process.env.HTTPS_PROXY = saved.https;
      if (saved.http === undefined) delete process.env.HTTP_PROXY;
      if (saved.https === undefined) delete process.env.HTTPS_PROXY;
    }
  });

  it('keeps the token out of errors, warnings and debug output, even when a server echoes it', async () => {
    const warnings: ConnectorWarning[] = [];
    const p = provider(warnings);
    const report = await p.checkAccess();
    expect(report.permissions.find((x) => x.permission === 'okta.apps.read')?.status).toBe('forbidden');
    expect(leaks(report)).toBe(false);
    const c = client();
    const echoed = await failure(() => c.get('/api/v1/echo-token'));
    expect((echoed as Error).message).toContain('[redacted]');
    expect(leaks(echoed)).toBe(false);
    const unauthorized = await failure(() => c.get('/api/v1/groups'));
    expect(unauthorized).toMatchObject({ code: 'unauthorized' });
    expect(leaks(unauthorized)).toBe(false);
    expect(warnings.some(leaks)).toBe(false);
    expect(debugOutput.length).toBeGreaterThan(0);
    expect(debugOutput.join('\n')).not.toContain(TOKEN);
    await c.close();
    await p.close();
  });

  it('keeps the token out of a network failure wrapped from got (whose options hold the headers)', async () => {
    const c = new OktaClient(resolveConfig({ hostname: 'example.okta.com', baseUrl: 'http://127.0.0.1:1', token: TOKEN, retries: 0 }));
    const error = await failure(() => c.get('/api/v1/users'));
    expect(error).toMatchObject({ code: 'network_error' });
    expect(leaks(error)).toBe(false);
    expect(leaks((error as Error).cause)).toBe(false);
    await c.close();
  });

  it('sends only GET, and every request carries the token only to the configured origin', () => {
    expect(okta.seen.length).toBeGreaterThan(0);
    expect(okta.seen.every((r) => r.method === 'GET')).toBe(true);
    expect(elsewhere.seen).toEqual([]);
  });
});
