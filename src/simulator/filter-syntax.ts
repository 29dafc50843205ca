/**
 * The syntax of Okta's SCIM-like `filter` and `search` expressions
 * (https://developer.okta.com/docs/api/#filter): `attr op "literal"`, `attr pr`, joined by
 * `and` / `or` (and binds tighter) and grouped with parentheses. What an endpoint accepts is
 * checked afterwards (`filter.ts`).
 *
 * String literals are double-quoted; inside one, a backslash escapes a double quote (`\"`) or
 * another backslash (`\\`), and nothing else; a raw control character is invalid. So a
 * literal is only ever a literal: `profile.login eq "x\" or profile.login sw \""` compares the
 * login with `x" or profile.login sw "`. The reader is the simulator's own, independent of the
 * connector's quoting, so a quoting mistake there fails against it.
 * @module
 */

/** A literal value. */
export type FilterValue = string | number | boolean | null;

/** The comparison operators Okta knows. */
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew'] as const;
/** A comparison operator. */
export type CmpOp = (typeof OPERATORS)[number];

/** A parsed expression. */
export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; attr: string; op: CmpOp; value: FilterValue }
  | { kind: 'pr'; attr: string };

/** A malformed expression (syntax) or one the endpoint does not support (semantics). */
export class FilterError extends Error {
  override name = 'FilterError';
}

type Token = { type: 'lparen'; at: number } | { type: 'rparen'; at: number } | { type: 'string'; value: string; at: number } | { type: 'word'; value: string; at: number };

const ATTR = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** `U+000A` style name of a character, so an error names it without echoing it. */
function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The string literal opening at `text[open]` (a double quote): its value and the index after
 * its closing quote.
 */
function readLiteral(text: string, open: number): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') return { value, end: i + 1 };
    if (ch < ' ' || ch === '\x7f') throw new FilterError(`control character ${codePoint(ch)} in a string literal at ${i}`);
    if (ch === '\\') {
      const escaped = text[i + 1];
      if (escaped !== '"' && escaped !== '\\') throw new FilterError(`bad escape in a string literal at ${i}`);
      value += escaped;
      i += 2;
    } else {
      value += ch;
      i++;
    }
  }
  throw new FilterError(`unterminated string literal starting at ${open}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '(') {
      tokens.push({ type: 'lparen', at: i++ });
    } else if (ch === ')') {
      tokens.push({ type: 'rparen', at: i++ });
    } else if (ch === '"') {
      const { value, end } = readLiteral(text, i);
      tokens.push({ type: 'string', value, at: i });
      i = end;
    } else {
      const start = i;
      while (i < text.length && !/[\s()"]/.test(text[i] as string)) i++;
      tokens.push({ type: 'word', value: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

/**
 * Parses an expression.
 * @throws FilterError on any syntax error (unbalanced parentheses, unknown operator, missing
 * or unterminated literal, bad escape, trailing text).
 */
export function parseFilter(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const where = (): string => {
    const t = peek();
    return t ? `at ${t.at}` : 'at the end';
  };
  const keyword = (word: string): boolean => {
    const t = peek();
    return t?.type === 'word' && t.value.toLowerCase() === word;
  };

  function parseOr(): Expr {
    let left = parseAnd();
    while (keyword('or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): Expr {
    let left = parsePrimary();
    while (keyword('and')) {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  }

  function parsePrimary(): Expr {
    const t = peek();
    if (!t) throw new FilterError('expected an expression at the end');
    if (t.type === 'lparen') {
      pos++;
      const inner = parseOr();
      if (peek()?.type !== 'rparen') throw new FilterError(`expected ")" ${where()}`);
      pos++;
      return inner;
    }
    if (t.type !== 'word' || !ATTR.test(t.value)) throw new FilterError(`expected an attribute name at ${t.at}`);
    const attr = t.value;
    pos++;
    const opToken = peek();
    if (opToken?.type !== 'word') throw new FilterError(`expected an operator after "${attr}" ${where()}`);
    const op = opToken.value.toLowerCase();
    pos++;
    if (op === 'pr') return { kind: 'pr', attr };
    if (!(OPERATORS as readonly string[]).includes(op)) throw new FilterError(`unknown operator "${opToken.value}" at ${opToken.at}`);
    const v = peek();
    if (!v || v.type === 'lparen' || v.type === 'rparen') throw new FilterError(`expected a value after "${op}" ${where()}`);
    pos++;
    if (v.type === 'string') return { kind: 'cmp', attr, op: op as CmpOp, value: v.value };
    const word = v.value.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'cmp', attr, op: op as CmpOp, value: word === 'true' };
    if (word === 'null') return { kind: 'cmp', attr, op: op as CmpOp, value: null };
    if (NUMBER.test(v.value)) return { kind: 'cmp', attr, op: op as CmpOp, value: Number(v.value) };
    throw new FilterError(`expected a quoted string, true, false, null or a number at ${v.at}`);
  }

  if (tokens.length === 0) throw new FilterError('empty expression');
  const expr = parseOr();
  if (pos < tokens.length) throw new FilterError(`unexpected text ${where()}`);
  return expr;
}
