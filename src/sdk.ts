/**
 * The Atolio identity-provider interface. Any identity source (Okta, Entra ID, Google
 * Workspace...) implements these types; the host selects one through its plugin descriptor.
 * This module holds types only, so another connector can depend on it without pulling in Okta.
 * @module
 */
import type { ZodType } from 'zod';

/**
 * One person's account in one app: an Okta app assignment.
 * @example
 * const slack: AppAccount = { appId: '0oa1slack', appName: 'slack', appLabel: 'Slack', userName: 'U024BE7LH',
 *   externalId: null, scope: 'GROUP', status: 'ACTIVE' };
 */
export interface AppAccount {
  /** The app instance id (`0oa...`). */
  appId: string;
  /** The app's catalog name (`slack`, `github`); several instances may share it. */
  appName: string;
  /** The instance's display label (`Slack (Engineering)`). */
  appLabel: string;
  /** The account name in the app: the app user's `credentials.userName`. */
  userName: string;
  /** The account id the app itself assigned, for provisioned apps; null when absent. */
  externalId: string | null;
  /** `USER` when assigned directly, `GROUP` when assigned through a group. */
  scope: 'USER' | 'GROUP';
  /** The app user's status (`ACTIVE`, `PROVISIONED`, ...). */
  status: string;
}

/**
 * A person and every app account they own.
 * @example
 * for await (const identity of provider.listIdentities()) console.log(identity.login, identity.accounts.length);
 */
export interface Identity {
  /** The identity provider's stable user id (Okta: `00u...`). */
  id: string;
  /** The sign-in name (Okta: `profile.login`). */
  login: string;
  /** The primary email, or null when the profile has none. */
  email: string | null;
  /** A readable name: the profile's displayName unless blank (whitespace only counts as absent), else first and last name (each trimmed, one space between), else the login; trimmed. */
  displayName: string;
  /** The user's lifecycle status (`ACTIVE`, `SUSPENDED`, `DEPROVISIONED`, ...). */
  status: string;
  /** One entry per app assignment. */
  accounts: AppAccount[];
  /** The groups the person is a member of, by id; present only when the connector reads groups (Okta: the `groups` option). */
  groups?: IdentityGroup[];
}

/**
 * A group a person belongs to. `appId` names the app an app group comes from (imported from it,
 * or pushed to it), for the groups apps use in their access lists.
 * @example
 * const engineering: IdentityGroup = { id: '00g1eng', name: 'Engineering', type: 'OKTA_GROUP' };
 */
export interface IdentityGroup {
  /** The identity provider's group id (Okta: `00g...`). */
  id: string;
  name: string;
  /** Okta: `OKTA_GROUP`, `APP_GROUP` (imported from an app) or `BUILT_IN` (Everyone). */
  type: string;
  /** For an app group: the app it belongs to (`0oa...`). */
  appId?: string;
}

/**
 * An app's group resolved to the people in it, and where its members come from: imported from
 * the app, or pushed to it from another group (Okta Group Push).
 * @example
 * const group = await provider.resolveAppGroup?.('google', 'eng@example.com');
 * if (group) acl.grant(group.members);
 */
export interface AppGroup {
  group: IdentityGroup & { appId: string };
  /**
   * `import`: the app's own membership as Okta holds it; `push`: Okta pushes the members of
   * `sourceGroupId` to it (Group Push). While the push is not INACTIVE the members are the source
   * group's; once INACTIVE, what the app group itself holds.
   */
  source: { kind: 'import' } | { kind: 'push'; sourceGroupId: string; status: string };
  /** The ids of the people in the group. */
  members: string[];
  /** What could not be read (a forbidden push mapping list, a group gone): the answer may be incomplete. */
  missing: ConnectorWarning[];
}

/**
 * One change of the identity stream. `cursor` is opaque: store it and pass it back to resume
 * right after this change (delivery is at-least-once).
 * @example
 * for await (const change of provider.changes({ cursor: saved })) { apply(change); saved = change.cursor; }
 */
export type IdentityChange =
  | { type: 'upsert'; identity: Identity; cursor: string; eventIds: string[] }
  | { type: 'delete'; id: string; cursor: string; eventIds: string[] };

/**
 * Every `code` a {@link ConnectorWarning} carries, for completion and an exhaustive `switch`. A new
 * code is added here, and only here.
 */
export type ConnectorWarningCode =
  /** 403: a resource the credential may not read was skipped. */
  | 'forbidden'
  /** 404: a resource gone while it was being read was skipped. */
  | 'not_found'
  /** An item that did not match the identity source's schema was skipped. */
  | 'invalid_item'
  /** The change stream could not read a person it had to refresh (403): their identity stays as it was until a full sync. */
  | 'change_skipped'
  /** The change stream could not find every person a group change touched. */
  | 'incomplete_fanout'
  /** The change stream met an event that names no person it could resolve. */
  | 'unresolved_event'
  /** The `indexPath` file was corrupt, truncated, of another org or version, or too old: deleted, and the provider works without it. */
  | 'index_discarded'
  /** Another live provider holds the `indexPath` file: this one works without persisting. */
  | 'index_locked';

/**
 * Something the connector could not read, reported without failing the run.
 * @example
 * new OktaIdentityProvider({ hostname, token, onWarning: (w) => log.warn(w.code, w.path, w.message) });
 */
export interface ConnectorWarning {
  /** Machine-readable kind: `forbidden`, `invalid_item`, `not_found`, ... */
  code: ConnectorWarningCode;
  /** The HTTP status that caused it, when there was one. */
  status?: number;
  /** The API path (without query string) that the warning is about. */
  path: string;
  /** A sentence for the admin, naming what is missing and why. */
  message: string;
}

/** Per-call options shared by the provider's methods. */
export interface CallOptions {
  /** Aborts the call: requests in flight are cancelled and the call rejects with the signal's reason (an AbortError for a plain `abort()`). */
  signal?: AbortSignal;
}

/** Options of {@link IdentityProvider.changes}. */
export interface ChangesOptions extends CallOptions {
  /** Resume right after the change that carried this cursor. */
  cursor?: string;
  /** Without a cursor: start at this time (default: now). */
  since?: string | Date;
  /** How long to wait after an empty poll, in milliseconds. */
  pollIntervalMs?: number;
}

/**
 * What the Atolio host calls on its selected identity provider.
 * @example
 * const provider: IdentityProvider = plugin.create(config);
 * const owner = await provider.resolveAppUser('github', 'octo-cat');
 */
export interface IdentityProvider {
  /** Streams every person, each once, with all their app accounts. */
  listIdentities(options?: CallOptions): AsyncIterable<Identity>;
  /** Finds the person who owns `account` in `app` (an app name or instance id), or null. */
  resolveAppUser(app: string, account: string, options?: CallOptions): Promise<Identity | null>;
  /** A resumable stream of identity changes. */
  changes(options?: ChangesOptions): AsyncIterable<IdentityChange>;
  /** Finds an app's group (by name or its identifier in the app) and the people in it, or null. Optional: not every identity source knows app groups. */
  resolveAppGroup?(app: string, group: string, options?: CallOptions): Promise<AppGroup | null>;
  /** Releases timers, sockets and caches. */
  close(): Promise<void>;
}

/**
 * The descriptor the host loads to find and construct a connector. `Provider` is what `create`
 * returns: a connector names its own class there, so its extras (such as the Okta connector's
 * `stats` and `checkAccess()`) stay typed.
 * @example
 * import { plugin } from '@atolio/okta-identity-provider';
 * const provider = plugin.create(plugin.configSchema.parse(settings));
 */
export interface IdentityProviderPlugin<Config, Provider extends IdentityProvider = IdentityProvider> {
  kind: 'identity-provider';
  /** The connector's name as the host's configuration selects it. */
  name: string;
  /** Validates the configuration the host holds for this connector. */
  configSchema: ZodType<Config>;
  /** Builds a provider; throws synchronously on invalid configuration. */
  create(config: Config): Provider;
}
