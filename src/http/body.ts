/**
 * Bounded reading of a response: the one place that enforces `maxResponseBytes`, for the API
 * client and the OAuth token request alike.
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { NotRetried } from './attempts.js';
import { JsonReader } from './json.js';

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

/** A 2xx JSON body parsed (or found invalid) as it arrived; the bytes of any other body. */
export type Body = { json: unknown } | { invalid: true } | { bytes: Buffer };

/**
 * Reads an API response's body, bounded. A 2xx JSON body goes through a {@link JsonReader} chunk
 * by chunk (no whole-body Buffer or string), `item` applied to each array element as it is
 * parsed; any other body is kept as bytes for the error it becomes. What `item` throws is the
 * caller's bug, not a bad body: it ends the read as a {@link NotRetried}.
 */
export async function readBody(stream: AsyncIterable<Buffer>, response: IncomingMessage, max: number, tooLarge: () => Error, item?: (element: unknown, index: number) => unknown): Promise<Body> {
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
  const reader = json ? new JsonReader(map) : undefined;
  const bytes: Buffer[] = [];
  let invalid = false;
  const onChunk = (chunk: Buffer): void => {
    if (!reader) bytes.push(chunk);
    else if (!invalid) {
      try {
        reader.write(chunk);
      } catch (error) {
        if (error instanceof NotRetried) throw error;
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
