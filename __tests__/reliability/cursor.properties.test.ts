import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OktaCursorError, OktaIdentityProvider, type IdentityChange } from '../../src/index.js';
import { logFilter } from '../../src/provider/changes/events.js';
import { decodeCursor, encodeCursor, LOG_PATH, type CursorState } from '../../src/provider/changes/cursor.js';
import { newBitset, setBit } from '../../src/util/bitset.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { POLL_MS, recordFigures, WatchedClock } from './support.js';

/**
 * Property-based checks of the change-stream cursor, which comes back from the host's storage
 * and so is untrusted: anything that is not a cursor this connector wrote (random text, random
 * bytes, random JSON, a real cursor with a character changed or cut short, a re-signed cursor
 * whose position points elsewhere) is refused with OktaCursorError (code invalid_cursor),
 * without echoing it and before any request; an intact cursor round-trips.
 */

/** A loopback "Okta" that counts every request and answers an empty, caught-up log page. */
const seen: string[] = [];
const okta = createServer((req, res) => {
  seen.push(req.url ?? '');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('[]');
});
let origin = '';
let provider: OktaIdentityProvider;
const realCursors: Array<{ cursor: string; state: CursorState }> = [];
const tally = { random: 0, bytes: 0, json: 0, flipped: 0, flippedEquivalent: 0, truncated: 0, edited: 0, forged: 0, forgedAccepted: 0, throughProvider: 0, roundTrips: 0 };

beforeAll(async () => {
  await new Promise<void>((resolve) => okta.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(okta.address() as AddressInfo).port}`;
  provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: origin, token: 'cursor-test-token', pollIntervalMs: 60_000 });

  // Real cursors, mid-page and end-of-page, from a stream over the simulator.
  const sim = new OktaSimulator({ seed: 31, users: 20, apps: 3, duplicateEventRate: 0.5 });
  await sim.start();
  try {
    const since = new Date(sim.now());
    for (const user of sim.org.users.slice(0, 8)) sim.updateProfile(user.id, { title: 'Moved' });
    sim.suspendUser(sim.org.users.find((u) => u.status === 'ACTIVE')!.id);
    const clock = new WatchedClock();
    const streamer = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, pollIntervalMs: POLL_MS }, { clock });
    const controller = new AbortController();
    clock.onPoll = () => controller.abort();
    const changes: IdentityChange[] = [];
    for await (const change of streamer.changes({ since, signal: controller.signal })) changes.push(change);
    await streamer.close();
    // Cursors name their org: re-signed for this test's server, as if the stream had run there.
    for (const { cursor } of changes) {
      const state = { ...decodeCursor(cursor, sim.baseUrl), origin };
      realCursors.push({ cursor: encodeCursor(state), state });
    }
  } finally {
    await sim.stop();
  }
});

afterAll(async () => {
  await provider.close();
  await new Promise((resolve) => okta.close(resolve));
  recordFigures('cursor-properties', { ...tally, realCursors: realCursors.length, total: Object.entries(tally).reduce((n, [k, v]) => (k === 'flippedEquivalent' || k === 'forgedAccepted' ? n : n + v), 0) });
});

/** decodeCursor's verdict: the OktaCursorError it threw (checked), or the state it accepted. */
function verdict(cursor: string): { error: OktaCursorError } | { state: CursorState } {
  try {
    return { state: decodeCursor(cursor, origin) };
  } catch (error) {
    expect(error).toBeInstanceOf(OktaCursorError);
    expect(error).toMatchObject({ name: 'OktaCursorError', code: 'invalid_cursor' });
    // The message names the problem, never the cursor itself (it may be long, or someone's secret).
    if (cursor.length >= 12) expect((error as Error).message).not.toContain(cursor);
    return { error: error as OktaCursorError };
  }
}

function refused(cursor: string): void {
  const v = verdict(cursor);
  expect('error' in v ? 'refused' : `accepted ${JSON.stringify(v.state)}`).toBe('refused');
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const realCursor = fc.integer({ min: 0, max: 1e6 }).map((i) => realCursors[i % realCursors.length]!);

describe('the change-stream cursor (fast-check)', () => {
  it('came from a real stream: mid-page and end-of-page cursors', () => {
    expect(realCursors.length).toBeGreaterThanOrEqual(4);
    expect(realCursors.some((c) => c.state.delivered !== undefined)).toBe(true);
    expect(realCursors.some((c) => c.state.delivered === undefined)).toBe(true);
  });

  it('refuses random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...BASE64URL.split('')), maxLength: 400 })), (text) => {
        refused(text);
        tally.random++;
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses random bytes, base64url-encoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        refused(Buffer.from(bytes).toString('base64url'));
        tally.bytes++;
      }),
      { numRuns: 500 },
    );
  });

  it('refuses base64url of random JSON, and of cursor-shaped objects with a made-up checksum', () => {
    const shaped = fc.record(
      {
        v: fc.oneof(fc.constant(1), fc.jsonValue()),
        p: fc.oneof(fc.constant(`${LOG_PATH}?after=1&limit=1000`), fc.string()),
        t: fc.oneof(fc.integer({ min: 0, max: 4e12 }), fc.jsonValue()),
        c: fc.oneof(fc.string({ unit: fc.constantFrom(...BASE64URL.split('')), minLength: 16, maxLength: 16 }), fc.jsonValue()),
        f: fc.string(),
        d: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => {
        refused(b64(JSON.stringify(value) ?? 'undefined'));
        tally.json++;
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses a real cursor with one character changed, unless it still decodes to exactly the same state', () => {
    fc.assert(
      fc.property(realCursor, fc.nat(), fc.constantFrom(...BASE64URL.split('')), ({ cursor, state }, at, ch) => {
        const i = at % cursor.length;
        fc.pre(cursor[i] !== ch);
        const flipped = cursor.slice(0, i) + ch + cursor.slice(i + 1);
        const v = verdict(flipped);
        tally.flipped++;
        // base64url ignores the spare low bits of its last character: such a change is the same
        // cursor, and resuming from it is right. Anything else must be refused.
        if ('state' in v) {
          expect(i).toBe(cursor.length - 1);
          expect(v.state).toEqual(state);
          tally.flippedEquivalent++;
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a real cursor cut short, or with a character inserted or removed', () => {
    fc.assert(
      fc.property(realCursor, fc.nat(), fc.constantFrom(...BASE64URL.split('')), fc.constantFrom('truncate', 'insert', 'remove'), ({ cursor }, at, ch, how) => {
        const i = at % cursor.length;
        const edited = how === 'truncate' ? cursor.slice(0, i) : how === 'insert' ? cursor.slice(0, i) + ch + cursor.slice(i) : cursor.slice(0, i) + cursor.slice(i + 1);
        refused(edited);
        if (how === 'truncate') tally.truncated++;
        else tally.edited++;
      }),
      { numRuns: 1_500 },
    );
  });

  it('refuses a correctly signed cursor whose position is not a System Log polling query on this org', () => {
    // The checksum only catches accidents; a forger can compute it. The position check is what
    // keeps a cursor from sending the token elsewhere or reading anything but the log.
    const hostile = [
      'https://evil.example/api/v1/logs?after=1',
      'http://127.0.0.1:1/api/v1/logs?after=1',
      '//evil.example/api/v1/logs?after=1',
      '/\\evil.example/api/v1/logs',
      '\\\\evil.example\\api\\v1\\logs',
      '/api/v1/users?limit=200',
      '/api/v1/logs/../users',
      '/api/v1/logs/%2e%2e/users',
      '/api/v1/%6cogs?after=1',
      '/API/V1/LOGS?after=1',
      '/api/v1/logs?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z',
      '/api/v1/logs?sortOrder=DESCENDING',
      '/api/v1/logs#frag',
      'api/v1/logs?after=1',
      ' /api/v1/logs',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '',
    ];
    for (const position of hostile) refused(encodeCursor({ position, time: Date.now() }));
    tally.forged += hostile.length;

    const position = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string(),
      fc.tuple(fc.constantFrom('', '/', '//', '/api/v1/logs', '/api/v1/logs/', 'https://evil.example', origin, `${origin}/api/v1/logs`), fc.string()).map(([a, b]) => a + b),
      fc.tuple(fc.constantFrom('after', 'until', 'sortOrder', 'since', 'limit', '@', '..'), fc.string()).map(([k, v]) => `/api/v1/logs?${k}=${encodeURIComponent(v)}`),
    );
    fc.assert(
      fc.property(position, fc.integer({ min: 0, max: 4e12 }), (p, t) => {
        const v = verdict(encodeCursor({ position: p, time: t }));
        tally.forged++;
        if ('state' in v) {
          // Accepted only when it is a relative System Log polling query on this org.
          tally.forgedAccepted++;
          const url = new URL(v.state.position, origin);
          expect(v.state.position.startsWith('/')).toBe(true);
          expect(url.origin).toBe(origin);
          expect(url.pathname).toBe(LOG_PATH);
          expect(url.searchParams.has('until')).toBe(false);
          expect(['ASCENDING', null]).toContain(url.searchParams.get('sortOrder'));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('changes({ cursor }) refuses every kind of bad cursor with OktaCursorError before sending any request', async () => {
    const bad = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('base64url')),
      fc.jsonValue().map((v) => b64(JSON.stringify(v) ?? 'null')),
      fc.tuple(realCursor, fc.nat()).map(([{ cursor }, n]) => cursor.slice(0, n % cursor.length)),
      fc.webUrl().map((p) => encodeCursor({ position: p, time: Date.now() })),
    );
    const before = seen.length;
    await fc.assert(
      fc.asyncProperty(bad, async (cursor) => {
        const error = await (async () => {
          for await (const _ of provider.changes({ cursor })) void _;
        })().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OktaCursorError);
        expect(error).toMatchObject({ code: 'invalid_cursor' });
        tally.throughProvider++;
      }),
      { numRuns: 200 },
    );
    expect(seen.length).toBe(before);
  });

  it('round-trips any valid state, and the stream resumes exactly at its position', async () => {
    const state = fc.record({
      after: fc.string({ unit: 'grapheme', maxLength: 40 }),
      time: fc.integer({ min: Date.now() - 80 * 86_400_000, max: Date.now() }),
      progress: fc.option(fc.tuple(fc.uuid(), fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 50 })), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(state, async ({ after, time, progress }) => {
        // With the current event filter: a cursor with another one restarts from its time.
        const position = `${LOG_PATH}?limit=1000&sortOrder=ASCENDING&filter=${encodeURIComponent(logFilter())}&after=${encodeURIComponent(after)}`;
        const s: CursorState = { position, time };
        if (progress) {
          s.firstUuid = progress[0];
          s.delivered = newBitset(1000);
          for (const bit of progress[1]) setBit(s.delivered, bit);
        }
        expect(decodeCursor(encodeCursor(s), origin)).toEqual(s);
        // Resuming reads exactly that position.
        const controller = new AbortController();
        const before = seen.length;
        const stream = provider.changes({ cursor: encodeCursor(s), signal: controller.signal });
        const next = stream.next();
        for (let i = 0; i < 200 && seen.length === before; i++) await new Promise((r) => setTimeout(r, 2));
        controller.abort();
        await next;
        const read = seen.slice(before).map((u) => new URL(u, origin).href);
        expect(read).toEqual([new URL(position, origin).href]);
        tally.roundTrips++;
      }),
      { numRuns: 60 },
    );
  });
});
