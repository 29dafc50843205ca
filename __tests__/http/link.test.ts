import { describe, expect, it } from '@jest/globals';
import { nextLink, parseLinkHeader } from '../../src/http/link.js';

describe('Link header parsing', () => {
  const self = '<https://example.okta.com/api/v1/users?limit=200>; rel="self"';
  const next = '<https://example.okta.com/api/v1/users?after=00u2&limit=200>; rel="next"';

  it('finds next in separate headers, either order', () => {
    expect(nextLink([self, next])).toBe('https://example.okta.com/api/v1/users?after=00u2&limit=200');
    expect(nextLink([next, self])).toBe('https://example.okta.com/api/v1/users?after=00u2&limit=200');
  });

  it('finds next in one comma-joined header, either order', () => {
    expect(nextLink(`${self}, ${next}`)).toBe('https://example.okta.com/api/v1/users?after=00u2&limit=200');
    expect(nextLink(`${next},${self}`)).toBe('https://example.okta.com/api/v1/users?after=00u2&limit=200');
  });

  it('returns undefined without a next relation', () => {
    expect(nextLink(self)).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink([])).toBeUndefined();
  });

  it('reads quoted parameters that contain commas and semicolons (RFC 8288)', () => {
    const header = '<https://a.example/1>; title="a, b; c"; rel="self", <https://a.example/2>; rel=next';
    expect(parseLinkHeader(header)).toEqual([
      { target: 'https://a.example/1', params: { title: 'a, b; c', rel: 'self' } },
      { target: 'https://a.example/2', params: { rel: 'next' } },
    ]);
    expect(nextLink(header)).toBe('https://a.example/2');
  });

  it('accepts several relation types and any case', () => {
    expect(nextLink('<https://a.example/3>; rel="last NEXT"')).toBe('https://a.example/3');
    expect(nextLink('<https://a.example/3>; REL="Next"')).toBe('https://a.example/3');
  });

  it('keeps the first rel when a link repeats it, and skips malformed values', () => {
    expect(nextLink('<https://a.example/1>; rel="self"; rel="next"')).toBeUndefined();
    expect(nextLink('garbage; rel="next", <https://a.example/4>; rel="next"')).toBe('https://a.example/4');
  });

  it('does not mistake "nextpage" for next', () => {
    expect(nextLink('<https://a.example/5>; rel="nextpage"')).toBeUndefined();
  });
});
