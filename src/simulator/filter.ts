/**
 * What an endpoint accepts in `filter` and `search` expressions, and the predicate an accepted
 * expression describes. The syntax is read by `filter-syntax.ts`; each endpoint's attributes and
 * operators are in `schemas.ts` (and the System Log's in `system-log.ts`).
 * @module
 */
import { FilterError, parseFilter, type CmpOp, type Expr, type FilterValue } from './filter-syntax.js';

/** How an attribute's values compare. */
export type AttrType = 'string' | 'ci-string' | 'date' | 'boolean' | 'number';

/** One attribute an endpoint accepts in expressions. */
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

/** What an endpoint accepts: attribute name → spec, or undefined for an unsupported attribute. */
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
 */
export function filterPredicate<S>(text: string, schema: FilterSchema<S>): Pred<S> {
  return compileFilter(parseFilter(text), schema);
}
