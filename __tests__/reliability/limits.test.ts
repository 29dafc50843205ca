import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { paginate } from '../../src/http/paginate.js';
import { OktaIdentityProvider, OktaPaginationError, OktaRateLimitError, OktaResponseError, type IdentityChange } from '../../src/index.js';
import { FakeClock } from '../helpers/clock.js';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';
import { recordFigures } from './support.js';

/**
 * Loops and limits: a list capped at maxPages, next links that cycle, Okta's concurrency 429,
 * and a System Log whose next links go nowhere new (oversized bodies: __tests__/http/body.test.ts).
 */
const server = useMswServer();
const figures: Record<string, unknown> = {};

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 10, maxRetryDelayMs: 200, ...overrides }), { clock, random: () => 0.5 });
}

async function walk(c: OktaClient, path: string, query = {}): Promise<number> {
  let pages = 0;
  for await (const _ of paginate(c, path, query)) {
    // A walk the connector failed to stop fails the test here rather than running on.
    if (++pages > 500) throw new Error('runaway pagination: not stopped by the connector');
  }
  return pages;
}

/** A user list whose page `after=n` links to `next(n)` (n = 0 is the first page, without after). */
function userPages(next: (page: number) => number | null): { requests: () => number } {
  let requests = 0;
  server.use(
    http.get(`${ORIGIN}/api/v1/users`, ({ request }) => {
      requests++;
      const page = Number(new URL(request.url).searchParams.get('after') ?? '0');
      const to = next(page);
      const headers: Record<string, string> = okHeaders();
      if (to !== null) headers.link = `<${ORIGIN}/api/v1/users?limit=200${to === 0 ? '' : `&after=${to}`}>; rel="next"`;
      return HttpResponse.json([{ id: `00u${page}`, status: 'ACTIVE', profile: { login: `p${page}@example.com` } }], { headers });
    }),
  );
  return { requests: () => requests };
}

describe('an endless or cyclic list', () => {
  it('stops at maxPages with OktaPaginationError too_many_pages naming the path, after exactly maxPages requests', async () => {
    const list = userPages((n) => n + 1);
    const c = client({ maxPages: 7 });
    const error = await walk(c, '/api/v1/users', { limit: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaPaginationError);
    expect(error).toMatchObject({ code: 'too_many_pages', path: '/api/v1/users' });
    expect(list.requests()).toBe(7);
  });

  it('caps every list the provider reads: a resolve over an endless user search stops at maxPages', async () => {
    const list = userPages((n) => n + 1);
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, maxPages: 4 });
    await expect(provider.resolveAppUser('okta', 'nobody@example.com')).rejects.toMatchObject({ name: 'OktaPaginationError', code: 'too_many_pages', path: '/api/v1/users' });
    expect(list.requests()).toBe(4);
    await provider.close();
  });

  it('detects a two-page cycle A → B → A after reading each page once', async () => {
    const list = userPages((n) => (n === 0 ? 1 : n === 1 ? 2 : 1)); // first → A(1) → B(2) → A
    const error = await walk(client(), '/api/v1/users', { limit: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OktaPaginationError', code: 'pagination_cycle', path: '/api/v1/users' });
    expect(list.requests()).toBe(3);
  });

  it('detects a next link back to the first page', async () => {
    const list = userPages((n) => (n === 0 ? 1 : 0));
    await expect(walk(client(), '/api/v1/users', { limit: 200 })).rejects.toMatchObject({ code: 'pagination_cycle' });
    expect(list.requests()).toBe(2);
  });

  it('detects any cycle (k pages, then back to page j < k) after exactly k requests (fast-check)', async () => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 15 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: 0, max: k - 1 }))), async ([k, j]) => {
        server.resetHandlers();
        const list = userPages((n) => (n < k - 1 ? n + 1 : j));
        const error = await walk(client(), '/api/v1/users', { limit: 200 }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'pagination_cycle' });
        expect(list.requests()).toBe(k);
        tried++;
      }),
      { numRuns: 40 },
    );
    figures.cyclesTried = tried;
    recordFigures('limits', figures);
  });
});

describe('Okta’s concurrency 429 (X-Rate-Limit-Limit 0 and Remaining 0)', () => {
  const concurrency429 = () =>
    HttpResponse.json(errorBody('ErrorTooManyRequests'), {
      status: 429,
      // The reset is an hour away: waiting for it would be wrong, this is not an exhausted bucket.
      headers: { ...okHeaders(), 'x-rate-limit-limit': '0', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 3600) },
    });

  it('is backed off exponentially (not waited out until its reset) and then succeeds', async () => {
    let calls = 0;
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => (++calls <= 4 ? concurrency429() : HttpResponse.json([{ id: '00u1' }], { headers: okHeaders() }))));
    const clock = new FakeClock();
    const c = client({ retries: 6 }, clock);
    await expect(c.get('/api/v1/users')).resolves.toMatchObject({ body: [{ id: '00u1' }] });
    expect(calls).toBe(5);
    expect(c.stats.rateLimited).toBe(4);
    // Equal-jitter backoff from 10 ms (random() = 0.5 here): 8, 15, 30, 60; nowhere near an hour.
    expect(clock.sleeps).toEqual([8, 15, 30, 60]);
    // The budget did not learn "0 remaining" from it: the next request goes at once.
    const before = clock.sleeps.length;
    await c.get('/api/v1/users');
    expect(clock.sleeps.length).toBe(before);
    expect(c.stats.rateLimitWaits).toBe(0);
  });

  it('a burst that outlasts the retries ends with OktaRateLimitError naming the path, after retries + 1 requests', async () => {
    let calls = 0;
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => (calls++, concurrency429())));
    const c = client({ retries: 3 });
    await expect(c.get('/api/v1/groups')).rejects.toBeInstanceOf(OktaRateLimitError);
    await expect(c.get('/api/v1/groups')).rejects.toMatchObject({ code: 'rate_limited', status: 429, path: '/api/v1/groups' });
    expect(calls).toBe(8);
  });
});

describe('a System Log whose next links go nowhere new', () => {
  const noise = (i: number) => ({ uuid: `noise-${i}`, published: new Date().toISOString(), eventType: 'user.session.start', target: [{ id: 'pfd1', type: 'AuthenticatorEnrollment' }] });
  const FULL = Array.from({ length: 1000 }, (_, i) => noise(i));

  /** Serves full pages: `positions` maps an `after` value to [events, next after]. */
  function logOrg(positions: Record<string, [unknown[], string | null]>): { requests: () => number } {
    let requests = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => {
        requests++;
        const after = new URL(request.url).searchParams.get('after') ?? 'start';
        const [events, next] = positions[after] ?? [[], after];
        const headers: Record<string, string> = okHeaders();
        if (next !== null) headers.link = `<${ORIGIN}/api/v1/logs?limit=1000&sortOrder=ASCENDING&after=${next}>; rel="next"`;
        return HttpResponse.json(events, { headers });
      }),
    );
    return { requests: () => requests };
  }

  async function run(requests: () => number, stopAt: number): Promise<{ clock: FakeClock; changes: IdentityChange[] }> {
    const clock = new FakeClock();
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, pollIntervalMs: 5_000 }, { clock });
    const controller = new AbortController();
    const changes: IdentityChange[] = [];
    const watchdog = setInterval(() => {
      if (requests() >= stopAt) controller.abort();
    }, 1);
    try {
      for await (const change of provider.changes({ since: new Date(clock.now()), signal: controller.signal })) changes.push(change);
    } finally {
      clearInterval(watchdog);
      await provider.close();
    }
    return { clock, changes };
  }

  it('a full page whose next link is itself is polled at the poll interval, not in a hot loop', async () => {
    const log = logOrg({ start: [FULL, 'same'], same: [FULL, 'same'] });
    const { clock, changes } = await run(log.requests, 30);
    expect(changes).toEqual([]);
    const polls = clock.sleeps.filter((ms) => ms === 5_000).length;
    // Every re-read of the page that brought nothing new came after a poll interval.
    expect(polls).toBeGreaterThanOrEqual(log.requests() - 2);
    figures.logSelfLoop = { requests: log.requests(), pollSleeps: polls };
  });

  it('a cycle of full pages A → B → A is polled at the poll interval, not in a hot loop', async () => {
    const other = FULL.map((e, i) => ({ ...e, uuid: `other-${i}` }));
    const log = logOrg({ start: [FULL, 'B'], B: [other, 'start2'], start2: [FULL, 'B'] });
    const { clock } = await run(log.requests, 30);
    const polls = clock.sleeps.filter((ms) => ms === 5_000).length;
    expect(polls).toBeGreaterThanOrEqual(log.requests() - 3);
    figures.logCycle = { requests: log.requests(), pollSleeps: polls };
    recordFigures('limits', figures);
  });

  it('a next link off the System Log path is refused with a typed error', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/logs`, () => HttpResponse.json([], { headers: { ...okHeaders(), link: `<${ORIGIN}/api/v1/users?after=x>; rel="next"` } })));
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN });
    const error = await (async () => {
      for await (const _ of provider.changes()) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaResponseError);
    expect(error).toMatchObject({ code: 'invalid_response', path: '/api/v1/logs' });
    await provider.close();
  });
});
