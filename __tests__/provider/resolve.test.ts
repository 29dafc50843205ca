import { describe, expect, it } from '@jest/globals';
import { AmbiguousAccountError, OktaClosedError, OktaError, OktaIdentityProvider, OktaValidationError, type ConnectorWarning, type Identity } from '../../src/index.js';
import { http, HttpResponse } from 'msw';
import { errorBody } from '../helpers/fixtures.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../helpers/msw.js';
import { miniOrg, type MiniOrgOptions } from '../helpers/msw-org.js';

const server = useMswServer();

const org: MiniOrgOptions = {
  users: [
    { id: '00u1', login: 'ada@example.com', email: 'ada.l@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    { id: '00u2', login: 'bob@example.com' },
    { id: '00u3', login: 'cy@example.com', status: 'DEPROVISIONED' },
  ],
  apps: [
    { id: '0oaSlackA', name: 'slack', label: 'Slack (Eng)', users: [{ userId: '00u1', userName: 'U01ADA' }, { userId: '00u3', userName: 'shared' }] },
    { id: '0oaSlackB', name: 'slack', label: 'Slack (Sales)', users: [{ userId: '00u2', userName: 'U02BOB' }, { userId: '00u1', userName: 'SHARED' }] },
    { id: '0oaGithub', name: 'github', label: 'GitHub', users: [{ userId: '00u1', userName: 'ada-gh', externalId: '9001' }, { userId: '00u2', userName: 'ada-gh-bot', externalId: '9002' }] },
  ],
};

function setup(options: MiniOrgOptions = org) {
  const { handlers, requests } = miniOrg(options);
  server.use(...handlers);
  const warnings: ConnectorWarning[] = [];
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w) });
  return { provider, requests, warnings };
}

describe('resolveAppUser on a fresh provider', () => {
  it('finds the owner by app name and userName, case-insensitively, with one request per instance plus two', async () => {
    const { provider, requests } = setup();
    const identity = await provider.resolveAppUser('slack', 'u01ada');
    expect(identity?.id).toBe('00u1');
    expect(identity?.accounts.map((a) => [a.appId, a.userName])).toEqual([
      ['0oaGithub', 'ada-gh'],
      ['0oaSlackA', 'U01ADA'],
      ['0oaSlackB', 'SHARED'],
    ]);
    expect(identity?.displayName).toBe('Ada Lovelace');
    // apps?filter=name eq "slack", then each of the 2 instances' q search, then the person's accounts.
    expect(requests.map((r) => r.url.pathname)).toEqual(['/api/v1/apps', '/api/v1/apps/0oaSlackA/users', '/api/v1/apps/0oaSlackB/users', '/api/v1/apps']);
    expect(requests[0]!.url.searchParams.get('filter')).toBe('name eq "slack"');
    expect(requests[1]!.url.searchParams.get('q')).toBe('u01ada');
    await provider.close();
  });

  it('finds the owner by app instance id in 2 requests', async () => {
    const { provider, requests } = setup();
    expect((await provider.resolveAppUser('0oaGithub', 'ADA-GH'))?.id).toBe('00u1');
    expect(requests).toHaveLength(2);
    await provider.close();
  });

  it('matches externalId exactly when no userName matches', async () => {
    const { provider } = setup();
    expect((await provider.resolveAppUser('github', '9002'))?.id).toBe('00u2');
    await provider.close();
  });

  it('resolves app "okta" by login or primary email, case-insensitively', async () => {
    const { provider, requests } = setup();
    expect((await provider.resolveAppUser('okta', 'BOB@example.com'))?.id).toBe('00u2');
    expect(requests[0]!.url.searchParams.get('search')).toBe('(profile.login eq "BOB@example.com") or (profile.email eq "BOB@example.com")');
    expect((await provider.resolveAppUser('okta', 'ada.l@example.com'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('okta', 'cy@example.com'))?.status).toBe('DEPROVISIONED');
    await provider.close();
  });

  it('returns null when nobody owns the account', async () => {
    const { provider } = setup();
    expect(await provider.resolveAppUser('slack', 'U404')).toBeNull();
    expect(await provider.resolveAppUser('zoom', 'anyone')).toBeNull();
    expect(await provider.resolveAppUser('okta', 'nobody@example.com')).toBeNull();
    await provider.close();
  });

  it('refuses to guess when two people own the account in instances sharing a name', async () => {
    const { provider } = setup();
    const error = await provider.resolveAppUser('slack', 'shared').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousAccountError);
    expect((error as AmbiguousAccountError).userIds.sort()).toEqual(['00u1', '00u3']);
    await provider.close();
  });

  it('does not let a hostile account widen the Okta search', async () => {
    const { provider, requests } = setup();
    expect(await provider.resolveAppUser('okta', 'x" or profile.login sw "')).toBeNull();
    expect(requests[0]!.url.searchParams.get('search')).toBe('(profile.login eq "x\\" or profile.login sw \\"") or (profile.email eq "x\\" or profile.login sw \\"")');
    await provider.close();
  });
});

describe('resolveAppUser after a sync', () => {
  it('answers from what the sync saw, with no request', async () => {
    const { provider, requests } = setup();
    for await (const _ of provider.listIdentities()) void _;
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'u02bob'))?.id).toBe('00u2');
    expect((await provider.resolveAppUser('github', '9001'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('0oaSlackA', 'U01ADA'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('okta', 'ADA.L@example.com'))?.id).toBe('00u1');
    expect(await provider.resolveAppUser('slack', 'nobody')).toBeNull();
    await expect(provider.resolveAppUser('slack', 'shared')).rejects.toBeInstanceOf(AmbiguousAccountError);
    expect(requests.length).toBe(before);
    await provider.close();
  });

  it('does not trust a sync whose reads did not complete', async () => {
    const { provider, requests } = setup();
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(provider.listIdentities({ signal: controller.signal }).next()).rejects.toThrow('stopped');
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'U02BOB'))?.id).toBe('00u2');
    expect(requests.length).toBeGreaterThan(before);
    await provider.close();
  });

  it('keeps a sync whose reads completed, even when the consumer stops after the first identity', async () => {
    const { provider, requests } = setup();
    for await (const _ of provider.listIdentities()) break;
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'U02BOB'))?.id).toBe('00u2');
    expect(requests.length).toBe(before);
    await provider.close();
  });
});

describe('resolveAppUser gives one answer, fresh or synced', () => {
  /** A fresh provider and a synced one over the same org, and the requests both send. */
  async function pair() {
    const { provider: fresh, requests, warnings } = setup();
    const synced = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1 });
    for await (const _ of synced.listIdentities()) void _;
    requests.length = 0;
    return { fresh, synced, requests, warnings, close: () => Promise.all([fresh.close(), synced.close()]) };
  }

  /** What a call ended with, comparable across providers. */
  const outcome = (p: Promise<Identity | null>): Promise<unknown> =>
    p.then(
      (identity) => ({ identity: identity?.id ?? null }),
      (e: unknown) => ({ error: (e as Error).name, code: (e as { code?: unknown }).code, argument: (e as { argument?: unknown }).argument }),
    );

  it.each<[string, unknown, unknown, string]>([
    ['an empty account (q= would list every account of the app)', 'github', '', 'account'],
    ['a whitespace-only account', 'github', ' \t ', 'account'],
    ['a blank account', 'github', '   ', 'account'],
    ['a NUL in an Okta login', 'okta', 'x\u0000', 'account'],
    ['a DEL in an account', 'slack', 'U01\u007fADA', 'account'],
    ['a line break in an account', 'slack', 'U01ADA\n', 'account'],
    ['an account longer than 256 characters', 'slack', 'U'.repeat(257), 'account'],
    ['a 100 KB account (once an HTTP 431)', 'okta', `${'a'.repeat(100_000)}@example.com`, 'account'],
    ['a lone surrogate (cannot be sent as UTF-8)', 'okta', 'ada\ud800@example.com', 'account'],
    ['an account that is not a string', 'slack', 42, 'account'],
    ['an empty app', '', 'U01ADA', 'app'],
    ['a whitespace-only app', ' ', 'U01ADA', 'app'],
    ['a control character in an app', 'sla\u0000ck', 'U01ADA', 'app'],
    ['an app longer than 256 characters', 's'.repeat(257), 'U01ADA', 'app'],
    ['an app that is not a string', undefined, 'U01ADA', 'app'],
  ])('refuses %s with OktaValidationError before any request, fresh and synced alike', async (_, app, account, argument) => {
    const { fresh, synced, requests, close } = await pair();
    const expected = { error: 'OktaValidationError', code: 'invalid_argument', argument };
    expect(await outcome(fresh.resolveAppUser(app as string, account as string))).toEqual(expected);
    expect(await outcome(synced.resolveAppUser(app as string, account as string))).toEqual(expected);
    const error = await fresh.resolveAppUser(app as string, account as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaValidationError);
    expect(error).toBeInstanceOf(OktaError);
    // The message names the problem, never the value (it may be personal data).
    if (typeof account === 'string' && account.trim().length > 3) expect((error as Error).message).not.toContain(account);
    expect(requests).toEqual([]);
    await close();
  });

  it('accepts an account of exactly 256 characters and answers null in both', async () => {
    const { fresh, synced, close } = await pair();
    expect(await fresh.resolveAppUser('slack', 'U'.repeat(256))).toBeNull();
    expect(await synced.resolveAppUser('slack', 'U'.repeat(256))).toBeNull();
    await close();
  });

  it('answers null for an unknown app id or name in both; fresh warns not_found for an app id Okta does not know', async () => {
    const { fresh, synced, requests, warnings, close } = await pair();
    for (const app of ['0oaUnknown01', 'zoom']) {
      expect(await outcome(fresh.resolveAppUser(app, 'U01ADA'))).toEqual({ identity: null });
      expect(await outcome(synced.resolveAppUser(app, 'U01ADA'))).toEqual({ identity: null });
    }
    expect(warnings).toEqual([{ code: 'not_found', status: 404, path: '/api/v1/apps/0oaUnknown01/users', message: expect.stringContaining('0oaUnknown01') }]);
    // Only the fresh provider asked Okta: for the name, by name then by label.
    expect(requests.map((r) => `${r.url.pathname}?${[...r.url.searchParams.keys()].filter((k) => k !== 'limit').join()}`)).toEqual(['/api/v1/apps/0oaUnknown01/users?q,expand', '/api/v1/apps?filter', '/api/v1/apps?q']);
    await close();
  });

  it('after close(), every method rejects with OktaClosedError (code closed) and sends nothing, fresh and synced alike', async () => {
    const { fresh, synced, requests, close } = await pair();
    await close();
    for (const provider of [fresh, synced]) {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['resolveAppUser', () => provider.resolveAppUser('slack', 'U01ADA')],
        ['listIdentities', () => provider.listIdentities()[Symbol.asyncIterator]().next()],
        ['changes', () => provider.changes()[Symbol.asyncIterator]().next()],
        ['checkAccess', () => provider.checkAccess()],
      ];
      for (const [method, call] of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OktaClosedError);
        expect(error).toMatchObject({ code: 'closed', message: expect.stringContaining(method) });
      }
    }
    expect(requests).toEqual([]);
  });

  it('a call waiting out a retry backoff when close() is called rejects with OktaClosedError at once', async () => {
    let arrived!: () => void;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.get(`${ORIGIN}/api/v1/users`, () => {
        arrived();
        return HttpResponse.json(errorBody('ErrorInternalServer'), { status: 503, headers: okHeaders() });
      }),
    );
    // A backoff of at least 10 minutes on the real clock: only close() can end it.
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1_200_000, maxRetryDelayMs: 1_200_000 });
    const pending = provider.resolveAppUser('okta', 'ada@example.com').catch((e: unknown) => e);
    await first;
    // The 503 is back and the client sleeps before its retry.
    for (let i = 0; i < 400 && provider.stats.retries === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(provider.stats.retries).toBe(1);
    await provider.close();
    const error = await pending;
    expect(error).toBeInstanceOf(OktaClosedError);
    expect(error).toMatchObject({ code: 'closed' });
  });

  it('refuses a signal that is not an AbortSignal, in every method', async () => {
    const { fresh, requests, close } = await pair();
    const options = { signal: 'stop' as unknown as AbortSignal };
    const calls = [() => fresh.resolveAppUser('slack', 'U01ADA', options), () => fresh.listIdentities(options)[Symbol.asyncIterator]().next(), () => fresh.changes(options)[Symbol.asyncIterator]().next(), () => fresh.checkAccess(options)];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ name: 'OktaValidationError', code: 'invalid_argument', argument: 'signal' });
    expect(requests).toEqual([]);
    await close();
  });
});
