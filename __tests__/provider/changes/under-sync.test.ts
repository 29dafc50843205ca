import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import type { Identity, IdentityChange } from '../../../src/index.js';
import { okHeaders, ORIGIN, useMswServer } from '../../helpers/msw.js';
import { makeProvider, setupLogOrg, syncedProvider, T } from '../../helpers/log-org.js';

const server = useMswServer();

const setup = () => setupLogOrg(server);

async function all(iterable: AsyncIterable<Identity>): Promise<Identity[]> {
  const out: Identity[] = [];
  for await (const identity of iterable) out.push(identity);
  return out;
}

describe('an org that changes under a sync', () => {
  it('skips an app deleted after it was listed with a not_found warning, and delivers everything else', async () => {
    const { clock, org } = setup();
    org.addApp('0oaA');
    org.addApp('0oaB');
    org.addUser('00u1');
    org.assign('0oaA', '00u1');
    org.assign('0oaB', '00u1');
    // Listed, then deleted before its accounts are read.
    server.use(http.get(`${ORIGIN}/api/v1/apps/0oaB/users`, () => HttpResponse.json({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 0oaB (AppInstance)' }, { status: 404, headers: okHeaders() })));
    const { provider, warnings } = makeProvider(clock);
    const identities = await all(provider.listIdentities());
    expect(identities.map((i) => i.accounts.map((a) => a.appId))).toEqual([['0oaA']]);
    expect(warnings).toEqual([{ code: 'not_found', status: 404, path: '/api/v1/apps/0oaB/users', message: expect.stringContaining('Okta has no /api/v1/apps/0oaB/users') }]);
    await provider.close();
  });

  it('yields one account when an app is listed twice and an app user appears on two pages', async () => {
    const { clock, org } = setup();
    org.addUser('00u1');
    const app = { id: '0oaA', name: 'slack', label: 'Slack', status: 'ACTIVE' };
    const appUser = (userName: string) => ({ id: '00u1', scope: 'USER', status: 'ACTIVE', externalId: null, credentials: { userName } });
    server.use(
      http.get(`${ORIGIN}/api/v1/apps`, () => HttpResponse.json([app, app], { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, ({ request }) => {
        const after = new URL(request.url).searchParams.get('after');
        if (after !== null) return HttpResponse.json([appUser('ada-2')], { headers: okHeaders() });
        return HttpResponse.json([appUser('ada')], { headers: { ...okHeaders(), link: `<${ORIGIN}/api/v1/apps/0oaA/users?after=1>; rel="next"` } });
      }),
    );
    const { provider } = makeProvider(clock);
    const [identity] = await all(provider.listIdentities());
    expect(identity!.accounts).toEqual([{ appId: '0oaA', appName: 'slack', appLabel: 'Slack', userName: 'ada-2', externalId: null, scope: 'USER', status: 'ACTIVE' }]);
    await provider.close();
  });

  it('never takes the resolve index behind a change the stream delivered while a re-sync ran', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    org.addUser('00u1');
    org.assign('0oaA', '00u1');
    const { provider } = await syncedProvider(org, clock);
    // The re-sync reads the user list now, then waits on the app's accounts.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = true;
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, async () => {
        if (gated) await gate;
        return undefined;
      }),
    );
    const resync = all(provider.listIdentities());
    while (org.calls('/api/v1/apps/0oaA/users').length === 0 && org.calls('/api/v1/users').length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));

    // Meanwhile the login changes and the stream delivers it.
    org.setLogin('00u1', 'new.login@example.com');
    org.log('user.account.update_profile', [T.user('00u1')]);
    const controller = new AbortController();
    const delivered: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) {
      delivered.push(change);
      controller.abort();
    }
    expect(delivered[0]!.type === 'upsert' && delivered[0]!.identity.login).toBe('new.login@example.com');

    gated = false;
    release();
    const listed = await resync;
    expect(listed[0]!.login).toBe('new.login@example.com');
    expect(await provider.resolveAppUser('okta', 'new.login@example.com')).toMatchObject({ id: '00u1' });
    expect(await provider.resolveAppUser('okta', '00u1@example.com')).toBeNull();
    await provider.close();
  });
});
