/**
 * Zod schemas of the Okta objects the connector reads.
 *
 * The shapes follow Okta's Management API OpenAPI description
 * (okta/okta-management-openapi-spec, `dist/current/management-oneOfInheritance.yaml`; schemas
 * `User`, `Application`, `AppUser`, `Group`, `GroupPushMapping`, `LogEvent` and `Error`). Only the fields the connector uses are required; every object is
 * loose, so the many other fields Okta sends (`_links`, `credentials`, ...) pass through, and
 * `null` is accepted wherever Okta sends it.
 * @module
 */
import { z } from 'zod';

/**
 * Okta object ids: a three-character type prefix (`00u` user, `0oa` app, `00g` group, ...) then
 * base62. Ids become request paths and filter literals, so an item whose id has another shape
 * (`..`, a slash, a control character: a corrupted or hostile response) is refused here, in
 * one place, and skipped with an `invalid_item` warning by the list readers.
 */
export const OKTA_ID = /^[0-9a-z]{3}[A-Za-z0-9]+$/;
const oktaId = z.string().regex(OKTA_ID, { error: 'is not an Okta id' });

/** An optional field that Okta may also send as `null`. */
const maybeString = z.string().nullish();

/**
 * An Okta user (`GET /api/v1/users`, `/api/v1/users/{id}`, `/api/v1/groups/{groupId}/users`).
 */
export const oktaUserSchema = z.looseObject({
  id: oktaId,
  status: z.string(),
  profile: z.looseObject({
    login: z.string(),
    email: maybeString,
    firstName: maybeString,
    lastName: maybeString,
    displayName: maybeString,
  }),
  lastUpdated: maybeString,
});
/** An Okta user, as {@link oktaUserSchema} accepts it. */
export type OktaUser = z.infer<typeof oktaUserSchema>;

/**
 * An app user: one user's assignment to one app (`GET /api/v1/apps/{appId}/users`,
 * `/api/v1/apps/{appId}/users/{userId}`). With `expand=user` Okta embeds the user.
 */
export const oktaAppUserSchema = z.looseObject({
  /** The Okta user id. */
  id: oktaId,
  /** `USER` (direct) or `GROUP` (through a group) in practice; any string is accepted. */
  scope: z.string(),
  status: z.string(),
  externalId: maybeString,
  credentials: z.looseObject({ userName: maybeString }).nullish(),
  _embedded: z.looseObject({ user: oktaUserSchema.optional() }).optional(),
});
/** An Okta app user, as {@link oktaAppUserSchema} accepts it. */
export type OktaAppUser = z.infer<typeof oktaAppUserSchema>;

/**
 * An app instance (`GET /api/v1/apps`). For `filter=user.id eq "..."&expand=user/{id}` Okta
 * embeds that user's app user as `_embedded.user`.
 */
export const oktaAppSchema = z.looseObject({
  id: oktaId,
  /** The catalog name (`slack`); several instances may share it. */
  name: z.string(),
  label: z.string(),
  status: z.string(),
  _embedded: z.looseObject({ user: oktaAppUserSchema.optional() }).optional(),
});
/** An Okta app instance, as {@link oktaAppSchema} accepts it. */
export type OktaApp = z.infer<typeof oktaAppSchema>;

/**
 * A group (`GET /api/v1/groups`, `/api/v1/users/{id}/groups`). An app group (`APP_GROUP`) names
 * its app in `_links.source.href` (Okta's examples); a top-level `source.id` (the attribute
 * `search` accepts) is read too, in case a response carries it. Its identifiers in the app are
 * profile attributes that depend on the app (AD: samAccountName, DN, windowsDomainQualifiedName).
 */
export const oktaGroupSchema = z.looseObject({
  id: oktaId,
  type: z.string().optional().catch(undefined),
  profile: z.looseObject({
    name: z.string(),
    externalId: maybeString.catch(undefined),
    samAccountName: maybeString.catch(undefined),
    windowsDomainQualifiedName: maybeString.catch(undefined),
    dn: maybeString.catch(undefined),
  }),
  /** An id that is not Okta-shaped (`..`, a quote, empty) makes the group invalid: it names the group's app in paths and identities. */
  source: z
    .looseObject({ id: z.string() })
    .nullish()
    .catch(undefined)
    .pipe(z.looseObject({ id: oktaId }).nullish()),
  _links: z.looseObject({ source: z.looseObject({ href: z.string() }).nullish().catch(undefined) }).nullish().catch(undefined),
  /** With `expand=stats`. */
  _embedded: z.looseObject({ stats: z.looseObject({ groupPushMappingsCount: z.number().optional().catch(undefined) }).nullish().catch(undefined) }).nullish().catch(undefined),
});
/** An Okta group, as {@link oktaGroupSchema} accepts it. */
export type OktaGroup = z.infer<typeof oktaGroupSchema>;

/**
 * A Group Push mapping (`GET /api/v1/apps/{appId}/group-push/mappings`): Okta pushes the members
 * of `sourceGroupId` to the app's group `targetGroupId` while `status` is `ACTIVE`.
 */
export const oktaPushMappingSchema = z.looseObject({
  id: z.string(),
  sourceGroupId: oktaId,
  targetGroupId: oktaId,
  status: z.string(),
});

/**
 * A member of a group list: a whole user, of which only the id is kept
 * (`GET /api/v1/groups/{groupId}/users`); a plain object schema drops the rest without copying it.
 */
export const oktaMemberSchema = z.object({ id: oktaId });

/**
 * One `actor` or `target[]` entry of a System Log event. Only `id` and `type` matter; an odd
 * `alternateId` or `displayName` is dropped rather than failing the entry.
 */
/**
 * Longest System Log event `uuid` taken as one: Okta's are 36-character UUIDs
 * (`dc9fd3c0-598c-11ef-8478-2b7584bf8d5a`). A longer one is not Okta's, and an event carrying it
 * is read as an event without a uuid (it is kept in no cursor, no repeat filter, no `eventIds`).
 */
export const MAX_EVENT_UUID_LENGTH = 64;

/** The event's uuid when it is a string Okta could have written, else undefined. */
export function eventUuid(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_EVENT_UUID_LENGTH ? value : undefined;
}

const logRefSchema = z.looseObject({ id: z.string(), type: z.string(), alternateId: maybeString.catch(undefined), displayName: maybeString.catch(undefined) });
/** A System Log actor or target, as {@link oktaLogEventSchema} keeps it. */
export type OktaLogRef = z.infer<typeof logRefSchema>;
/** An entry that is missing `id` or `type`, or is not an object, becomes null (and is dropped from `target`). */
const tolerantRef = logRefSchema.nullable().catch(null);

/**
 * A System Log event (`GET /api/v1/logs`). Read tolerantly: Okta's LogEvent schema marks no
 * property required and the catalog leaves target shapes open, so an odd `actor` becomes null
 * and an odd `target[]` entry is dropped, never the whole event. Only `eventType` is needed.
 */
export const oktaLogEventSchema = z.looseObject({
  uuid: z.string().optional().catch(undefined),
  published: z.string().optional().catch(undefined),
  eventType: z.string(),
  displayMessage: maybeString.catch(undefined),
  actor: tolerantRef.optional(),
  outcome: z.looseObject({ result: maybeString, reason: maybeString }).nullish().catch(undefined),
  target: z
    .array(tolerantRef)
    .nullish()
    .catch(undefined)
    .transform((targets) => (targets ?? []).filter((t): t is OktaLogRef => t !== null)),
});
/** An Okta System Log event, as {@link oktaLogEventSchema} accepts it. */
export type OktaLogEvent = z.infer<typeof oktaLogEventSchema>;

/**
 * The body of an Okta error response (`E0000006`, `E0000047`, ...).
 */
export const oktaErrorBodySchema = z.looseObject({
  errorCode: z.string(),
  errorSummary: z.string(),
  errorId: z.string().optional(),
  errorLink: z.string().optional(),
  errorCauses: z.array(z.looseObject({ errorSummary: z.string().optional() })).optional(),
});
/** An Okta error body, as {@link oktaErrorBodySchema} accepts it. */
export type OktaErrorBody = z.infer<typeof oktaErrorBodySchema>;

/** An item of a list body that failed validation: its index and what was wrong, without its values. */
export class InvalidItem {
  constructor(
    /** The item's position in the list body. */
    readonly index: number,
    /** The zod issues as `path: message`, joined by `; `. */
    readonly issues: string,
  ) {}
}

/**
 * Validates one item of a list body. The issue text holds only zod paths and messages, never
 * the item's values, since items hold personal data.
 */
export function parseItem<T>(schema: z.ZodType<T>, item: unknown, index: number): T | InvalidItem {
  // What is not an object fails an object schema at once: no zod error is built for it (a hostile
  // page of `[0,0,...]` costs a check per element).
  if (schema instanceof z.ZodObject && (typeof item !== 'object' || item === null || Array.isArray(item))) {
    return new InvalidItem(index, `(item): Invalid input: expected object, received ${item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item}`);
  }
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  return new InvalidItem(index, result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; '));
}

/** Renders a zod issue path as `profile.login` or `target[0].id`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(item)' : out;
}
