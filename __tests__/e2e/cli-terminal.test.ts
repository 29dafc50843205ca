import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { runCli } from './cli-process.js';

/**
 * An org whose texts carry terminal escape sequences (an Okta errorSummary is free text that
 * reaches the admin's terminal): a retitled window, a cleared screen, a forged green line.
 */
const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\x1b[32mOK all permissions granted\x1b[0m\x9b31m\u202e';
const REJECTED = 'rejected-token-0123456789';
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization === `SSWS ${REJECTED}`) return json(401, { errorCode: 'E0000011', errorSummary: HOSTILE });
    if (path === '/api/v1/users') return json(200, []);
    return json(403, { errorCode: 'E0000006', errorSummary: HOSTILE });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a terminal would act on: C0 and C1 controls but the newline, and bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const ACTS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;

describe('CLI output is safe on a terminal', () => {
  it('check: Okta\'s texts reach stdout escaped, never as escape sequences', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', baseUrl], { OKTA_TOKEN: 'token-0123456789abcdef' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/FORBIDDEN\s+okta\.apps\.read/);
    expect(stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\x1b[32mOK all permissions granted\\x1b[0m\\x9b31m\\u202e');
    expect(stdout).not.toMatch(ACTS);
    expect(stderr).not.toMatch(ACTS);
  });

  it('sync: the line of a failure is escaped', async () => {
    const { code, stderr } = await runCli(['sync', '--hostname', 'example.okta.com', '--base-url', baseUrl], { OKTA_TOKEN: REJECTED });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Okta rejected the token \(401 E0000011: \\x1b\]0;pwned/);
    expect(stderr).not.toMatch(ACTS);
  });
});
