import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OktaIdentityProvider } from '../../src/index.js';

/** An org host that accepts connections and never answers: each probe can only time out. */
const received: string[] = [];
const held: ServerResponse[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  received.push(req.url ?? '');
  held.push(res);
});
let baseUrl = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => {
  for (const res of held) res.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('checkAccess against a host that never answers', () => {
  it('answers within one timeout: every probe is sent at once, and Group Push is not probed after the groups probe timed out', async () => {
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl, token: 'token-0123456789abcdef', requestTimeoutMs: 300, retries: 0 });
    const report = await provider.checkAccess();
    await provider.close();
    expect(report.permissions.map((p) => p.status)).toEqual(['unreachable', 'unreachable', 'unreachable', 'unreachable', 'unreachable']);
    // One request per permission; no search for an app group waiting out a second timeout.
    expect(received.map((url) => url.split('?')[0]).sort()).toEqual(['/api/v1/apps', '/api/v1/groups', '/api/v1/logs', '/api/v1/users']);
    expect(report.permissions[4]!.message).toMatch(/^Group Push mappings .* could not be checked: .*ETIMEDOUT/);
  });
});
