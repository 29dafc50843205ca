/**
 * Which System Log events change an identity, and whom they touch.
 *
 * Event types follow Okta's catalogue (https://developer.okta.com/docs/reference/api/event-types/).
 * An identity is a user and its app accounts, so what matters is: the user's lifecycle and
 * profile, its direct app assignments, its group memberships (groups carry app assignments),
 * a group's app assignments (every member gains or loses an account) and an app's own
 * lifecycle (its label, name or existence changes every account in it).
 * @module
 */
import { anyOf, eq, sw } from '../okta/query.js';
import { OKTA_ID, type OktaLogEvent } from '../okta/schemas.js';

/**
 * Event type families matched by prefix: every current and future event under them counts.
 * @example
 * EVENT_PREFIXES.some((p) => 'user.lifecycle.suspend'.startsWith(p)); // true
 */
export const EVENT_PREFIXES = [
  // create, activate, reactivate, deactivate, suspend, unsuspend, delete.initiated, delete.completed
  // (there is no plain user.lifecycle.delete).
  'user.lifecycle.',
  // add, remove, change_username, update, provision, deprovision, ...
  'application.user_membership.',
  // create, activate, deactivate, update, delete.
  'application.lifecycle.',
] as const;

/**
 * Single event types that count.
 * @example
 * (EVENT_TYPES as readonly string[]).includes('group.user_membership.add'); // true
 */
export const EVENT_TYPES = [
  'user.account.update_profile',
  'user.account.update_primary_email',
  'group.user_membership.add',
  'group.user_membership.remove',
  'group.application_assignment.add',
  'group.application_assignment.remove',
  'group.application_assignment.update',
] as const;

/**
 * The server-side `filter` of the log query, so Okta sends only identity events (the log is
 * mostly sign-ins). Built with the quoting helpers; `sw` is one of the operators the System
 * Log filter supports (https://developer.okta.com/docs/api/#filter).
 * @example
 * logFilter(); // '(eventType sw "user.lifecycle.") or ... or (eventType eq "group.application_assignment.update")'
 */
export function logFilter(): string {
  return anyOf([...EVENT_PREFIXES.map((p) => sw('eventType', p)), ...EVENT_TYPES.map((t) => eq('eventType', t))]);
}

/**
 * Whether an event type changes identities. The server filter already narrows the log; this
 * check is the authority, so anything else that arrives is ignored.
 * @example
 * isIdentityEvent('user.lifecycle.suspend'); // true
 * isIdentityEvent('user.session.start'); // false
 */
export function isIdentityEvent(eventType: string): boolean {
  return EVENT_PREFIXES.some((p) => eventType.startsWith(p)) || (EVENT_TYPES as readonly string[]).includes(eventType);
}

/**
 * How every account holder of an app is found:
 * - `list`: the app's current users;
 * - `remember`: the same, and keep them, since a deactivated app may be deleted next and a
 *   deleted app's users can no longer be listed (Okta requires deactivation before deletion);
 * - `gone`: the app was deleted: only the remembered users or the synced store know them;
 * - `list+known`: an assignment event whose user could not be told (see {@link eventEffect}):
 *   the current users, and the known ones for an account that was removed.
 * @example
 * const fanout: AppFanout = event.eventType === 'application.lifecycle.delete' ? 'gone' : 'list';
 */
export type AppFanout = 'list' | 'remember' | 'gone' | 'list+known';

/**
 * What one event asks the stream to refresh.
 * @example
 * const effect: EventEffect = { users: ['00u1'], groups: [], apps: [] };
 */
export interface EventEffect {
  /** People to refresh. */
  users: string[];
  /** Groups whose every member is refreshed. */
  groups: string[];
  /** Apps whose every account holder is refreshed. */
  apps: Array<{ id: string; fanout: AppFanout }>;
}

/** Okta user ids start with `00u`; app assignment ids (`0ua...`) are not user ids. */
const USER_ID = /^00u[A-Za-z0-9]+$/;


/**
 * What `event` touches, or null for an event that does not change identities.
 * People come from `User` targets and from `AppUser` targets whose id is a user id (Okta's
 * `application.user_membership.*` events name the app assignment `0ua...` as the AppUser and
 * the person as a separate `User` target); groups from `UserGroup` targets; apps from
 * `AppInstance` targets. The actor (the admin who made the change) is never a target.
 * @example
 * eventEffect(event)?.users; // ['00u1abc']
 */
export function eventEffect(event: OktaLogEvent): EventEffect | null {
  const type = event.eventType;
  if (!isIdentityEvent(type)) return null;
  const targets = event.target ?? [];
  // A target id of another shape (a corrupted or hostile log) is ignored, as in the list schemas.
  const ids = (kind: string): string[] => [...new Set(targets.filter((t) => t.type === kind && OKTA_ID.test(t.id)).map((t) => t.id))];
  const users = new Set(ids('User'));
  for (const id of ids('AppUser')) if (USER_ID.test(id)) users.add(id);
  const effect: EventEffect = { users: [...users], groups: [], apps: [] };
  if (type.startsWith('group.application_assignment.')) {
    effect.groups = ids('UserGroup');
  } else if (type.startsWith('application.lifecycle.')) {
    const fanout: AppFanout = type === 'application.lifecycle.deactivate' ? 'remember' : type === 'application.lifecycle.delete' ? 'gone' : 'list';
    effect.apps = ids('AppInstance').map((id) => ({ id, fanout }));
  } else if (type.startsWith('application.user_membership.') && users.size === 0) {
    // No person named: refresh every account holder of the app rather than miss the change.
    effect.apps = ids('AppInstance').map((id) => ({ id, fanout: 'list+known' as const }));
  }
  return effect;
}
