import { describe, expect, it } from '@jest/globals';
import { MIN_REDACTED_LENGTH, redact } from '../src/secret.js';

describe('redact', () => {
  it('replaces every occurrence of a credential-length secret', () => {
    const token = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    expect(redact(`GET /api/v1/users: echo ${token} and ${token}`, [token])).toBe('GET /api/v1/users: echo [redacted] and [redacted]');
    const sixteen = 'a'.repeat(MIN_REDACTED_LENGTH);
    expect(redact(`x${sixteen}y`, [sixteen])).toBe('x[redacted]y');
  });

  it.each([
    ['x', 'ENOTFOUND nonexistent-zz9.okta.com', 'ENOTFOUND nonexistent-zz9.okta.com'],
    ['okta', 'getaddrinfo ENOTFOUND example.okta.com', 'getaddrinfo ENOTFOUND example.okta.com'],
    ['a'.repeat(MIN_REDACTED_LENGTH - 1), `seen ${'a'.repeat(MIN_REDACTED_LENGTH - 1)}`, `seen ${'a'.repeat(MIN_REDACTED_LENGTH - 1)}`],
  ])('leaves text alone for a secret too short to be a credential (%j): no garbled host names', (secret, text, expected) => {
    expect(redact(text, [secret])).toBe(expected);
  });
});
