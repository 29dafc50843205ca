import { describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type ConnectorWarning, type Identity } from '../../src/index.js';
import { http, HttpResponse } from 'msw';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';
import { miniOrg } from '../helpers/msw-org.js';

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
});
