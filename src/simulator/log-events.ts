/**
 * System Log event objects, shaped like the `ListLogs` example of Okta's OpenAPI description
 * (same fields, same order), and the targets each event type carries.
 *
 * Target conventions, following the samples of Okta's event catalogue
 * (https://developer.okta.com/docs/reference/api/event-types/) and real events:
 * - `User`: id = user id, alternateId = login, displayName = "First Last" (or the login);
 * - `AppInstance`: id = app id, alternateId = displayName = the app's label;
 * - `AppUser`: id = the `0ua...` app assignment id (what Okta sends; the option
 *   `appUserTargetId: 'user'` puts the user id instead), alternateId = the account's
 *   `userName`, displayName = the user's display name;
 * - `UserGroup`: id = group id, alternateId = `unknown` (as Okta sends), displayName = the
 *   group's name (OKTA_GROUP and APP_GROUP alike).
 * @module
 */
import { DOMAIN } from './factory.js';
import { assignmentId } from './ids.js';
import type { AppRecord, AppUserRecord, GroupRecord, UserRecord } from './records.js';

/**
 * One entry of an event's `target` (or its `actor`).
 * @example
 * const target: LogTarget = { id: '00u1', type: 'User', alternateId: 'ada@example.com', displayName: 'Ada Lovelace', detailEntry: null };
 */
export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: Record<string, unknown> | null;
}

/**
 * A System Log event as `GET /api/v1/logs` returns it.
 * @example
 * const users = events.flatMap((e: LogEvent) => e.target.filter((t) => t.type === 'User').map((t) => t.id));
 */
export interface LogEvent {
  actor: LogTarget;
  client: Record<string, unknown>;
  device: Record<string, unknown> | null;
  authenticationContext: Record<string, unknown>;
  displayMessage: string;
  eventType: string;
  outcome: { result: string; reason: string | null };
  published: string;
  securityContext: Record<string, unknown>;
  severity: string;
  debugContext: { debugData: Record<string, string> };
  legacyEventType: string | null;
  transaction: { type: string; id: string; detail: Record<string, unknown> };
  uuid: string;
  version: string;
  request: { ipChain: Array<Record<string, unknown>> };
  target: LogTarget[];
}

/** What a mutation says about an event; the log fills in the rest. */
export interface EventDraft {
  eventType: string;
  target: LogTarget[];
  /** Default: the admin whose API token made the change. */
  actor?: LogTarget;
  /** `WEB` for admin API calls, `JOB` for what Okta does in the background (group-driven app users). */
  transactionType?: 'WEB' | 'JOB';
  /** The API path that caused it, for `debugContext.debugData.requestUri`. */
  requestUri?: string;
  /** An end-user browser session (noise events) instead of the admin's API client. */
  browser?: boolean;
  /** Default SUCCESS. A lockout is logged as a FAILURE (reason LOCKED_OUT), as Okta does. */
  outcome?: { result: string; reason: string | null };
}

/** Okta's display message per event type. */
const DISPLAY_MESSAGES: Readonly<Record<string, string>> = {
  'user.lifecycle.create': 'Create Okta user',
  'user.lifecycle.activate': 'Activate Okta user',
  'user.lifecycle.deactivate': 'Deactivate Okta user',
  'user.lifecycle.reactivate': 'Reactivate Okta user',
  'user.lifecycle.suspend': 'Suspend Okta user',
  'user.lifecycle.unsuspend': 'Unsuspend Okta user',
  'user.lifecycle.delete.initiated': 'Delete Okta user initiated',
  'user.lifecycle.delete.completed': 'Delete Okta user completed',
  'user.account.update_profile': 'Update user profile for Okta',
  'user.account.update_primary_email': 'Update primary email address',
  'application.user_membership.add': 'Add user to application membership',
  'application.user_membership.remove': 'Remove user from application membership',
  'application.user_membership.update': 'Update user application membership',
  'application.user_membership.change_username': "Change user's application username",
  'group.user_membership.add': 'Add user to group membership',
  'group.user_membership.remove': 'Remove user from group membership',
  'group.application_assignment.add': 'Add assigned application to group',
  'group.application_assignment.remove': 'Remove assigned application from group',
  'group.lifecycle.create': 'Create Okta group',
  'application.lifecycle.create': 'Create application',
  'application.lifecycle.activate': 'Activate application',
  'application.lifecycle.update': 'Update application',
  'application.lifecycle.deactivate': 'Deactivate application',
  'application.lifecycle.delete': 'Delete application',
  'user.session.start': 'User login to Okta',
  'user.authentication.sso': 'User single sign on to app',
  'policy.evaluate_sign_on': 'Evaluation of sign-on policy',
  // Self-service, password and background (provisioning, import) events: the catalogue's
  // description, or for prose descriptions a short summary of it.
  'user.account.lock': 'Max sign in attempts exceeded',
  'user.account.unlock': 'Auto-unlock user account for Okta',
  'user.account.unlock_by_admin': 'User account unlock by admin',
  'user.account.expire_password': "Expire user's Okta password",
  'user.account.reset_password': "User's Okta password has been reset",
  'user.account.update_password': 'User update password for Okta',
  'user.lifecycle.password_mass_expiry': "Mass expire all users' passwords initiated",
  'application.provision.user.push': 'Push new user to external application',
  'app.user_management.push_new_user_success': 'Successfully pushed new user account to app',
  'system.import.user.create': 'Create user triggered by import process',
  'system.import.user.update': 'Update user triggered by import process',
  'system.import.user.suspend': 'Suspend user triggered by import process',
  'system.import.user.unsuspend': 'Unsuspend user triggered by import process',
  'group.profile.update': 'Okta group profile updated',
  'group.lifecycle.delete': 'Delete Okta group',
  'system.import.group.create': 'Create group triggered by import process',
  'system.import.group.update': 'Update group triggered from import process',
  'system.import.group.delete': 'Remove group triggered by import process',
  'app.user_management': 'Imported new or deleted existing member of an application group',
  'app.user_management.user_group_import.upsert_success': 'Imported the group from app',
  'app.user_management.user_group_import.delete_success': 'Deleted the group from app',
  'application.provision.group_push.mapping.created': 'A new mapping has been created',
  'application.provision.group_push.activate_mapping': 'Group push activated mappings',
  'application.provision.group_push.deactivate_mapping': 'Group push deactivated mappings',
  'application.provision.group_push.pushed': 'A group was pushed to an app',
  'application.provision.group_push.push_memberships': 'Group push pushed memberships',
  'application.provision.group_push.removed': 'A group was removed from an app',
  'application.provision.group_push.delete_appgroup': 'Group push deleted application group',
  'application.provision.group_push.mapping.app.group.renamed': 'A mapped app group has been renamed because the source group was renamed',
};

const LEGACY: Readonly<Record<string, string>> = {
  'user.lifecycle.create': 'core.user.config.user_creation.success',
  'user.lifecycle.activate': 'core.user.config.user_activated',
  'user.lifecycle.deactivate': 'core.user.config.user_deactivated',
  'user.lifecycle.suspend': 'core.user.config.user_status.suspended',
  'user.lifecycle.unsuspend': 'core.user.config.user_status.unsuspended',
  'user.account.update_profile': 'core.user.config.profile_update.success',
  'application.user_membership.add': 'app.generic.provision.assign_user_to_app',
  'application.user_membership.remove': 'app.generic.provision.deactivate_user_from_app',
  'group.user_membership.add': 'core.user_group_member.user_add',
  'group.user_membership.remove': 'core.user_group_member.user_remove',
  'group.application_assignment.add': 'group.application_assignment.add',
  'group.application_assignment.remove': 'group.application_assignment.remove',
  'application.lifecycle.deactivate': 'app.generic.config.app_deactivated',
  'application.lifecycle.activate': 'app.generic.config.app_activated',
  'application.lifecycle.update': 'app.generic.config.app_updated',
  'application.lifecycle.delete': 'app.generic.config.app_deleted',
  'user.session.start': 'core.user_auth.login_success',
  'user.authentication.sso': 'app.auth.sso',
  // Only where real events show one; Okta sends null for the other new types.
  'user.account.lock': 'core.user_auth.account_locked',
  'user.account.update_password': 'core.user.config.password_update.success',
};

/**
 * The actor of what Okta does by itself (imports, provisioning jobs): "Okta System", whose
 * alternateId is `system@okta.com` and whose id is not an Okta object id
 * (https://support.okta.com/help/s/article/What-is-the-systemoktacom-Account-in-Syslog-Used-For).
 */
export const SYSTEM_PRINCIPAL: Readonly<LogTarget> = Object.freeze({
  id: '2pHsimulatorsystem001',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
  detailEntry: null,
});

/** The display name Okta shows for a user: "First Last", else the login. */
function userDisplayName(user: UserRecord): string {
  const name = `${user.profile.firstName ?? ''} ${user.profile.lastName ?? ''}`.trim();
  return name === '' ? String(user.profile.login) : name;
}

/** A `User` target. */
export function userTarget(user: UserRecord): LogTarget {
  return { id: user.id, type: 'User', alternateId: String(user.profile.login), displayName: userDisplayName(user), detailEntry: null };
}

/** An `AppInstance` target: alternateId and displayName are the app's label. */
export function appTarget(app: AppRecord): LogTarget {
  return { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label, detailEntry: null };
}

/**
 * An `AppUser` target: id is the `0ua...` assignment id (or the user id with
 * `idStyle: 'user'`), alternateId the account's userName.
 */
export function appUserTarget(appUser: AppUserRecord, user: UserRecord, seed: number, idStyle: 'assignment' | 'user'): LogTarget {
  const id = idStyle === 'user' ? appUser.userId : assignmentId(seed, appUser.assignmentSeq);
  return { id, type: 'AppUser', alternateId: appUser.userName, displayName: userDisplayName(user), detailEntry: null };
}

/** A `UserGroup` target. */
export function groupTarget(group: GroupRecord): LogTarget {
  return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name, detailEntry: null };
}

const GEO = { city: 'San Francisco', state: 'California', country: 'United States', postalCode: '94107', geolocation: { lat: 37.7823, lon: -122.3934 } };

/** Everything of an event but its identity (uuid, published, transaction id). */
export function eventBody(draft: EventDraft, admin: LogTarget, uuid: string, published: number, transactionId: string): LogEvent {
  const browser = draft.browser === true;
  const ip = browser ? '203.0.113.24' : '198.51.100.7';
  const requestUri = draft.requestUri ?? (browser ? '/idp/idx/identify' : '/api/v1/users');
  return {
    actor: draft.actor ?? admin,
    client: {
      userAgent: browser
        ? { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36', os: 'Mac OS X', browser: 'CHROME' }
        : { rawUserAgent: 'okta-sdk-nodejs/7.1.0 node/20.11.0 linux/6.1.0', os: 'Linux', browser: 'UNKNOWN' },
      zone: null,
      device: browser ? 'Computer' : 'Unknown',
      id: null,
      ipAddress: ip,
      geographicalContext: GEO,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      rootSessionId: browser ? `idx${transactionId.slice(0, 22)}` : 'unknown',
      externalSessionId: browser ? `idx${transactionId.slice(0, 22)}` : 'trs' + transactionId.slice(0, 22),
    },
    displayMessage: DISPLAY_MESSAGES[draft.eventType] ?? draft.eventType,
    eventType: draft.eventType,
    outcome: draft.outcome ?? { result: 'SUCCESS', reason: null },
    published: new Date(published).toISOString(),
    securityContext: { asNumber: 64496, asOrg: 'example networks', isp: 'example isp', domain: DOMAIN, isProxy: false },
    severity: 'INFO',
    debugContext: { debugData: { requestId: transactionId, requestUri, url: requestUri } },
    legacyEventType: LEGACY[draft.eventType] ?? null,
    transaction: { type: draft.transactionType ?? 'WEB', id: transactionId, detail: {} },
    uuid,
    version: '0',
    request: { ipChain: [{ ip, geographicalContext: GEO, version: 'V4', source: null }] },
    target: draft.target,
  };
}
