import { describe, expect, it } from '@jest/globals';
import { systemClock, type Clock } from '../../src/clock.js';
import { TOKEN_PATH } from '../../src/http/oauth/errors.js';
import { DEFAULT_SCOPES } from '../../src/config/oauth.js';
import { bucketOf, endpointOf, ENDPOINTS, PAGE_SIZE, permissionFor, PERMISSIONS, probeOf, type Endpoint, type OktaPermission } from '../../src/okta/endpoints.js';
import { OktaIdentityProvider } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';

const rows: Endpoint[] = Object.values(ENDPOINTS);

/** The row whose pattern `path` matches exactly (a `{name}` segment matches any one segment). */
function rowOf(path: string): Endpoint | undefined {
  const segments = path.split('/');
  return rows.find((row) => {
    const pattern = row.path.split('/');
    return pattern.length === segments.length && pattern.every((s, i) => s === segments[i] || /^\{\w+\}$/.test(s));
  });
}

describe('the Okta endpoint table', () => {
  // What bucketOf and permissionFor answered before the table (okta/buckets.ts, http/errors.ts).
  it.each([
    ['/api/v1/users', 'users', 'okta.users.read'],
    ['/api/v1/users/', 'users', 'okta.users.read'],
    ['/api/v1/users/00u1', 'user', 'okta.users.read'],
    ['/api/v1/users/me', 'user', 'okta.users.read'],
    ['/api/v1/users/00u1/appLinks', 'user', 'okta.users.read'],
    ['/api/v1/users/00u1/groups', 'user', 'okta.users.read'],
    ['/api/v1/apps', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa1', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa1/users', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa1/users/00u1', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa1/groups', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa1/group-push/mappings', 'apps', 'okta.apps.read'],
    ['/api/v1/apps/0oa%2F1/users', 'apps', 'okta.apps.read'],
    ['/api/v1/groups', 'groups', 'okta.groups.read'],
    ['/api/v1/groups/00g1', 'groups', 'okta.groups.read'],
    ['/api/v1/groups/00g1/users', 'groups', 'okta.groups.read'],
    ['/api/v1/logs', 'logs', 'okta.logs.read'],
    ['/api/v1/logs/', 'logs', 'okta.logs.read'],
    ['/oauth2/v1/token', 'token', 'read access'],
    ['/api/v1/hang', 'default', 'read access'],
    ['/api/v1/org', 'default', 'read access'],
    ['/', 'default', 'read access'],
  ])('%s: bucket %s, permission %s, as before the table', (path, bucket, permission) => {
    expect(bucketOf(path)).toBe(bucket);
    expect(permissionFor(path)).toBe(permission);
  });

  it('puts a path it does not list with the nearest row above it', () => {
    expect(endpointOf('/api/v1/users/00u1/appLinks')).toBe(ENDPOINTS.user);
    expect(endpointOf('/api/v1/apps/0oa1/users/00u1/extra')).toBe(ENDPOINTS.appUser);
    expect(endpointOf('/api/v1/groups/00g1/roles')).toBe(ENDPOINTS.group);
    expect(endpointOf('/api/v2/users')).toBeUndefined();
  });

  it('asks for the documented maximum of each list', () => {
    expect(PAGE_SIZE).toEqual({ users: 200, apps: 200, appUsers: 500, groupPushMappings: 1000, groups: 10_000, groupMembers: 1000, logs: 1000 });
    // Okta's OpenAPI (management.yaml): listGroups `maximum: 10000`; listGroupPushMappings 1000.
    expect(ENDPOINTS.groups.maxLimit).toBe(10_000);
    expect(ENDPOINTS.groupPushMappings).toMatchObject({ bucket: 'apps', permission: 'okta.apps.read', scopes: ['okta.apps.read', 'okta.groups.read'], maxLimit: 1000 });
  });

  it('derives the permissions, the default OAuth scopes and the access checks from its rows', () => {
    const all: Record<OktaPermission, true> = { 'okta.users.read': true, 'okta.groups.read': true, 'okta.apps.read': true, 'okta.logs.read': true };
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(all).sort());
    expect(DEFAULT_SCOPES).toEqual(['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.logs.read']);
    expect(PERMISSIONS.map((p) => probeOf(p).path)).toEqual(['/api/v1/users', '/api/v1/groups', '/api/v1/apps', '/api/v1/logs']);
    for (const row of rows) if (row.scopes) expect(row.scopes).toContain(row.permission);
    expect(bucketOf(TOKEN_PATH)).toBe('token');
  });

  it('has a row for every path the connector requests: sync, resolve, checkAccess and the change stream, with groups (simulator)', async () => {
    const paths = new Set<string>();
    const sim = new OktaSimulator({
      seed: 5,
      users: 40,
      apps: 5,
      groups: 4,
      appGroupsPerApp: 2,
      pushMappings: 3,
      rateLimits: { limits: { apps: 100_000, users: 100_000, user: 100_000, groups: 100_000, logs: 100_000 } },
      onRequest: ({ path }) => void paths.add(path),
    });
    await sim.start();
    const POLL_MS = 23;
    let caughtUp = (): void => undefined;
    const clock: Clock = {
      now: () => systemClock.now(),
      sleep: async (ms, signal) => {
        await systemClock.sleep(ms, signal);
        if (ms === POLL_MS) caughtUp();
      },
    };
    const streamUntilCaughtUp = async (provider: OktaIdentityProvider, since: Date): Promise<void> => {
      const controller = new AbortController();
      caughtUp = () => controller.abort();
      for await (const _ of provider.changes({ since, signal: controller.signal })) void _;
    };
    const config = { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, groups: true, retryBaseDelayMs: 1, pollIntervalMs: POLL_MS };
    const synced = new OktaIdentityProvider(config, { clock });
    const fresh = new OktaIdentityProvider(config, { clock });
    try {
      const start = new Date(sim.now());
      for await (const _ of synced.listIdentities()) void _;
      await synced.checkAccess();
      const [user, other] = sim.org.users.filter((u) => u.status === 'ACTIVE');
      await fresh.resolveAppUser('okta', String(user!.profile.login));
      const app = sim.org.apps.find((a) => sim.org.appUsers(a.id).length > 0)!;
      await fresh.resolveAppUser(app.name, String(sim.org.appUsers(app.id)[0]!.userName));
      // An account event alone in its app: read as that one app user.
      const account = sim.org.appUsers(app.id)[0]!;
      sim.renameAppUser(app.id, account.userId, 'renamed.account');
      await streamUntilCaughtUp(synced, start);
      const since = new Date(sim.now());
      sim.updateProfile(user!.id, { lastName: 'Renamed' });
      sim.suspendUser(other!.id);
      sim.renameApp(app.id, 'Renamed app');
      const group = sim.org.groups[0]!;
      sim.assignGroupToApp(sim.org.apps.find((a) => !a.groups.has(group.id))!.id, group.id);
      for (let i = 0; i < 40; i++) sim.randomMutation();
      await streamUntilCaughtUp(synced, since);
      await streamUntilCaughtUp(fresh, start);
    } finally {
      await Promise.all([synced.close(), fresh.close()]);
      await sim.stop();
    }
    const unlisted = [...paths].filter((path) => rowOf(path) === undefined);
    expect(unlisted).toEqual([]);
    const used = new Set([...paths].map((path) => rowOf(path)!.path));
    // Every row but the OAuth token endpoint (an API token here) is read.
    const read = rows.filter((row) => row !== ENDPOINTS.token).map((row) => row.path);
    expect([...used].sort()).toEqual(read.sort());
  }, 60_000);
});
