import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { OktaIdentityProvider, type IdentityChange } from '../../../src/index.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';
import { drain, logAfter, LogOrg, makeProvider, PollClock, T } from '../../helpers/log-org.js';

const server = useMswServer();

const who = (c: IdentityChange): string => (c.type === 'upsert' ? c.identity.id : c.id);

function setup(extra: Record<string, unknown> = {}, pollMs = 5_000) {
  const clock = new PollClock(pollMs);
  const org = new LogOrg(clock);
  server.use(...org.handlers());
  const { provider, warnings } = makeProvider(clock, extra);
  return { clock, org, provider, warnings };
}

describe('changes(): polling', () => {
  it('follows the next link of every page, sleeping the poll interval after an empty one', async () => {
    const { clock, org, provider } = setup();
    org.addUser('00u1');
    const controller = new AbortController();
    clock.onPoll = (n) => {
      if (n === 2) org.log('user.lifecycle.create', [T.user('00u1')]);
      if (n === 3) controller.abort();
    };
    const start = clock.now();
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ signal: controller.signal })) changes.push(change);

    expect(changes.map(who)).toEqual(['00u1']);
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
    const polls = org.calls('/api/v1/logs');
    expect(polls).toHaveLength(3);
    // The first is the polling query at "now"; each later one is the next link of the one before.
    expect(polls[0]!.searchParams.get('since')).toBe(new Date(start).toISOString());
    expect(polls.slice(1).map((u) => u.searchParams.get('after'))).toEqual([logAfter(0, start), logAfter(0, start + 5_000)]);
    expect(polls.slice(1).every((u) => !u.searchParams.has('since') && !u.searchParams.has('until'))).toBe(true);
    await provider.close();
  });

  it('uses pollIntervalMs from the call over the configured one', async () => {
    const { clock, provider } = setup({ pollIntervalMs: 9_000 }, 1_234);
    expect(await drain(provider, clock, { pollIntervalMs: 1_234 })).toEqual([]);
    expect(clock.sleeps).toEqual([1_234]);
    await provider.close();
    const configured = setup({ pollIntervalMs: 9_000 }, 9_000);
    expect(await drain(configured.provider, configured.clock)).toEqual([]);
    expect(configured.clock.sleeps).toEqual([9_000]);
    await configured.provider.close();
  });

  it('polls again at once after a full page, without sleeping', async () => {
    const clock = new PollClock(5_000);
    const pages: URL[] = [];
    const event = (i: number) => ({ uuid: `u${i}`, published: new Date(clock.now()).toISOString(), eventType: 'user.session.start', target: [] });
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => {
        const url = new URL(request.url);
        pages.push(url);
        const headers = new Headers(okHeaders());
        headers.append('link', `<${ORIGIN}/api/v1/logs?limit=1000&after=${pages.length}>; rel="next"`);
        // The first page is full (1000 events): the log has more, so there is no wait.
        const body = pages.length === 1 ? Array.from({ length: 1000 }, (_, i) => event(i)) : [];
        return HttpResponse.json(body, { headers });
      }),
    );
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, pollIntervalMs: 5_000 }, { clock });
    const controller = new AbortController();
    clock.onPoll = () => controller.abort();
    for await (const change of provider.changes({ signal: controller.signal })) void change;
    expect(pages.map((u) => u.searchParams.get('after'))).toEqual([null, '1']);
    expect(clock.sleeps).toEqual([5_000]);
    await provider.close();
  });

  it('drops events whose uuid it already handled, across pages and within one', async () => {
    const { clock, org, provider } = setup();
    for (const id of ['00u1', '00u2']) org.addUser(id);
    const since = new Date(clock.now());
    const dup = org.log('user.lifecycle.create', [T.user('00u1')]);
    org.log('user.lifecycle.create', [T.user('00u1')], { uuid: dup });
    const controller = new AbortController();
    clock.onPoll = (n) => {
      // Okta may serve an event again on the next poll: the same uuid, written again.
      if (n === 1) {
        org.log('user.lifecycle.create', [T.user('00u1')], { uuid: dup });
        org.log('user.lifecycle.activate', [T.user('00u2')]);
      } else controller.abort();
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    expect(changes.map((c) => [who(c), c.eventIds.length])).toEqual([
      ['00u1', 1],
      ['00u2', 1],
    ]);
    await provider.close();
  });

  it('ends quietly and promptly when aborted during the poll-interval wait (real timers)', async () => {
    const org = new LogOrg({ now: () => Date.now(), sleep: async () => undefined });
    server.use(...org.handlers());
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, pollIntervalMs: 60_000 });
    const controller = new AbortController();
    const iterator = provider.changes({ signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    while (org.calls('/api/v1/logs').length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const aborted = Date.now();
    controller.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(Date.now() - aborted).toBeLessThan(500);
    await provider.close();
  });

  it('stops reading when the consumer breaks out of the loop mid-page', async () => {
    const { clock, org, provider } = setup();
    const since = new Date(clock.now());
    for (let i = 0; i < 12; i++) {
      org.addUser(`00u${i}`);
      org.log('user.lifecycle.create', [T.user(`00u${i}`)]);
    }
    for await (const change of provider.changes({ since })) {
      expect(who(change)).toBe('00u0');
      break;
    }
    const after = org.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(org.requests.length).toBe(after);
    // Reads run a few people ahead, never the whole page.
    expect(org.calls(/^\/api\/v1\/users\//).length).toBeLessThan(12);
    expect(clock.sleeps).toEqual([]);
    await provider.close();
  });
});
