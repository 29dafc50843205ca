/**
 * What `filter` accepts on `/api/v1/logs`: `eventType`, `severity`, `uuid`, the `actor.*`,
 * `target.*` (any of an event's targets), `transaction.*`, `outcome.*` and `client.ipAddress`
 * strings, and `published` as a date.
 * @module
 */
import type { AttrSpec, FilterSchema } from './filter.js';
import type { FilterValue } from './filter-syntax.js';
import type { LogEvent } from './log-events.js';

const STRING_OPS = ['eq', 'ne', 'sw', 'co', 'ew'] as const;
const PATHS = new Set([
  'eventType', 'severity', 'uuid', 'displayMessage', 'legacyEventType', 'version', 'outcome.result', 'outcome.reason',
  'actor.id', 'actor.type', 'actor.alternateId', 'actor.displayName', 'transaction.id', 'transaction.type',
  'client.ipAddress', 'target.id', 'target.type', 'target.alternateId', 'target.displayName',
]);

/** The System Log's filter attributes. An event appended as given may lack a field or hold anything there: reading it never throws. */
export const logFilterSchema: FilterSchema<LogEvent> = (attr) => {
  if (attr === 'published') {
    return { type: 'date', ops: ['eq', 'gt', 'ge', 'lt', 'le'], get: (e) => Date.parse(e.published) };
  }
  if (!PATHS.has(attr)) return undefined;
  const [head, tail] = attr.split('.') as [string, string | undefined];
  const spec: AttrSpec<LogEvent> = {
    type: 'string',
    ops: STRING_OPS,
    get: (e): FilterValue | readonly FilterValue[] | undefined => {
      const top = (e as unknown as Record<string, unknown>)[head];
      if (tail === undefined) return top as FilterValue;
      if (Array.isArray(top)) return top.map((t: Record<string, unknown> | null) => t?.[tail] as FilterValue);
      return (top as Record<string, unknown> | null)?.[tail] as FilterValue | undefined;
    },
  };
  return spec;
};
