/**
 * A request and its answer as the simulator sees them, whatever carries them: a node:http
 * socket (`server.ts`) or a fetch `Request` handed over in-process (`in-process.ts`).
 * @module
 */

/** An incoming request. */
export interface SimRequest {
  method: string;
  /** The absolute URL. */
  url: URL;
  /** The origin the simulator is reached at: links in answers point there. */
  origin: string;
  /** A header's (first) value; `name` in lower case. */
  header(name: string): string | undefined;
  /** The body as text, or null when it is longer than `maxBytes`. */
  body(maxBytes: number): Promise<string | null>;
  /** Reads and drops the body, for a request answered without it. */
  discard(): void;
}

/** Response headers; a list sends the header once per value (Okta's `Link`). */
export type ReplyHeaders = Record<string, string | string[]>;

/** A complete response. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers: ReplyHeaders;
}

/**
 * How a request ends: a reply, or an injected network failure: `drop` (the connection is cut
 * before anything is sent) or `drop-mid-body` (cut after the headers and half the body).
 */
export type Answer = { kind: 'reply'; reply: Reply } | { kind: 'drop' } | { kind: 'drop-mid-body'; reply: Reply };

/**
 * What to do with a request: answer after `delayMs`. `answer` runs only then, so a route reads
 * the org as it is when the response is sent.
 */
export interface Decision {
  delayMs: number;
  answer: () => Answer;
}
