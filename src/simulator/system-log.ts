/**
 * The System Log (https://developer.okta.com/docs/reference/api/system-log/).
 *
 * Events are kept in persistence order. A polling request (no `until`,
 * https://developer.okta.com/docs/reference/api/system-log/#polling-requests) returns the
 * events persisted at or after `since`, and always a `next` link whose opaque `after` cursor
 * holds a persistence position: following it returns what was persisted since, possibly
 * nothing (an empty page, with a next link again). A bounded request (with `until`) selects
 * on `published`, sorted by it, and its last page has no next link.
 *
 * Okta writes some events late: with `lateEventRate`, an event's `published` is earlier than
 * that of an event persisted before it, yet it is persisted last, so pollers still see it. With
 * `duplicateEventRate`, the last event of a poll page is sometimes served again at the start
 * of the next page (delivery is at-least-once). Events and cursors older than the 90-day
 * retention window are refused with 400 E0000001.
 * @module
 */
import type { SimClock } from './clock.js';
import { ApiError } from './errors.js';
import { filterPredicate } from './filter.js';
import { FilterError } from './filter-syntax.js';
import { logFilterSchema } from './log-filter.js';
import { BASE62 } from './ids.js';
import { eventBody, type EventDraft, type LogEvent, type LogTarget } from './log-events.js';
import { decodeCursor, encodeCursor } from './pagination.js';
import { hash32, Rng, streamSeed } from './prng.js';
import { partitionPoint } from './sorted.js';

/**
 * How long Okta keeps System Log events.
 * @example
 * sim.advanceClock(RETENTION_MS + 1); // every older cursor is now refused
 */
export const RETENTION_MS = 90 * 86_400_000;

interface Stored {
  seq: number;
  persistedAt: number;
  published: number;
  event: LogEvent;
  text?: string;
}

/** One page of a log query. */
export interface LogPage {
  events: LogEvent[];
  /** The `after` cursor of the next page, or null when there is none (the end of a bounded query). */
  nextAfter: string | null;
}

/** System Log options. */
export interface SystemLogOptions {
  seed: number;
  lateEventRate: number;
  duplicateEventRate: number;
}

const HEX = '0123456789abcdef';

function parseTime(value: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw ApiError.validation(name, `${name} must be an ISO 8601 timestamp such as 2024-01-01T00:00:00.000Z.`);
  return ms;
}

function retentionError(what: string): ApiError {
  return ApiError.validation(`${what} is outside the 90-day System Log retention window`, `The ${what} must be within the last 90 days.`);
}

/** The System Log store. */
export class SystemLog {
  readonly #clock: SimClock;
  readonly #rng: Rng;
  readonly #options: SystemLogOptions;
  readonly #stored: Stored[] = [];
  /** The same events sorted by (published, seq), for bounded queries. */
  readonly #byPublished: Stored[] = [];
  readonly #admin: LogTarget;
  /** When the log (the org) started: the default `since`. */
  readonly startedAt: number;
  #muted = 0;

  constructor(clock: SimClock, options: SystemLogOptions) {
    this.#clock = clock;
    this.#options = options;
    this.#rng = new Rng(streamSeed(options.seed, 'log'));
    this.startedAt = clock.now();
    this.#admin = {
      id: `00u${this.#rng.chars(17, BASE62)}`,
      type: 'User',
      alternateId: 'okta.admin@example.com',
      displayName: 'Okta Admin',
      detailEntry: null,
    };
  }

  /** The actor of admin changes (the API token's user). */
  get admin(): LogTarget {
    return this.#admin;
  }

  /** Every event, in persistence order. */
  get events(): readonly LogEvent[] {
    return this.#stored.map((s) => s.event);
  }

  /** The events persisted from position `index` on. */
  eventsFrom(index: number): LogEvent[] {
    return this.#stored.slice(index).map((s) => s.event);
  }

  /** How many events are stored. */
  get size(): number {
    return this.#stored.length;
  }

  /** A new transaction id, shared by the events of one change. */
  transactionId(): string {
    return this.#rng.chars(27, BASE62);
  }

  /** Persists an event now and returns it (while {@link muted}, only returns it). */
  append(draft: EventDraft, transactionId: string = this.transactionId()): LogEvent {
    const now = this.#clock.now();
    let published = now;
    const last = this.#stored[this.#stored.length - 1];
    if (last && this.#options.lateEventRate > 0 && this.#rng.chance(this.#options.lateEventRate)) {
      published = last.published - (1_000 + this.#rng.int(120_000));
    }
    const uuid = `${this.#rng.chars(8, HEX)}-${this.#rng.chars(4, HEX)}-11ef-${this.#rng.chars(4, HEX)}-${this.#rng.chars(12, HEX)}`;
    const event = eventBody(draft, this.#admin, uuid, published, transactionId);
    if (this.#muted === 0) this.#store(now, published, event);
    return event;
  }

  /**
   * Persists `event` now exactly as given, whatever its shape: a test's own entry. Its
   * `published` orders it in bounded queries when it is a valid time; else it is published now.
   */
  appendAsIs(event: object): void {
    const now = this.#clock.now();
    const given = Date.parse(String((event as { published?: unknown }).published));
    this.#store(now, Number.isFinite(given) ? given : now, structuredClone(event) as LogEvent);
  }

  /** Runs `change` with {@link append} building events without persisting them. */
  muted<T>(change: () => T): T {
    this.#muted++;
    try {
      return change();
    } finally {
      this.#muted--;
    }
  }

  #store(persistedAt: number, published: number, event: LogEvent): void {
    const stored: Stored = { seq: this.#stored.length, persistedAt, published, event };
    this.#stored.push(stored);
    const at = partitionPoint(this.#byPublished, (s) => s.published <= published);
    if (at === this.#byPublished.length) this.#byPublished.push(stored);
    else this.#byPublished.splice(at, 0, stored);
  }

  /**
   * Answers `GET /api/v1/logs` with these query parameters, `limit` events at most.
   * @throws ApiError 400 on invalid parameters, filters or cursors, or outside retention.
   */
  query(q: URLSearchParams, limit: number): LogPage {
    const now = this.#clock.now();
    const retentionStart = now - RETENTION_MS;
    const sortOrder = q.get('sortOrder') ?? 'ASCENDING';
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') throw ApiError.validation('sortOrder', 'sortOrder must be ASCENDING or DESCENDING.');
    let match: (s: Stored) => boolean = () => true;
    const filter = q.get('filter');
    if (filter !== null) {
      try {
        const pred = filterPredicate(filter, logFilterSchema);
        match = (s) => pred(s.event);
      } catch (e) {
        if (e instanceof FilterError) throw ApiError.validation('filter', `Invalid filter: ${e.message}`);
        throw e;
      }
    }
    const keywords = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter((k) => k !== '');
    if (keywords.length > 0) {
      const byFilter = match;
      match = (s) => {
        if (!byFilter(s)) return false;
        s.text ??= JSON.stringify(s.event).toLowerCase();
        return keywords.every((k) => (s.text as string).includes(k));
      };
    }
    const defaultSince = Math.max(this.startedAt, retentionStart);
    const until = q.get('until');
    if (until === null) {
      if (sortOrder !== 'ASCENDING') throw ApiError.validation('sortOrder', 'Polling requests (without until) must use sortOrder=ASCENDING.');
      return this.#poll(q, limit, match, now, retentionStart, defaultSince);
    }
    return this.#bounded(q, parseTime(until, 'until'), limit, match, sortOrder === 'ASCENDING', retentionStart, defaultSince);
  }

  #poll(q: URLSearchParams, limit: number, match: (s: Stored) => boolean, now: number, retentionStart: number, defaultSince: number): LogPage {
    let start: number;
    const after = q.get('after');
    if (after !== null) {
      const c = decodeCursor(after);
      if (c.m !== 'poll' || typeof c.p !== 'number' || typeof c.t !== 'number' || !Number.isInteger(c.p) || c.p < 0) {
        throw ApiError.validation('after', 'The after cursor is not valid for a polling request.');
      }
      if (c.t < retentionStart) throw retentionError('after cursor');
      start = Math.min(c.p, this.#stored.length);
    } else {
      const since = q.get('since') === null ? defaultSince : parseTime(q.get('since') as string, 'since');
      if (since < retentionStart) throw retentionError('since');
      start = partitionPoint(this.#stored, (s) => s.persistedAt < since);
    }
    const events: LogEvent[] = [];
    let lastIndex = -1;
    let i = start;
    for (; i < this.#stored.length && events.length < limit; i++) {
      const s = this.#stored[i] as Stored;
      if (match(s)) {
        events.push(s.event);
        lastIndex = i;
      }
    }
    let next = i;
    let t = next >= this.#stored.length ? now : (this.#stored[next - 1] as Stored).persistedAt;
    if (events.length >= 2 && this.#options.duplicateEventRate > 0) {
      const last = this.#stored[lastIndex] as Stored;
      if (hash32(this.#options.seed, last.seq, 0x64757021) / 4294967296 < this.#options.duplicateEventRate) {
        next = lastIndex;
        t = last.persistedAt;
      }
    }
    return { events, nextAfter: encodeCursor({ m: 'poll', p: next, t }) };
  }

  #bounded(q: URLSearchParams, until: number, limit: number, match: (s: Stored) => boolean, ascending: boolean, retentionStart: number, defaultSince: number): LogPage {
    const since = q.get('since') === null ? defaultSince : parseTime(q.get('since') as string, 'since');
    if (since < retentionStart) throw retentionError('since');
    if (until < since) throw ApiError.validation('until', 'until must not be before since.');
    const list = this.#byPublished;
    const inRange = (s: Stored): boolean => s.published >= since && s.published < until;
    let i: number;
    const after = q.get('after');
    if (after !== null) {
      const c = decodeCursor(after);
      if (c.m !== 'bounded' || typeof c.p !== 'number' || typeof c.s !== 'number') throw ApiError.validation('after', 'The after cursor is not valid for a bounded request.');
      const p = c.p;
      const seq = c.s;
      i = ascending
        ? partitionPoint(list, (s) => s.published < p || (s.published === p && s.seq <= seq))
        : partitionPoint(list, (s) => s.published < p || (s.published === p && s.seq < seq)) - 1;
    } else {
      i = ascending ? partitionPoint(list, (s) => s.published < since) : partitionPoint(list, (s) => s.published < until) - 1;
    }
    const step = ascending ? 1 : -1;
    const events: LogEvent[] = [];
    let last: Stored | undefined;
    for (; i >= 0 && i < list.length && events.length < limit; i += step) {
      const s = list[i] as Stored;
      if (!inRange(s)) break;
      if (match(s)) {
        events.push(s.event);
        last = s;
      }
    }
    let more = false;
    for (; i >= 0 && i < list.length; i += step) {
      const s = list[i] as Stored;
      if (!inRange(s)) break;
      if (match(s)) {
        more = true;
        break;
      }
    }
    return { events, nextAfter: more && last ? encodeCursor({ m: 'bounded', p: last.published, s: last.seq }) : null };
  }
}
