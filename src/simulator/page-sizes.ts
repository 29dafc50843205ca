/**
 * How many items each list serves per page, by Okta operationId: `default` when the request
 * has no `limit`, `max` the most one page holds (a larger `limit` is clamped, as Okta does).
 * Read from each operation's `limit` parameter in Okta's Management API OpenAPI description
 * (okta/okta-management-openapi-spec, 2026.06.3). Where the description states no maximum, the
 * simulator serves no more than the default: a client must not rely on pages Okta does not
 * promise. The simulator's own table: it shares nothing with the connector's page sizes.
 * @module
 */

export const PAGE_SIZES = {
  // `limit`: "default: 200", no maximum stated.
  listUsers: { default: 200, max: 200 },
  // `limit`: "maximum: 200", "default: -1" (no page size given): the simulator serves 20.
  listApplications: { default: 20, max: 200 },
  // `limit`: "minimum: 1, maximum: 500, default: 50".
  listApplicationUsers: { default: 50, max: 500 },
  // `limit`: "default: 20, minimum: 20, maximum: 200".
  listApplicationGroupAssignments: { default: 20, max: 200 },
  // `limit`: "maximum: 10000", no default stated: without a `limit` the simulator serves the maximum.
  listGroups: { default: 10_000, max: 10_000 },
  // `limit`: "default: 1000", no maximum stated.
  listGroupUsers: { default: 1_000, max: 1_000 },
  // `limit`: "default: 100, minimum: 1, maximum: 1000".
  listGroupPushMappings: { default: 100, max: 1_000 },
  // `limit`: "Integer between 0 and 1000", "default: 100".
  listLogEvents: { default: 100, max: 1_000 },
} as const satisfies Record<string, { default: number; max: number }>;

/**
 * A paged list, by its Okta operationId.
 * @example
 * const list: ListOperation = 'listGroupUsers';
 */
export type ListOperation = keyof typeof PAGE_SIZES;

/**
 * The most one page of `op` holds: Okta's maximum, or less where the `pageLimits` option says
 * so (Okta may serve fewer items than `limit` asks for).
 */
export function maxPageSize(op: ListOperation, pageLimits: Readonly<Partial<Record<ListOperation, number>>>): number {
  return Math.min(PAGE_SIZES[op].max, pageLimits[op] ?? Number.POSITIVE_INFINITY);
}

/**
 * The defaults of a `q` query, which answers one unpaged list: listUsers' `limit` "Defaults to
 * 10 if `q` is provided"; listGroups' `q`: "The default limit for a query is 300 results".
 */
export const QUERY_DEFAULTS = { listUsers: 10, listGroups: 300 } as const;
