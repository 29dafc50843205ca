/**
 * Turning one page of System Log events into the people to refresh, in a fixed order, with
 * the events that touched each one (so events for one person within a page become one
 * change) and the bookkeeping that tells which events are fully delivered after each change.
 * @module
 */
import createDebug from 'debug';
import { oktaLogEventSchema, type OktaUser } from '../okta/schemas.js';
import type { RecentSet } from './change-dedup.js';
import { eventEffect } from './change-events.js';
import type { Fanout, Members } from './change-fanout.js';
import type { ProviderContext } from './context.js';
import { hasBit, highestBit, newBitset, setBit } from './cursor.js';

const debug = createDebug('okta-idp:changes');

/**
 * One person to refresh and the page's events that touched them.
 * @example
 * const work: PersonWork = { id: '00u1', known: undefined, events: [0, 3] };
 */
export interface PersonWork {
  id: string;
  /** The user as a fan-out list embedded it, so it need not be read again. */
  known: OktaUser | undefined;
  /** Indices of the events (in the page) that touched this person, ascending. */
  events: number[];
}

/**
 * What a page asks for, and how far it is delivered.
 * @example
 * for (const person of plan.people) deliver(person); plan.markDelivered(person);
 */
export interface PagePlan {
  /** People in the order their first event appears (fan-out members in list order). */
  people: PersonWork[];
  /** The uuid of the page's first event ('' when it has none): a re-read is checked against it. */
  firstUuid: string;
  /** The uuids of each event, by index; undefined for an item that is not a valid event. */
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
 * @example
 * const resume: PageResume = { firstUuid: state.firstUuid, delivered: state.delivered };
 */
export interface PageResume {
  firstUuid: string;
  delivered: Uint8Array;
}

function uuidOf(item: unknown): string | undefined {
  const uuid = (item as { uuid?: unknown } | null)?.uuid;
  return typeof uuid === 'string' ? uuid : undefined;
}

/**
 * Plans a page: validates each event, drops what needs nothing (not an identity event,
 * already delivered per the cursor, or a uuid this stream already handled: Okta's polling
 * pages may overlap), resolves fan-outs (group members, app members) and groups the rest by
 * person. Adds every uuid of the page to `seen`.
 * @example
 * const plan = await planPage(ctx, page.items, undefined, seen, fanout, signal);
 */
export async function planPage(ctx: ProviderContext, items: readonly unknown[], resume: PageResume | undefined, seen: RecentSet, fanout: Fanout, signal?: AbortSignal): Promise<PagePlan> {
  const size = items.length;
  const uuids = items.map(uuidOf);
  const firstUuid = uuids[0] ?? '';
  const done = newBitset(size);
  const pending: number[] = new Array<number>(size).fill(0);
  let delivered: Uint8Array | undefined;
  if (resume) {
    // The same position returns the same events in the same order (perhaps with newer ones
    // after them); anything else means the page changed, and all of it is delivered again.
    if (resume.firstUuid === firstUuid && highestBit(resume.delivered) < size) delivered = resume.delivered;
    else debug('the page at the cursor changed: delivering all of it again');
  }

  const people = new Map<string, PersonWork>();
  const touch = (id: string, index: number, known: OktaUser | undefined): void => {
    const person = people.get(id);
    if (!person) {
      people.set(id, { id, known, events: [index] });
      pending[index]!++;
    } else {
      person.known ??= known;
      if (person.events[person.events.length - 1] !== index) {
        person.events.push(index);
        pending[index]!++;
      }
    }
  };
  const groupMembers = new Map<string, Members>();
  const inPage = new Set<string>();
  let invalid = 0;
  for (let index = 0; index < size; index++) {
    const uuid = uuids[index];
    const repeated = uuid !== undefined && (seen.has(uuid) || inPage.has(uuid));
    if (uuid !== undefined) inPage.add(uuid);
    if ((delivered && hasBit(delivered, index)) || repeated) {
      setBit(done, index);
      continue;
    }
    const parsed = oktaLogEventSchema.safeParse(items[index]);
    if (!parsed.success) invalid++;
    const effect = parsed.success ? eventEffect(parsed.data) : null;
    if (effect === null) {
      setBit(done, index);
      continue;
    }
    for (const id of effect.users) touch(id, index, undefined);
    for (const groupId of effect.groups) {
      let members = groupMembers.get(groupId);
      if (!members) {
        members = await fanout.group(groupId, signal);
        groupMembers.set(groupId, members);
      }
      for (const [id, user] of members) touch(id, index, user);
    }
    for (const app of effect.apps) {
      for (const [id, user] of await fanout.app(app.id, app.fanout, signal)) touch(id, index, user);
    }
    if (pending[index] === 0) setBit(done, index);
  }
  for (const uuid of inPage) seen.add(uuid);
  if (invalid > 0) {
    ctx.warn({ code: 'invalid_item', path: '/api/v1/logs', message: `${invalid} System Log event(s) did not match Okta's schema and were skipped.` });
  }
  return { people: [...people.values()], firstUuid, uuids, done, size, pending };
}
