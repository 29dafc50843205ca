/**
 * Which System Log events change an identity, decided from Okta's event catalog
 * (https://developer.okta.com/docs/reference/api/event-types/; `event-types.json` of
 * okta/okta-developer-docs, release 2026.08.1).
 *
 * An identity is a person's status, login, email and display name, and each app account's
 * existence, userName, externalId, scope and status. Each family says how far a change reaches:
 * - `person`: the person and possibly their accounts (lifecycle, profile, imports, group
 *   membership, which brings and takes group-assigned accounts): read the whole person;
 * - `status`: only the person's status (lock, unlock, password states): the user alone;
 * - `account`: one person's account in one app (assignment, username, provisioning);
 * - `app`: every account in one app (a group assigned to it, its label or username format
 *   changed, the app deleted); `deactivate` changes no identity but is the last chance to see
 *   who held accounts in an app about to be deleted;
 * - `everyone`: every person's status (a mass password expiry).
 * Rules are tried in order; the first whose `type` equals the event type, or is a prefix
 * (ending in `.`) of it, decides. `out` rules document what is left out on purpose.
 * @module
 */

/** How far an event reaches; see the module comment. */
export type EventReach = 'person' | 'status' | 'account' | 'app' | 'group' | 'everyone';

/** What an app-wide event did to the app, which decides how its accounts are read. */
export type AppChange = 'assignment' | 'update' | 'delete' | 'deactivate';

/**
 * What a group event did: renamed it, deleted it, changed who is in it (an import), or changed a
 * Group Push mapping or what it pushes (then the app's mappings are read again too).
 */
export type GroupChange = 'rename' | 'delete' | 'members' | 'push';

/**
 * One catalog decision. A rule with `groups: true` applies only when the connector reads groups
 * (the `groups` option); without it the event changes no identity and is out.
 */
export type FamilyRule = { type: string; why: string; groups?: true } & (
  | { reach: Exclude<EventReach, 'app' | 'group' | 'account'> }
  /**
   * `removes`: the event may take the account away (an unassignment). An event that names only
   * the app is then answered in full only by a synced store, which knows who held it before.
   */
  | { reach: 'account'; removes?: true }
  | { reach: 'app'; app: AppChange }
  | { reach: 'group'; group: GroupChange }
  | { reach: 'out' }
);

const PASSWORD = 'a password, which is not part of an identity';

/** The decisions, most specific first. */
export const FAMILY_RULES: readonly FamilyRule[] = [
  { type: 'user.lifecycle.password_mass_expiry', reach: 'everyone', why: 'every ACTIVE user becomes PASSWORD_EXPIRED, logged once for the org' },
  { type: 'user.lifecycle.', reach: 'person', why: 'create, activate, reactivate, deactivate, suspend, unsuspend, delete: status, existence and the accounts Okta deprovisions' },
  { type: 'user.account.update_profile', reach: 'person', why: 'login, email and names; app usernames derived from them follow' },
  { type: 'user.account.update_primary_email', reach: 'person', why: 'the email changes' },
  { type: 'user.account.lock', reach: 'status', why: 'LOCKED_OUT (the user is the actor, with no User target); lock.limit too' },
  { type: 'user.account.unlock', reach: 'status', why: 'automatic unlock: back to ACTIVE' },
  { type: 'user.account.unlock_by_admin', reach: 'status', why: 'an admin unlocked the user: back to ACTIVE' },
  { type: 'user.account.unlock_failure', reach: 'out', why: 'a failed unlock changes nothing' },
  { type: 'user.account.unlock_token', reach: 'out', why: 'a recovery token is issued, the status does not change yet' },
  { type: 'user.account.expire_password', reach: 'status', why: 'the user goes to PASSWORD_EXPIRED' },
  { type: 'user.account.reset_password', reach: 'status', why: 'the user goes to RECOVERY' },
  { type: 'user.account.update_password', reach: 'status', why: 'PASSWORD_EXPIRED or RECOVERY back to ACTIVE (the user is the actor)' },
  { type: 'user.account.', reach: 'out', why: 'secondary email, admin privileges, preferences, subscriptions, tokens, user type: none is part of an identity' },
  { type: 'system.import.user.complete', reach: 'out', why: 'a summary; each user change has its own event' },
  { type: 'system.import.user.start', reach: 'out', why: 'a summary; each user change has its own event' },
  { type: 'system.import.user.', reach: 'person', why: 'a directory or HR import creates, updates (login, email), suspends, unsuspends, deletes or matches a user' },
  { type: 'system.import.user_match.', reach: 'person', why: 'an imported account is linked to (or unlinked from) a user: an app account appears' },
  { type: 'system.import.import_profile', reach: 'person', why: "an import writes the user's profile" },
  { type: 'system.import.group.create', reach: 'group', group: 'members', groups: true, why: 'an import created an app group with its members' },
  { type: 'system.import.group.update', reach: 'group', group: 'rename', groups: true, why: "an import updated an app group's name or identifiers" },
  { type: 'system.import.group.delete', reach: 'group', group: 'delete', groups: true, why: 'an import removed an app group: its members leave it' },
  { type: 'system.import.', reach: 'out', why: 'import phases, summaries, groups, custom objects and entitlements: the user-level changes have their own events' },
  { type: 'group.user_membership.add', reach: 'person', why: "the member gains the group's app assignments" },
  { type: 'group.user_membership.remove', reach: 'person', why: "the member loses the group's app assignments" },
  { type: 'group.user_membership.', reach: 'out', why: 'rule bookkeeping; the memberships a rule changes are logged as add/remove' },
  { type: 'group.profile.update', reach: 'group', group: 'rename', groups: true, why: "a group's name (or an app group's identifiers): every member's groups" },
  { type: 'group.lifecycle.delete', reach: 'group', group: 'delete', groups: true, why: 'every member leaves the group (the accounts it gave are removed with their own events)' },
  { type: 'group.application_assignment.skip_assignment_reconcile', reach: 'out', why: 'a reconcile was skipped: nothing changed' },
  { type: 'group.application_assignment.', reach: 'app', app: 'assignment', why: "a group assigned to or removed from an app, or its assignment's settings: every member's account in the app" },
  { type: 'group.', reach: 'out', why: 'group lifecycle, profile and privileges do not change app accounts (removed assignments are logged per account)' },
  { type: 'application.user_membership.change_password', reach: 'out', why: PASSWORD },
  { type: 'application.user_membership.show_password', reach: 'out', why: PASSWORD },
  { type: 'application.user_membership.restore_password', reach: 'out', why: PASSWORD },
  { type: 'application.user_membership.', reach: 'account', removes: true, why: 'add, remove, update, change_username, approve, provision, deprovision, revoke, restore' },
  { type: 'application.provision.user.password', reach: 'out', why: PASSWORD },
  { type: 'application.provision.user.push_password', reach: 'out', why: PASSWORD },
  { type: 'application.provision.user.push_okta_password', reach: 'out', why: PASSWORD },
  { type: 'application.provision.user.delete.schedule', reach: 'out', why: 'only scheduled; the deletion is logged when it happens' },
  { type: 'application.provision.user.remove_entitlements', reach: 'out', why: 'entitlements (app groups and roles) are not part of an identity' },
  {
    type: 'application.provision.user.',
    reach: 'account',
    why: 'push (PROVISIONED, externalId set by the app), activate, deactivate, reactivate, deprovision, delete, sync, verify_exists, import: status and externalId of the account in the app; the Okta assignment stays (its removal is application.user_membership.remove)',
  },
  { type: 'app.user_management.push_new_user_success', reach: 'account', why: 'the app created the account: PROVISIONED, externalId set' },
  { type: 'app.user_management.grouppush.', reach: 'group', group: 'push', groups: true, why: 'a Group Push mapping created from a rule: the app group and where its members come from' },
  { type: 'app.user_management.user_group_import.delete_success', reach: 'group', group: 'delete', groups: true, why: 'an app group removed by an import: its members leave it' },
  { type: 'app.user_management.user_group_import.', reach: 'group', group: 'members', groups: true, why: 'an app group imported or updated, with its members' },
  { type: 'app.user_management.import.csv.line.error', reach: 'out', why: 'a failed import line changes nothing' },
  { type: 'app.user_management.update_from_master_failed', reach: 'out', why: 'a failed import changes nothing' },
  { type: 'app.user_management', reach: 'group', group: 'members', groups: true, why: "an import added or removed a member of an app group: that group's members" },
  { type: 'app.user_management', reach: 'out', why: 'app group imports and Group Push bookkeeping, when groups are not read' },
  { type: 'application.provision.group_push.', reach: 'group', group: 'push', groups: true, why: "a Group Push mapping created, activated, deactivated or deleted, or memberships pushed: the app group's members and where they come from" },
  { type: 'application.provision.group', reach: 'out', why: 'provisioning groups in the remote app (Group Push is above): no Okta membership changes' },
  { type: 'application.provision.field_mapping_rule.change', reach: 'app', app: 'update', why: "the app's field mappings, which can change how usernames are derived: every account in it" },
  { type: 'application.provision.', reach: 'out', why: 'integration API calls change no account' },
  { type: 'application.lifecycle.update', reach: 'app', app: 'update', why: "the app's label, name or username format: every account in it" },
  { type: 'application.lifecycle.delete', reach: 'app', app: 'delete', why: 'every account in the app is gone' },
  { type: 'application.lifecycle.deactivate', reach: 'app', app: 'deactivate', why: 'changes no account, but an app must be deactivated before it is deleted: its holders are noted' },
  { type: 'application.lifecycle.', reach: 'out', why: 'create (no accounts yet) and activate (no account changes)' },
];

/**
 * The rule that decides `eventType`, or undefined when no rule names it (then it is out).
 * `groups`: whether the connector reads groups (then group rules apply).
 */
export function ruleFor(eventType: string, groups = false): FamilyRule | undefined {
  return FAMILY_RULES.find((r) => (groups || !r.groups) && (r.type.endsWith('.') ? eventType.startsWith(r.type) : eventType === r.type || eventType.startsWith(`${r.type}.`)));
}

/**
 * The System Log `filter` prefixes: every event type a rule keeps starts with one of them.
 * The server filter may let through more than the rules keep (the rules are the authority);
 * it keeps the stream from downloading the sign-in traffic that makes up most of the log.
 */
export const LOG_FILTER_PREFIXES = [
  'user.lifecycle.',
  'user.account.',
  'system.import.',
  'group.user_membership.',
  'group.application_assignment.',
  'application.user_membership.',
  'application.provision.user.',
  'app.user_management.push_new_user_success',
  'application.lifecycle.',
  'application.provision.field_mapping_rule.change',
] as const;

/** The prefixes the log filter adds when the connector reads groups. */
export const GROUP_FILTER_PREFIXES = ['group.', 'application.provision.group_push.', 'app.user_management'] as const;
