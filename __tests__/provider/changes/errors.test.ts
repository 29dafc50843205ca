import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { OktaCursorError, OktaCursorExpiredError, OktaError, OktaForbiddenError, OktaResponseError, OktaValidationError, type ChangesOptions, type IdentityChange } from '../../../src/index.js';
import { logFilter } from '../../../src/provider/changes/events.js';
import { encodeCursor } from '../../../src/provider/changes/cursor.js';
import { okHeaders, ORIGIN, useMswServer } from '../../helpers/msw.js';
import { drain, logAfter, setupLogOrg, T } from '../../helpers/log-org.js';

const server = useMswServer();
const DAY = 86_400_000;

const setup = () => setupLogOrg(server);

async function first(iterable: AsyncIterable<IdentityChange>): Promise<IdentityChange | undefined> {
  for await (const change of iterable) return change;
  return undefined;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** A cursor with a correct checksum over arbitrary fields (what a forger could compute). */
function signed(v: unknown, p: unknown, t: unknown): string {
  const c = createHash('sha256').update(JSON.stringify([v, p, t, null, null])).digest('base64url').slice(0, 16);
  return b64(JSON.stringify({ v, p, t, c }));
}

describe('changes(): cursor errors', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  // A position of the simulator's log (the start, read at `now`), and the same cursor pointing elsewhere.
  const good = encodeCursor({ position: `/api/v1/logs?after=${logAfter(0, now)}&limit=1000`, time: now });
  const tampered = b64(Buffer.from(good, 'base64url').toString('utf8').replace(`after=${logAfter(0, now)}`, `after=${logAfter(9, now)}`));
  const forged: Array<[string, string, RegExp]> = [
    ['not base64url', 'this is not a cursor!', /not base64url/],
    ['empty', '', /empty/],
    ['not JSON', b64('{"v":1,'), /JSON/],
    ['not an object', b64('[1,2]'), /object/],
    ['tampered (checksum)', tampered, /checksum/],
    ['an unknown version', signed(2, '/api/v1/logs?after=x', now), /version/],
    ['another origin', signed(1, 'https://evil.example/api/v1/logs?after=x', now), /position/],
    ['a protocol-relative host', signed(1, '//evil.example/api/v1/logs?after=x', now), /position/],
    ['another API', signed(1, '/api/v1/users?limit=200', now), /position/],
    ['a bounded query', signed(1, '/api/v1/logs?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z', now), /until/],
  ];

  it.each(forged)('refuses a cursor that is %s with OktaCursorError, before any request', async (_what, cursor, message) => {
    const { provider, org } = setup();
    const error = await first(provider.changes({ cursor })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaCursorError);
    expect(error).toMatchObject({ code: 'invalid_cursor', name: 'OktaCursorError' });
    expect((error as Error).message).toMatch(message);
    expect(org.requests).toHaveLength(0);
    await provider.close();
  });

  it('accepts the intact cursor the forgeries were made from', async () => {
    const { provider, clock } = setup();
    await expect(drain(provider, clock, { cursor: good })).resolves.toEqual([]);
    await provider.close();
  });

  it('refuses a cursor or since older than the 90-day log with OktaCursorExpiredError, advising a full sync', async () => {
    const { provider, clock, org } = setup();
    const old = encodeCursor({ position: '/api/v1/logs?after=p0t1&limit=1000', time: clock.now() - 91 * DAY });
    for (const options of [{ cursor: old }, { since: new Date(clock.now() - 91 * DAY) }, { since: new Date(clock.now() - 91 * DAY).toISOString() }]) {
      const error = await first(provider.changes(options)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OktaCursorExpiredError);
      expect(error).toMatchObject({ code: 'cursor_expired' });
      expect((error as Error).message).toMatch(/listIdentities\(\)/);
    }
    expect(org.requests).toHaveLength(0);
    // 89 days is still inside the window.
    await expect(drain(provider, clock, { since: new Date(clock.now() - 89 * DAY) })).resolves.toEqual([]);
    await provider.close();
  });

  it('maps Okta’s 400 E0000001 for a position out of range to OktaCursorExpiredError', async () => {
    const { provider, clock } = setup();
    // A position Okta considers outside its retention (the simulator's `after` holds when it was read).
    const filter = encodeURIComponent(logFilter());
    const cursor = encodeCursor({ position: `/api/v1/logs?limit=1000&filter=${filter}&after=${logAfter(0, clock.now() - 100 * DAY)}`, time: clock.now() - DAY });
    const error = await first(provider.changes({ cursor })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaCursorExpiredError);
    expect((error as Error).message).toContain('E0000001');
    expect((error as Error).cause).toMatchObject({ status: 400, errorCode: 'E0000001' });
    await provider.close();
  });

  it('refuses a since that is not a time, and a bad pollIntervalMs, with OktaValidationError and no request', async () => {
    const { provider, org } = setup();
    const refused = async (options: ChangesOptions, argument: string): Promise<void> => {
      const error = await first(provider.changes(options)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OktaValidationError);
      expect(error).toMatchObject({ code: 'invalid_argument', argument });
    };
    await refused({ since: 'yesterday' }, 'since');
    await refused({ since: new Date(Number.NaN) }, 'since');
    // 2^31 ms used to pass and then fire the poll timer after 1 ms: a hot loop.
    for (const pollIntervalMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '100' as unknown as number]) await refused({ pollIntervalMs }, 'pollIntervalMs');
    expect(org.calls('/api/v1/logs')).toHaveLength(0);
    await provider.close();
  });
});

describe('changes(): 403', () => {
  it('fails at the start when the token may not read the System Log, naming okta.logs.read', async () => {
    const { provider, org } = setup();
    org.forbidden = [/^\/api\/v1\/logs$/];
    const error = await first(provider.changes()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaForbiddenError);
    expect((error as Error).message).toContain('okta.logs.read');
    expect(org.calls('/api/v1/logs')).toHaveLength(1);
    await provider.close();
  });

  it('skips a person it may not read, with warnings, and keeps streaming', async () => {
    const { provider, org, clock, warnings } = setup();
    const since = new Date(clock.now());
    // As many apps as people: reading each person is cheaper than reading the org whole.
    for (const id of ['0oaA', '0oaB', '0oaC']) org.addApp(id);
    for (const id of ['00u1', '00u2', '00u3']) {
      org.addUser(id);
      org.log('user.account.update_profile', [T.user(id)]);
    }
    org.forbidden = [/^\/api\/v1\/users\/00u2$/];
    const changes = await drain(provider, clock, { since });
    expect(changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id))).toEqual(['00u1', '00u3']);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['forbidden', '/api/v1/users/00u2'],
      ['change_skipped', '/api/v1/users/00u2'],
    ]);
    expect(warnings[0]!.message).toContain('okta.users.read');
    await provider.close();
  });

  it('skips a person whose app accounts it may not read rather than stream them with none', async () => {
    const { provider, org, clock, warnings } = setup();
    const since = new Date(clock.now());
    org.addUser('00u1');
    org.addApp('0oaA');
    org.assign('0oaA', '00u1');
    org.log('user.account.update_profile', [T.user('00u1')]);
    org.forbidden = [/^\/api\/v1\/apps$/];
    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(['forbidden', 'change_skipped']);
    expect(warnings[0]!.message).toContain('okta.apps.read');
    await provider.close();
  });
});

describe('changes(): retention by Okta’s clock, and positions that cannot make a cursor', () => {
  it('detects a since beyond the 90-day log against Okta’s Date, when this machine’s clock says it is inside', async () => {
    const { provider, clock, org } = setup();
    org.skewMs = 2 * DAY;
    const error = await first(provider.changes({ since: new Date(clock.now() - 89 * DAY) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaCursorExpiredError);
    expect((error as Error).message).toMatch(/Okta's time/);
    expect(org.calls('/api/v1/logs')).toHaveLength(1);
    await provider.close();
  });

  it('maps Okta’s 400 E0000053 (a since beyond 180 days) to OktaCursorExpiredError', async () => {
    const { provider, clock } = setup();
    server.use(http.get(`${ORIGIN}/api/v1/logs`, () => HttpResponse.json({ errorCode: 'E0000053', errorSummary: 'Invalid date. The since parameter is too far in the past.' }, { status: 400, headers: okHeaders() })));
    const error = await first(provider.changes({ since: new Date(clock.now() - 10 * DAY) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaCursorExpiredError);
    expect((error as Error).cause).toMatchObject({ status: 400, errorCode: 'E0000053' });
    await provider.close();
  });

  it('refuses, before any request, a cursor of another org, a cursor or since in the future', async () => {
    const { provider, clock, org } = setup();
    const position = `/api/v1/logs?after=p0t1&limit=1000&filter=${encodeURIComponent(logFilter())}`;
    const cases: Array<[Parameters<typeof provider.changes>[0], RegExp]> = [
      [{ cursor: encodeCursor({ position, time: clock.now(), origin: 'https://other.okta.com' }) }, /another Okta org/],
      [{ cursor: encodeCursor({ position, time: clock.now() + DAY, origin: ORIGIN }) }, /future/],
      [{ since: new Date(clock.now() + 60 * 60_000) }, /future/],
    ];
    for (const [options, message] of cases) {
      const error = await first(provider.changes(options)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OktaError);
      expect((error as Error).message).toMatch(message);
    }
    expect(org.requests).toHaveLength(0);
    // A few minutes ahead is clock skew, not an error.
    await expect(drain(provider, clock, { since: new Date(clock.now() + 5 * 60_000) })).resolves.toEqual([]);
    await provider.close();
  });

  it.each([
    ['a bounded query', '&until=2026-12-01T00:00:00.000Z'],
    ['a descending order', '&sortOrder=DESCENDING'],
    ['a position too long for a cursor', `&pad=${'x'.repeat(12_500)}`],
  ])('refuses a next link that is %s when it reads it, delivering nothing with it', async (_what, extra) => {
    const { provider, clock, org } = setup();
    org.addUser('00u1');
    org.log('user.lifecycle.suspend', [T.user('00u1')]);
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => {
        const next = new URL(request.url);
        next.searchParams.delete('since');
        next.searchParams.set('after', 'p1t1');
        return HttpResponse.json(org.events, { headers: { ...okHeaders(), link: `<${next.href}${extra}>; rel="next"` } });
      }),
    );
    const changes: IdentityChange[] = [];
    const error = await (async () => {
      for await (const change of provider.changes({ since: new Date(clock.now() - DAY) })) changes.push(change);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaResponseError);
    expect((error as Error).message).toMatch(/unusable next link/);
    expect(changes).toEqual([]);
    await provider.close();
  });

  it('resumes a cursor written with an older event filter from its time, with the current filter', async () => {
    const { provider, clock, org } = setup();
    org.addUser('00u1');
    const since = clock.now();
    org.log('user.account.lock', [], { actor: T.user('00u1') });
    const old = encodeCursor({ position: `/api/v1/logs?after=p0t${since}&limit=1000&filter=${encodeURIComponent('eventType sw "user.lifecycle."')}`, time: since });
    const changes = await drain(provider, clock, { cursor: old });
    expect(changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id))).toEqual(['00u1']);
    const firstPoll = org.calls('/api/v1/logs')[0]!;
    expect(firstPoll.searchParams.get('since')).toBe(new Date(since).toISOString());
    expect(firstPoll.searchParams.get('filter')).toBe(logFilter());
    await provider.close();
  });
});
