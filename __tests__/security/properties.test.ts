import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { baseUrlProblem, hostnameProblem } from '../../src/config/config.js';
import { nextLink, parseLinkHeader } from '../../src/http/link.js';

/** Property-based checks of the parsers that take foreign input (issue: hostile input). */

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
// A quoted-string value: any printable text; `"` and `\` are escaped when formatted.
const quotedValue = fc.string({ unit: fc.constantFrom(...' abc,;=<>"\\/xyz'.split('')), maxLength: 12 });
const target = fc.webUrl({ withQueryParameters: true }).filter((u) => !u.includes('>') && !u.includes(','));

const linkValue = fc.record({ target, rel: fc.constantFrom('next', 'self', 'prev', 'last next'), extra: fc.array(fc.tuple(token, quotedValue), { maxLength: 3 }) });

function format(link: { target: string; rel: string; extra: [string, string][] }): string {
  const params = [`rel="${link.rel}"`, ...link.extra.filter(([k]) => k !== 'rel').map(([k, v]) => `${k}="${v.replace(/["\\]/g, (c) => `\\${c}`)}"`)];
  return `<${link.target}>; ${params.join('; ')}`;
}

describe('Link parser (fast-check)', () => {
  it('finds exactly the first next target, joined or separate, whatever the other params say', () => {
    fc.assert(
      fc.property(fc.array(linkValue, { minLength: 1, maxLength: 4 }), fc.boolean(), (links, joined) => {
        const values = links.map(format);
        const expected = links.find((l) => l.rel.split(' ').includes('next'))?.target;
        expect(nextLink(joined ? values.join(', ') : values)).toBe(expected);
        const parsed = parseLinkHeader(values.join(','));
        expect(parsed.map((p) => p.target)).toEqual(links.map((l) => l.target));
        parsed.forEach((p, i) => {
          for (const [k, v] of links[i]!.extra.filter(([k]) => k !== 'rel')) {
            // The first occurrence of a parameter wins (RFC 8288 §3).
            const first = links[i]!.extra.find(([k2]) => k2 === k)![1];
            if (v === first) expect(p.params[k]).toBe(first);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary header text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => nextLink(text)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hostname and baseUrl validation (fast-check)', () => {
  // Labels with "--" in positions 3-4 are reserved for punycode ("xn--"); an invalid one is tested below.
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/).filter((l) => l.slice(2, 4) !== '--');
  // A top-level label that starts with a letter: an all-numeric last label makes the URL parser read an IPv4 address.
  const tld = fc.stringMatching(/^[a-z][a-z0-9]{1,6}$/);
  const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([l, t]) => [...l, t].join('.'));

  it('accepts every well-formed host that is not an Okta -admin host', () => {
    fc.assert(
      fc.property(host, (h) => {
        const admin = /^[^.]*-admin\.(okta|oktapreview|okta-emea)\.com$/.test(h);
        expect(hostnameProblem(h) === null).toBe(!admin);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a host the URL parser would refuse (an invalid punycode label)', () => {
    expect(hostnameProblem('xn--0.a0')).toMatch(/not a valid host name/);
    expect(hostnameProblem('example.0')).toMatch(/not a valid host name/);
    expect(hostnameProblem('xn--bcher-kva.example')).toBeNull();
  });

  it('refuses any host with a scheme, port, path, query, user-info or whitespace', () => {
    const decorated = fc.tuple(host, fc.constantFrom('https://', 'http://', '', 'user@', ''), fc.constantFrom(':443', '/api', '?x=1', '#f', ' ', '\\x', '', '@evil.com'));
    fc.assert(
      fc.property(decorated, ([h, prefix, suffix]) => {
        fc.pre(prefix !== '' || suffix !== '');
        expect(hostnameProblem(`${prefix}${h}${suffix}`)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('allows plain http only to loopback addresses', () => {
    const ip = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(ip, fc.integer({ min: 1, max: 65535 }), ([a, b, c, d], port) => {
        const problem = baseUrlProblem(`http://${a}.${b}.${c}.${d}:${port}`);
        expect(problem === null).toBe(a === 127);
      }),
      { numRuns: 500 },
    );
    const named = fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/).filter((l) => l.slice(2, 4) !== '--'), { minLength: 2, maxLength: 4 }).map((l) => l.join('.'));
    fc.assert(
      fc.property(named, (h) => {
        fc.pre(h !== 'localhost' && !h.endsWith('.localhost'));
        expect(baseUrlProblem(`http://${h}`)).not.toBeNull();
        expect(baseUrlProblem(`https://${h}`)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
