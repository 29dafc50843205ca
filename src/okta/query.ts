/**
 * Safe building of Okta `filter` and `search` expressions.
 *
 * Okta's expression syntax is SCIM-like (https://developer.okta.com/docs/api/#filter):
 * `attr op "value"`, joined by `and` / `or` and grouped with parentheses. Inside a
 * double-quoted string literal a backslash and a double quote are escaped as `\\` and `\"`.
 * Values (logins, account names) may come from anywhere, so they only ever enter an
 * expression through {@link quote}; attribute names are code constants and are checked.
 * {@link parseStringLiteral} is the exact inverse of {@link quote}: the simulator parses
 * filters with it, and the tests prove the two round-trip.
 * @module
 */

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Whether a UTF-16 code unit is a control character Okta cannot take in a literal. */
function isControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

/** `U+001F` style name of a code unit, for error messages that must not echo the value. */
function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first control character of `value` (what {@link quote} refuses), or undefined when it has none.
 */
export function controlCharacterAt(value: string): { index: number; codePoint: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isControl(code)) return { index: i, codePoint: codePoint(code) };
  }
  return undefined;
}

/**
 * The value as a double-quoted Okta string literal, with `\` → `\\` and `"` → `\"`.
 * @throws RangeError when the value holds a control character (U+0000–U+001F, U+007F).
 */
export function quote(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isControl(code)) {
      throw new RangeError(`control character ${codePoint(code)} at index ${i} cannot appear in an Okta literal`);
    }
    const ch = value[i] as string;
    out += ch === '\\' || ch === '"' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

/** Checks an attribute name: attributes are code constants, never user input. */
function attribute(attr: string): string {
  if (!ATTRIBUTE.test(attr)) throw new RangeError(`invalid Okta attribute name ${JSON.stringify(attr)}`);
  return attr;
}

/**
 * An equality expression: `attr eq "value"`.
 * @throws RangeError on an invalid attribute name or a control character in the value.
 */
export function eq(attr: string, value: string): string {
  return `${attribute(attr)} eq ${quote(value)}`;
}

/**
 * A starts-with expression: `attr sw "value"`.
 * @throws RangeError on an invalid attribute name or a control character in the value.
 */
export function sw(attr: string, value: string): string {
  return `${attribute(attr)} sw ${quote(value)}`;
}

/**
 * Joins expressions with ` or ` (default) or ` and `, each in parentheses when there is more
 * than one.
 * @throws RangeError when `exprs` is empty: Okta has no empty expression.
 */
export function anyOf(exprs: readonly string[], op: 'or' | 'and' = 'or'): string {
  if (exprs.length === 0) throw new RangeError('anyOf needs at least one expression');
  if (exprs.length === 1) return exprs[0] as string;
  return exprs.map((e) => `(${e})`).join(` ${op} `);
}

/**
 * Reads the Okta string literal that starts at `text[start]` (a `"`): the inverse of
 * {@link quote}. Returns the unescaped value and the index just after the closing quote.
 * @throws SyntaxError when there is no literal at `start`, it is unterminated, it has an
 * escape other than `\\` or `\"`, or it holds a raw control character.
 */
export function parseStringLiteral(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new SyntaxError(`expected a string literal at index ${start}`);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') return { value, end: i + 1 };
    if (isControl(ch.charCodeAt(0))) {
      throw new SyntaxError(`control character ${codePoint(ch.charCodeAt(0))} in string literal at index ${i}`);
    }
    if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '\\' && next !== '"') throw new SyntaxError(`bad escape in string literal at index ${i}`);
      value += next;
      i++;
    } else {
      value += ch;
    }
  }
  throw new SyntaxError(`unterminated string literal starting at index ${start}`);
}
