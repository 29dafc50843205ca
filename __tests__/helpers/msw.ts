import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { setupServer } from 'msw/node';

/** The org every msw test talks to. */
export const ORIGIN = 'https://example.okta.com';
export const HOSTNAME = 'example.okta.com';
export const TOKEN = 'test-token-00abcdefSECRET';

/** One msw server per test file; unhandled requests fail the test. */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** Rate-limit headers of a bucket with plenty left. */
export function okHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    date: new Date().toUTCString(),
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '599',
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
    ...extra,
  };
}
