import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { OktaConfigError, resolveConfig } from '../../src/config/config.js';
import { OktaError, OktaIdentityProvider } from '../../src/index.js';

const token = 'cfg-token-SECRET-123';

describe('config validation', () => {
  it('accepts an org host and a custom domain, with defaults filled in', () => {
    const config = resolveConfig({ hostname: 'example.okta.com', token });
    expect(config.rateLimitShare).toBe(0.75);
    expect(config.maxConcurrency).toBeGreaterThan(0);
    expect(() => resolveConfig({ hostname: 'login.example.com', token })).not.toThrow();
    expect(() => resolveConfig({ hostname: 'Example.OktaPreview.com', token })).not.toThrow();
  });

  it.each([
    ['https://example.okta.com', 'no scheme'],
    ['example.okta.com/api', 'no scheme, port, path'],
    ['example.okta.com:443', 'no scheme, port'],
    ['user@example.okta.com', 'user-info'],
    ['example-admin.okta.com', 'Admin Console'],
    ['example-admin.oktapreview.com', 'Admin Console'],
    ['localhost', 'fully qualified'],
    ['', 'empty'],
    ['exa mple.okta.com', 'spaces'],
    ['-bad.okta.com', 'invalid DNS label'],
  ])('refuses hostname %j', (hostname, why) => {
    expect(() => new OktaIdentityProvider({ hostname, token })).toThrow(OktaConfigError);
    expect(() => resolveConfig({ hostname, token })).toThrow(why);
  });

  it.each([
    ['http://example.com', 'plain http only for loopback'],
    ['http://10.0.0.1:8080', 'plain http only for loopback'],
    ['ftp://127.0.0.1', 'must use https'],
    ['https://user:pw@example.com', 'user-info'],
    ['https://example.com/api', 'origin only'],
    ['not a url', 'absolute URL'],
  ])('refuses baseUrl %j', (baseUrl, why) => {
    expect(() => resolveConfig({ hostname: 'example.okta.com', token, baseUrl })).toThrow(why);
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:1234', 'http://[::1]:99', 'https://okta.internal.example'])('accepts baseUrl %j', (baseUrl) => {
    expect(() => resolveConfig({ hostname: 'example.okta.com', token, baseUrl })).not.toThrow();
  });

  it.each(['', '   ', 'abc def', 'abc\ndef', 'abc\u0000'])('refuses token %j', (bad) => {
    expect(() => resolveConfig({ hostname: 'example.okta.com', token: bad })).toThrow(/token/);
  });

  it.each(['abc😀', 'tökén', 'abc\u00a0def', 'abc\u200bdef', 'abc\u0085'])('refuses token %j, outside printable ASCII, at construction and without echoing it', (bad) => {
    // Such a token cannot go into an HTTP header: it used to fail only after every retry.
    let error: unknown;
    try {
      new OktaIdentityProvider({ hostname: 'example.okta.com', token: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OktaConfigError);
    expect(error).toBeInstanceOf(OktaError);
    expect(error).toMatchObject({ code: 'invalid_config' });
    expect((error as Error).message).toMatch(/token/);
    expect((error as Error).message).not.toContain(bad);
  });

  const MAX_TIMER_MS = 2 ** 31 - 1;
  it.each(['retryBaseDelayMs', 'maxRetryDelayMs', 'maxRateLimitWaitMs', 'requestTimeoutMs', 'pollIntervalMs'])(
    'refuses %s above 2^31-1 ms (what a timer can wait), accepts it at 2^31-1',
    (option) => {
      expect(() => resolveConfig({ hostname: 'example.okta.com', token, [option]: 2 ** 31 })).toThrow(OktaConfigError);
      expect(() => resolveConfig({ hostname: 'example.okta.com', token, [option]: Number.POSITIVE_INFINITY })).toThrow(OktaConfigError);
      expect(() => resolveConfig({ hostname: 'example.okta.com', token, [option]: MAX_TIMER_MS })).not.toThrow();
    },
  );

  it('names every problem at once, never the token', () => {
    let error: unknown;
    try {
      new OktaIdentityProvider({ hostname: 'https://x', token: 'bad token SECRET', rateLimitShare: 2 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OktaConfigError);
    const problems = (error as OktaConfigError).problems;
    expect(problems.length).toBe(3);
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('refuses unknown options (typos)', () => {
    expect(() => resolveConfig({ hostname: 'example.okta.com', token, retrys: 3 } as never)).toThrow(OktaConfigError);
  });

  it('never shows the token in inspect or JSON of the config or provider', () => {
    const config = resolveConfig({ hostname: 'example.okta.com', token });
    expect(inspect(config, { depth: 10 })).not.toContain(token);
    expect(JSON.stringify(config)).not.toContain(token);
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', token });
    expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(token);
    expect(JSON.stringify(provider)).not.toContain(token);
    expect(config.token?.reveal()).toBe(token);
  });
});

describe('documented defaults', () => {
  it('each "Default X." of the OktaConfig TSDoc (what a hover shows) is the default the schema fills in', () => {
    const source = readFileSync(fileURLToPath(new URL('../../src/config/options.ts', import.meta.url)), 'utf8');
    const documented = [...source.matchAll(/Default ([\w.]+)[^*]*\*\/\n\s+(\w+)\?:/g)].map(([, value, option]) => [option!, value!] as const);
    expect(documented.length).toBe(12);
    const resolved = resolveConfig({ hostname: 'example.okta.com', token }) as unknown as Record<string, unknown>;
    for (const [option, value] of documented) expect(`${option}: ${String(resolved[option])}`).toBe(`${option}: ${value.replace(/\.$/, '')}`);
  });
});
