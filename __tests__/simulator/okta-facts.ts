/**
 * Okta's documented facts the simulator must follow, written out as data: the simulator's
 * tests check it against these, never against the connector's constants (a mistake shared by
 * both would then pass unseen).
 */

/** Okta's `limit` parameter of each list, from its Management API OpenAPI description (2026.06.3). */
export interface ListFact {
  /** The operation's `operationId`. */
  operationId: string;
  /** The path template. */
  path: string;
  /** `limit`'s `default`, or null where the description states none (listApplications says -1). */
  specDefault: number | null;
  /** `limit`'s `maximum`, or null where the description states none. */
  specMax: number | null;
  /** What the simulator serves without a `limit` and at most. */
  served: { default: number; max: number };
}

export const LISTS: readonly ListFact[] = [
  // listUsers: `limit` "default: 200", no maximum; "Defaults to 10 if `q` is provided".
  { operationId: 'listUsers', path: '/api/v1/users', specDefault: 200, specMax: null, served: { default: 200, max: 200 } },
  // listApplications: `limit` "default: -1", "maximum: 200".
  { operationId: 'listApplications', path: '/api/v1/apps', specDefault: null, specMax: 200, served: { default: 20, max: 200 } },
  // listApplicationUsers: `limit` "minimum: 1", "maximum: 500", "default: 50".
  { operationId: 'listApplicationUsers', path: '/api/v1/apps/{appId}/users', specDefault: 50, specMax: 500, served: { default: 50, max: 500 } },
  // listApplicationGroupAssignments: `limit` "default: 20", "minimum: 20", "maximum: 200".
  { operationId: 'listApplicationGroupAssignments', path: '/api/v1/apps/{appId}/groups', specDefault: 20, specMax: 200, served: { default: 20, max: 200 } },
  // listGroups: `limit` "maximum: 10000", no default.
  { operationId: 'listGroups', path: '/api/v1/groups', specDefault: null, specMax: 10_000, served: { default: 10_000, max: 10_000 } },
  // listGroupUsers: `limit` "default: 1000", no maximum.
  { operationId: 'listGroupUsers', path: '/api/v1/groups/{groupId}/users', specDefault: 1_000, specMax: null, served: { default: 1_000, max: 1_000 } },
  // listGroupPushMappings: `limit` "default: 100", "minimum: 1", "maximum: 1000".
  { operationId: 'listGroupPushMappings', path: '/api/v1/apps/{appId}/group-push/mappings', specDefault: 100, specMax: 1_000, served: { default: 100, max: 1_000 } },
  // listLogEvents: `limit` "Integer between 0 and 1000", "default: 100".
  { operationId: 'listLogEvents', path: '/api/v1/logs', specDefault: 100, specMax: 1_000, served: { default: 100, max: 1_000 } },
];

/** The most one page of a list holds, by operationId. */
export const maxOf = (operationId: string): number => LISTS.find((l) => l.operationId === operationId)!.served.max;

/**
 * Okta's rate-limit families ("Management rate limits",
 * https://developer.okta.com/docs/reference/rl2-limits/): a request path and the bucket it is
 * counted in.
 */
export const BUCKET_OF_PATH: ReadonlyArray<readonly [string, string]> = [
  // `/api/v1/apps` and every endpoint of the form `/api/v1/apps*`: one bucket.
  ['/api/v1/apps', 'apps'],
  ['/api/v1/apps/0oa1', 'apps'],
  ['/api/v1/apps/0oa1/users', 'apps'],
  ['/api/v1/apps/0oa1/users/00u1', 'apps'],
  ['/api/v1/apps/0oa1/groups', 'apps'],
  ['/api/v1/apps/0oa1/group-push/mappings', 'apps'],
  // The user list is its own family; a single user and its sub-resources another.
  ['/api/v1/users', 'users'],
  ['/api/v1/users/', 'users'],
  ['/api/v1/users/00u1', 'user'],
  ['/api/v1/users/ada@example.com', 'user'],
  ['/api/v1/users/00u1/appLinks', 'user'],
  ['/api/v1/users/00u1/groups', 'user'],
  // `/api/v1/groups` and everything under it.
  ['/api/v1/groups', 'groups'],
  ['/api/v1/groups/00g1', 'groups'],
  ['/api/v1/groups/00g1/users', 'groups'],
  // The System Log; the org authorization server's token endpoint.
  ['/api/v1/logs', 'logs'],
  ['/oauth2/v1/token', 'token'],
  // Anything else: the org's default bucket (a lookalike of a family is not in it).
  ['/api/v1/usersearch', 'default'],
  ['/api/v1/applications', 'default'],
  ['/api/v1/meta/types/user', 'default'],
  ['/', 'default'],
];
