/**
 * Bounded reading of a response: the one place that enforces `maxResponseBytes`, for the API
 * client and the OAuth token request alike.
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { NotRetried } from './attempts.js';
import { JsonReader, ObjectTooLarge, TooManyElements } from './json.js';
import { PAGE_SIZE } from '../okta/endpoints.js';

/** The response of a got stream once its status and headers arrive, or the request's error. */
export function responseOf(stream: NodeJS.EventEmitter): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('error', reject);
  });
}

/**
 * Reads a body chunk by chunk into `onChunk`, at most `max` bytes: a Content-Length above it is
 * refused before reading, and a body that grows past it as soon as it does (the caller then
 * destroys the stream, which hangs up rather than reading on). Throws what `tooLarge` makes.
 */
export async function readBounded(stream: AsyncIterable<Buffer>, headers: IncomingHttpHeaders, max: number, onChunk: (chunk: Buffer) => void, tooLarge: () => Error): Promise<void> {
  if (Number(headers['content-length'] ?? 0) > max) throw tooLarge();
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > max) throw tooLarge();
    onChunk(chunk);
  }
}

/**
 * A page holds at most the `limit` it was asked for (Okta serves fewer, never more): a list body
 * with more than this many times its `limit` elements is not a page Okta sends, and is refused
 * as soon as it has that many (what a hostile body of tiny elements costs stays proportional to
 * the page asked for, not to its size).
 */
export const PAGE_ELEMENTS_PER_LIMIT = 2;

/** The most elements a list body without a `limit` may hold (a user's groups come in one response). */
export const UNPAGED_MAX_ELEMENTS = 100_000;

/** The largest page Okta serves of any list the connector reads: a `limit` above it (in a `next` link, say) does not raise the bound. */
const LARGEST_PAGE = Math.max(...Object.values(PAGE_SIZE));

/** The most elements the JSON array body of a request to `url` may hold (see {@link PAGE_ELEMENTS_PER_LIMIT}). */
export function maxElements(url: URL): number {
  const limit = Number(url.searchParams.get('limit'));
  return Number.isInteger(limit) && limit >= 1 ? PAGE_ELEMENTS_PER_LIMIT * Math.min(limit, LARGEST_PAGE) : UNPAGED_MAX_ELEMENTS;
}

/**
 * The most bytes of a 2xx JSON body that is not an array (one user, app, group or app user: a few
 * KB to a few hundred); it is parsed whole, so its bound is its own, not `maxResponseBytes`.
 */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/** The most bytes of an error body kept for its error (Okta's are under 2 KB): the rest is read and dropped. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** How a JSON array body is read: `item` applied to each element, at most `max` of them (else `tooMany()` is thrown, not retried). */
export interface ElementOptions {
  item?: ((element: unknown, index: number) => unknown) | undefined;
  max: number;
  tooMany: () => Error;
  /** The error of a non-array body larger than {@link MAX_OBJECT_BYTES} (not retried either). */
  objectTooLarge: () => Error;
}

/** A 2xx JSON body parsed (or found invalid) as it arrived; the bytes of any other body. */
export type Body = { json: unknown } | { invalid: true } | { bytes: Buffer };

/**
 * Reads an API response's body, bounded. A 2xx JSON body goes through a {@link JsonReader} chunk
 * by chunk (no whole-body Buffer or string), `elements.item` applied to each array element as it
 * is parsed; any other body is kept as bytes for the error it becomes (its first
 * {@link MAX_ERROR_BODY_BYTES}). What `item` throws is the
 * caller's bug, not a bad body: it ends the read as a {@link NotRetried}; so does an array with
 * more than `elements.max` elements (the body is not read further: a server that sends one will
 * send it again, and retrying would only repeat the cost).
 */
export async function readBody(stream: AsyncIterable<Buffer>, response: IncomingMessage, max: number, tooLarge: () => Error, elements?: ElementOptions): Promise<Body> {
  const item = elements?.item;
  const status = response.statusCode ?? 0;
  const json = status >= 200 && status < 300 && /\bjson\b/i.test(String(response.headers['content-type'] ?? ''));
  const map =
    item &&
    ((element: unknown, index: number): unknown => {
      try {
        return item(element, index);
      } catch (error) {
        throw new NotRetried(error);
      }
    });
  const reader = json ? new JsonReader({ map, maxElements: elements?.max, maxObjectBytes: elements && MAX_OBJECT_BYTES }) : undefined;
  const bytes: Buffer[] = [];
  let kept = 0;
  let invalid = false;
  const onChunk = (chunk: Buffer): void => {
    if (!reader) {
      if (kept < MAX_ERROR_BODY_BYTES) bytes.push(chunk.subarray(0, MAX_ERROR_BODY_BYTES - kept));
      kept += chunk.length;
    } else if (!invalid) {
      try {
        reader.write(chunk);
      } catch (error) {
        if (error instanceof NotRetried) throw error;
        if (error instanceof TooManyElements) throw new NotRetried(elements!.tooMany());
        if (error instanceof ObjectTooLarge) throw new NotRetried(elements!.objectTooLarge());
        invalid = true;
      }
    }
  };
  await readBounded(stream, response.headers, max, onChunk, tooLarge);
  if (!reader) return { bytes: Buffer.concat(bytes) };
  if (!invalid) {
    try {
      return { json: reader.end() };
    } catch {
      // a cut-off body: reported as invalid below
    }
  }
  return { invalid: true };
}
