import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import type { IdentityChange } from '../../../src/index.js';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from '../../../src/provider/changes/cursor.js';
import { logFilter } from '../../../src/provider/changes/events.js';
import { newBitset, setBit } from '../../../src/util/bitset.js';
import { okHeaders, ORIGIN, useMswServer } from '../../helpers/msw.js';
import { drain, makeProvider, setupLogOrg, T } from '../../helpers/log-org.js';

/**
 * What a hostile or broken System Log cannot do to the stream's cursors and its no-progress
 * guard (issue 17, cases 8 to 10): an event published in the future, an event uuid too long for
 * a cursor, a next link to the page itself with events that carry no uuid.
 */
const server = useMswServer();

const who = (c: IdentityChange): string => (c.type === 'upsert' ? c.identity.id : c.id);
const HOUR = 60 * 60 * 1000;

describe('an event published in the future (case 8)', () => {
  it.each([
    ['3 hours ahead', 3 * HOUR],
    ['in 2100', Date.UTC(2100, 0, 1) - Date.UTC(2026, 10, 28, 12)],
  ])('cannot carry a cursor past Okta’s clock: an event %s leaves every later cursor resumable', async (_what, ahead) => {
    const { clock, org, provider, since } = setupLogOrg(server);
    org.addUser('00u1');
    org.addUser('00u2');
    // A full page (1,000 events, the page size the stream asks for), the first published in the future.
    org.log('user.account.update_profile', [T.user('00u1')], { published: clock.now() + ahead });
    for (let i = 1; i < 1000; i++) org.log('user.account.update_profile', [T.user('00u1')]);
    const first = await drain(provider, clock, { since });
    expect(first.map(who)).toEqual(['00u1']);
    const cursor = first.at(-1)!.cursor;
    expect(decodeCursor(cursor, ORIGIN).time).toBeLessThanOrEqual(clock.now());
    await provider.close();

    // A later event, resumed from that cursor in a new process: accepted, and so are its cursors.
    org.log('user.lifecycle.suspend', [T.user('00u2')]);
    org.setStatus('00u2', 'SUSPENDED');
    const { provider: resumed } = makeProvider(clock);
    const later = await drain(resumed, clock, { cursor });
    expect(later.map(who)).toEqual(['00u2']);
    expect(decodeCursor(later[0]!.cursor, ORIGIN).time).toBeLessThanOrEqual(clock.now());
    await resumed.close();
  });
});

describe('an event uuid too long for a cursor (case 9)', () => {
  it('makes a cursor changes({ cursor }) accepts: the uuid is read as none, and resuming delivers only what is left', async () => {
    const { clock, org, provider, since } = setupLogOrg(server);
    org.addUser('00u1');
    org.addUser('00u2');
    org.log('user.account.update_profile', [T.user('00u1')], { uuid: 'x'.repeat(13_000) });
    const second = org.log('user.account.update_profile', [T.user('00u2')]);
    const changes = await drain(provider, clock, { since });
    expect(changes.map(who)).toEqual(['00u1', '00u2']);
    // The first change's cursor is mid-page: it would hold the page's first uuid.
    expect(changes[0]!.cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(changes.map((c) => c.eventIds)).toEqual([[], [second]]);
    await provider.close();

    const { provider: resumed } = makeProvider(clock);
    expect((await drain(resumed, clock, { cursor: changes[0]!.cursor })).map(who)).toEqual(['00u2']);
    await resumed.close();
  });

  it('encodeCursor alone decides what fits: an over-long first uuid or a bitset past Okta’s largest page is bounded', () => {
    const position = `/api/v1/logs?limit=1000&sortOrder=ASCENDING&filter=${encodeURIComponent(logFilter())}&after=a`;
    const huge = newBitset(200_000);
    for (let i = 0; i < 200_000; i++) setBit(huge, i);
    for (const state of [
      { position, time: 1, firstUuid: 'x'.repeat(13_000), delivered: newBitset(3), origin: ORIGIN },
      { position, time: 1, firstUuid: 'u1', delivered: huge, origin: ORIGIN },
    ]) {
      const cursor = encodeCursor(state);
      expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
      expect(decodeCursor(cursor, ORIGIN).position).toBe(position);
    }
    // The bitset keeps the first 1,000 events (Okta's largest page): those stay delivered.
    const kept = decodeCursor(encodeCursor({ position, time: 1, firstUuid: 'u1', delivered: huge, origin: ORIGIN }), ORIGIN);
    expect(kept.delivered).toEqual(newBitset(1000).fill(0xff));
  });
});

describe('a next link to the page itself, with events that carry no uuid (case 10)', () => {
  it('is no progress: the page is delivered once, then re-read only after the poll interval, and its cursor does not deliver it again', async () => {
    const { clock, org, provider, since } = setupLogOrg(server);
    const people = ['00u1', '00u2', '00u3', '00u4', '00u5'];
    for (const id of people) org.addUser(id);
    const self = `/api/v1/logs?limit=1000&sortOrder=ASCENDING&filter=${encodeURIComponent(logFilter())}&after=same`;
    const events = Array.from({ length: 1000 }, (_, i) => ({ published: new Date(clock.now()).toISOString(), eventType: 'user.account.update_profile', target: [T.user(people[i % 5]!)] }));
    let reads = 0;
    const controller = new AbortController();
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => {
        if (++reads >= 20) controller.abort();
        const at = new URL(request.url).searchParams.get('after');
        // The polling query finds nothing yet; its next link, and that page's, is `self`.
        return HttpResponse.json(at === null ? [] : events, { headers: { ...okHeaders({ date: new Date(clock.now()).toUTCString() }), link: `<${ORIGIN}${self}>; rel="next"` } });
      }),
    );
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    expect(reads).toBe(20);
    expect(changes.map(who)).toEqual(people);
    // Every read but the first two (the empty polling query, the first read of `self`) came after a poll-interval sleep.
    expect(clock.sleeps.filter((ms) => ms === 5_000).length).toBeGreaterThanOrEqual(reads - 2);
    await provider.close();

    // Resumed from the last cursor in a new process, the same page delivers nothing again.
    const { provider: resumed } = makeProvider(clock);
    reads = 0;
    expect(await drain(resumed, clock, { cursor: changes.at(-1)!.cursor }, 3)).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(3);
    await resumed.close();
  });
});
