/**
 * Okta meters each endpoint family in its own rate-limit bucket; requests in one bucket do not
 * spend another's budget. This table is the one place that says which path goes to which bucket;
 * the client keeps a limiter per bucket and the simulator enforces the same families.
 *
 * Families and per-minute org limits follow Okta's "Management rate limits" reference
 * (https://developer.okta.com/docs/reference/rl2-limits/): everything under /api/v1/apps shares
 * one small bucket; the user list (/api/v1/users) and single users (/api/v1/users/{id}...) are
 * separate; groups and the System Log have their own. The numbers are only the simulator's
 * defaults: the client learns the real ones from X-Rate-Limit-* headers.
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

/** Which bucket a request path (without query string) is metered in. */
export function bucketOf(pathname: string): BucketName {
  const p = pathname.replace(/\/+$/, '');
  if (p === '/api/v1/apps' || p.startsWith('/api/v1/apps/')) return 'apps';
  if (p === '/api/v1/users') return 'users';
  if (p.startsWith('/api/v1/users/')) return 'user';
  if (p === '/api/v1/groups' || p.startsWith('/api/v1/groups/')) return 'groups';
  if (p === '/api/v1/logs') return 'logs';
  if (p.startsWith('/oauth2/')) return 'token';
  return 'default';
}

/** The largest `limit` each list endpoint accepts: the connector always asks for it. */
export const PAGE_SIZE = {
  users: 200,
  apps: 200,
  appUsers: 500,
  groups: 200,
  groupMembers: 1000,
  appGroups: 200,
  logs: 1000,
} as const;
