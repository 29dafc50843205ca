import { describe, expect, it } from '@jest/globals';
import { quote } from '../../src/okta/query.js';
import { compileFilter, type FilterSchema } from '../../src/simulator/filter.js';
import { FilterError, parseFilter } from '../../src/simulator/filter-syntax.js';

type Row = { a: string; b: string; n: number; t: number; tags: string[] };
const schema: FilterSchema<Row> = (attr) => {
  if (attr === 'a') return { type: 'string', ops: ['eq', 'ne', 'sw', 'co', 'ew'], get: (r) => r.a };
  if (attr === 'b') return { type: 'ci-string', ops: ['eq', 'sw'], get: (r) => r.b };
  if (attr === 'n') return { type: 'number', ops: ['eq', 'gt', 'lt'], get: (r) => r.n };
  if (attr === 't') return { type: 'date', ops: ['gt', 'lt', 'eq'], get: (r) => r.t };
  if (attr === 'tags.name') return { type: 'string', ops: ['eq'], get: (r) => r.tags };
  return undefined;
};
const row: Row = { a: 'alpha', b: 'Bravo', n: 3, t: Date.UTC(2024, 0, 2), tags: ['x', 'y'] };
const test = (expr: string, r: Row = row): boolean => compileFilter(parseFilter(expr), schema)(r);

describe('filter expressions', () => {
  it('parses comparisons, presence, and/or with and binding tighter, and parentheses', () => {
    expect(parseFilter('a eq "x" or a eq "y" and b eq "z"')).toEqual({
      kind: 'or',
      left: { kind: 'cmp', attr: 'a', op: 'eq', value: 'x' },
      right: { kind: 'and', left: { kind: 'cmp', attr: 'a', op: 'eq', value: 'y' }, right: { kind: 'cmp', attr: 'b', op: 'eq', value: 'z' } },
    });
    expect(parseFilter('(a eq "x" or a eq "y") and b pr')).toMatchObject({ kind: 'and', left: { kind: 'or' }, right: { kind: 'pr', attr: 'b' } });
    expect(parseFilter('a EQ "x" AND n gt 2')).toMatchObject({ kind: 'and', left: { op: 'eq' }, right: { op: 'gt', value: 2 } });
    expect(parseFilter('x eq true')).toMatchObject({ value: true });
    expect(parseFilter('x eq null')).toMatchObject({ value: null });
  });

  it('evaluates operators with the right precedence', () => {
    expect(test('a eq "alpha"')).toBe(true);
    expect(test('a eq "ALPHA"')).toBe(false);
    expect(test('b eq "bravo"')).toBe(true);
    expect(test('b sw "BR"')).toBe(true);
    expect(test('a sw "al" and a ew "ha" and a co "lph"')).toBe(true);
    expect(test('a ne "alpha"')).toBe(false);
    expect(test('a eq "nope" or a eq "alpha" and b eq "nope"')).toBe(false);
    expect(test('(a eq "nope" or a eq "alpha") and b eq "bravo"')).toBe(true);
    expect(test('n gt 2 and n lt 4')).toBe(true);
    expect(test('t gt "2024-01-01T00:00:00.000Z" and t lt "2024-01-03T00:00:00Z"')).toBe(true);
    expect(test('t eq "2024-01-02T00:00:00.000Z"')).toBe(true);
    expect(test('tags.name eq "y"')).toBe(true);
    expect(test('tags.name eq "z"')).toBe(false);
    expect(test('b pr')).toBe(true);
    expect(test('b pr', { ...row, b: '' })).toBe(false);
  });

  it('treats a literal as a literal, whatever it contains', () => {
    const hostile = 'x" or a sw "';
    const expr = `a eq ${quote(hostile)}`;
    expect(expr).toBe('a eq "x\\" or a sw \\""');
    expect(parseFilter(expr)).toEqual({ kind: 'cmp', attr: 'a', op: 'eq', value: hostile });
    expect(test(expr)).toBe(false);
    expect(test(expr, { ...row, a: hostile })).toBe(true);
    for (const value of ['back\\slash', '"', '\\', '\\"', 'a) or (a pr', 'é ü 漢字']) {
      expect(test(`a eq ${quote(value)}`, { ...row, a: value })).toBe(true);
    }
  });

  it.each([
    [''],
    ['a eq'],
    ['a eq "x'],
    ['a eq "x" and'],
    ['(a eq "x"'],
    ['a eq "x")'],
    ['a like "x"'],
    ['a eq x'],
    ['eq "x"'],
    ['a eq "x" b eq "y"'],
    ['a eq "bad \\n escape"'],
    ['a.. eq "x"'],
  ])('rejects malformed %j', (expr) => {
    expect(() => parseFilter(expr)).toThrow(FilterError);
  });

  it('rejects attributes, operators and literal types the schema does not support', () => {
    expect(() => test('zzz eq "x"')).toThrow(/unsupported attribute/);
    expect(() => test('b co "x"')).toThrow(/unsupported operator/);
    expect(() => test('t gt "yesterday"')).toThrow(/ISO 8601/);
    expect(() => test('a eq 3')).toThrow(/quoted string/);
  });
});
