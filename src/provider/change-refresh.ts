import { OktaForbiddenError, OktaNotFoundError } from '../http/errors.js';
import type { Identity } from '../sdk.js';
import type { PersonWork } from './change-plan.js';
import { warnForbidden, type ProviderContext } from './context.js';
import { fetchIdentity, fetchUser } from './fetch-identity.js';

/**
 * A person's state after an event: the full identity, gone (deleted in Okta), or skipped
 * because the token may not read it (already warned).
 * @example
 * const result: Refreshed = { kind: 'gone' };
 */
export type Refreshed = { kind: 'found'; identity: Identity } | { kind: 'gone' } | { kind: 'skipped' };

/**
 * Reads a person's full current identity fresh from Okta with {@link fetchIdentity}: the user
 * (unless a fan-out list just embedded it) and, in one list request, every app assigned to
 * the user with its app user embedded (`GET /api/v1/apps?filter=user.id eq "{id}"&expand=user/{id}`),
 * which takes fewer requests than the user's appLinks plus one app-user read per app.
 * A 404 on the user means the person was deleted. A 403 skips the person with warnings and
 * the stream goes on: the admin learns what to grant, the other people still update.
 * @example
 * const result = await refreshPerson(ctx, { id: '00u1', known: undefined, events: [0] }, signal);
 */
export async function refreshPerson(ctx: ProviderContext, person: PersonWork, signal?: AbortSignal): Promise<Refreshed> {
  try {
    const fetched = await fetchIdentity(ctx, person.id, signal, person.known);
    if (fetched.kind === 'forbidden') return skipped(ctx, person.id);
    return fetched;
  } catch (error) {
    if (error instanceof OktaForbiddenError) {
      warnForbidden(ctx, error, `User ${person.id}`);
      return skipped(ctx, person.id);
    }
    // The accounts list of a user deleted a moment ago may 404 while the user read says why.
    if (error instanceof OktaNotFoundError && (await fetchUser(ctx, person.id, signal)) === null) return { kind: 'gone' };
    throw error;
  }
}

function skipped(ctx: ProviderContext, userId: string): Refreshed {
  ctx.warn({
    code: 'change_skipped',
    status: 403,
    path: `/api/v1/users/${encodeURIComponent(userId)}`,
    message: `The change stream skipped an update of user ${userId}: the token may not read all of it. Their identity stays as it was until the access is granted and a full listIdentities() runs.`,
  });
  return { kind: 'skipped' };
}
