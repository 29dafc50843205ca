/**
 * The events of app users that appear, disappear or change scope because of a change
 * elsewhere (an assignment, a group membership, a group deleted, a push), shared by every
 * mutation family.
 * @module
 */
import type { AppUserOptions } from './factory.js';
import { appTarget, appUserTarget, userTarget, type EventDraft } from './log-events.js';
import type { MutatorDeps } from './mutation-context.js';
import type { AppUserChange, AppUserInit } from './records.js';

/**
 * `application.user_membership.add` / `.remove` / `.update` per changed app user, targeting
 * [AppUser, AppInstance, User]; `JOB` when Okta's background reconciliation writes them.
 */
export function membershipDrafts(deps: MutatorDeps, changes: readonly AppUserChange[], transactionType: 'WEB' | 'JOB'): EventDraft[] {
  return changes.map((c) => {
    const user = deps.org.user(c.appUser.userId);
    return {
      eventType: c.change === 'created' ? 'application.user_membership.add' : c.change === 'removed' ? 'application.user_membership.remove' : 'application.user_membership.update',
      target: [appUserTarget(c.appUser, user, deps.seed, deps.appUserTargetId), appTarget(c.app), userTarget(user)],
      transactionType,
      requestUri: `/api/v1/apps/${c.app.id}/users/${c.appUser.userId}`,
    };
  });
}

/**
 * How app users a change creates start: in a provisioning app, STAGED until Okta's push (see
 * `provisionAppUser`) unless `options` gives the externalId.
 */
export function appUserInit(deps: MutatorDeps, now: number, options: AppUserOptions = {}): AppUserInit {
  return (app, user, direct) => deps.factory.appUser(app, user, direct, now, options, true);
}
