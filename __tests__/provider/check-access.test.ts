import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { OktaIdentityProvider } from '../../src/index.js';
import { FakeClock } from '../helpers/clock.js';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

const server = useMswServer();

function org(forbidden: string[], status = 403) {
  server.use(
    http.get(`${ORIGIN}/api/v1/:resource`, ({ params }) => {
      if (forbidden.includes(String(params.resource))) return HttpResponse.json(errorBody(status === 401 ? 'ErrorInvalidTokenProvided' : 'ErrorAccessDenied'), { status, headers: okHeaders() });
      return HttpResponse.json([], { headers: { ...okHeaders(), 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '40' } });
    }),
  );
  return new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN });
}

describe('checkAccess', () => {
  it('reports every permission OK with the remaining rate-limit share', async () => {
    const provider = org([]);
    const report = await provider.checkAccess();
    expect(report.ok).toBe(true);
    expect(report.permissions.map((p) => [p.permission, p.status])).toEqual([
      ['okta.users.read', 'ok'],
      ['okta.apps.read', 'ok'],
      ['okta.groups.read', 'ok'],
      ['okta.logs.read', 'ok'],
      ['okta.apps.read', 'ok'],
    ]);
    // No app groups: no Group Push to read.
    expect(report.permissions[4]).toMatchObject({ path: '/api/v1/apps/{appId}/group-push/mappings', message: expect.stringMatching(/no app groups/) });
    expect(report.permissions[0]!.rateLimit).toMatchObject({ limit: 100, remaining: 40, share: 0.4 });
    await provider.close();
  });

  it('names each missing permission and what data would be missing', async () => {
    const provider = org(['apps', 'logs']);
    const report = await provider.checkAccess();
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.permissions.slice(0, 4).map((p) => [p.permission, p]));
    expect(byName['okta.apps.read']).toMatchObject({ status: 'forbidden' });
    expect(byName['okta.apps.read']!.missingData).toMatch(/without accounts/);
    expect(byName['okta.logs.read']).toMatchObject({ status: 'forbidden' });
    expect(byName['okta.logs.read']!.missingData).toMatch(/change stream/);
    expect(byName['okta.users.read']!.status).toBe('ok');
    await provider.close();
  });

  it('reports an invalid token as unauthorized on every permission, without the token', async () => {
    const provider = org(['users', 'apps', 'groups', 'logs'], 401);
    const report = await provider.checkAccess();
    expect(report.ok).toBe(false);
    expect(report.permissions.every((p) => p.status === 'unauthorized')).toBe(true);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    expect(report.permissions[0]!.message).toMatch(/rejected the API token/);
    await provider.close();
  });

  it('reports an org it cannot reach as unreachable, with the network error', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/:resource`, () => HttpResponse.error()));
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retries: 1 }, { clock: new FakeClock() });
    const report = await provider.checkAccess();
    expect(report.ok).toBe(false);
    expect(report.permissions.map((p) => p.status)).toEqual(['unreachable', 'unreachable', 'unreachable', 'unreachable', 'unreachable']);
    expect(report.permissions[0]!.message).toMatch(/after 2 attempts/);
    await provider.close();
  });

  it('keeps other failures (a 500 after the retries) as error', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/:resource`, () => HttpResponse.json({}, { status: 500, headers: okHeaders() })));
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retries: 0 }, { clock: new FakeClock() });
    const report = await provider.checkAccess();
    expect(report.permissions.map((p) => p.status)).toEqual(['error', 'error', 'error', 'error', 'error']);
    await provider.close();
  });

  it('checks the Group Push mappings of an app that has app groups, naming what is missing', async () => {
    const appGroup = { id: '00gAPP', type: 'APP_GROUP', profile: { name: 'Engineering' }, _links: { source: { href: `${ORIGIN}/api/v1/apps/0oaGOOGLE` } } };
    const searches: string[] = [];
    const provider = org([]);
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, ({ request }) => {
        searches.push(new URL(request.url).searchParams.get('search') ?? '');
        return HttpResponse.json([appGroup], { headers: okHeaders() });
      }),
      http.get(`${ORIGIN}/api/v1/apps/0oaGOOGLE/group-push/mappings`, () => HttpResponse.json(errorBody('ErrorAccessDenied'), { status: 403, headers: okHeaders() })),
    );
    const report = await provider.checkAccess();
    expect(report.ok).toBe(false);
    expect(searches).toContain('type eq "APP_GROUP"');
    expect(report.permissions[4]).toMatchObject({ status: 'forbidden', path: '/api/v1/apps/0oaGOOGLE/group-push/mappings', missingData: expect.stringMatching(/Group Push/) });
    await provider.close();
  });
});
