/**
 * Okta's SCIM-like filter and search expressions (https://developer.okta.com/docs/api/#filter):
 * `attr op "literal"`, `attr pr`, joined by `and` / `or` (and binds tighter) and grouped
 * with parentheses. String literals are read with `parseStringLiteral` of
 * `src/okta/query.ts`, the exact inverse of the connector's quoting (`\\` and `\"`), so a
 * literal is only ever a literal: `profile.login eq "x\" or profile.login sw \""` compares
 * the login with `x" or profile.login sw "`.
 *
 * {@link parseFilter} gives a syntax tree; {@link compileFilter} checks it against what an
 * endpoint supports (its {@link FilterSchema}) and returns a predicate.
 * @module
 */
import { parseStringLiteral } from '../okta/query.js';

/**
 * A literal value.
 * @example
 * const literal: FilterValue = 'ACTIVE';
 */
export type FilterValue = string | number | boolean | null;

/**
 * The comparison operators Okta knows.
 * @example
 * OPERATORS.includes('sw'); // true
 */
export const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew'] as const;
/**
 * A comparison operator.
 * @example
 * const op: CmpOp = 'eq';
 */
export type CmpOp = (typeof OPERATORS)[number];

/**
 * A parsed expression.
 * @example
 * const expr: Expr = { kind: 'cmp', attr: 'status', op: 'eq', value: 'ACTIVE' };
 */
export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; attr: string; op: CmpOp; value: FilterValue }
  | { kind: 'pr'; attr: string };

/**
 * A malformed expression (syntax) or one the endpoint does not support (semantics).
 * @example
 * try { parseFilter('status eq'); } catch (e) { (e as FilterError).message; } // 'expected a value after "eq" at 9'
 */
export class FilterError extends Error {
  override name = 'FilterError';
}

type Token = { type: 'lparen'; at: number } | { type: 'rparen'; at: number } | { type: 'string'; value: string; at: number } | { type: 'word'; value: string; at: number };

const ATTR = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

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
      try {
        const { value, end } = parseStringLiteral(text, i);
        tokens.push({ type: 'string', value, at: i });
        i = end;
      } catch (e) {
        throw new FilterError((e as Error).message);
      }
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
 * or unterminated literal, trailing text).
 * @example
 * parseFilter('status eq "ACTIVE" and (profile.login sw "a" or id eq "00u1")');
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

/**
 * How an attribute's values compare.
 * @example
 * const type: AttrType = 'ci-string';
 */
export type AttrType = 'string' | 'ci-string' | 'date' | 'boolean' | 'number';

/**
 * One attribute an endpoint accepts in expressions.
 * @example
 * const status: AttrSpec<UserRecord> = { type: 'string', ops: ['eq'], get: (u) => u.status };
 */
export interface AttrSpec<S> {
  /** `ci-string` compares case-insensitively; `date` values are epoch ms and literals ISO strings. */
  type: AttrType;
  /** Operators allowed on it (`pr` is always allowed unless `noPresence`). */
  ops: readonly CmpOp[];
  /** Its value(s) on a subject; an array matches when any element matches. */
  get?: (subject: S) => FilterValue | readonly FilterValue[] | undefined;
  /** A custom test instead of `get` (for `user.id` on apps: "has an app user with this id"). */
  test?: (subject: S, op: CmpOp, literal: FilterValue) => boolean;
  /** Disallows `pr`. */
  noPresence?: boolean;
}

/**
 * What an endpoint accepts: attribute name → spec, or undefined for an unsupported attribute.
 * @example
 * const schema: FilterSchema<UserRecord> = (attr) => (attr === 'status' ? { type: 'string', ops: ['eq'], get: (u) => u.status } : undefined);
 */
export type FilterSchema<S> = (attr: string) => AttrSpec<S> | undefined;

type Pred<S> = (subject: S) => boolean;

function compareValues(op: CmpOp, value: FilterValue | undefined, literal: FilterValue): boolean {
  if (value === undefined) return op === 'ne';
  if (op === 'eq') return value === literal;
  if (op === 'ne') return value !== literal;
  if (value === null || literal === null) return false;
  switch (op) {
    case 'sw':
      return typeof value === 'string' && value.startsWith(String(literal));
    case 'co':
      return typeof value === 'string' && value.includes(String(literal));
    case 'ew':
      return typeof value === 'string' && value.endsWith(String(literal));
    case 'gt':
      return value > literal;
    case 'ge':
      return value >= literal;
    case 'lt':
      return value < literal;
    case 'le':
      return value <= literal;
  }
  return false;
}

function normaliseLiteral(attr: string, spec: AttrSpec<unknown>, literal: FilterValue): FilterValue {
  if (literal === null) return null;
  switch (spec.type) {
    case 'date': {
      const ms = typeof literal === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(literal) ? Date.parse(literal) : Number.NaN;
      if (Number.isNaN(ms)) throw new FilterError(`${attr} needs an ISO 8601 date literal such as "2024-01-01T00:00:00.000Z"`);
      return ms;
    }
    case 'ci-string':
      if (typeof literal !== 'string') throw new FilterError(`${attr} needs a quoted string literal`);
      return literal.toLowerCase();
    case 'string':
      if (typeof literal !== 'string') throw new FilterError(`${attr} needs a quoted string literal`);
      return literal;
    case 'boolean':
      if (typeof literal !== 'boolean') throw new FilterError(`${attr} needs true or false`);
      return literal;
    case 'number':
      if (typeof literal !== 'number') throw new FilterError(`${attr} needs a number`);
      return literal;
  }
}

/**
 * Checks `expr` against `schema` and returns the predicate it describes.
 * @throws FilterError on an attribute or operator the schema does not support, or a literal
 * of the wrong type (such as a date that does not parse).
 * @example
 * const active = compileFilter(parseFilter('status eq "ACTIVE"'), userFilterSchema);
 * users.filter(active);
 */
export function compileFilter<S>(expr: Expr, schema: FilterSchema<S>): Pred<S> {
  switch (expr.kind) {
    case 'and': {
      const l = compileFilter(expr.left, schema);
      const r = compileFilter(expr.right, schema);
      return (s) => l(s) && r(s);
    }
    case 'or': {
      const l = compileFilter(expr.left, schema);
      const r = compileFilter(expr.right, schema);
      return (s) => l(s) || r(s);
    }
    case 'pr': {
      const spec = schema(expr.attr);
      if (!spec || spec.noPresence || !spec.get) throw new FilterError(`unsupported attribute for "pr": ${expr.attr}`);
      const get = spec.get;
      return (s) => {
        const v = get(s);
        const values = Array.isArray(v) ? v : [v];
        return values.some((x) => x !== undefined && x !== null && x !== '');
      };
    }
    case 'cmp': {
      const spec = schema(expr.attr);
      if (!spec) throw new FilterError(`unsupported attribute: ${expr.attr}`);
      if (!spec.ops.includes(expr.op)) throw new FilterError(`unsupported operator "${expr.op}" for ${expr.attr}`);
      const literal = normaliseLiteral(expr.attr, spec as AttrSpec<unknown>, expr.value);
      const op = expr.op;
      if (spec.test) {
        const test = spec.test;
        return (s) => test(s, op, literal);
      }
      const get = spec.get;
      if (!get) throw new FilterError(`unsupported attribute: ${expr.attr}`);
      const ci = spec.type === 'ci-string';
      const one = (v: FilterValue | undefined): boolean => compareValues(op, ci && typeof v === 'string' ? v.toLowerCase() : v, literal);
      return (s) => {
        const v = get(s);
        if (Array.isArray(v)) return op === 'ne' ? v.every(one) : v.some(one);
        return one(v as FilterValue | undefined);
      };
    }
  }
}

/**
 * Parses and compiles in one step.
 * @throws FilterError as {@link parseFilter} and {@link compileFilter} do.
 * @example
 * const match = filterPredicate('eventType sw "user.lifecycle."', logFilterSchema);
 */
export function filterPredicate<S>(text: string, schema: FilterSchema<S>): Pred<S> {
  return compileFilter(parseFilter(text), schema);
}
