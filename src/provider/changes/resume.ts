/**
 * Where a stream starts when the provider has an index at a known log position (one loaded from
 * `indexPath`, or kept since a full read): the index is brought to the present without losing or
 * skipping a change, and changes are delivered from the host's position on.
 *
 * - The host's cursor is the index's position: the stream goes on from it.
 * - The host's cursor is one of the changes the index took since (the host died before it saved
 *   the later ones): those people are delivered again as the index has them (with the host's
 *   cursor), then the stream goes on from the index's position.
 * - The host is ahead of the index (a cursor of another provider, a `since` later than the index's
 *   position, or a journal that lost its last appends in a power cut): the stream runs from the
 *   index's position, so the events in between reach the index, and their changes are delivered
 *   too (at-least-once: a change may come again, none is lost; an event Okta writes late is not
 *   missed, as it would be by skipping events by their time).
 * - The host is behind the index by more than those changes: every person whose change the index
 *   took since its full read is delivered again (the index cannot tell who held a group or app
 *   deleted before it), then the stream runs from the host's position.
 * @module
 */
import createDebug from 'debug';
import type { ChangesOptions, IdentityChange } from '../../sdk.js';
import type { IdentityStore } from '../store/store.js';
import { cursorKey, type IndexPosition, type TailEntry } from '../store/persist/format.js';
import { checkSince } from '../validate.js';
import type { ProviderContext } from '../context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { firstPosition } from './log.js';

const debug = createDebug('okta-idp:changes');

/** The index the stream resumes against. */
export interface IndexView {
  store: IdentityStore;
  position: IndexPosition;
  /** The changes delivered since the index's full read (the most recent ones), oldest first. */
  tail: readonly TailEntry[];
}

export interface ResumePlan {
  /** The options to stream with (their cursor or `since` replaced). */
  options: ChangesOptions;
  /** Changes to deliver first, as the index has these people now. */
  replay: () => Generator<IdentityChange>;
}

/** How a stream with `options` starts against `index`. Invalid options are left for the stream to refuse. */
export function planResume(ctx: ProviderContext, options: ChangesOptions, index: IndexView | undefined, now: number): ResumePlan {
  const none = (): Generator<IdentityChange> => [][Symbol.iterator]() as Generator<IdentityChange>;
  if (!index) return { options, replay: none };
  const origin = ctx.client.origin;
  const { signal, pollIntervalMs } = options;
  const base: ChangesOptions = { ...(signal ? { signal } : {}), ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }) };
  const fromIndex: ChangesOptions = { ...base, cursor: index.position.cursor };
  let host: { cursor: string; time: number };
  try {
    if (options.cursor !== undefined) {
      host = { cursor: options.cursor, time: decodeCursor(options.cursor, origin).time };
    } else {
      const since = checkSince(options.since ?? new Date(now));
      host = { cursor: encodeCursor({ position: firstPosition(ctx, since), time: since.getTime(), origin }), time: since.getTime() };
    }
  } catch {
    return { options, replay: none };
  }
  if (host.cursor === index.position.cursor) {
    debug('resuming at the index position');
    return { options: fromIndex, replay: none };
  }
  const replay = (entries: readonly TailEntry[]) =>
    function* (): Generator<IdentityChange> {
      const ids = [...new Set(entries.map((e) => e.id).reverse())].reverse();
      for (const id of ids) {
        const identity = index.store.identity(id);
        yield identity ? { type: 'upsert', identity, cursor: host.cursor, eventIds: [] } : { type: 'delete', id, cursor: host.cursor, eventIds: [] };
      }
    };
  if (options.cursor !== undefined) {
    const key = cursorKey(options.cursor);
    const at = index.tail.findLastIndex((e) => e.key === key);
    if (at >= 0) {
      debug('resuming: %d change(s) the index took after the host cursor delivered again', index.tail.length - at - 1);
      return { options: fromIndex, replay: replay(index.tail.slice(at + 1)) };
    }
  }
  if (host.time >= index.position.time) {
    debug('resuming from the index position, behind the host');
    return { options: fromIndex, replay: none };
  }
  debug('resuming from the host, behind the index: %d change(s) delivered again', index.tail.length);
  return { options: { ...base, cursor: host.cursor }, replay: replay(index.tail) };
}
