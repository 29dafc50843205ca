/**
 * Reading the System Log the way Okta says to poll it: one polling query (a `since` and no
 * `until`), then always the `next` link of the last response, which Okta returns even when a
 * page is empty; never paging by hand with since/until, which would miss events Okta writes
 * late (https://developer.okta.com/docs/reference/system-log-query/#polling-requests).
 * @module
 */
import createDebug from 'debug';
import type { Clock } from '../../clock.js';
import { OktaHttpError, OktaResponseError } from '../../errors.js';
import { nextUrl } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { oktaLogEventSchema, type OktaLogEvent, type OktaLogRef } from '../../okta/schemas.js';
import { OktaCursorExpiredError } from './errors.js';
import { logFilter } from './events.js';
import type { ProviderContext } from '../context.js';
import { LOG_PATH, positionProblem } from './cursor.js';

const debug = createDebug('okta-idp:changes');

/**
 * How long Okta keeps System Log events: 90 days
 * (https://developer.okta.com/docs/reference/api/system-log/).
 */
export const RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * One page of the log, where it was read from and where the next one is.
 */
export interface LogPage {
  /** Path and query of the request that read this page. */
  position: string;
  /** Time of {@link position} (epoch ms). */
  time: number;
  /** The events as {@link logItem} kept them as they were parsed (validated once, there). */
  items: LogItem[];
  /** Path and query of the next page: the `next` link. */
  next: string;
  /** Time of {@link next} (epoch ms). */
  nextTime: number;
  /** Whether the page was full (`limit` events): more are waiting, so poll again at once. */
  full: boolean;
  /** Okta's clock at the response (this machine's when Okta sent no usable `Date`): no event time is trusted past it. */
  oktaNow: number;
}

/**
 * The first polling query: `since`, no `until`, ascending, the identity-event filter and the
 * largest page Okta allows, as a path relative to the org.
 */
export function firstPosition(ctx: ProviderContext, since: Date): string {
  const url = ctx.client.url(LOG_PATH, { since: since.toISOString(), limit: PAGE_SIZE.logs, sortOrder: 'ASCENDING', filter: logFilter(ctx.client.config.groups) });
  return url.pathname + url.search;
}

/**
 * Reads one page at `position`. A 400 E0000001 about `since`/`after` (the position fell out
 * of the retention window, or Okta no longer knows it) becomes {@link OktaCursorExpiredError};
 * every other failure is the client's typed error (a 403 names okta.logs.read).
 */
export async function readLogPage(ctx: ProviderContext, position: string, time: number, clock: Clock, signal?: AbortSignal): Promise<LogPage> {
  const started = clock.now();
  let response;
  try {
    // Okta's next links carry the log position in `after`: such a read continues the log.
    const continuation = new URL(position, ctx.client.origin).searchParams.has('after');
    response = await ctx.client.get(position, { ...(signal ? { signal } : {}), continuation, item: logItem });
  } catch (error) {
    throw expired(error) ?? error;
  }
  if (!Array.isArray(response.body)) throw new OktaResponseError(`GET ${LOG_PATH}: expected a JSON array`, 'invalid_response', LOG_PATH);
  // Okta answers a position older than its retention with what it still has, without an
  // error: the gap shows only against Okta's own clock (this machine's may be off).
  const oktaNow = Date.parse(String(response.headers.date));
  if (oktaNow - time > RETENTION_MS) {
    throw new OktaCursorExpiredError(`the log position is from ${new Date(time).toISOString()}, more than 90 days before Okta's time (${new Date(oktaNow).toISOString()})`);
  }
  const items = response.body as LogItem[];
  const limit = Number(new URL(position, ctx.client.origin).searchParams.get('limit') ?? PAGE_SIZE.logs);
  const link = nextUrl(ctx.client, response);
  // Without a next link the position cannot advance: treat the page as caught up and wait.
  const full = link !== undefined && items.length > 0 && items.length >= limit;
  let next = position;
  if (link === undefined) {
    // Okta always sends `next` for a polling query; without one, the same position is read
    // again (the events it repeats are dropped by uuid).
    debug('no next link at %s: polling the same position again', LOG_PATH);
  } else {
    const url = ctx.client.url(link);
    next = url.pathname + url.search;
    // Checked as it is read: a cursor holding it would be refused when the host resumes.
    const problem = positionProblem(next, ctx.client.origin);
    if (problem) throw new OktaResponseError(`GET ${LOG_PATH}: unusable next link: ${problem}`, 'invalid_response', LOG_PATH);
  }
  // No position's time is later than Okta's clock at the response (this machine's when Okta sent
  // no usable Date): an event published in the future cannot carry a cursor there.
  const ceiling = Number.isFinite(oktaNow) ? oktaNow : clock.now();
  const at = Math.min(time, ceiling);
  return { position, time: at, items, next, nextTime: Math.min(link === undefined ? at : nextTime(at, items, full, started), ceiling), full, oktaNow: ceiling };
}

/** An event as {@link logItem} keeps it: validated and cut, or (without `eventType`) only the uuid and time of an invalid one. */
export type LogItem = OktaLogEvent | { uuid: string | undefined; published: string | undefined; eventType?: undefined };

/** The event a kept item holds, or undefined for an invalid one. */
export const validEvent = (item: LogItem): OktaLogEvent | undefined => (item.eventType === undefined ? undefined : item);

/**
 * What the stream keeps of one event, as it is parsed: a valid event's uuid, time, type, actor
 * and targets (id and type); of an invalid one only its uuid and time (the planner counts it
 * invalid). A page is never held as Okta sent it: its `client`, `debugContext` and the rest of
 * each event die as soon as the event is parsed.
 */
export function logItem(element: unknown): LogItem {
  const raw = element as { uuid?: unknown; published?: unknown; eventType?: unknown } | null;
  // Only `eventType` is required: without it no zod error is built (a hostile page of `{}`).
  const parsed = typeof raw === 'object' && raw !== null && typeof raw.eventType === 'string' ? oktaLogEventSchema.safeParse(element) : undefined;
  const ref = ({ id, type }: OktaLogRef): OktaLogRef => ({ id, type });
  if (parsed?.success) {
    const { uuid, published, eventType, actor, target } = parsed.data;
    return { uuid, published, eventType, actor: actor && ref(actor), target: target.map(ref) };
  }
  return { uuid: typeof raw?.uuid === 'string' ? raw.uuid : undefined, published: typeof raw?.published === 'string' ? raw.published : undefined };
}

/**
 * The time of the position after a page, before it is capped at Okta's clock. A page that was
 * not full holds everything written before the request, so the next position is about the
 * request's time; after a full page it is at least the latest `published` on it (each event is
 * written at or after its published time, so this errs early: the 90-day check is never too
 * lenient).
 */
function nextTime(time: number, items: unknown[], full: boolean, requested: number): number {
  if (!full) return Math.max(time, requested);
  let latest = time;
  for (const item of items) {
    const published = Date.parse(String((item as { published?: unknown } | null)?.published));
    if (Number.isFinite(published) && published > latest) latest = published;
  }
  return latest;
}

/**
 * Okta's answer to a position outside the log's range, as the typed error; else undefined.
 * E0000053: a `since` more than 180 days back; E0000001 naming since/after: a position Okta no
 * longer knows.
 */
function expired(error: unknown): OktaCursorExpiredError | undefined {
  if (!(error instanceof OktaHttpError) || error.status !== 400) return undefined;
  if (error.errorCode !== 'E0000053' && (error.errorCode !== 'E0000001' || !/\b(since|after|until)\b|range|retention|too (old|far)/i.test(error.errorSummary ?? ''))) return undefined;
  return new OktaCursorExpiredError(`Okta refused the log position (${error.errorCode}: ${error.errorSummary ?? 'out of range'})`, { cause: error });
}
