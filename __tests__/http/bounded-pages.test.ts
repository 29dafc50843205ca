import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaResponseError } from '../../src/errors.js';
import { JsonReader, TooManyElements } from '../../src/http/json.js';
import { maxElements, PAGE_ELEMENTS_PER_LIMIT } from '../../src/http/body.js';
import { paginate } from '../../src/http/paginate.js';
import { oktaUserSchema } from '../../src/okta/schemas.js';
import { checked, validItems } from '../../src/provider/context.js';
import type { ConnectorWarning } from '../../src/sdk.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/**
 * A page costs what the connector keeps of it, never what a hostile body holds: a list body with
 * far more elements than its `limit` is refused as soon as it has that many, and invalid items
 * are counted, not kept.
 */
const server = useMswServer();

function client(): OktaClient {
  return new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1 }), { clock: new FakeClock(), random: () => 0.5 });
}

const user = (n: number) => ({ id: `00u${n}`, status: 'ACTIVE', profile: { login: `u${n}@example.com` } });

describe('JsonReader with maxElements', () => {
  it('parses up to maxElements elements and refuses the next one before parsing it', () => {
    const mapped: number[] = [];
    const reader = new JsonReader({ map: (_e, i) => mapped.push(i), maxElements: 3 });
    expect(() => reader.write(Buffer.from('[0,1,2,3,4,5]'))).toThrow(TooManyElements);
    expect(mapped).toEqual([0, 1, 2]);
  });

  it('accepts exactly maxElements elements, and an empty array with none allowed', () => {
    const reader = new JsonReader({ maxElements: 3 });
    reader.write(Buffer.from('[0,1,2]'));
    expect(reader.end()).toEqual([0, 1, 2]);
    const empty = new JsonReader({ maxElements: 0 });
    empty.write(Buffer.from('[ ]'));
    expect(empty.end()).toEqual([]);
  });
});

describe('a list page with far more elements than its limit', () => {
  it('bounds each list by its limit (twice it, at most twice the largest page), and a list without a limit by a fixed count', () => {
    expect(maxElements(new URL(`${ORIGIN}/api/v1/users?limit=200`))).toBe(PAGE_ELEMENTS_PER_LIMIT * 200);
    expect(maxElements(new URL(`${ORIGIN}/api/v1/users/00u1/groups`))).toBe(100_000);
    // A `next` link cannot raise it past twice the largest page Okta serves (the groups list: 10,000).
    expect(maxElements(new URL(`${ORIGIN}/api/v1/users?limit=100000000`))).toBe(PAGE_ELEMENTS_PER_LIMIT * 10_000);
  });

  it('is refused as invalid_response after 2 x limit elements, at once (no retry), without parsing the rest', async () => {
    let requests = 0;
    const body = `[${new Array(200 * 1000).fill('0').join(',')}]`;
    server.use(
      http.get(`${ORIGIN}/api/v1/users`, () => {
        requests++;
        return new HttpResponse(body, { headers: okHeaders() });
      }),
    );
    let parsed = 0;
    const item = (element: unknown, index: number) => {
      parsed++;
      return checked(oktaUserSchema)(element, index);
    };
    const c = client();
    const error = await (async () => {
      for await (const page of paginate(c, '/api/v1/users', { limit: 200 }, undefined, item)) void page;
    })().catch((e: unknown) => e);
    await c.close();
    expect(error).toBeInstanceOf(OktaResponseError);
    expect(error).toMatchObject({ code: 'invalid_response', path: '/api/v1/users' });
    expect((error as Error).message).toMatch(/more than 400 elements/);
    expect(requests).toBe(1);
    expect(parsed).toBe(400);
  });
});

describe('a body that is not a list', () => {
  it('is refused as invalid_response above 1 MiB, at once and unread past that: it is parsed whole', async () => {
    let requests = 0;
    // 3 MB: within maxResponseBytes, but one nested array of 1.5 million elements.
    const body = `{"id":"00u1","profile":{"x":[${new Array(1_500_000).fill('0').join(',')}]}}`;
    server.use(
      http.get(`${ORIGIN}/api/v1/users/00u1`, () => {
        requests++;
        return new HttpResponse(body, { headers: okHeaders() });
      }),
    );
    const c = client();
    const error = await c.get('/api/v1/users/00u1').catch((e: unknown) => e);
    await c.close();
    expect(error).toBeInstanceOf(OktaResponseError);
    expect(error).toMatchObject({ code: 'invalid_response', path: '/api/v1/users/00u1' });
    expect((error as Error).message).toMatch(/larger than 1048576 bytes/);
    expect(requests).toBe(1);
  });
});

describe('invalid items of a page', () => {
  it('are counted, not kept: one warning with their number and at most three samples', async () => {
    const elements = [user(1), ...new Array(150).fill(0), user(2), { id: '..', status: 'ACTIVE', profile: { login: 'x' } }];
    server.use(http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json(elements, { headers: okHeaders() })));
    const c = client();
    const warnings: ConnectorWarning[] = [];
    const ctx = { client: c, warn: (w: ConnectorWarning) => warnings.push(w) };
    const pages = [];
    for await (const page of paginate(c, '/api/v1/users', { limit: 200 }, undefined, checked(oktaUserSchema))) pages.push(page);
    const valid = validItems(ctx, pages[0]!);
    await c.close();
    // Only the valid items are held by the page; the invalid ones are a count and samples.
    expect(pages[0]!.items).toHaveLength(2);
    expect(pages[0]!.invalid.count).toBe(151);
    expect(pages[0]!.invalid.samples.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(valid.map((u) => u.id)).toEqual(['00u1', '00u2']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/^151 item\(s\) of \/api\/v1\/users did not match/);
    expect(warnings[0]!.message.match(/#\d+ /g)).toEqual(['#1 ', '#2 ', '#3 ']);
    expect(warnings[0]!.message).toMatch(/and 148 more$/);
  });
});
