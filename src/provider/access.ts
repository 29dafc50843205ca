import { OktaAuthenticationError, OktaError, OktaForbiddenError, OktaNetworkError } from '../http/errors.js';
import type { RateLimitHeaders } from '../http/retry.js';
import type { ProviderContext } from './context.js';

/** The Okta permissions (OAuth scope names; an API token's admin role must include them) the connector reads with. */
export type OktaPermission = 'okta.users.read' | 'okta.groups.read' | 'okta.apps.read' | 'okta.logs.read';

/**
 * The outcome of checking one permission. `unauthorized` (Okta rejected the credential) and
 * `unreachable` (no answer from the origin) say nothing about the permission itself: they name
 * the problem to fix first.
 */
export interface PermissionCheck {
  permission: OktaPermission;
  status: 'ok' | 'forbidden' | 'unauthorized' | 'unreachable' | 'error';
  /** The request that checked it. */
  path: string;
  /** What is wrong (or 'ok'). */
  message: string;
  /** What the connector could not do without this permission. */
  missingData: string;
  /** The bucket's budget as Okta reported it, when it answered. */
  rateLimit?: RateLimitHeaders & { share: number };
}

/** The report of {@link checkAccess}. */
export interface AccessReport {
  /** True when every permission checked OK. */
  ok: boolean;
  origin: string;
  permissions: PermissionCheck[];
}

const CHECKS: { permission: OktaPermission; path: string; query: Record<string, string | number>; missingData: string }[] = [
  { permission: 'okta.users.read', path: '/api/v1/users', query: { limit: 1 }, missingData: 'No people at all: listIdentities() fails, resolveAppUser() cannot answer, the change stream cannot refresh anyone.' },
  { permission: 'okta.apps.read', path: '/api/v1/apps', query: { limit: 1 }, missingData: 'No app accounts: every identity comes without accounts, so search cannot map Slack, GitHub, Google... accounts to people.' },
  { permission: 'okta.groups.read', path: '/api/v1/groups', query: { limit: 1 }, missingData: 'Assigning a group to an app cannot be fanned out to its members by the change stream until the next full sync.' },
  { permission: 'okta.logs.read', path: '/api/v1/logs', query: { limit: 1 }, missingData: 'No change stream: changes() fails, so changes wait for the next full sync, and the token may expire after 30 days without use.' },
];

/**
 * One cheap request per permission the connector needs, each reported as ok / forbidden /
 * unauthorized / unreachable / error, with the token's remaining share of that rate-limit bucket.
 * @example
 * const report = await provider.checkAccess();
 * for (const p of report.permissions) console.log(p.permission, p.status, p.missingData);
 */
export async function checkAccess(ctx: ProviderContext, signal?: AbortSignal): Promise<AccessReport> {
  const permissions = await Promise.all(
    CHECKS.map(async ({ permission, path, query, missingData }): Promise<PermissionCheck> => {
      try {
        const { rateLimit } = await ctx.client.get(path, { query, ...(signal ? { signal } : {}) });
        return {
          permission,
          status: 'ok',
          path,
          message: 'ok',
          missingData,
          ...(rateLimit ? { rateLimit: { ...rateLimit, share: rateLimit.limit > 0 ? rateLimit.remaining / rateLimit.limit : 0 } } : {}),
        };
      } catch (error) {
        if (error instanceof OktaError) return { permission, status: statusOf(error), path, message: error.message, missingData };
        throw error;
      }
    }),
  );
  return { ok: permissions.every((p) => p.status === 'ok'), origin: ctx.client.origin, permissions };
}

function statusOf(error: OktaError): PermissionCheck['status'] {
  if (error instanceof OktaForbiddenError) return 'forbidden';
  if (error instanceof OktaAuthenticationError) return 'unauthorized';
  if (error instanceof OktaNetworkError) return 'unreachable';
  return 'error';
}
