/**
 * The one table of what the connector knows about each Okta endpoint it calls: its rate-limit
 * bucket, the permission that reads it, and its largest page. The client meters requests by
 * it, 403 messages and the OAuth scopes name its permissions, checkAccess probes them, and list
 * reads ask for its page sizes.
 *
 * Ground truth: Okta's Management API OpenAPI description (operation security and `limit`
 * bounds) and "Management rate limits" (https://developer.okta.com/docs/reference/rl2-limits/).
 * @module
 */

/**
 * Okta meters each endpoint family in its own bucket; requests in one do not spend another's
 * budget. The per-minute numbers are nominal (nothing reads them): the client learns the real
 * ones from the X-Rate-Limit-* headers.
 */
export const BUCKETS = {
  apps: { perMinute: 100, description: '/api/v1/apps and everything under it' },
  users: { perMinute: 600, description: 'the user list /api/v1/users' },
  user: { perMinute: 2000, description: 'single users /api/v1/users/{id} and their sub-resources' },
  groups: { perMinute: 500, description: '/api/v1/groups and everything under it' },
  logs: { perMinute: 120, description: 'the System Log /api/v1/logs' },
  token: { perMinute: 600, description: 'the OAuth 2.0 token endpoint /oauth2/v1/token' },
  default: { perMinute: 1200, description: 'any other /api/v1 path' },
} as const;

/** A rate-limit bucket's name. */
export type BucketName = keyof typeof BUCKETS;

/** One endpoint. */
export interface Endpoint {
  /** The path; `{name}` stands for one segment. */
  readonly path: string;
  readonly bucket: BucketName;
  /**
   * The OAuth scope that reads it, which an API token's admin role must include too: what a 403
   * tells the admin to grant. None for the token endpoint, which the credential itself opens.
   */
  readonly permission: `okta.${string}.read` | undefined;
  /** Every scope Okta's OpenAPI lists for the operation, where that is more than `permission`. */
  readonly scopes?: readonly `okta.${string}.read`[];
  /** The largest `limit` Okta documents, for a list: the connector always asks for it. */
  readonly maxLimit?: number;
  readonly description: string;
}

/**
 * Every endpoint the connector reads.
 * The order in which the permissions first appear is the order of the default OAuth scopes.
 */
export const ENDPOINTS = {
  // listUsers documents 200 as the default and states no maximum: the connector keeps to 200.
  users: { path: '/api/v1/users', bucket: 'users', permission: 'okta.users.read', maxLimit: 200, description: 'the user list, by filter or search' },
  user: { path: '/api/v1/users/{id}', bucket: 'user', permission: 'okta.users.read', description: 'one user; everything under it shares its bucket' },
  // listUserGroups: the whole list in one response (no paging parameters), scope okta.users.read.
  userGroups: { path: '/api/v1/users/{id}/groups', bucket: 'user', permission: 'okta.users.read', description: "one user's groups" },
  // listGroups documents a maximum of 10000 (and "recommends using a specific value": the
  // connector always sends one). A list of groups with member counts is small per group.
  groups: { path: '/api/v1/groups', bucket: 'groups', permission: 'okta.groups.read', maxLimit: 10_000, description: 'the groups' },
  group: { path: '/api/v1/groups/{groupId}', bucket: 'groups', permission: 'okta.groups.read', description: 'one group (the change stream reads a group an event names again)' },
  groupMembers: { path: '/api/v1/groups/{groupId}/users', bucket: 'groups', permission: 'okta.groups.read', maxLimit: 1000, description: "a group's members" },
  apps: { path: '/api/v1/apps', bucket: 'apps', permission: 'okta.apps.read', maxLimit: 200, description: 'the app instances' },
  app: { path: '/api/v1/apps/{appId}', bucket: 'apps', permission: 'okta.apps.read', description: 'one app instance' },
  appUsers: { path: '/api/v1/apps/{appId}/users', bucket: 'apps', permission: 'okta.apps.read', maxLimit: 500, description: "an app's users (its accounts)" },
  appUser: { path: '/api/v1/apps/{appId}/users/{userId}', bucket: 'apps', permission: 'okta.apps.read', description: "one person's account in an app" },
  groupPushMappings: {
    path: '/api/v1/apps/{appId}/group-push/mappings',
    bucket: 'apps',
    permission: 'okta.apps.read',
    scopes: ['okta.apps.read', 'okta.groups.read'],
    maxLimit: 1000,
    description: 'the groups an app pushes to its directory',
  },
  logs: { path: '/api/v1/logs', bucket: 'logs', permission: 'okta.logs.read', maxLimit: 1000, description: 'the System Log' },
  token: { path: '/oauth2/v1/token', bucket: 'token', permission: undefined, description: "the org authorization server's token endpoint (OAuth service apps)" },
} as const satisfies Record<string, Endpoint>;

type EndpointName = keyof typeof ENDPOINTS;

/** The lists: endpoints with a page size. */
type ListName = { [K in EndpointName]: (typeof ENDPOINTS)[K] extends { maxLimit: number } ? K : never }[EndpointName];

/** The Okta permissions (OAuth scope names; an API token's admin role must include them) the connector reads with. */
export type OktaPermission = NonNullable<(typeof ENDPOINTS)[EndpointName]['permission']>;

/** The `limit` each list is read with: the largest Okta documents unless the table says otherwise. */
export const PAGE_SIZE = Object.fromEntries(
  Object.entries(ENDPOINTS).flatMap(([name, row]: [string, Endpoint]) => (row.maxLimit === undefined ? [] : [[name, row.maxLimit]])),
) as { readonly [K in ListName]: number };

const ROWS_IN_ORDER: readonly (typeof ENDPOINTS)[EndpointName][] = Object.values(ENDPOINTS);

/** Every permission the connector needs, once each, in the table's order. */
export const PERMISSIONS: readonly OktaPermission[] = [...new Set(ROWS_IN_ORDER.flatMap((row) => (row.permission ? [row.permission] : [])))];

/** The cheapest request that needs `permission`: its first list without path parameters. */
export function probeOf(permission: OktaPermission): Endpoint {
  return ROWS_IN_ORDER.find((row) => row.permission === permission && 'maxLimit' in row && !row.path.includes('{'))!;
}

const ROWS: readonly { segments: string[]; row: Endpoint }[] = ROWS_IN_ORDER.map((row) => ({ segments: row.path.split('/'), row }));

/**
 * The row of a request path (without query string). A path the table does not list goes with
 * the nearest row above it, so that a bucket keeps its whole family (`/api/v1/users/{id}/appLinks`
 * with `/api/v1/users/{id}`); a path with no row above it has none.
 */
export function endpointOf(pathname: string): Endpoint | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/');
  let best: { segments: string[]; row: Endpoint } | undefined;
  for (const candidate of ROWS) {
    if (candidate.segments.length > segments.length || (best && best.segments.length >= candidate.segments.length)) continue;
    if (candidate.segments.every((s, i) => s === segments[i] || (s.startsWith('{') && s.endsWith('}')))) best = candidate;
  }
  return best?.row;
}

/** Which bucket a request path (without query string) is metered in. */
export function bucketOf(pathname: string): BucketName {
  return endpointOf(pathname)?.bucket ?? 'default';
}

/** The Okta permission that covers reading a path, for messages that tell the admin what to grant. */
export function permissionFor(path: string): string {
  return endpointOf(path)?.permission ?? 'read access';
}
