import { OktaError, OktaForbiddenError } from '../http/errors.js';
import type { RateLimitHeaders } from '../http/retry.js';
import { probeOf, type OktaPermission } from '../okta/endpoints.js';
import type { ProviderContext } from './context.js';

export type { OktaPermission };

/** The outcome of checking one permission. */
export interface PermissionCheck {
  permission: OktaPermission;
  status: 'ok' | 'forbidden' | 'error';
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

/** What the connector cannot do without each permission, in the order checkAccess reports them. */
const MISSING_DATA: Record<OktaPermission, string> = {
  'okta.users.read': 'No people at all: listIdentities() fails, resolveAppUser() cannot answer, the change stream cannot refresh anyone.',
  'okta.apps.read': 'No app accounts: every identity comes without accounts, so search cannot map Slack, GitHub, Google... accounts to people.',
  'okta.groups.read': 'Assigning a group to an app cannot be fanned out to its members by the change stream until the next full sync.',
  'okta.logs.read': 'No change stream: changes() fails, so changes wait for the next full sync, and the token may expire after 30 days without use.',
};

const CHECKS = (Object.entries(MISSING_DATA) as [OktaPermission, string][]).map(([permission, missingData]) => ({ permission, path: probeOf(permission).path, query: { limit: 1 }, missingData }));

/**
 * One cheap request per permission the connector needs, each reported as ok / forbidden /
 * error, with the token's remaining share of that rate-limit bucket.
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
        if (error instanceof OktaForbiddenError) return { permission, status: 'forbidden', path, message: error.message, missingData };
        if (error instanceof OktaError) return { permission, status: 'error', path, message: error.message, missingData };
        throw error;
      }
    }),
  );
  return { ok: permissions.every((p) => p.status === 'ok'), origin: ctx.client.origin, permissions };
}
