/**
 * Turning one page of System Log events into the people to update, in a fixed order, with the
 * events that touched each one (so events for one person within a page become one change) and
 * the bookkeeping that tells which events are fully delivered after each change.
 * @module
 */
import createDebug from 'debug';
import { eventUuid } from '../../okta/schemas.js';
import type { RecentSet } from '../../util/recent.js';
import { eventEffect } from './events.js';
import type { IndexCommit, PersonWork, StoreTail } from './builder.js';
import { planWork, type PlacedEffect, type WorkEnv } from './work.js';
import type { ProviderContext } from '../context.js';
import { hasBit, highestBit, newBitset, setBit } from '../../util/bitset.js';
import type { AppRef } from '../identity.js';
import { validEvent, type LogPage } from './log.js';

const debug = createDebug('okta-idp:changes');

/**
 * What a page asks for, and how far it is delivered.
 */
export interface PagePlan {
  /** People in the order of their first event. */
  people: PersonWork[];
  /** People delivered after them as the store holds them (see {@link StoreTail}). */
  tail?: StoreTail;
  /** Apps whose current name and label the plan read. */
  apps: Map<string, AppRef>;
  /** Index changes still to make, each once its events are delivered. */
  commits: IndexCommit[];
  /** The uuid of the page's first event ('' when it has none): a re-read is checked against it. */
  firstUuid: string;
  /** The uuids of each event, by index; undefined for an item without one. */
  uuids: Array<string | undefined>;
  /** Bit `i` set when event `i` needs nothing more. */
  done: Uint8Array;
  /** Number of events in the page. */
  size: number;
  /** People still to deliver, per event. */
  pending: number[];
}

/**
 * Where a resumed stream left off in its first page: the cursor's first uuid and bitset.
 */
export interface PageResume {
  firstUuid: string;
  delivered: Uint8Array;
}

/** The uuid of a raw log item, if it has one of Okta's shape ({@link eventUuid}). */
export function uuidOf(item: unknown): string | undefined {
  return eventUuid((item as { uuid?: unknown } | null)?.uuid);
}

/**
 * Plans a page: validates each event, drops what needs nothing (not an identity event,
 * already delivered per the cursor, or a uuid this stream already handled: Okta's polling
 * pages may overlap), and decides whom the rest reach and how (work.ts). Adds every
 * uuid of the page to `seen`.
 */
export async function planPage(ctx: ProviderContext, page: Pick<LogPage, 'items' | 'oktaNow'>, resume: PageResume | undefined, seen: RecentSet, env: WorkEnv, signal?: AbortSignal): Promise<PagePlan> {
  const { items } = page;
  const size = items.length;
  const uuids = items.map(uuidOf);
  const firstUuid = uuids[0] ?? '';
  const done = newBitset(size);
  let delivered: Uint8Array | undefined;
  if (resume) {
    // The same position returns the same events in the same order (perhaps with newer ones
    // after them); anything else means the page changed, and all of it is delivered again.
    if (resume.firstUuid === firstUuid && highestBit(resume.delivered) < size) delivered = resume.delivered;
    else debug('the page at the cursor changed: delivering all of it again');
  }

  const effects: PlacedEffect[] = [];
  const inPage = new Set<string>();
  const unresolved = new Set<string>();
  let invalid = 0;
  const { memory } = env;
  for (let index = 0; index < size; index++) {
    const uuid = uuids[index];
    // An event published before one the log gave earlier was written late: Okta does not say
    // when its change took effect, so no earlier read of the app is trusted to include it.
    // A time past Okta's clock (an event published in the future) is taken as Okta's now: it would
    // otherwise make every later event look late.
    const published = Math.min(Date.parse(String(items[index]!.published)), page.oktaNow);
    const inOrder = !(published < memory.newestPublished);
    if (published > memory.newestPublished) memory.newestPublished = published;
    const repeated = uuid !== undefined && (seen.has(uuid) || inPage.has(uuid));
    if (uuid !== undefined) inPage.add(uuid);
    if ((delivered && hasBit(delivered, index)) || repeated) continue;
    // Validated as it was parsed (log.ts `logItem`): not again here.
    const event = validEvent(items[index]!);
    if (!event) invalid++;
    const effect = event ? eventEffect(event, ctx.client.config.groups) : null;
    if (effect?.reach === 'unresolved') unresolved.add(event!.eventType);
    else if (effect) effects.push({ index, effect, published: inOrder ? published : Number.NaN });
  }
  const { people, tail, apps, commits } = await planWork(ctx, effects, env, signal);

  const pending: number[] = new Array<number>(size).fill(0);
  for (const person of people) {
    for (const index of person.events) pending[index]!++;
    for (const index of person.holds) pending[index]!++;
  }
  if (tail) for (const index of [...(tail.events ?? []), ...tail.holds]) pending[index]! += tail.ids.size;
  for (let index = 0; index < size; index++) if (pending[index] === 0) setBit(done, index);
  for (const uuid of inPage) seen.add(uuid);
  if (invalid > 0) {
    ctx.warn({ code: 'invalid_item', path: '/api/v1/logs', message: `${invalid} System Log event(s) did not match Okta's schema and were skipped.` });
  }
  for (const eventType of unresolved) {
    ctx.warn({
      code: 'unresolved_event',
      path: '/api/v1/logs',
      message: `A ${eventType} event named no user and no app, so the change stream could not tell whose identity changed. Run a full listIdentities() to be sure every identity is current.`,
    });
  }
  return { people, ...(tail ? { tail } : {}), apps, commits, firstUuid, uuids, done, size, pending };
}
