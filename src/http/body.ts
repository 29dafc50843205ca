/**
 * Bounded reading of a response: the one place that enforces `maxResponseBytes`, for the API
 * client and the OAuth token request alike.
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * The response of a got stream once its status and headers arrive, or the request's error.
 * @example
 * const response = await responseOf(got.stream(url, options));
 */
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
 * @example
 * await readBounded(stream, response.headers, config.maxResponseBytes, (c) => chunks.push(c), () => new Error('too large'));
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
