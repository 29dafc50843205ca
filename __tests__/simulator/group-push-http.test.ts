/**
 * GET /api/v1/apps/{appId}/group-push/mappings (listGroupPushMappings): payload, paging,
 * filters, 404s, the apps bucket and the `forbidden` option.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { all, get, getJson, nextLink } from './helpers.js';

type Json = Record<string, unknown>;
type MappingJson = { id: string; status: string; sourceGroupId: string; targetGroupId: string; created: string; lastUpdated: string; lastPush: string; _links: Json };

/**
 * `ListGroupPushMappingsResponse_Example[0]` of Okta's Management API OpenAPI description
 * (okta/okta-management-openapi-spec, management-oneOfInheritance.yaml 2026.06.3, Apache-2.0),
 * copied verbatim.
 */
const OKTA_EXAMPLE = {
  created: '2025-01-01T00:00:00Z',
  errorSummary: '',
  id: 'gPm00000000000000000',
  lastPush: '2025-01-01T00:00:00Z',
  lastUpdated: '2025-01-01T00:00:00Z',
  sourceGroupId: '00g00000000000000000',
  status: 'ACTIVE',
  targetGroupId: '00g00000000000000001',
  _links: {
    app: { href: 'https://{yourOktaDomain}/api/v1/apps/0oa00000000000000000' },
    sourceGroup: { href: 'https://{yourOktaDomain}/api/v1/groups/00g00000000000000000' },
    targetGroup: { href: 'https://{yourOktaDomain}/api/v1/groups/00g00000000000000001' },
  },
};

const NOW = Date.UTC(2025, 3, 1, 9, 0, 0);

async function errorOf(sim: OktaSimulator, path: string): Promise<[number, string]> {
  const res = await get(sim, path);
  return [res.status, ((await res.json()) as { errorCode: string }).errorCode];
}

describe('GET /api/v1/apps/{appId}/group-push/mappings', () => {
  // One app with provisioning (Slack (Engineering)) and 1,002 seeded mappings, every third INACTIVE.
  const sim = new OktaSimulator({ seed: 8, users: 6, apps: 1, groups: 1_005, pushMappings: 1_002, now: () => NOW, rateLimits: { limits: { apps: 1e6 } } });
  const app = sim.org.apps[0]!;
  const mappings = sim.org.pushMappings(app.id);
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('serves each mapping with the fields, in the order, of Okta’s example', async () => {
    const [first] = (await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=1`)).body;
    expect(Object.keys(first!)).toEqual(Object.keys(OKTA_EXAMPLE));
    expect(Object.keys(first!._links)).toEqual(Object.keys(OKTA_EXAMPLE._links));
    const m = mappings[0]!;
    expect(first).toEqual({
      created: new Date(m.created).toISOString().replace('.000Z', 'Z'),
      errorSummary: '',
      id: m.id,
      lastPush: new Date(m.lastPush).toISOString().replace('.000Z', 'Z'),
      lastUpdated: new Date(m.lastUpdated).toISOString().replace('.000Z', 'Z'),
      sourceGroupId: m.sourceGroupId,
      status: 'ACTIVE',
      targetGroupId: m.targetGroupId,
      _links: {
        app: { href: `${sim.baseUrl}/api/v1/apps/${app.id}` },
        sourceGroup: { href: `${sim.baseUrl}/api/v1/groups/${m.sourceGroupId}` },
        targetGroup: { href: `${sim.baseUrl}/api/v1/groups/${m.targetGroupId}` },
      },
    });
    expect(first!.id).toMatch(/^gPm[0-9A-Za-z]{17}$/);
    expect(first!.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await getJson<MappingJson>(sim, `/api/v1/apps/${app.id}/group-push/mappings/${m.id}`)).body).toEqual(first);
  });

  it('pages 100 by default and at most 1,000, following next links', async () => {
    const first = await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings`);
    expect(first.body).toHaveLength(100);
    expect(nextLink(first.res)).not.toBeNull();
    const capped = await getJson<MappingJson[]>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=5000`);
    expect(capped.body).toHaveLength(1_000);
    expect((await all<MappingJson>(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=333`)).map((m) => m.id)).toEqual(mappings.map((m) => m.id));
    expect(await errorOf(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=0`)).toEqual([400, 'E0000001']);
  });

  it('filters by status, sourceGroupId and lastUpdated (on or after)', async () => {
    const path = `/api/v1/apps/${app.id}/group-push/mappings?limit=1000`;
    const inactive = await all<MappingJson>(sim, `${path}&status=INACTIVE`);
    expect(inactive.map((m) => m.id)).toEqual(mappings.filter((m) => m.status === 'INACTIVE').map((m) => m.id));
    expect(inactive).toHaveLength(334);
    expect(await all(sim, `${path}&status=ERROR`)).toEqual([]);
    const m = mappings[7]!;
    expect((await all<MappingJson>(sim, `${path}&sourceGroupId=${m.sourceGroupId}`)).map((x) => x.id)).toEqual([m.id]);
    const since = new Date(mappings[1_000]!.lastUpdated).toISOString().replace('.000Z', 'Z');
    expect((await all<MappingJson>(sim, `${path}&lastUpdated=${since}`)).map((x) => x.id)).toEqual(mappings.slice(1_000).map((x) => x.id));
    expect(await errorOf(sim, `${path}&status=active`)).toEqual([400, 'E0000001']);
    expect(await errorOf(sim, `${path}&lastUpdated=yesterday`)).toEqual([400, 'E0000001']);
  });

  it('404s an unknown app or mapping', async () => {
    expect(await errorOf(sim, '/api/v1/apps/0oanope/group-push/mappings')).toEqual([404, 'E0000007']);
    expect(await errorOf(sim, `/api/v1/apps/${app.id}/group-push/mappings/gPmnope`)).toEqual([404, 'E0000007']);
  });

  it('is metered in the apps bucket', async () => {
    sim.resetStats();
    const res = await get(sim, `/api/v1/apps/${app.id}/group-push/mappings?limit=1`);
    await res.body?.cancel();
    expect(sim.stats.byBucket.apps).toBe(1);
    expect(res.headers.get('x-rate-limit-limit')).toBe(String(1e6));
  });
});

describe('group-push access and rate limits', () => {
  let sim: OktaSimulator | undefined;
  afterEach(() => sim?.stop());

  it.each([
    ['a path prefix', (appId: string) => `/api/v1/apps/${appId}/group-push`],
    ['a regular expression', () => /\/group-push\/mappings$/],
  ])('the forbidden option can forbid it with %s', async (_, rule) => {
    const probe = new OktaSimulator({ users: 5, apps: 1, groups: 2 });
    const appId = probe.org.apps[0]!.id;
    sim = new OktaSimulator({ users: 5, apps: 1, groups: 2, forbidden: [rule(appId)] });
    await sim.start();
    expect(await errorOf(sim, `/api/v1/apps/${appId}/group-push/mappings`)).toEqual([403, 'E0000006']);
    expect((await get(sim, `/api/v1/apps/${appId}/users`)).status).toBe(200);
  });

  it('shares the apps bucket’s limit with the other app endpoints', async () => {
    sim = new OktaSimulator({ users: 5, apps: 1, groups: 2, rateLimits: { limits: { apps: 2 } } });
    await sim.start();
    const appId = sim.org.apps[0]!.id;
    expect((await get(sim, `/api/v1/apps/${appId}/users`)).status).toBe(200);
    expect((await get(sim, `/api/v1/apps/${appId}/group-push/mappings`)).status).toBe(200);
    expect(await errorOf(sim, `/api/v1/apps/${appId}/group-push/mappings`)).toEqual([429, 'E0000047']);
  });
});
