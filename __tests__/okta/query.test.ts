import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { anyOf, eq, parseStringLiteral, quote, sw } from '../../src/okta/query.js';

const CONTROL = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f].map((c) => String.fromCharCode(c));

function hasControl(s: string): boolean {
  return CONTROL.some((c) => s.includes(c));
}

/** Strings without control characters, biased towards the characters that need escaping. */
const safeString = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', '\\', 'a', ' ', '(', ')', 'é', '😀', 'o', 'r') }),
  fc.string({ unit: 'binary' }).filter((s) => !hasControl(s)),
  fc.string().filter((s) => !hasControl(s)),
);

/** Positions of the double quotes that are not escaped by an odd run of backslashes. */
function unescapedQuotes(literal: string): number[] {
  const found: number[] = [];
  let backslashes = 0;
  for (let i = 0; i < literal.length; i++) {
    const ch = literal[i];
    if (ch === '"' && backslashes % 2 === 0) found.push(i);
    backslashes = ch === '\\' ? backslashes + 1 : 0;
  }
  return found;
}

describe('quote', () => {
  it('escapes backslashes and double quotes', () => {
    expect(quote('ada@example.com')).toBe('"ada@example.com"');
    expect(quote('')).toBe('""');
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('a\\b')).toBe('"a\\\\b"');
    expect(quote('\\"')).toBe('"\\\\\\""');
    expect(quote('x" or profile.login sw "')).toBe('"x\\" or profile.login sw \\""');
  });

  it('leaves other characters alone', () => {
    expect(quote("O'Brien (ops) é 😀 ~")).toBe('"O\'Brien (ops) é 😀 ~"');
  });

  it.each(CONTROL.map((c) => [c.charCodeAt(0)]))('refuses control character %i', (code) => {
    expect(() => quote(`a${String.fromCharCode(code)}b`)).toThrow(RangeError);
  });

  it('does not echo the value when it refuses one', () => {
    expect(() => quote('secret\nvalue')).toThrow(/^control character U\+000A at index 6/);
    try {
      quote('secret\nvalue');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });

  it('round-trips through parseStringLiteral', () => {
    fc.assert(
      fc.property(safeString, (s) => {
        const literal = quote(s);
        const parsed = parseStringLiteral(literal, 0);
        expect(parsed.value).toBe(s);
        expect(parsed.end).toBe(literal.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('never has an unescaped double quote before its end', () => {
    fc.assert(
      fc.property(safeString, (s) => {
        const literal = quote(s);
        expect(unescapedQuotes(literal)).toEqual([0, literal.length - 1]);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any string with a control character', () => {
    fc.assert(
      fc.property(safeString, fc.constantFrom(...CONTROL), safeString, (before, control, after) => {
        expect(() => quote(before + control + after)).toThrow(RangeError);
        expect(() => eq('profile.login', before + control + after)).toThrow(RangeError);
      }),
    );
  });
});

describe('eq and sw', () => {
  it('build one comparison', () => {
    expect(eq('profile.login', 'ada@example.com')).toBe('profile.login eq "ada@example.com"');
    expect(sw('profile.login', 'ada')).toBe('profile.login sw "ada"');
    expect(eq('user.id', '00u1')).toBe('user.id eq "00u1"');
    expect(eq('_x.y_1', 'v')).toBe('_x.y_1 eq "v"');
  });

  it('keep a hostile value inside one literal', () => {
    const hostile = 'x" or profile.login sw "';
    const expr = eq('profile.login', hostile);
    expect(expr).toBe('profile.login eq "x\\" or profile.login sw \\""');
    const start = 'profile.login eq '.length;
    expect(parseStringLiteral(expr, start)).toEqual({ value: hostile, end: expr.length });
    expect(unescapedQuotes(expr)).toEqual([start, expr.length - 1]);
  });

  it('keep any value inside one literal that ends the expression', () => {
    fc.assert(
      fc.property(safeString, fc.constantFrom(eq, sw), (value, build) => {
        const expr = build('profile.login', value);
        const start = expr.indexOf('"');
        expect(start).toBe(build === eq ? 'profile.login eq '.length : 'profile.login sw '.length);
        expect(parseStringLiteral(expr, start)).toEqual({ value, end: expr.length });
      }),
      { numRuns: 1000 },
    );
  });

  it.each(['', '1login', 'profile login', 'profile.login eq "x" or id', 'a-b', 'a"', '(id)', 'é', 'id\n', ' id'])(
    'reject the attribute %p',
    (attr) => {
      expect(() => eq(attr, 'v')).toThrow(RangeError);
      expect(() => sw(attr, 'v')).toThrow(RangeError);
    },
  );

  it('reject any attribute outside [A-Za-z_][A-Za-z0-9_.]*', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(s)),
        (attr) => {
          expect(() => eq(attr, 'v')).toThrow(RangeError);
        },
      ),
    );
  });
});

describe('anyOf', () => {
  it('returns a single expression as is', () => {
    expect(anyOf([eq('id', 'a')])).toBe('id eq "a"');
  });

  it('wraps and joins several with or', () => {
    expect(anyOf([eq('id', 'a'), eq('id', 'b'), sw('profile.login', 'c')])).toBe(
      '(id eq "a") or (id eq "b") or (profile.login sw "c")',
    );
  });

  it('joins with and on request', () => {
    expect(anyOf([eq('status', 'ACTIVE'), sw('profile.login', 'a')], 'and')).toBe(
      '(status eq "ACTIVE") and (profile.login sw "a")',
    );
  });

  it('refuses an empty list', () => {
    expect(() => anyOf([])).toThrow(RangeError);
  });

  it('keeps each hostile value inside its own literal', () => {
    fc.assert(
      fc.property(fc.array(safeString, { minLength: 2, maxLength: 5 }), (values) => {
        const expr = anyOf(values.map((v) => eq('profile.login', v)));
        const literals = unescapedQuotes(expr);
        expect(literals).toHaveLength(values.length * 2);
        values.forEach((v, i) => {
          const [open, close] = [literals[i * 2] as number, literals[i * 2 + 1] as number];
          expect(parseStringLiteral(expr, open)).toEqual({ value: v, end: close + 1 });
        });
      }),
    );
  });
});

describe('parseStringLiteral', () => {
  it('reads a literal in the middle of an expression', () => {
    const text = 'login eq "a\\"b" and x';
    expect(parseStringLiteral(text, 9)).toEqual({ value: 'a"b', end: 15 });
    expect(text.slice(15)).toBe(' and x');
  });

  it('reads escaped backslashes', () => {
    expect(parseStringLiteral('"a\\\\"', 0)).toEqual({ value: 'a\\', end: 5 });
    expect(parseStringLiteral('""', 0)).toEqual({ value: '', end: 2 });
  });

  it.each([
    ['no literal at start', 'abc', 0],
    ['start out of range', '"a"', 5],
    ['unterminated', '"abc', 0],
    ['escaped closing quote', '"abc\\"', 0],
    ['trailing backslash', '"abc\\', 0],
    ['bad escape \\n', '"a\\nb"', 0],
    ['bad escape \\u', '"a\\u0041"', 0],
    ['raw control character', '"a\nb"', 0],
  ])('throws SyntaxError: %s', (_name, text, start) => {
    expect(() => parseStringLiteral(text, start)).toThrow(SyntaxError);
  });

  it('throws SyntaxError on any truncated literal', () => {
    fc.assert(
      fc.property(safeString, (s) => {
        const literal = quote(s);
        expect(() => parseStringLiteral(literal.slice(0, -1), 0)).toThrow(SyntaxError);
      }),
    );
  });
});
