/**
 * The change stream: `OktaIdentityProvider.changes()`.
 *
 * It polls the System Log (log.ts), keeps the identity events (families.ts,
 * events.ts), decides per page whom they reach and how to read them at the cost of
 * pages, not people (plan.ts, work.ts), reads what changed (refresh.ts)
 * and yields one change per person with a cursor (cursor.ts) that resumes right after it, in
 * a new process, losing nothing: delivery is at-least-once.
 * @module
 */
import { setMaxListeners } from 'node:events';
import createDebug from 'debug';
import type { Clock } from '../../clock.js';
import { OktaValidationError } from '../../errors.js';
import type { ChangesOptions, IdentityChange } from '../../sdk.js';
import { RecentMap, RecentSet } from '../../util/recent.js';
import { OktaCursorError, OktaCursorExpiredError } from './errors.js';
import { logFilter } from './events.js';
import { firstPosition, readLogPage, RETENTION_MS, type LogPage } from './log.js';
import { hasBit, setBit } from '../../util/bitset.js';
import { mapOrdered } from '../../util/pool.js';
import { planPage, uuidOf, type PagePlan, type PageResume } from './plan.js';
import { StreamMemory } from './memory.js';
import { refreshPerson, type HeldBy } from './refresh.js';
import { tailWork, type PersonWork } from './builder.js';
import type { WorkEnv } from './work.js';
import type { ProviderContext } from '../context.js';
import { decodeCursor, PageCursors, type CursorState } from './cursor.js';
import { checkPollInterval, checkSince } from '../validate.js';

const debug = createDebug('okta-idp:changes');

/**
 * Event uuids remembered to drop repeats across overlapping polls; bounds memory over days.
 */
export const DEDUP_CAPACITY = 10_000;

/** Log positions whose delivered events a stream remembers, so a cycle of next links delivers nothing twice. */
const POSITIONS_REMEMBERED = 16;

/** A page a stream read and delivered: its first uuid and events (all delivered), and how many. */
interface ReadPage {
  resume: PageResume;
  size: number;
}

/** People read at once while the host handles the changes before them. */
const REFRESH_CONCURRENCY = 4;

/** How far ahead of this machine's clock a cursor or `since` may be (clock skew), before it is refused. */
const MAX_AHEAD_MS = 15 * 60 * 1000;

/**
 * What the provider lends the stream besides its context: its synced store and a way to read
 * the whole org into one (see work.ts).
 */
export interface ChangeStreamEnv extends Omit<WorkEnv, 'memory'> {
  /** Time and sleeping between polls; tests pass a fake one. */
  clock: Clock;
}

/**
 * Streams identity changes from the System Log until `options.signal` aborts or the consumer
 * stops iterating; then it ends without an error and leaves no timer or request behind.
 * `apply` is called with each change right before it is yielded (the provider keeps its
 * synced store current with it).
 * @throws OktaCursorError for a cursor this connector did not write.
 * @throws OktaCursorExpiredError when the cursor or `since` is beyond the 90-day log.
 * @throws OktaForbiddenError on the first poll when the token lacks okta.logs.read.
 */
export async function* streamChanges(ctx: ProviderContext, options: ChangesOptions, apply: (change: IdentityChange, held?: HeldBy) => void, env: ChangeStreamEnv): AsyncGenerator<IdentityChange> {
  const { clock } = env;
  const { signal } = options;
  const pollIntervalMs = checkPollInterval(options.pollIntervalMs ?? ctx.client.config.pollIntervalMs);
  const start = startState(ctx, options, clock);
  let position = start.position;
  let time = start.time;
  let resume: PageResume | undefined = start.firstUuid !== undefined && start.delivered ? { firstUuid: start.firstUuid, delivered: start.delivered } : undefined;
  const seen = new RecentSet(DEDUP_CAPACITY);
  const read = new RecentMap<string, ReadPage>(POSITIONS_REMEMBERED);
  const work: WorkEnv = { store: env.store, fullRead: env.fullRead, memory: new StreamMemory() };
  debug('streaming from %s', new Date(time).toISOString());
  try {
    while (!signal?.aborted) {
      const page = await readLogPage(ctx, position, time, clock, signal);
      // A position this stream read before returns the events it delivered then, in the same
      // order, perhaps with newer ones after them: only those are new, whether or not events
      // carry a uuid.
      const before = read.get(page.position);
      const again = resume ?? before?.resume;
      const repeat = before !== undefined && page.items.length <= before.size && (uuidOf(page.items[0]) ?? '') === before.resume.firstUuid;
      // No progress: a next link to the page itself, a position read before that brought nothing
      // new (a cycle), or only events already handled. Wait the poll interval, rather than spin.
      const stale = page.items.length > 0 && (page.next === page.position || repeat || page.items.every((item) => seen.has(String(uuidOf(item)))));
      const plan = await planPage(ctx, page, again, seen, work, signal);
      resume = undefined;
      debug('%d event(s) at %s: %d person(s) to update', page.items.length, page.position, plan.people.length + (plan.tail?.ids.size ?? 0));
      yield* deliver(ctx, page, plan, apply, env, signal);
      if (plan.size > 0) read.set(page.position, { resume: { firstUuid: plan.firstUuid, delivered: plan.done }, size: plan.size });
      position = page.next;
      time = page.nextTime;
      // A page with fewer than `limit` events has caught up with the log: wait before polling again.
      if ((!page.full || stale) && !signal?.aborted) await clock.sleep(pollIntervalMs, signal);
    }
  } catch (error) {
    // Abort ends the stream quietly, whatever the interrupted request or sleep threw.
    if (signal?.aborted) return;
    throw error;
  }
}

/** Yields one change per person of the page whose identity changed, each with the cursor that resumes after it. */
async function* deliver(ctx: ProviderContext, page: LogPage, plan: PagePlan, apply: (change: IdentityChange, held?: HeldBy) => void, env: ChangeStreamEnv, signal?: AbortSignal): AsyncGenerator<IdentityChange> {
  const reads = new AbortController();
  // Every read in flight for the page's people (several each) listens to it: not a leak.
  setMaxListeners(0, reads.signal);
  const stop = (): void => reads.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  let doneCount = 0;
  for (let i = 0; i < plan.size; i++) if (hasBit(plan.done, i)) doneCount++;
  const origin = ctx.client.origin;
  const cursors = new PageCursors();
  // The index changes whose events are all delivered are made now (and those of events that reach nobody, at once).
  const commit = (): void => {
    plan.commits = plan.commits.filter((c) => !(c.events.every((index) => hasBit(plan.done, index)) && (c.run(), true)));
  };
  commit();
  try {
    // The store is read when each person's turn comes: a re-sync may have replaced it meanwhile.
    const refresh = async (person: PersonWork) => [person, await refreshPerson(ctx, person, env.store(), plan.apps, reads.signal)] as const;
    const settle = (index: number): void => {
      if (--plan.pending[index]! === 0) {
        setBit(plan.done, index);
        doneCount++;
      }
    };
    for await (const [person, result] of mapOrdered(peopleOf(plan), REFRESH_CONCURRENCY, refresh)) {
      for (const index of person.events) settle(index);
      for (const index of person.holds) settle(index);
      if (result.kind === 'skipped' || result.kind === 'unchanged') {
        commit();
        continue;
      }
      // Once every event of the page is delivered the cursor moves on to the next page.
      // A next link to the page itself does not move on: the cursor stays with what it delivered.
      const cursor =
        doneCount === plan.size && page.next !== page.position
          ? cursors.after({ position: page.next, time: page.nextTime, origin })
          : cursors.within({ position: page.position, time: page.time, firstUuid: plan.firstUuid, origin }, plan.done);
      const eventIds = person.events.map((index) => plan.uuids[index]).filter((uuid): uuid is string => uuid !== undefined);
      const change: IdentityChange = result.kind === 'found' ? { type: 'upsert', identity: result.identity, cursor, eventIds } : { type: 'delete', id: person.id, cursor, eventIds };
      apply(change, result.kind === 'found' ? result.held : undefined);
      commit();
      yield change;
    }
  } finally {
    // The consumer stopped or the page is done: cancel reads still in flight.
    reads.abort();
    signal?.removeEventListener('abort', stop);
  }
}

/** The plan's people, then its tail's, each built when its turn comes. */
function* peopleOf(plan: PagePlan): Generator<PersonWork> {
  yield* plan.people;
  if (plan.tail) yield* tailWork(plan.tail);
}

/**
 * The position to start at: the cursor's, or a polling query at `since` (default: now). A
 * cursor written with another event filter (an older version of this connector watched fewer
 * families) restarts at its time with the current filter: the events since are read again
 * (at-least-once), none is missed.
 */
function startState(ctx: ProviderContext, options: ChangesOptions, clock: Clock): CursorState {
  const now = clock.now();
  if (options.cursor !== undefined) {
    const state = decodeCursor(options.cursor, ctx.client.origin);
    if (state.time > now + MAX_AHEAD_MS) throw new OktaCursorError(`the cursor's time (${new Date(state.time).toISOString()}) is in the future`);
    if (now - state.time > RETENTION_MS) throw new OktaCursorExpiredError(`the cursor's log position is from ${new Date(state.time).toISOString()}, more than 90 days ago`);
    if (new URL(state.position, ctx.client.origin).searchParams.get('filter') === logFilter(ctx.client.config.groups)) return state;
    debug('the cursor was written with another event filter: restarting at its time with the current one');
    return { position: firstPosition(ctx, new Date(state.time)), time: state.time };
  }
  const since = checkSince(options.since ?? new Date(now));
  if (since.getTime() > now + MAX_AHEAD_MS) throw new OktaValidationError(`changes(): \`since\` (${since.toISOString()}) is in the future`, 'since');
  if (now - since.getTime() > RETENTION_MS) throw new OktaCursorExpiredError(`\`since\` (${since.toISOString()}) is more than 90 days ago`);
  return { position: firstPosition(ctx, since), time: since.getTime() };
}
