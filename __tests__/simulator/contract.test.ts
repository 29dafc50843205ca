import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bucketOf } from '../../src/simulator/buckets.js';
import { FilterError, parseFilter } from '../../src/simulator/filter-syntax.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { PAGE_SIZES, QUERY_DEFAULTS } from '../../src/simulator/page-sizes.js';
import { get, getJson, nextLink, q } from './helpers.js';
import { BUCKET_OF_PATH, LISTS } from './okta-facts.js';

/**
 * The simulator's Okta facts against Okta's documentation, written as data in `okta-facts.ts`
 * (and Okta's own error examples in the fixtures): rate-limit families, page sizes, string
 * literals in filters and error bodies. Payload shapes are checked in payload-shapes.test.ts.
 */

type Json = Record<string, unknown>;
const errors = (JSON.parse(readFileSync(new URL('../fixtures/okta-examples.json', import.meta.url), 'utf8')) as { errors: Record<string, Json> }).errors;
const UNLIMITED = { limits: { users: 1e6, user: 1e6, apps: 1e6, groups: 1e6, logs: 1e6 } };

describe('rate-limit buckets follow Okta’s endpoint families', () => {
  it.each(BUCKET_OF_PATH)('%s is metered in %s', (path, bucket) => {
    expect(bucketOf(path)).toBe(bucket);
  });

  it('counts served requests in those buckets', async () => {
    const sim = new OktaSimulator({ users: 3, apps: 1, groups: 1 });
    await sim.start();
    try {
      const user = sim.org.users[0]!.id;
      const app = sim.org.apps[0]!.id;
      const group = sim.org.groups[0]!.id;
      const served: Array<[string, string]> = [
        ['/api/v1/users', 'users'],
        [`/api/v1/users/${user}`, 'user'],
        [`/api/v1/users/${user}/appLinks`, 'user'],
        ['/api/v1/apps', 'apps'],
        [`/api/v1/apps/${app}/users`, 'apps'],
        [`/api/v1/groups/${group}/users`, 'groups'],
        ['/api/v1/logs', 'logs'],
      ];
      for (const [path, bucket] of served) {
        sim.resetStats();
        const res = await get(sim, path);
        expect([path, res.status]).toEqual([path, 200]);
        expect([path, Object.entries(sim.stats.byBucket).filter(([, n]) => n > 0)]).toEqual([path, [[bucket, 1]]]);
      }
    } finally {
      await sim.stop();
    }
  });
});

describe('page sizes follow each list’s `limit` in Okta’s OpenAPI description', () => {
  it.each(LISTS.map((l) => [l.operationId, l] as const))('%s', (operationId, list) => {
    const served = PAGE_SIZES[operationId as keyof typeof PAGE_SIZES];
    expect(served).toEqual(list.served);
    // Never more than Okta documents, and the documented default where there is one.
    if (list.specMax !== null) expect(served.max).toBe(list.specMax);
    else expect(served.max).toBe(served.default);
    if (list.specDefault !== null) expect(served.default).toBe(list.specDefault);
  });

  it('defaults a `q` query to the documented 10 users and 300 groups', () => {
    expect(QUERY_DEFAULTS).toEqual({ listUsers: 10, listGroups: 300 });
  });

  describe('over HTTP', () => {
    const sim = new OktaSimulator({ users: 620, apps: 3, groups: 2, appUsersPerApp: 560, rateLimits: UNLIMITED, pageLimits: { listGroupUsers: 2 } });
    beforeAll(async () => {
      const first = sim.org.apps[0]!;
      for (const u of sim.org.users) if (sim.org.appUsers(first.id).length < 510 && !first.appUsers.has(u.id)) sim.assignUserToApp(first.id, u.id);
      sim.noise(1_050);
      await sim.start();
    });
    afterAll(() => sim.stop());
    const app = (): string => sim.org.apps[0]!.id;
    const group = (): string => sim.org.groups.find((g) => g.memberIds.length > 2)!.id;

    it.each([
      ['listUsers', () => '/api/v1/users'],
      ['listApplicationUsers', () => `/api/v1/apps/${app()}/users`],
      ['listLogEvents', () => '/api/v1/logs'],
    ])('%s serves its default without a limit and clamps a larger one to its maximum', async (operationId, path) => {
      const fact = LISTS.find((l) => l.operationId === operationId)!;
      expect((await getJson<Json[]>(sim, path())).body).toHaveLength(fact.served.default);
      const clamped = await getJson<Json[]>(sim, `${path()}?limit=${fact.served.max * 3}`);
      expect(clamped.body).toHaveLength(fact.served.max);
      expect(nextLink(clamped.res)).not.toBeNull();
    });

    it('serves pages smaller than Okta’s maximum where pageLimits says so', async () => {
      const { body, res } = await getJson<Json[]>(sim, `/api/v1/groups/${group()}/users?limit=1000`);
      expect(body).toHaveLength(2);
      expect(new URL(nextLink(res)!).searchParams.get('limit')).toBe('1000');
    });
  });
});

describe('string literals in filter and search expressions', () => {
  const literal = (expr: string): unknown => {
    const parsed = parseFilter(expr);
    return parsed.kind === 'cmp' ? parsed.value : undefined;
  };

  it('reads \\" and \\\\ as a double quote and a backslash, and nothing else as an escape', () => {
    expect(literal('profile.lastName eq "O\\"Brien"')).toBe('O"Brien');
    expect(literal('profile.login eq "a\\\\b"')).toBe('a\\b');
    expect(literal('profile.login eq "x\\" or profile.login sw \\""')).toBe('x" or profile.login sw "');
    expect(literal('profile.login eq ""')).toBe('');
    for (const bad of ['a eq "\\n"', 'a eq "\\u0041"', 'a eq "\\/"', 'a eq "\\"', 'a eq "x\ty"', 'a eq "x\u007fy"', 'a eq "open']) {
      expect(() => parseFilter(bad)).toThrow(FilterError);
    }
  });

  it('keeps an escaped literal one value over HTTP, and answers 400 E0000031 to a bad escape', async () => {
    const sim = new OktaSimulator({ users: 2, apps: 0, groups: 0 });
    const odd = sim.createUser({ login: 'o"brien\\ops@example.com', firstName: 'Pat', lastName: 'O"Brien' });
    await sim.start();
    try {
      const found = await getJson<Json[]>(sim, `/api/v1/users?search=${q('profile.login eq "o\\"brien\\\\ops@example.com"')}`);
      expect(found.body.map((u) => u.id)).toEqual([odd.id]);
      const widened = await getJson<Json[]>(sim, `/api/v1/users?search=${q('profile.login eq "x\\" or profile.login sw \\""')}`);
      expect(widened.body).toEqual([]);
      const bad = await get(sim, `/api/v1/users?search=${q('profile.login eq "a\\nb"')}`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errorCode).toBe('E0000031');
    } finally {
      await sim.stop();
    }
  });
});

describe('error bodies are Okta’s', () => {
  it('401, 403, 404 and 429 carry the code, summary and link of Okta’s examples', async () => {
    const sim = new OktaSimulator({ users: 1, apps: 0, groups: 0, forbidden: ['/api/v1/logs'], rateLimits: { limits: { groups: 1 } } });
    await sim.start();
    try {
      const body = async (res: Response): Promise<Json> => (await res.json()) as Json;
      const same = (ours: Json, theirs: Json): void => expect([ours.errorCode, ours.errorSummary, ours.errorLink]).toEqual([theirs.errorCode, theirs.errorSummary, theirs.errorLink]);
      same(await body(await fetch(`${sim.baseUrl}/api/v1/users`, { headers: { Authorization: 'SSWS wrong' } })), errors.ErrorInvalidTokenProvided!);
      same(await body(await get(sim, '/api/v1/logs')), errors.ErrorAccessDenied!);
      await get(sim, '/api/v1/groups');
      same(await body(await get(sim, '/api/v1/groups')), errors.ErrorTooManyRequests!);
      const missing = await body(await get(sim, '/api/v1/users/00unope'));
      expect([missing.errorCode, missing.errorLink]).toEqual([errors.ErrorResourceNotFound!.errorCode, errors.ErrorResourceNotFound!.errorLink]);
      expect(String(missing.errorSummary)).toMatch(new RegExp(`^${String(errors.ErrorResourceNotFound!.errorSummary).replace('{0}', '.+')}$`));
    } finally {
      await sim.stop();
    }
  });

  it('a 500 carries the code, summary and link of Okta’s example', async () => {
    const sim = new OktaSimulator({ users: 1, apps: 0, groups: 0, onRequest: () => { throw new Error('boom'); } });
    await sim.start();
    try {
      const ours = (await (await get(sim, '/api/v1/users')).json()) as Json;
      expect([ours.errorCode, ours.errorSummary, ours.errorLink]).toEqual([errors.ErrorInternalServer!.errorCode, errors.ErrorInternalServer!.errorSummary, errors.ErrorInternalServer!.errorLink]);
    } finally {
      await sim.stop();
    }
  });
});
