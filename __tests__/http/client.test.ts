import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig, type OktaConfig } from '../../src/config/config.js';
import { OktaClient } from '../../src/http/client.js';
import { OktaHttpError } from '../../src/errors.js';
import { FakeClock } from '../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';

/** What the client sends. Retries: attempts.test.ts; bodies: body.test.ts; errors: http-error.test.ts; lists: paginate.test.ts. */
const server = useMswServer();

function client(overrides: Partial<OktaConfig> = {}, clock = new FakeClock()) {
  return { client: new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN, ...overrides }), { clock, random: () => 0.5 }), clock };
}

describe('OktaClient', () => {
  it('sends GET with SSWS auth and JSON accept to the configured origin', async () => {
    const seen: Request[] = [];
    server.use(
      http.all(`${ORIGIN}/api/v1/users/me`, ({ request }) => {
        seen.push(request.clone());
        return HttpResponse.json({ id: 'me' }, { headers: okHeaders() });
      }),
    );
    const { client: c } = client();
    const res = await c.get('/api/v1/users/me');
    expect(res.body).toEqual({ id: 'me' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.headers.get('authorization')).toBe(`SSWS ${TOKEN}`);
    expect(seen[0]!.headers.get('accept')).toBe('application/json');
  });

  it('does not follow redirects (the token would go with them)', async () => {
    let followed = 0;
    server.use(
      http.get(`${ORIGIN}/api/v1/users`, () => new HttpResponse(null, { status: 302, headers: { location: 'https://evil.example.com/steal' } })),
      http.get('https://evil.example.com/*', () => {
        followed++;
        return HttpResponse.json([]);
      }),
    );
    const { client: c } = client();
    await expect(c.get('/api/v1/users')).rejects.toBeInstanceOf(OktaHttpError);
    expect(followed).toBe(0);
  });

  it('escapes query values (they cannot add parameters)', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${ORIGIN}/api/v1/users`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json([], { headers: okHeaders() });
      }),
    );
    const { client: c } = client();
    await c.get('/api/v1/users', { query: { q: 'a&limit=1#x', limit: 200 } });
    expect(query?.get('q')).toBe('a&limit=1#x');
    expect(query?.get('limit')).toBe('200');
  });
});
