/**
 * Events no identity connector cares about (sign-ins, SSO, sign-on policy evaluations), which a
 * real System Log is mostly made of: a connector must skip them cheaply.
 * @module
 */
import { appTarget, userTarget, type EventDraft, type LogEvent } from './log-events.js';
import type { Emit, MutatorDeps } from './mutation-context.js';
import type { Rng } from './prng.js';

/**
 * Appends `n` such events, each by a random user (or the admin in an org without users).
 * @throws RangeError unless `n` is a non-negative integer.
 */
export function noise(deps: MutatorDeps, emit: Emit, rng: Rng, n: number): LogEvent[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('noise(n) takes a non-negative integer');
  const { org, log } = deps;
  const out: LogEvent[] = [];
  for (let i = 0; i < n; i++) {
    const userId = org.userIds.length > 0 ? rng.pick(org.userIds) : undefined;
    const actor = userId === undefined ? log.admin : userTarget(org.user(userId));
    const appId = org.appIds.length > 0 ? rng.pick(org.appIds) : undefined;
    const kind = rng.int(3);
    let draft: EventDraft;
    if (kind === 0 || appId === undefined) {
      draft = { eventType: 'user.session.start', actor, browser: true, target: [{ id: 'pfdsimulatorverify001', type: 'AuthenticatorEnrollment', alternateId: 'unknown', displayName: 'Okta Verify', detailEntry: null }] };
    } else if (kind === 1) {
      draft = { eventType: 'user.authentication.sso', actor, browser: true, target: [appTarget(org.app(appId))], requestUri: `/app/${org.app(appId).name}/${appId}/sso/saml` };
    } else {
      draft = {
        eventType: 'policy.evaluate_sign_on',
        actor,
        browser: true,
        target: [
          { id: '00psimulatorpolicy001', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy', detailEntry: { policyType: 'OKTA_SIGN_ON' } },
          { id: '0prsimulatorrule00001', type: 'PolicyRule', alternateId: 'unknown', displayName: 'Default Rule', detailEntry: null },
        ],
      };
    }
    out.push(...emit([draft]));
  }
  return out;
}
