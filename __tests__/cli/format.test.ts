import { describe, expect, it } from '@jest/globals';
import { accessProblem, failureLine, formatAccessReport, formatWarning, terminalSafe } from '../../src/cli/format.js';
import { OktaAuthenticationError, OktaForbiddenError, OktaNetworkError } from '../../src/errors.js';
import type { AccessReport, PermissionCheck } from '../../src/provider/access.js';

/** The one-line diagnoses the CLI prints instead of a wall of identical errors. */
const ORIGIN = 'https://example.okta.com';

function report(statuses: PermissionCheck['status'][], message = 'x'): AccessReport {
  const names = ['okta.users.read', 'okta.apps.read', 'okta.groups.read', 'okta.logs.read'] as const;
  return {
    ok: statuses.every((s) => s === 'ok'),
    origin: ORIGIN,
    permissions: statuses.map((status, i) => ({ permission: names[i]!, status, path: '/api/v1/users', message, missingData: '' })),
  };
}

describe('accessProblem', () => {
  it('is null when the report is a permission report (all answered)', () => {
    expect(accessProblem(report(['ok', 'forbidden', 'ok', 'ok']))).toBeNull();
    expect(accessProblem(report(['ok', 'ok', 'ok', 'ok']))).toBeNull();
  });

  it('names the unreachable host and why, in words', () => {
    const cases: [string, string][] = [
      ['GET /api/v1/users: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (after 2 attempts)', 'connection refused (ECONNREFUSED)'],
      ['GET /api/v1/users: ENOTFOUND: getaddrinfo ENOTFOUND nowhere.invalid (after 2 attempts)', 'host name not found (ENOTFOUND)'],
      ['GET /api/v1/users: EAI_AGAIN: getaddrinfo EAI_AGAIN example.okta.com (after 2 attempts)', 'host name lookup failed (EAI_AGAIN)'],
      ['GET /api/v1/users: ETIMEDOUT: Timeout awaiting \'request\' for 10000ms (after 2 attempts)', 'no answer in time (ETIMEDOUT)'],
      ['GET /api/v1/users: ECONNRESET: socket hang up (after 2 attempts)', 'connection reset (ECONNRESET)'],
      ['GET /api/v1/users: something odd (after 2 attempts)', 'something odd (after 2 attempts)'],
    ];
    for (const [message, reason] of cases) {
      expect(accessProblem(report(['unreachable', 'unreachable', 'unreachable', 'unreachable'], message))).toBe(`cannot reach ${ORIGIN}: ${reason}`);
    }
  });

  it('says the token was rejected, with Okta\'s code', () => {
    const message = 'GET /api/v1/users: Okta rejected the API token (E0000011: Invalid token provided). Check that the token is valid.';
    expect(accessProblem(report(['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized'], message))).toBe(
      'Okta rejected the token (401 E0000011: Invalid token provided). Check that the token is valid, not revoked or expired (30 days unused), and belongs to this org.',
    );
  });
});

describe('failureLine', () => {
  it('diagnoses a failed sync the same way', () => {
    expect(failureLine(new OktaNetworkError('GET /api/v1/users: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (after 7 attempts)', '/api/v1/users'), ORIGIN)).toBe(
      `cannot reach ${ORIGIN}: connection refused (ECONNREFUSED)`,
    );
    const rejected = new OktaAuthenticationError('GET /api/v1/users: Okta rejected the API token (E0000011: Invalid token provided).', 'unauthorized', { status: 401, path: '/api/v1/users', errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    expect(failureLine(rejected, ORIGIN)).toMatch(/^Okta rejected the token \(401 E0000011: Invalid token provided\)\./);
    const forbidden = new OktaForbiddenError('GET /api/v1/users: the token may not read this resource; grant okta.users.read.', 'forbidden', { status: 403, path: '/api/v1/users' });
    expect(failureLine(forbidden, ORIGIN)).toBe('missing permission: GET /api/v1/users: the token may not read this resource; grant okta.users.read.');
    expect(failureLine(new Error('boom'), ORIGIN)).toBe('boom');
  });
});

describe('terminalSafe: what the command prints cannot drive the terminal', () => {
  // eslint-disable-next-line no-control-regex -- finding them is the point
  const ACTS = /[\x1b\x07\x9b\u202e\n]/;
  const hostile = 'App \x1b]0;pwned\x07\x1b[2J\x1b[32mOK\x1b[0m\x9b1m\u202eevil\nOK  okta.logs.read';

  it('shows every control character as an escape, the newline too unless asked to keep lines', () => {
    expect(terminalSafe(hostile)).toBe('App \\x1b]0;pwned\\x07\\x1b[2J\\x1b[32mOK\\x1b[0m\\x9b1m\\u202eevil\\x0aOK  okta.logs.read');
    expect(terminalSafe('line one\nline\ttwo\x1b', { lines: true })).toBe('line one\nline\\x09two\\x1b');
    expect(terminalSafe('Zoë 日本 ok')).toBe('Zoë 日本 ok');
  });

  it('the report, a failure line and a warning carry Okta text escaped, on one line each', () => {
    const forbidden: AccessReport = {
      ok: false,
      origin: ORIGIN,
      permissions: [{ permission: 'okta.logs.read', status: 'forbidden', path: '/api/v1/logs', message: hostile, missingData: 'x' }],
    };
    const text = formatAccessReport(forbidden);
    expect(text.replace(/\n/g, ' ')).not.toMatch(ACTS);
    expect(text.split('\n').filter((l) => l.startsWith('OK'))).toEqual([]);
    const line = failureLine(new OktaAuthenticationError('x', 'unauthorized', { status: 401, path: '/api/v1/users', errorCode: 'E0000011', errorSummary: hostile }), ORIGIN);
    expect(line).not.toMatch(ACTS);
    expect(line).toContain('\\x1b[2J');
    const warning = formatWarning({ code: 'forbidden', path: '/api/v1/apps', message: hostile });
    expect(warning).not.toMatch(ACTS);
    expect(warning).toMatch(/^warning: forbidden \/api\/v1\/apps: App \\x1b/);
  });
});
