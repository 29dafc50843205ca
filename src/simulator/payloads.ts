/**
 * The JSON Okta sends for each object, with the same fields as the examples of Okta's
 * Management API OpenAPI description (see `__tests__/fixtures/okta-examples.json`): users as
 * `ListUsers`, apps as `ResponseExample2` of `GET /api/v1/apps`, app users as
 * `ListAppUsersExample`, app links as `List App Links`, group
 * assignments as `listGroupAssignmentsResponseExample` (groups and push mappings are in
 * `payloads-groups.ts`). Links point at the simulator's origin.
 * @module
 */
import { assignmentId } from './ids.js';
import { type AppGroupRecord, type AppRecord, type AppUserRecord, scopeOf, type UserRecord } from './records.js';
import type { PushCountReading } from './options.js';

/** Epoch milliseconds as Okta's ISO 8601 timestamp (null stays null). */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** What payloads need besides the record: the origin links point at, and the org's seed. */
export interface PayloadContext {
  origin: string;
  seed: number;
  /** Which groups `groupPushMappingsCount` counts a mapping on (default both). */
  pushCount?: PushCountReading;
}

/** A user as `GET /api/v1/users` returns it. */
export function userJson(ctx: PayloadContext, user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: iso(user.activated),
    statusChanged: iso(user.statusChanged),
    lastLogin: iso(user.lastLogin),
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: iso(user.passwordChanged),
    type: { id: user.typeId },
    profile: { ...user.profile },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${ctx.origin}/api/v1/users/${user.id}` } },
  };
}

/**
 * An app user as `GET /api/v1/apps/{appId}/users` returns it; with `user`, `expand=user`'s
 * `_embedded.user`. `externalId` is absent for apps whose style is `absent`, and null for a
 * STAGED account of a provisioning app (as Okta sends it for accounts it has not linked).
 */
export function appUserJson(ctx: PayloadContext, app: AppRecord, appUser: AppUserRecord, user: UserRecord, embedUser = false): Record<string, unknown> {
  // A STAGED account's push is queued: it has changes not yet pushed (OUT_OF_SYNC, Okta's
  // AppUserSyncState) and has never been synchronised.
  const synced = app.provisioned && appUser.status !== 'STAGED';
  const out: Record<string, unknown> = { id: appUser.userId };
  if (app.provisioned || appUser.externalId !== null || app.externalIdStyle === 'null') out.externalId = appUser.externalId;
  Object.assign(out, {
    created: iso(appUser.created),
    lastUpdated: iso(appUser.lastUpdated),
    scope: scopeOf(appUser),
    status: appUser.status,
    statusChanged: iso(appUser.statusChanged),
    passwordChanged: null,
    syncState: !app.provisioned ? 'DISABLED' : synced ? 'SYNCHRONIZED' : 'OUT_OF_SYNC',
    lastSync: synced ? iso(appUser.lastUpdated) : null,
    credentials: { userName: appUser.userName },
    profile: {
      secondEmail: user.profile.secondEmail ?? null,
      lastName: user.profile.lastName ?? null,
      mobilePhone: user.profile.mobilePhone ?? null,
      displayName: user.profile.displayName ?? null,
      email: user.profile.email ?? null,
      firstName: user.profile.firstName ?? null,
    },
    _links: {
      app: { href: `${ctx.origin}/api/v1/apps/${app.id}` },
      user: { href: `${ctx.origin}/api/v1/users/${user.id}` },
    },
  });
  if (embedUser) out._embedded = { user: userJson(ctx, user) };
  return out;
}

/**
 * An app as `GET /api/v1/apps` returns it; `embeddedUser` is an app user JSON for
 * `expand=user/{userId}`.
 */
export function appJson(ctx: PayloadContext, app: AppRecord, embeddedUser?: Record<string, unknown>): Record<string, unknown> {
  const base = `${ctx.origin}/api/v1/apps/${app.id}`;
  const out: Record<string, unknown> = {
    id: app.id,
    orn: `orn:okta:idp:00o${ctx.seed}simulator:apps:${app.name}:${app.id}`,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: iso(app.lastUpdated),
    created: iso(app.created),
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { login: true } },
    features: app.provisioned ? ['GROUP_PUSH', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', 'IMPORT_NEW_USERS'] : [],
    signOnMode: app.signOnMode,
    credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} },
    settings: { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } }, signOn: {} },
    _links: {
      help: { href: `${ctx.origin}/app/${app.name}/${app.id}/setup/help/${app.signOnMode}/external-doc`, type: 'text/html' },
      metadata: { href: `${base}/sso/saml/metadata`, type: 'application/xml' },
      appLinks: [{ name: 'login', href: `${ctx.origin}/home/${app.name}/${app.id}/login`, type: 'text/html' }],
      groups: { href: `${base}/groups` },
      logo: [{ name: 'medium', href: `${ctx.origin}/assets/img/logos/${app.name}.png`, type: 'image/png' }],
      users: { href: `${base}/users` },
      deactivate: { href: `${base}/lifecycle/deactivate` },
    },
  };
  if (embeddedUser) out._embedded = { user: embeddedUser };
  return out;
}

/**
 * A group assignment as `GET /api/v1/apps/{appId}/groups` returns it (without the
 * `_embedded.metadata` that only `expand=metadata` adds).
 */
export function appGroupJson(ctx: PayloadContext, app: AppRecord, assignment: AppGroupRecord): Record<string, unknown> {
  return {
    id: assignment.groupId,
    priority: assignment.priority,
    lastUpdated: iso(assignment.lastUpdated),
    profile: {},
    _links: {
      app: { href: `${ctx.origin}/api/v1/apps/${app.id}` },
      self: { href: `${ctx.origin}/api/v1/apps/${app.id}/groups/${assignment.groupId}` },
      group: { href: `${ctx.origin}/api/v1/groups/${assignment.groupId}` },
    },
  };
}

/**
 * One entry of `GET /api/v1/users/{id}/appLinks`. As in Okta's example, `id` is the user's id
 * and `appAssignmentId` the `0ua...` assignment id.
 */
export function appLinkJson(ctx: PayloadContext, app: AppRecord, appUser: AppUserRecord, sortOrder: number): Record<string, unknown> {
  return {
    id: appUser.userId,
    label: app.label,
    linkUrl: `${ctx.origin}/home/${app.name}/${app.id}/login`,
    logoUrl: `${ctx.origin}/assets/img/logos/${app.name}.png`,
    appName: app.name,
    appInstanceId: app.id,
    appAssignmentId: assignmentId(ctx.seed, appUser.assignmentSeq),
    credentialsSetup: false,
    hidden: false,
    sortOrder,
  };
}
