import { describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type ConnectorWarning, type Identity } from '../../src/index.js';
import { http, HttpResponse } from 'msw';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';
import { miniOrg } from '../helpers/msw-org.js';
import { resolveConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { readApp, readAppUser } from '../../src/provider/reads/apps.js';
import { readGroup } from '../../src/provider/reads/groups.js';
import { fetchUser } from '../../src/provider/reads/person.js';

const server = useMswServer();

/** An app group as Okta lists it, naming its app by `source.id`. */
const appGroup = (id: string, sourceId: string): Record<string, unknown> => ({
  id,
  type: 'APP_GROUP',
  profile: { name: `group ${id}` },
  source: { id: sourceId },
  _embedded: { stats: { groupPushMappingsCount: 1 } },
});

/**
 * Ids a hostile or corrupted response puts where the connector builds paths and identities. A
 * group's `source.id` names the app whose Group Push mappings are read
 * (`/api/v1/apps/{source.id}/group-push/mappings`) and becomes the `appId` of the group in
 * identities: `..` would make that `/api/v1/group-push/mappings`.
 */
describe('ids taken from payloads', () => {
  it('a group whose source.id is not Okta-shaped is skipped with an invalid_item warning, before any request names it', async () => {
    const hostile = ['..', '.', '', '0oa"x', '0oa\\u0000', '0oa/../users'];
    const groups = [...hostile.map((source, i) => appGroup(`00gBad${i}`, source)), appGroup('00gGood', '0oaGood')];
    const { handlers, requests } = miniOrg(
      { users: [{ id: '00u1', login: 'ada@example.com' }], apps: [{ id: '0oaGood', name: 'slack', label: 'Slack', users: [{ userId: '00u1', userName: 'ada' }] }] },
      { '/api/v1/groups': () => groups },
    );
    const members = http.get(`${ORIGIN}/api/v1/groups/00gGood/users`, ({ request }) => {
      requests.push({ method: request.method, url: new URL(request.url), authorization: null });
      return HttpResponse.json([{ id: '00u1', status: 'ACTIVE', profile: { login: 'ada@example.com' } }], { headers: okHeaders() });
    });
    server.use(members, ...handlers);
    const warnings: ConnectorWarning[] = [];
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, groups: true, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w) });
    const identities: Identity[] = [];
    for await (const identity of provider.listIdentities()) identities.push(identity);
    await provider.close();

    const paths = requests.map((r) => r.url.pathname);
    expect(paths).toContain('/api/v1/apps/0oaGood/group-push/mappings');
    expect(paths.filter((p) => p.includes('group-push'))).toEqual(['/api/v1/apps/0oaGood/group-push/mappings']);
    expect(paths.filter((p) => p.startsWith('/api/v1/groups/') && p !== '/api/v1/groups/00gGood/users')).toEqual([]);
    expect(identities[0]!.groups).toEqual([{ id: '00gGood', name: 'group 00gGood', type: 'APP_GROUP', appId: '0oaGood' }]);
    const invalid = warnings.filter((w) => w.code === 'invalid_item');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.message).toMatch(/^6 item\(s\) of \/api\/v1\/groups/);
    expect(invalid[0]!.message).toMatch(/source\.id: is not an Okta id/);
    // The warning names no hostile value.
    for (const value of ['..', '0oa"x', '/../']) expect(invalid[0]!.message).not.toContain(value);
  });

  it('a resource read by its id that answers with another id is an invalid_response, not data under the wrong id', async () => {
    const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1 }));
    const ctx = { client, warn: () => undefined };
    const user = (id: string) => ({ id, status: 'ACTIVE', profile: { login: `${id}@example.com` } });
    server.use(
      http.get(`${ORIGIN}/api/v1/apps/0oaAsked`, () => HttpResponse.json({ id: '0oaOther', name: 'slack', label: 'Slack', status: 'ACTIVE' }, { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/users/00uAsked`, () => HttpResponse.json(user('00uOther'), { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/groups/00gAsked`, () => HttpResponse.json({ id: '00gOther', type: 'OKTA_GROUP', profile: { name: 'Other' } }, { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/apps/0oaAsked/users/00uAsked`, () => HttpResponse.json({ id: '00uOther', scope: 'USER', status: 'ACTIVE', credentials: { userName: 'x' } }, { headers: okHeaders() })),
      // The same reads answered for the id asked are taken.
      http.get(`${ORIGIN}/api/v1/users/00uSame`, () => HttpResponse.json(user('00uSame'), { headers: okHeaders() })),
    );
    const refused = { name: 'OktaResponseError', code: 'invalid_response' };
    await expect(readApp(ctx, '0oaAsked')).rejects.toMatchObject({ ...refused, path: '/api/v1/apps/0oaAsked' });
    await expect(fetchUser(ctx, '00uAsked')).rejects.toMatchObject({ ...refused, path: '/api/v1/users/00uAsked' });
    await expect(readGroup(ctx, '00gAsked', undefined)).rejects.toMatchObject({ ...refused, path: '/api/v1/groups/00gAsked' });
    await expect(readAppUser(ctx, '0oaAsked', '00uAsked')).rejects.toMatchObject({ ...refused, path: '/api/v1/apps/0oaAsked/users/00uAsked' });
    await expect(fetchUser(ctx, '00uSame')).resolves.toMatchObject({ id: '00uSame' });
    await client.close();
  });
});
