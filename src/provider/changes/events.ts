/**
 * What one System Log event asks the stream to refresh, whatever shape it comes in.
 *
 * The catalog does not say which target is the person, and real events differ: an admin's
 * change names the user as a `User` target; `application.user_membership.*` names the app
 * assignment `0ua...` as the `AppUser` and the person as a separate `User` (some orgs send the
 * user id as the `AppUser`); self-service events (`user.account.lock`, `update_password`) name
 * the user only as the actor; provisioning and import events may name only the app and the
 * app user `0ua...`. So the person is, in order: a `User` target; an `AppUser` target whose id
 * is a user id; for user-scoped families, the actor when it is a `User`; else, when the event
 * names an app, every account holder of that app (read at page cost). Refreshing a person who
 * did not change is harmless; missing one loses data.
 * @module
 */
import { anyOf, sw } from '../../okta/query.js';
import { OKTA_ID, type OktaLogEvent, type OktaLogRef } from '../../okta/schemas.js';
import { GROUP_FILTER_PREFIXES, LOG_FILTER_PREFIXES, ruleFor, type AppChange, type GroupChange } from './families.js';

/** Okta user ids start with `00u`; app assignment ids (`0ua...`) are not user ids. */
const USER_ID = /^00u[A-Za-z0-9]+$/;

/**
 * What one event touches.
 */
export type EventEffect =
  | { reach: 'person' | 'status' | 'everyone'; users: string[] }
  | { reach: 'account'; users: string[]; apps: string[] }
  /**
   * Every account holder of each app; `groups` names the groups of an assignment event. An event
   * that names only an app is `unnamed-person` (some holder or their account changed, none was
   * removed) or `unnamed-account` (an account event that may have removed an account).
   */
  | { reach: 'app'; apps: string[]; change: AppChange | 'unnamed-person' | 'unnamed-account'; groups: string[] }
  /** Every member of each group (with the `groups` option); an event naming only an app reaches that app's groups. */
  | { reach: 'group'; groups: string[]; apps: string[]; change: GroupChange }
  /** An identity event that names nobody the stream can find (warned, then skipped). */
  | { reach: 'unresolved' };

/**
 * The server-side `filter` of the log query, so that Okta sends identity events only (the log
 * is mostly sign-ins). `sw` is one of the System Log filter operators
 * (https://developer.okta.com/docs/api/#filter).
 */
export function logFilter(groups = false): string {
  return anyOf([...LOG_FILTER_PREFIXES, ...(groups ? GROUP_FILTER_PREFIXES : [])].map((p) => sw('eventType', p)));
}

/**
 * Whether an event type can change an identity (the catalog decision of families.ts).
 */
export function isIdentityEvent(eventType: string, groups = false): boolean {
  const rule = ruleFor(eventType, groups);
  return rule !== undefined && rule.reach !== 'out';
}

/**
 * What `event` touches, or null when it changes no identity.
 */
export function eventEffect(event: OktaLogEvent, groups = false): EventEffect | null {
  const rule = ruleFor(event.eventType, groups);
  if (rule === undefined || rule.reach === 'out') return null;
  // An id of another shape (a corrupted or hostile log) is ignored: ids become request paths.
  const ids = (type: string, pattern = OKTA_ID): string[] => [...new Set(event.target.filter((t) => t.type === type && pattern.test(t.id)).map((t) => t.id))];
  const users = [...new Set([...ids('User', USER_ID), ...ids('AppUser', USER_ID)])];
  const apps = ids('AppInstance');
  const unnamed = (change: 'unnamed-person' | 'unnamed-account'): EventEffect => (apps.length > 0 ? { reach: 'app', apps, change, groups: [] } : { reach: 'unresolved' });
  switch (rule.reach) {
    case 'app':
      return { reach: 'app', apps, change: rule.app, groups: ids('UserGroup') };
    case 'group': {
      const named = ids('UserGroup');
      return named.length > 0 || apps.length > 0 ? { reach: 'group', groups: named, apps, change: rule.group } : { reach: 'unresolved' };
    }
    case 'everyone':
      return { reach: 'everyone', users: [] };
    case 'account':
      return users.length > 0 ? { reach: 'account', users, apps } : unnamed(rule.removes ? 'unnamed-account' : 'unnamed-person');
    default: {
      const actor = userActor(event.actor);
      if (users.length === 0 && actor !== undefined) users.push(actor);
      return users.length > 0 ? { reach: rule.reach, users } : unnamed('unnamed-person');
    }
  }
}

function userActor(actor: OktaLogRef | null | undefined): string | undefined {
  return actor?.type === 'User' && USER_ID.test(actor.id) ? actor.id : undefined;
}
