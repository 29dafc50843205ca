import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { JsonReader } from '../../src/http/json.js';

/** Feeds `text` to a reader cut at `cuts` (byte offsets); returns the value or 'error'. */
function read(text: string, cuts: number[] = [], map?: (element: unknown, index: number) => unknown): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new JsonReader({ map });
  try {
    let from = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
      reader.write(bytes.subarray(from, cut));
      from = cut;
    }
    return reader.end();
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return 'error';
  }
}

function reference(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'error';
  }
}

describe('JsonReader', () => {
  it('parses arrays element by element, whatever the chunking', () => {
    const text = ' [ {"id":"00u1","s":"a]},\\"b\\\\"} , [1,[2,{}]], "x,y" ,null,-1.5e3,true ] \n';
    expect(read(text)).toEqual(JSON.parse(text));
    for (let cut = 0; cut <= text.length; cut++) expect(read(text, [cut])).toEqual(JSON.parse(text));
    expect(read(text, [...Array(text.length).keys()])).toEqual(JSON.parse(text));
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const text = '[{"name":"Zoë Ñandú 日本 🎉"},"€"]';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) expect(read(text, [cut])).toEqual(JSON.parse(text));
  });

  it('parses non-array bodies whole', () => {
    expect(read('{"errorCode":"E0000006"}', [3])).toEqual({ errorCode: 'E0000006' });
    expect(read(' "x" ')).toBe('x');
    expect(read('42')).toBe(42);
  });

  it.each([['[1,,2]'], ['[1,]'], ['[,1]'], ['[1 2]'], ['[{]'], ['[}]'], ['[{}}]'], ['[1]]'], ['[1] x'], ['[1'], ['['], [''], ['  '], ['[{"a":1}'], ['[{"a":"]']])('refuses %j as JSON.parse does', (text) => {
    expect(reference(text)).toBe('error');
    expect(read(text)).toBe('error');
    expect(read(text, [1, 2, 3])).toBe('error');
  });

  it('applies map to each element as it is read, with its index', () => {
    const seen: Array<[unknown, number]> = [];
    const value = read('[{"a":1},{"a":2}]', [5], (element, index) => {
      seen.push([element, index]);
      return index * 10;
    });
    expect(value).toEqual([0, 10]);
    expect(seen).toEqual([
      [{ a: 1 }, 0],
      [{ a: 2 }, 1],
    ]);
  });

  it('agrees with JSON.parse on any JSON value, cut anywhere (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.nat({ max: 2000 })), fc.constantFrom('', ' ', '\n\t '), (items, cuts, space) => {
        const text = `${space}[${space}${items.map((i) => JSON.stringify(i, null, space ? 1 : undefined)).join(`${space},${space}`)}${space}]${space}`;
        expect(read(text, cuts)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('fails exactly when JSON.parse fails on damaged bodies: cut short, or a byte changed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), fc.nat(), fc.constantFrom(',', ']', '[', '{', '}', '"', '\\', ' ', 'x', ':'), fc.array(fc.nat({ max: 500 })), (items, at, byte, cuts) => {
        const text = JSON.stringify(items);
        const cut = text.slice(0, at % text.length);
        const changed = text.slice(0, at % text.length) + byte + text.slice((at % text.length) + 1);
        for (const damaged of [cut, changed]) {
          const want = reference(damaged);
          const got = read(damaged, cuts);
          if (want === 'error') expect(got).toBe('error');
          else expect(got).toEqual(want);
        }
      }),
      { numRuns: 500 },
    );
  });
});
