import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaAuthenticationError, OktaForbiddenError } from '../../src/errors.js';
import { createHttpError } from '../../src/http/http-error.js';
import { FakeClock } from '../helpers/clock.js';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/** How an error response becomes an error (http-error.ts). */
const server = useMswServer();

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

describe('error responses', () => {
  it('fails fast and clearly on 401, without the token in the message', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json(errorBody('ErrorInvalidTokenProvided'), { status: 401, headers: okHeaders() })));
    const { client: c } = client();
    const error = await c.get('/api/v1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaAuthenticationError);
    expect(c.stats.requests).toBe(1);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(text).toContain('E0000011');
    expect(text).not.toContain(TOKEN);
  });

  it('turns 403 into OktaForbiddenError naming the permission, without retrying', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/apps/0oa1/users`, () => HttpResponse.json(errorBody('ErrorAccessDenied'), { status: 403, headers: okHeaders() })));
    const { client: c } = client();
    const error = await c.get('/api/v1/apps/0oa1/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaForbiddenError);
    expect((error as Error).message).toContain('okta.apps.read');
    expect(c.stats.requests).toBe(1);
  });

  it('reads Okta’s error body and request id, scrubbing the credential and cutting long text to 300 characters', async () => {
    const body = { ...errorBody('ErrorAccessDenied'), errorSummary: `You do not have permission (${TOKEN}) ${'x'.repeat(400)}` };
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => HttpResponse.json(body, { status: 403, headers: { ...okHeaders(), 'x-okta-request-id': 'req-1' } })));
    const { client: c } = client();
    const error = (await c.get('/api/v1/groups').catch((e: unknown) => e)) as OktaForbiddenError;
    expect(error).toMatchObject({ status: 403, errorCode: 'E0000006', requestId: 'req-1', path: '/api/v1/groups' });
    expect(error.errorSummary).toHaveLength(300);
    expect(error.errorSummary).toMatch(/^You do not have permission \(\[redacted\]\) x+$/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('takes nothing from a JSON body that is not Okta’s error body (a proxy’s): the status tells the story', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => HttpResponse.json({ errorCode: 'E0000006', message: 'blocked by policy' }, { status: 403, headers: okHeaders() })));
    const { client: c } = client();
    const error = await c.get('/api/v1/groups').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaForbiddenError);
    expect(error).toMatchObject({ errorCode: undefined, errorSummary: undefined });
    expect((error as Error).message).toBe('GET /api/v1/groups: the token may not read this resource; grant okta.groups.read (or Read-only Administrator).');
  });
});

describe('403 advice', () => {
  it('on the System Log names the OAuth scope okta.logs.read and, for a custom admin role, the okta.reports.read permission', () => {
    const token = createHttpError({ status: 403, path: '/api/v1/logs', scheme: 'SSWS' });
    expect(token.message).toBe('GET /api/v1/logs: the token may not read this resource; grant okta.logs.read (or Read-only Administrator; in a custom admin role, the okta.reports.read permission).');
    const oauth = createHttpError({ status: 403, path: '/api/v1/logs', scheme: 'DPoP' });
    expect(oauth.message).toMatch(/grant okta\.logs\.read \(assign the service app the Read-only Administrator role \(Admin roles tab\); in a custom admin role, the okta\.reports\.read permission\)/);
  });

  it('elsewhere the role permission is named like the scope, and said once', () => {
    expect(createHttpError({ status: 403, path: '/api/v1/users', scheme: 'SSWS' }).message).not.toMatch(/custom admin role/);
  });
});
