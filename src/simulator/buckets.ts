/**
 * Okta's rate-limit buckets as the simulator meters them. Okta counts each endpoint family in
 * its own bucket, so requests in one never spend another's budget ("Management rate limits",
 * https://developer.okta.com/docs/reference/rl2-limits/): everything under `/api/v1/apps` is
 * one family; the user list `/api/v1/users` is another than a single user
 * `/api/v1/users/{id}`, which shares its bucket with that user's sub-resources; everything
 * under `/api/v1/groups` is one; the System Log; the org authorization server's token
 * endpoint; every other path falls in the org's default bucket.
 *
 * This table is the simulator's own reading of Okta's documentation: it deliberately shares
 * nothing with the connector's endpoint table, so a mistake in either shows up as a
 * disagreement in the tests (`__tests__/simulator/contract.test.ts`).
 * @module
 */

/**
 * Requests per minute each bucket allows unless the `rateLimits` option says otherwise, of the
 * order Okta's rate-limit page publishes for these endpoints. Real orgs differ by plan and
 * add-ons: a client must read its limits from the `X-Rate-Limit-*` headers, never assume these.
 */
export const BUCKET_LIMITS = {
  apps: 100,
  users: 600,
  user: 2_000,
  groups: 500,
  logs: 120,
  token: 600,
  default: 1_200,
} as const;

/**
 * A rate-limit bucket of the simulator.
 * @example
 * const bucket: BucketName = 'apps';
 */
export type BucketName = keyof typeof BUCKET_LIMITS;

/** Every bucket, in the table's order. */
export const BUCKET_NAMES = Object.keys(BUCKET_LIMITS) as BucketName[];

/** Whether `path` is `family` or lies under it (`/api/v1/apps/0oa1/users` is under `/api/v1/apps`). */
function within(path: string, family: string): boolean {
  return path === family || path.startsWith(`${family}/`);
}

/** The bucket a request path (without its query string) is counted in. */
export function bucketOf(pathname: string): BucketName {
  // A trailing slash names the same resource: Okta meters `/api/v1/users/` as `/api/v1/users`.
  const path = pathname.replace(/\/+$/, '');
  if (within(path, '/api/v1/apps')) return 'apps';
  if (path === '/api/v1/users') return 'users';
  if (path.startsWith('/api/v1/users/')) return 'user';
  if (within(path, '/api/v1/groups')) return 'groups';
  if (within(path, '/api/v1/logs')) return 'logs';
  if (within(path, '/oauth2/v1/token')) return 'token';
  return 'default';
}
