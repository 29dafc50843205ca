import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Holds a credential so that it cannot leak by accident: `String()`, `JSON.stringify`,
 * template strings and `util.inspect` all show `[redacted]`. Only {@link Secret.reveal} gives
 * the value, and only the code that builds the Authorization header calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The credential itself. Call it only where it goes on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

/**
 * The shortest text {@link redact} treats as a credential. Okta's API tokens are 42 characters and
 * key material longer still; a shorter "secret" (a test server's token such as `x` or `okta`) is
 * no credential worth hiding, and replacing it would garble every word that contains it
 * (`ENOTFOUND none[redacted]istent.okta.com`).
 */
export const MIN_REDACTED_LENGTH = 16;

/** Replaces every occurrence of each secret of at least {@link MIN_REDACTED_LENGTH} characters in `text` (for messages built from foreign text). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_REDACTED_LENGTH) out = out.split(s).join(REDACTED);
  return out;
}
