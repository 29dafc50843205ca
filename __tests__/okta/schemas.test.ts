/**
 * The schemas against Okta's own response examples (__tests__/fixtures/okta-examples.json,
 * copied from Okta's Management API OpenAPI description). The fixture is iterated, not
 * hand-copied, and every example name is accounted for, so a new or renamed example fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import {
  oktaAppSchema,
  oktaAppUserSchema,
  oktaErrorBodySchema,
  oktaGroupSchema,
  oktaLogEventSchema,
  oktaUserSchema,
  InvalidItem,
  parseItem,
} from '../../src/okta/schemas.js';

/** Every item of a list body through parseItem, as a list reader sees them: the valid and the invalid. */
function parseList<T>(schema: z.ZodType<T>, list: unknown[]): { items: T[]; invalid: InvalidItem[] } {
  const parsed = list.map((item, index) => parseItem(schema, item, index));
  return { items: parsed.filter((p): p is T => !(p instanceof InvalidItem)), invalid: parsed.filter((p) => p instanceof InvalidItem) };
}

interface Fixture {
  responses: Record<string, Record<string, Record<string, unknown>>>;
  errors: Record<string, unknown>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/okta-examples.json', import.meta.url), 'utf8'),
) as Fixture;

/** The examples of one path and status; fails loudly when the fixture lacks them. */
function examples(path: string, status = '200'): Record<string, unknown> {
  const found = fixture.responses[path]?.[status];
  if (found === undefined) throw new Error(`fixture has no ${status} examples for ${path}`);
  return found;
}

function example(path: string, name: string, status = '200'): unknown {
  const found = examples(path, status)[name];
  if (found === undefined) throw new Error(`fixture has no example ${name} for ${path} ${status}`);
  return found;
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error('expected an array example');
  return value;
}

/** Every leaf value of a JSON value, as strings. */
function leafStrings(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafStrings);
  if (typeof value === 'object') return Object.values(value).flatMap(leafStrings);
  return [String(value)];
}

/** Parses every item of every named list example; returns how many items parsed. */
function parseListExamples(schema: z.ZodType, path: string, names: string[]): number {
  let count = 0;
  for (const name of names) {
    for (const item of asArray(example(path, name))) {
      const result = schema.safeParse(item);
      if (!result.success) throw new Error(`${path} ${name}: ${result.error.message}`);
      count++;
    }
  }
  return count;
}

describe('the fixture', () => {
  it('has the endpoints and the example names the tests below classify', () => {
    const names = Object.fromEntries(
      Object.entries(fixture.responses).map(([path, byStatus]) => [path, Object.keys(byStatus['200'] ?? {}).sort()]),
    );
    expect(names).toEqual({
      '/api/v1/users': ['ListUsers', 'UsersFilter', 'UsersProjections', 'UsersQ', 'UsersSearch'],
      '/api/v1/users/{id}': ['GetUserExample'],
      '/api/v1/users/{id}/appLinks': ['List App Links'],
      '/api/v1/groups': ['ListGroupsExample', 'ListGroupsFilterExample', 'ListGroupsSearchExample'],
      '/api/v1/groups/{groupId}/users': ['ListMemberUserResponse'],
      '/api/v1/apps': ['ResponseExample1', 'ResponseExample2', 'ResponseExample3', 'ResponseExample4'],
      '/api/v1/apps/{appId}/users': ['ListAppUsersExample'],
      '/api/v1/apps/{appId}/users/{userId}': ['GetAppUserExample'],
      '/api/v1/apps/{appId}/groups': ['listGroupAssignmentsResponseExample'],
      '/api/v1/logs': ['ListLogs', 'ListLogsWithAdditionalSecurityContext', 'LogTargetChangeDetails'],
    });
  });
});

describe('list examples', () => {
  const cases: { path: string; schema: z.ZodType; names: string[]; items: number }[] = [
    // UsersProjections is a `fields=` projection without profile.login: see its own test below.
    {
      path: '/api/v1/users',
      schema: oktaUserSchema,
      names: ['ListUsers', 'UsersSearch', 'UsersQ', 'UsersFilter'],
      items: 7,
    },
    { path: '/api/v1/groups/{groupId}/users', schema: oktaUserSchema, names: ['ListMemberUserResponse'], items: 1 },
    {
      path: '/api/v1/groups',
      schema: oktaGroupSchema,
      names: ['ListGroupsExample', 'ListGroupsFilterExample', 'ListGroupsSearchExample'],
      items: 6,
    },
    {
      path: '/api/v1/apps',
      schema: oktaAppSchema,
      names: ['ResponseExample1', 'ResponseExample2', 'ResponseExample3', 'ResponseExample4'],
      items: 7,
    },
    { path: '/api/v1/apps/{appId}/users', schema: oktaAppUserSchema, names: ['ListAppUsersExample'], items: 1 },
    { path: '/api/v1/logs', schema: oktaLogEventSchema, names: ['ListLogs'], items: 1 },
  ];

  it.each(cases)('$path: every item parses ($items items)', ({ path, schema, names, items }) => {
    expect(parseListExamples(schema, path, names)).toBe(items);
  });

  it('parseItem keeps every item of every list example', () => {
    for (const { path, schema, names, items } of cases) {
      const { items: kept, invalid } = parseList(schema, names.flatMap((name) => asArray(example(path, name))));
      expect(invalid).toEqual([]);
      expect(kept).toHaveLength(items);
    }
  });

  it('rejects the UsersProjections example, which omits profile.login, and says so', () => {
    const { items, invalid } = parseList(oktaUserSchema, asArray(example('/api/v1/users', 'UsersProjections')));
    expect(items).toEqual([]);
    expect(invalid.map((i) => i.index)).toEqual([0, 1]);
    for (const i of invalid) expect(i.issues).toMatch(/^profile\.login: /);
  });
});

describe('single-object examples', () => {
  it('parses a user', () => {
    const user = oktaUserSchema.parse(example('/api/v1/users/{id}', 'GetUserExample'));
    expect(user.profile).toMatchObject({ login: 'isaac.brock@example.com', displayName: 'Isaac Brock' });
  });

  it('parses an app user with its embedded user', () => {
    const appUser = oktaAppUserSchema.parse(example('/api/v1/apps/{appId}/users/{userId}', 'GetAppUserExample'));
    expect(appUser).toMatchObject({ scope: 'USER', status: 'PROVISIONED', externalId: '00u5edt3PNbbjzvIABCD' });
    expect(appUser.credentials?.userName).toBe('saml.test@example.com');
    expect(appUser._embedded?.user?.profile.login).toBe('saml.test@example.com');
  });

  it('parses the single log event with additional security context', () => {
    const event = oktaLogEventSchema.parse(example('/api/v1/logs', 'ListLogsWithAdditionalSecurityContext'));
    expect(event.eventType).toBe('user.session.start');
    expect(event.securityContext).toMatchObject({ risk: { level: 'HIGH' } });
  });

  it('parses a log event whose target carries the LogTargetChangeDetails example', () => {
    // This example is a target's `changeDetails` value, not a whole event.
    const changeDetails = example('/api/v1/logs', 'LogTargetChangeDetails');
    const [base] = asArray(example('/api/v1/logs', 'ListLogs')) as Record<string, unknown>[];
    const targets = asArray(base?.['target']) as Record<string, unknown>[];
    const event = oktaLogEventSchema.parse({ ...base, target: targets.map((t) => ({ ...t, changeDetails })) });
    expect(event.target).toHaveLength(2);
    expect(event.target?.[0]?.['changeDetails']).toEqual(changeDetails);
  });

  it('parses an app with the app user that expand=user/{id} embeds', () => {
    const [app] = asArray(example('/api/v1/apps', 'ResponseExample2')) as Record<string, unknown>[];
    const appUser = example('/api/v1/apps/{appId}/users/{userId}', 'GetAppUserExample');
    const parsed = oktaAppSchema.parse({ ...app, _embedded: { user: appUser } });
    expect(parsed).toMatchObject({ name: 'workday', label: 'hrportal2', status: 'ACTIVE' });
    expect(parsed._embedded?.user?.credentials?.userName).toBe('saml.test@example.com');
    expect(parsed._embedded?.user?._embedded?.user?.id).toBe('00u1dnq5S0CfjlkpABCD');
  });
});

describe('error bodies', () => {
  const bodies: [string, unknown][] = [
    ...Object.entries(fixture.errors).map(([name, body]): [string, unknown] => [`errors.${name}`, body]),
    ...Object.entries(fixture.responses).flatMap(([path, byStatus]) =>
      Object.entries(byStatus)
        .filter(([status]) => /^4\d\d$/.test(status))
        .flatMap(([status, byName]) =>
          Object.entries(byName).map(([name, body]): [string, unknown] => [`${path} ${status} ${name}`, body]),
        ),
    ),
  ];

  it('covers the 5 standard errors and the 24 4xx examples', () => {
    expect(bodies.filter(([name]) => name.startsWith('errors.'))).toHaveLength(5);
    expect(bodies).toHaveLength(29);
  });

  it.each(bodies)('%s parses', (_name, body) => {
    const parsed = oktaErrorBodySchema.parse(body);
    expect(parsed.errorCode).toMatch(/^E\d{7}$/);
    expect(parsed.errorSummary.length).toBeGreaterThan(0);
  });

  it('reads the rate-limit error code', () => {
    expect(oktaErrorBodySchema.parse(fixture.errors['ErrorTooManyRequests']).errorCode).toBe('E0000047');
  });
});

describe('unknown fields and nulls', () => {
  it('keeps fields the schema does not name', () => {
    const [listed] = asArray(example('/api/v1/users', 'ListUsers'));
    const user = oktaUserSchema.parse(listed);
    expect(user['_links']).toEqual({
      self: { href: 'http://your-subdomain.okta.com/api/v1/users/00u118oQYT4TBGuay0g4' },
    });
    expect(user['credentials']).toMatchObject({ provider: { type: 'OKTA' } });
    expect(user.profile['mobilePhone']).toBeNull();

    const appUser = oktaAppUserSchema.parse(example('/api/v1/apps/{appId}/users/{userId}', 'GetAppUserExample'));
    expect(appUser['syncState']).toBe('SYNCHRONIZED');
    expect(appUser['_links']).toBeDefined();
    expect(appUser._embedded?.user?.['_links']).toBeDefined();
  });

  it('accepts null where Okta sends null', () => {
    expect(
      oktaUserSchema.safeParse({
        id: '00u1',
        status: 'ACTIVE',
        lastUpdated: null,
        profile: { login: 'a@example.com', email: null, firstName: null, lastName: null, displayName: null },
      }).success,
    ).toBe(true);
    expect(
      oktaAppUserSchema.safeParse({ id: '00u1', scope: 'GROUP', status: 'ACTIVE', externalId: null, credentials: null })
        .success,
    ).toBe(true);
    expect(
      oktaAppUserSchema.safeParse({ id: '00u1', scope: 'USER', status: 'ACTIVE', credentials: { userName: null } })
        .success,
    ).toBe(true);
    expect(
      oktaLogEventSchema.safeParse({
        uuid: 'u',
        published: '2024-01-01T00:00:00.000Z',
        eventType: 'user.lifecycle.create',
        displayMessage: null,
        actor: null,
        outcome: null,
        target: null,
      }).success,
    ).toBe(true);
    expect(
      oktaLogEventSchema.safeParse({
        uuid: 'u',
        published: '2024-01-01T00:00:00.000Z',
        eventType: 'user.lifecycle.create',
        actor: { id: 'a', type: 'User', alternateId: null, displayName: null },
        outcome: { result: null, reason: null },
        target: [{ id: 't', type: 'User', alternateId: null, displayName: null }],
      }).success,
    ).toBe(true);
  });

  it('accepts any app user scope string', () => {
    const appUser = oktaAppUserSchema.parse({ id: '00u1', scope: 'SOMETHING_NEW', status: 'ACTIVE' });
    expect(appUser.scope).toBe('SOMETHING_NEW');
  });
});

describe('parseItem', () => {
  const bad = {
    id: '00uSECRETid42',
    status: 'ACTIVE',
    profile: { login: 4242, email: 'hidden.person@example.com', firstName: 'Hidden' },
  };

  it('skips an invalid item and reports its index without its values', () => {
    const [good] = asArray(example('/api/v1/users', 'ListUsers'));
    const { items, invalid } = parseList(oktaUserSchema, [good, bad, good, { ...bad, id: 7, status: null }]);
    expect(items.map((u) => u.id)).toEqual(['00u118oQYT4TBTemp0g4', '00u118oQYT4TBTemp0g4']);
    expect(invalid.map((i) => i.index)).toEqual([1, 3]);
    expect(invalid[0]?.issues).toMatch(/^profile\.login: /);
    expect(invalid[1]?.issues).toMatch(/^id: .*; status: .*; profile\.login: /);
    const values = leafStrings(bad);
    expect(values).toContain('4242');
    for (const { issues } of invalid) {
      for (const value of [...values, '7']) expect(issues).not.toContain(value);
    }
  });

  it('names array positions in paths', () => {
    const body = { errorCode: 'E0000001', errorSummary: 'Api validation failed', errorCauses: [{ errorSummary: 'ok' }, { errorSummary: 42 }] };
    expect(parseList(oktaErrorBodySchema, [body]).invalid).toEqual([new InvalidItem(0, expect.stringMatching(/^errorCauses\[1\]\.errorSummary: /) as unknown as string)]);
  });

  it('reports a non-object item', () => {
    const { items, invalid } = parseList(oktaGroupSchema, ['00gSECRET']);
    expect(items).toEqual([]);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.issues).toMatch(/^\(item\): /);
    expect(invalid[0]?.issues).not.toContain('00gSECRET');
  });
});
