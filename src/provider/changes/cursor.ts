/**
 * The change stream's cursor: an opaque base64url string the host stores and passes back.
 *
 * It holds a System Log position, not a time: Okta says to poll `/api/v1/logs` by following
 * the `next` link of a polling query (a `since` without `until`), which orders events by when
 * they were persisted, so late-written events are not skipped the way paging by `published`
 * time would skip them (https://developer.okta.com/docs/reference/system-log-query/#polling-requests).
 *
 * Fields (JSON, then base64url):
 * - `v`: format version ({@link CURSOR_VERSION});
 * - `p`: the position: path and query of the request that reads the page (a previous `next`
 *   link, or the first polling query), relative to the configured origin;
 * - `t`: the position's time in epoch ms, for the 90-day retention check;
 * - `f`, `d` (mid-page only): the uuid of the page's first event and a bitset of the page's
 *   event indices already fully delivered. Re-reading a position returns the same events in
 *   the same order, perhaps with newer ones at the end; when the first uuid differs the whole
 *   page is delivered again (at-least-once, never a loss). {@link encodeCursor} bounds both so
 *   the cursor always fits {@link MAX_CURSOR_LENGTH};
 * - `o`: the org's origin, so a cursor of another org is refused before any request (cursors
 *   written before it was added lack it);
 * - `c`: a checksum of the other fields, to catch a corrupted or hand-edited cursor.
 * @module
 */
import { createHash } from 'node:crypto';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { MAX_EVENT_UUID_LENGTH } from '../../okta/schemas.js';
import { newBitset } from '../../util/bitset.js';
import { OktaCursorError } from './errors.js';

/**
 * The cursor format this code writes and reads; a cursor of another version is refused.
 */
export const CURSOR_VERSION = 1;

/**
 * The only path a cursor position may name: the System Log.
 */
export const LOG_PATH = '/api/v1/logs';

/**
 * Longest cursor accepted. {@link encodeCursor} never writes a longer one: every position is
 * checked against it with the largest page progress ({@link positionProblem}), and a page
 * progress that would not fit is left out.
 */
export const MAX_CURSOR_LENGTH = 16_384;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Where the stream is: a log position, and how much of the page there is already delivered.
 */
export interface CursorState {
  /** Path and query of the request that reads the page, relative to the org's origin. */
  position: string;
  /** The position's time (epoch ms): events after it were written at or after about this time. */
  time: number;
  /** Mid-page only: the uuid of the first event of the page, to check a re-read is the same page. */
  firstUuid?: string;
  /** Mid-page only: bit `i` set when event `i` of the page is fully delivered. */
  delivered?: Uint8Array;
  /** The origin of the org the position belongs to. */
  origin?: string;
}

interface Payload {
  v: number;
  p: string;
  t: number;
  f?: string;
  d?: string;
  o?: string;
}

function checksum(payload: Payload): string {
  const canonical = JSON.stringify([payload.v, payload.p, payload.t, payload.f ?? null, payload.d ?? null, ...(payload.o === undefined ? [] : [payload.o])]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

function encode(payload: Payload): string {
  return Buffer.from(JSON.stringify({ ...payload, c: checksum(payload) }), 'utf8').toString('base64url');
}

/**
 * The opaque cursor for `state`, always one {@link decodeCursor} accepts for a position that
 * passed {@link positionProblem}. It decides what of the page progress a cursor keeps: a first
 * uuid longer than Okta's ({@link MAX_EVENT_UUID_LENGTH}) leaves the progress out, and the
 * bitset covers at most Okta's largest log page; an event it does not cover counts as not yet
 * delivered, so a resumed stream delivers it again (at-least-once, never a loss).
 */
export function encodeCursor(state: CursorState): string {
  const payload: Payload = { v: CURSOR_VERSION, p: state.position, t: state.time };
  if (state.origin !== undefined) payload.o = state.origin;
  if (state.firstUuid === undefined || state.delivered === undefined || state.firstUuid.length > MAX_EVENT_UUID_LENGTH) return encode(payload);
  const covered = state.delivered.subarray(0, newBitset(PAGE_SIZE.logs).length);
  const cursor = encode({ ...payload, f: state.firstUuid, d: Buffer.from(covered).toString('base64url') });
  // Only a position that was never checked (a hand-built state) could make it too long.
  return cursor.length <= MAX_CURSOR_LENGTH ? cursor : encode(payload);
}

/**
 * The cursors of one page's changes: every change of a page that reaches many people (an app
 * relabelled, a mass expiry) carries the same cursor until another event is fully delivered, so
 * each distinct state is encoded once (a cursor is a few KB: the log position with its filter,
 * JSON, a SHA-256 and base64) and the same string handed to every change it stands for.
 */
export class PageCursors {
  #delivered: Uint8Array | undefined;
  #mid: string | undefined;
  #next: string | undefined;

  constructor(private readonly encode: (state: CursorState) => string = encodeCursor) {}

  /** The cursor after the whole page: `next` (encoded once). */
  after(next: CursorState): string {
    return (this.#next ??= this.encode(next));
  }

  /** The cursor mid-page: `page` with a copy of `delivered`, encoded again only when `delivered` changed. */
  within(page: CursorState, delivered: Uint8Array): string {
    if (this.#mid === undefined || !sameBytes(this.#delivered!, delivered)) {
      this.#delivered = delivered.slice();
      this.#mid = this.encode({ ...page, delivered: this.#delivered });
    }
    return this.#mid;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads a cursor written by {@link encodeCursor} and checks that its position is a System Log
 * polling request on `origin`, so a cursor can never send the token elsewhere or read
 * anything but the log.
 * @throws OktaCursorError naming what is wrong (never echoing the cursor).
 */
export function decodeCursor(cursor: string, origin: string): CursorState {
  if (typeof cursor !== 'string' || cursor.length === 0) throw new OktaCursorError('the cursor is empty or not a string');
  if (cursor.length > MAX_CURSOR_LENGTH) throw new OktaCursorError(`the cursor is longer than ${MAX_CURSOR_LENGTH} characters`);
  if (!BASE64URL.test(cursor)) throw new OktaCursorError('the cursor is not base64url');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new OktaCursorError('the cursor does not decode to JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OktaCursorError('the cursor does not decode to an object');
  const r = raw as Record<string, unknown>;
  if (r.v !== CURSOR_VERSION) throw new OktaCursorError(`unsupported cursor version ${JSON.stringify(r.v) ?? 'undefined'} (this connector reads version ${CURSOR_VERSION})`);
  if (typeof r.p !== 'string' || typeof r.t !== 'number' || !Number.isFinite(r.t) || typeof r.c !== 'string') {
    throw new OktaCursorError('the cursor lacks its position, time or checksum');
  }
  if ((r.f === undefined) !== (r.d === undefined) || (r.f !== undefined && typeof r.f !== 'string') || (r.d !== undefined && (typeof r.d !== 'string' || !BASE64URL.test(r.d)))) {
    throw new OktaCursorError('the cursor has a malformed page progress');
  }
  if (r.o !== undefined && typeof r.o !== 'string') throw new OktaCursorError('the cursor has a malformed origin');
  const payload: Payload = { v: CURSOR_VERSION, p: r.p, t: r.t };
  if (typeof r.f === 'string' && typeof r.d === 'string') {
    payload.f = r.f;
    payload.d = r.d;
  }
  if (typeof r.o === 'string') payload.o = r.o;
  if (checksum(payload) !== r.c) throw new OktaCursorError('the checksum does not match (the cursor was corrupted or edited)');
  if (payload.o !== undefined && payload.o !== origin) throw new OktaCursorError('the cursor belongs to another Okta org');
  const problem = pathProblem(payload.p, origin);
  if (problem) throw new OktaCursorError(problem);
  const state: CursorState = { position: payload.p, time: payload.t };
  if (payload.f !== undefined && payload.d !== undefined) {
    state.firstUuid = payload.f;
    state.delivered = new Uint8Array(Buffer.from(payload.d, 'base64url'));
  }
  if (payload.o !== undefined) state.origin = payload.o;
  return state;
}

/**
 * Why a log position could not make a cursor this connector reads back, or null when it can:
 * checked on every `next` link as it is read, so an unusable one is refused before a cursor
 * holding it reaches the host.
 */
export function positionProblem(position: string, origin: string): string | null {
  const worst = encode({ v: CURSOR_VERSION, p: position, t: Date.now(), f: 'f'.repeat(MAX_EVENT_UUID_LENGTH), d: Buffer.from(newBitset(PAGE_SIZE.logs)).toString('base64url'), o: origin });
  if (worst.length > MAX_CURSOR_LENGTH) return `the position is too long for a cursor (over ${MAX_CURSOR_LENGTH} characters)`;
  return pathProblem(position, origin);
}

/**
 * Why `position` is not a relative System Log polling request on `origin` (path
 * `/api/v1/logs`, no `until`, which would end the stream, ascending order), or null.
 */
function pathProblem(position: string, origin: string): string | null {
  // A relative reference starting with one slash: `//host/...` would name another host.
  if (!position.startsWith('/') || position.startsWith('//') || position.includes('\\')) return 'the position is not a path on the configured Okta org';
  let url: URL;
  try {
    url = new URL(position, origin);
  } catch {
    return 'the position is not a valid URL path';
  }
  if (url.origin !== origin || url.pathname !== LOG_PATH || url.hash !== '') return `the position is not ${LOG_PATH} on the configured Okta org`;
  if (url.searchParams.has('until')) return 'the position is a bounded query (it has `until`), not a polling query';
  if (url.searchParams.getAll('sortOrder').some((order) => order !== 'ASCENDING')) return 'the position does not read the log in ascending order';
  return null;
}
