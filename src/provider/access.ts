import { OktaAuthenticationError, OktaError, OktaForbiddenError, OktaNetworkError } from '../errors.js';
import type { RateLimitHeaders } from '../http/retry.js';
import { probeOf, type OktaPermission } from '../okta/endpoints.js';
import { oktaGroupSchema } from '../okta/schemas.js';
import { parseOne, type ProviderContext } from './context.js';
import { toGroup } from './identity.js';

export type { OktaPermission };

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

/** What the connector cannot do without each permission, in the order checkAccess reports them. */
const MISSING_DATA: Record<OktaPermission, string> = {
  'okta.users.read': 'No people at all: listIdentities() fails, resolveAppUser() cannot answer, the change stream cannot refresh anyone.',
  'okta.apps.read': 'No app accounts: every identity comes without accounts, so search cannot map Slack, GitHub, Google... accounts to people.',
  'okta.groups.read': 'With the groups option: identities come without groups and resolveAppGroup() cannot list members. Without a synced index, the change stream cannot fan a group assigned to an app out to its members.',
  'okta.logs.read': 'No change stream: changes() fails, so changes wait for the next full sync, and the token may expire after 30 days without use.',
};

const CHECKS = (Object.entries(MISSING_DATA) as [OktaPermission, string][]).map(([permission, missingData]) => ({ permission, path: probeOf(permission).path, query: { limit: 1 }, missingData }));

/**
 * One cheap request per permission the connector needs, each reported as ok / forbidden /
 * unauthorized / unreachable / error, with the token's remaining share of that rate-limit bucket.
 */
export async function checkAccess(ctx: ProviderContext, signal?: AbortSignal): Promise<AccessReport> {
  const probes = CHECKS.map(({ permission, path, query, missingData }) => check(ctx, permission, path, query, missingData, signal));
  const groups = probes[CHECKS.findIndex((c) => c.permission === 'okta.groups.read')]!;
  const permissions = await Promise.all([...probes, checkPushMappings(ctx, groups, signal)]);
  return { ok: permissions.every((p) => p.status === 'ok'), origin: ctx.client.origin, permissions };
}

const PUSH_MISSING = 'With the groups option: a group Okta pushes to an app (Group Push) resolves to the app group itself, not to the group whose members are pushed.';

/**
 * Group Push mappings live under an app; the app of an app group is the one that can have them
 * (`GET /api/v1/groups?search=type eq "APP_GROUP"`, then that app's mappings). Without any app
 * group there is nothing to push to, and nothing to check. The search waits for the groups probe,
 * which runs alongside the others: it shares the groups bucket, and when that probe got no answer
 * (or a refusal) the search would get the same after as long again, so its outcome is reused.
 */
async function checkPushMappings(ctx: ProviderContext, groupsProbe: Promise<PermissionCheck>, signal?: AbortSignal): Promise<PermissionCheck> {
  const permission = 'okta.apps.read';
  const listed = '/api/v1/apps/{appId}/group-push/mappings';
  const groups = await groupsProbe;
  if (groups.status !== 'ok') return { permission, status: groups.status, path: listed, message: pushUnchecked(groups.message), missingData: PUSH_MISSING };
  let appId: string | undefined;
  try {
    const { body } = await ctx.client.get('/api/v1/groups', { query: { search: 'type eq "APP_GROUP"', limit: 1 }, ...(signal ? { signal } : {}) });
    const [first] = Array.isArray(body) ? body : [];
    appId = first === undefined ? undefined : toGroup(parseOne(oktaGroupSchema, first, '/api/v1/groups')).appId;
  } catch (error) {
    if (error instanceof OktaError) return { permission, status: statusOf(error), path: listed, message: pushUnchecked(error.message), missingData: PUSH_MISSING };
    throw error;
  }
  if (appId === undefined) return { permission, status: 'ok', path: listed, message: 'ok (no app groups, so no Group Push to read)', missingData: PUSH_MISSING };
  return check(ctx, permission, `/api/v1/apps/${encodeURIComponent(appId)}/group-push/mappings`, { limit: 1 }, PUSH_MISSING, signal);
}

function pushUnchecked(why: string): string {
  return `Group Push mappings (okta.apps.read with okta.groups.read) could not be checked: finding an app with app groups failed: ${why}`;
}

/** One permission checked with one cheap request. */
async function check(ctx: ProviderContext, permission: OktaPermission, path: string, query: Record<string, string | number>, missingData: string, signal?: AbortSignal): Promise<PermissionCheck> {
  try {
    const { rateLimit } = await ctx.client.get(path, { query, ...(signal ? { signal } : {}) });
    const share = rateLimit ? { rateLimit: { ...rateLimit, share: rateLimit.limit > 0 ? rateLimit.remaining / rateLimit.limit : 0 } } : {};
    return { permission, status: 'ok', path, message: 'ok', missingData, ...share };
  } catch (error) {
    if (error instanceof OktaError) return { permission, status: statusOf(error), path, message: error.message, missingData };
    throw error;
  }
}

function statusOf(error: OktaError): PermissionCheck['status'] {
  if (error instanceof OktaForbiddenError) return 'forbidden';
  if (error instanceof OktaAuthenticationError) return 'unauthorized';
  if (error instanceof OktaNetworkError) return 'unreachable';
  return 'error';
}
