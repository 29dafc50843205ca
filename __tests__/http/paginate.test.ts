import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaPaginationError } from '../../src/errors.js';
import { paginate } from '../../src/http/paginate.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/** Walking a list by its next links (paginate.ts). */
const server = useMswServer();

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

async function collect(c: OktaClient, path: string, query = {}) {
  const items: unknown[] = [];
  for await (const page of paginate(c, path, query)) items.push(...page.items);
  return items;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Waits (event-loop turns, no fixed time) until `n` requests wait for a concurrency slot. The
 * scheduler is private: reaching into it is the only way to know a request is queued rather
 * than still on its way there.
 */
async function queued(c: OktaClient, n: number): Promise<void> {
  const slots = (c as unknown as { limiter: { slots: { waiting: number } } }).limiter.slots;
  for (let turn = 0; slots.waiting < n; turn++) {
    if (turn > 10_000) throw new Error(`never saw ${n} queued request(s)`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('paginate', () => {
  it.each([
    ['separate headers', false],
    ['one comma-joined header', true],
  ])('follows Link rel="next" across pages (%s)', async (_name, joined) => {
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, ({ request }) => {
        const after = Number(new URL(request.url).searchParams.get('after') ?? 0);
        const headers = new Headers(okHeaders());
        const links = [`<${ORIGIN}/api/v1/groups?after=${after}&limit=2>; rel="self"`];
        if (after < 4) links.unshift(`<${ORIGIN}/api/v1/groups?after=${after + 2}&limit=2>; rel="next"`);
        if (joined) headers.set('link', links.join(', '));
        else for (const l of links) headers.append('link', l);
        return HttpResponse.json([{ id: `g${after}` }, { id: `g${after + 1}` }], { headers });
      }),
    );
    const { client: c } = client();
    const items = await collect(c, '/api/v1/groups', { limit: 2 });
    expect(items.map((i) => (i as { id: string }).id)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
    expect(c.stats.requests).toBe(3);
  });

  it('does not follow a next link to another origin, and never sends the token there', async () => {
    let evilCalls = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/users`, () =>
        HttpResponse.json([{ id: 'u1' }], { headers: { ...okHeaders(), link: '<https://evil.example.com/api/v1/users?after=x>; rel="next"' } }),
      ),
      http.get('https://evil.example.com/*', () => {
        evilCalls++;
        return HttpResponse.json([]);
      }),
    );
    const { client: c } = client();
    await expect(collect(c, '/api/v1/users')).rejects.toThrow(OktaPaginationError);
    expect(evilCalls).toBe(0);
  });

  it('refuses a next link that points at http on the same host (scheme change)', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json([], { headers: { ...okHeaders(), link: `<http://${HOSTNAME}/api/v1/users?after=2>; rel="next"` } })));
    const { client: c } = client();
    await expect(collect(c, '/api/v1/users')).rejects.toMatchObject({ code: 'cross_origin_link' });
  });

  it('stops a next link that repeats a page', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json([{ id: 'u' }], { headers: { ...okHeaders(), link: `<${ORIGIN}/api/v1/users?after=1>; rel="next"` } })));
    const { client: c } = client();
    await expect(collect(c, '/api/v1/users')).rejects.toMatchObject({ code: 'pagination_cycle' });
    expect(c.stats.requests).toBe(2);
  });
});

describe('Page.next', () => {
  it('is the next link resolved against the org, and undefined on the last page', async () => {
    server.use(
      http.get(`${ORIGIN}/api/v1/groups`, ({ request }) => {
        const first = !new URL(request.url).searchParams.has('after');
        return HttpResponse.json([{ id: '00g1' }], { headers: okHeaders(first ? { link: '</api/v1/groups?after=00g1&limit=1>; rel="next"' } : {}) });
      }),
    );
    const { client: c } = client();
    const next: Array<string | undefined> = [];
    for await (const page of paginate(c, '/api/v1/groups', { limit: 1 })) next.push(page.next?.href);
    expect(next).toEqual([`${ORIGIN}/api/v1/groups?after=00g1&limit=1`, undefined]);
  });

  it('fails the list with OktaResponseError when the next link is not a URL', async () => {
    server.use(http.get(`${ORIGIN}/api/v1/groups`, () => HttpResponse.json([], { headers: okHeaders({ link: '<https://exa mple.com/api/v1/groups?after=1>; rel="next"' }) })));
    const { client: c } = client();
    await expect(collect(c, '/api/v1/groups')).rejects.toMatchObject({ name: 'OktaResponseError', code: 'invalid_response', path: '/api/v1/groups' });
  });
});

describe('priority: pages that continue a list go first', () => {
  /** With one slot, holds /api/v1/logs until `gate` opens; records the order of the other requests. */
  function org() {
    const gate = deferred();
    const holding = deferred();
    const arrived: string[] = [];
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, async () => {
        holding.resolve();
        await gate.promise;
        return HttpResponse.json([], { headers: okHeaders() });
      }),
      http.get(`${ORIGIN}/api/v1/:list`, ({ request, params }) => {
        const url = new URL(request.url);
        arrived.push(`${String(params.list)}${url.search}`);
        const next = params.list === 'users' && !url.searchParams.has('cursor') ? { link: `<${ORIGIN}/api/v1/users?cursor=2>; rel="next"` } : {};
        return HttpResponse.json([], { headers: okHeaders(next) });
      }),
    );
    return { gate, holding, arrived };
  }

  it('the client takes the priority from GetOptions.continuation, not from an `after` parameter', async () => {
    const { gate, holding, arrived } = org();
    const { client: c } = client({ maxConcurrency: 1 });
    const held = c.get('/api/v1/logs');
    await holding.promise;
    const withAfter = c.get('/api/v1/groups', { query: { after: '00g1' } });
    await queued(c, 1);
    const continuation = c.get('/api/v1/apps', { continuation: true });
    await queued(c, 2);
    gate.resolve();
    await Promise.all([held, withAfter, continuation]);
    expect(arrived).toEqual(['apps', 'groups?after=00g1']);
    await c.close();
  });

  it('paginate marks every page after the first as a continuation, whatever its next link holds', async () => {
    const { gate, holding, arrived } = org();
    const { client: c } = client({ maxConcurrency: 1 });
    const pages = paginate(c, '/api/v1/users');
    await pages.next();
    const held = c.get('/api/v1/logs');
    await holding.promise;
    const firstPage = c.get('/api/v1/groups');
    await queued(c, 1);
    const secondPage = pages.next();
    await queued(c, 2);
    gate.resolve();
    await Promise.all([held, firstPage, secondPage]);
    expect(arrived).toEqual(['users', 'users?cursor=2', 'groups']);
    await c.close();
  });
});
