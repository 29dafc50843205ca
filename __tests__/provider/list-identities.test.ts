import { describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type OktaConfig } from '../../src/index.js';
import { HOSTNAME, TOKEN, useMswServer } from '../helpers/msw.js';
import { miniOrg, type MiniOrgOptions } from '../helpers/msw-org.js';

const server = useMswServer();

const org: MiniOrgOptions = {
  users: [
    { id: '00u1', login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', lastUpdated: '2024-01-01T00:00:00.000Z' },
    { id: '00u2', login: 'bob@example.com', email: null, lastUpdated: '2024-02-01T00:00:00.000Z', status: 'SUSPENDED' },
    { id: '00u3', login: 'cy@example.com', status: 'DEPROVISIONED', lastUpdated: '2024-03-01T00:00:00.000Z' },
    { id: '00u4', login: 'dee@example.com', lastUpdated: '2024-04-01T00:00:00.000Z' },
  ],
  apps: [
    { id: '0oaSlackA', name: 'slack', label: 'Slack (Eng)', users: [{ userId: '00u1', userName: 'U01ADA', scope: 'GROUP' }, { userId: '00u3', userName: 'U03CY' }] },
    { id: '0oaSlackB', name: 'slack', label: 'Slack (Sales)', users: [{ userId: '00u1', userName: 'U09ADA' }] },
    { id: '0oaGithub', name: 'github', label: 'GitHub', users: [{ userId: '00u2', userName: 'bob-gh', externalId: '5501' }, { userId: '00u4', userName: 'dee', externalId: '5504', status: 'PROVISIONED' }] },
  ],
};

async function sync(config: Partial<OktaConfig> = {}, options: MiniOrgOptions = org, edits: Parameters<typeof miniOrg>[1] = {}) {
  const { handlers, requests } = miniOrg(options, edits);
  server.use(...handlers);
  const warnings: ConnectorWarning[] = [];
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w), ...config });
  const identities: Identity[] = [];
  for await (const identity of provider.listIdentities()) identities.push(identity);
  await provider.close();
  identities.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { identities, warnings, requests };
}

describe('listIdentities', () => {
  it('streams every user once, DEPROVISIONED included, with all app accounts', async () => {
    const { identities, warnings } = await sync();
    expect(warnings).toEqual([]);
    expect(identities.map((i) => [i.id, i.status])).toEqual([
      ['00u1', 'ACTIVE'],
      ['00u2', 'SUSPENDED'],
      ['00u3', 'DEPROVISIONED'],
      ['00u4', 'ACTIVE'],
    ]);
    expect(identities[0]).toEqual({
      id: '00u1',
      login: 'ada@example.com',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      status: 'ACTIVE',
      accounts: [
        { appId: '0oaSlackA', appName: 'slack', appLabel: 'Slack (Eng)', userName: 'U01ADA', externalId: null, scope: 'GROUP', status: 'ACTIVE' },
        { appId: '0oaSlackB', appName: 'slack', appLabel: 'Slack (Sales)', userName: 'U09ADA', externalId: null, scope: 'USER', status: 'ACTIVE' },
      ],
    });
    expect(identities[1]!.email).toBeNull();
    expect(identities[2]!.accounts.map((a) => a.userName)).toEqual(['U03CY']);
    expect(identities[3]!.accounts).toEqual([{ appId: '0oaGithub', appName: 'github', appLabel: 'GitHub', userName: 'dee', externalId: '5504', scope: 'USER', status: 'PROVISIONED' }]);
  });

  it('asks every list for its maximum page size and never makes a request per user', async () => {
    const { requests } = await sync();
    const lists = requests.map((r) => [r.url.pathname, r.url.searchParams.get('limit')]);
    expect(lists).toEqual(expect.arrayContaining([['/api/v1/users', '200'], ['/api/v1/apps', '200'], ['/api/v1/apps/0oaGithub/users', '500']]));
    expect(requests.every((r) => !/^\/api\/v1\/users\/.+/.test(r.url.pathname))).toBe(true);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    // 1 users page + 1 apps page + 3 app user lists.
    expect(requests).toHaveLength(5);
  });

  it('skips a forbidden app with a warning naming it and the permission, and keeps the rest', async () => {
    const { identities, warnings } = await sync({}, { ...org, forbidden: ['/api/v1/apps/0oaGithub/users'] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'forbidden', status: 403, path: '/api/v1/apps/0oaGithub/users' });
    expect(warnings[0]!.message).toMatch(/GitHub.*okta\.apps\.read/);
    expect(identities).toHaveLength(4);
    expect(identities.find((i) => i.id === '00u4')!.accounts).toEqual([]);
    expect(identities.find((i) => i.id === '00u1')!.accounts).toHaveLength(2);
  });

  it('still lists people when the apps list is forbidden, and says accounts are missing', async () => {
    const { identities, warnings } = await sync({}, { ...org, forbidden: ['/api/v1/apps'] });
    expect(identities).toHaveLength(4);
    expect(identities.every((i) => i.accounts.length === 0)).toBe(true);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['forbidden', '/api/v1/apps']]);
  });

  it('fails clearly when the user list itself is forbidden (no partial result would be right)', async () => {
    await expect(sync({}, { ...org, forbidden: ['/api/v1/users'] })).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('reads a many-page user list in parallel lastUpdated slices covering everyone exactly once', async () => {
    const users = Array.from({ length: 1000 }, (_, i) => ({
      id: `00u${String(i).padStart(5, '0')}`,
      login: `user${i}@example.com`,
      status: i % 10 === 0 ? 'DEPROVISIONED' : 'ACTIVE',
      // Clustered timestamps with ties, so slices are uneven and boundaries fall on equal values.
      lastUpdated: new Date(Date.UTC(2024, 0, 1) + Math.floor((i * 7919) % 1000 / 3) * 86_400_000).toISOString(),
    }));
    const { identities, requests } = await sync({ userListSlices: 4 }, { users, apps: [] });
    expect(identities.map((i) => i.id)).toEqual(users.map((u) => u.id));
    const filters = requests.filter((r) => r.url.pathname === '/api/v1/users').map((r) => r.url.searchParams.get('filter'));
    expect(new Set(filters).size).toBeGreaterThanOrEqual(4); // first page, slices, and the final `ge snapshot` slice
    expect(filters.at(-1)).toMatch(/^lastUpdated ge "/);
  });

  it('reads the user list serially when userListSlices is 1', async () => {
    const users = Array.from({ length: 450 }, (_, i) => ({ id: `00u${String(i).padStart(4, '0')}`, login: `u${i}@example.com` }));
    const { identities, requests } = await sync({ userListSlices: 1 }, { users, apps: [] });
    expect(identities).toHaveLength(450);
    expect(requests.filter((r) => r.url.pathname === '/api/v1/users')).toHaveLength(3);
  });

  it('skips an app user that does not match the schema with a warning, keeping the others', async () => {
    const broken: MiniOrgOptions = { ...org, apps: [{ id: '0oaX', name: 'x', label: 'X', users: [{ userId: '00u1', userName: 'a' }, { userId: '00u2', userName: 'b' }] }] };
    // Okta would not send it: the account of 00u2 with a status that is not a string.
    const statusFive = (body: unknown) => (body as Array<{ id: string; status: unknown }>).map((au) => (au.id === '00u2' ? { ...au, status: 5 } : au));
    const { identities, warnings } = await sync({}, broken, { '/api/v1/apps/0oaX/users': statusFive });
    expect(identities.find((i) => i.id === '00u1')!.accounts).toHaveLength(1);
    expect(identities.find((i) => i.id === '00u2')!.accounts).toHaveLength(0);
    expect(warnings).toEqual([expect.objectContaining({ code: 'invalid_item', path: '/api/v1/apps/0oaX/users' })]);
  });

  it('refuses an app whose id is not Okta-shaped (it would steer a request to another path)', async () => {
    // An app listed with the id '..' (the simulator has none such: the listing is edited).
    const withEvil = (body: unknown) => [...(body as Array<Record<string, unknown>>), { ...(body as Array<Record<string, unknown>>)[0], id: '..', name: 'evil', label: 'Evil' }];
    const { identities, warnings, requests } = await sync({}, org, { '/api/v1/apps': withEvil });
    expect(warnings).toEqual([expect.objectContaining({ code: 'invalid_item', path: '/api/v1/apps' })]);
    expect(requests.filter((r) => r.url.pathname === '/api/v1/users' && r.url.searchParams.get('filter') === null)).toEqual([]);
    expect(requests.every((r) => !r.url.pathname.includes('..'))).toBe(true);
    expect(identities.find((i) => i.id === '00u1')!.accounts.map((a) => a.appName)).toEqual(['slack', 'slack']);
  });

  it('stops when the signal aborts', async () => {
    const { handlers } = miniOrg(org);
    server.use(...handlers);
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN });
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    const run = async () => {
      for await (const _ of provider.listIdentities({ signal: controller.signal })) void _;
    };
    await expect(run()).rejects.toThrow('stop now');
    await provider.close();
  });
});
