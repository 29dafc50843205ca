import { describe, expect, it } from '@jest/globals';
import type { IdentityChange } from '../../../src/index.js';
import { decodeCursor, encodeCursor } from '../../../src/provider/changes/cursor.js';
import { ORIGIN, useMswServer } from '../../helpers/msw.js';
import { drain, LogOrg, logPosition, makeProvider, PollClock, T } from '../../helpers/log-org.js';

const server = useMswServer();

const who = (c: IdentityChange): string => (c.type === 'upsert' ? c.identity.id : c.id);
/** Every (person, event) pair a list of changes delivered. */
const pairs = (changes: IdentityChange[]): Set<string> => new Set(changes.flatMap((c) => c.eventIds.map((e) => `${who(c)}/${e}`)));
const raw = (cursor: string): Record<string, unknown> => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;

function setup() {
  const clock = new PollClock(5_000);
  const org = new LogOrg(clock);
  server.use(...org.handlers());
  for (const id of ['00u1', '00u2', '00u3', '00u4', '00u5', '00u6']) org.addUser(id);
  org.addUser('00u7');
  // More apps than people per page: a new process reads each person rather than the whole org
  // (whose read would deliver everyone, fanout.test.ts): the cursor is what is tested here.
  for (const id of ['0oaA', '0oaB', '0oaC', '0oaD', '0oaE', '0oaF', '0oaG', '0oaH']) org.addApp(id);
  return { clock, org, since: new Date(clock.now()) };
}

/** Page 1: three people (00u1 twice); page 2 (written while the stream sleeps): three more. */
async function firstRun(clock: PollClock, org: LogOrg, since: Date): Promise<IdentityChange[]> {
  org.log('user.lifecycle.create', [T.user('00u1')]);
  org.log('user.lifecycle.create', [T.user('00u2')]);
  org.log('user.account.update_profile', [T.user('00u1')]);
  org.log('user.lifecycle.suspend', [T.user('00u3')]);
  const { provider } = makeProvider(clock);
  const controller = new AbortController();
  clock.onPoll = (n) => {
    if (n === 1) {
      org.log('group.user_membership.add', [T.user('00u4'), T.group('00g1')]);
      org.log('user.lifecycle.deactivate', [T.user('00u5')]);
      org.log('user.lifecycle.delete.completed', [T.user('00uGONE')]);
    } else controller.abort();
  };
  const changes: IdentityChange[] = [];
  for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
  clock.onPoll = undefined;
  await provider.close();
  return changes;
}

describe('changes(): resuming from a cursor', () => {
  it('resumes from every cursor, in a new provider, delivering every later event', async () => {
    const { clock, org, since } = setup();
    const changes = await firstRun(clock, org, since);
    expect(changes.map(who)).toEqual(['00u1', '00u2', '00u3', '00u4', '00u5', '00uGONE']);

    for (let k = 0; k < changes.length; k++) {
      const { provider } = makeProvider(clock);
      const resumed = await drain(provider, clock, { cursor: changes[k]!.cursor });
      const later = pairs(changes.slice(k + 1));
      const got = pairs(resumed);
      for (const pair of later) expect(got).toContain(pair);
      // Nothing at or before the cursor comes back: mid-page cursors skip what was delivered.
      expect(resumed.map(who)).toEqual(changes.slice(k + 1).map(who));
      await provider.close();
    }
  });

  it('keeps the page position and a bitset mid-page, and moves to the next link after a page’s last change', async () => {
    const { clock, org, since } = setup();
    const changes = await firstRun(clock, org, since);
    const mid = raw(changes[0]!.cursor);
    expect(mid).toMatchObject({ v: 1, t: since.getTime() });
    expect(String(mid.p)).toContain(`since=${encodeURIComponent(since.toISOString())}`);
    expect(typeof mid.f).toBe('string');
    expect(typeof mid.d).toBe('string');
    const endOfPage = raw(changes[2]!.cursor);
    expect(endOfPage.f).toBeUndefined();
    expect(endOfPage.d).toBeUndefined();
    // The position of the next page is the next link Okta returned (after=<position>).
    expect(String(endOfPage.p)).toMatch(/^\/api\/v1\/logs\?.*after=/);
    expect(logPosition(new URL(String(endOfPage.p), ORIGIN).searchParams.get('after')!)).toMatchObject({ m: 'poll', p: 4 });
    expect(org.calls('/api/v1/logs')[1]!.searchParams.get('after')).toBe(new URL(String(endOfPage.p), ORIGIN).searchParams.get('after'));
  });

  it('delivers the whole page again when a re-read no longer starts with the same event (at-least-once)', async () => {
    const { clock, org, since } = setup();
    const changes = await firstRun(clock, org, since);
    const state = decodeCursor(changes[1]!.cursor, ORIGIN);
    const forged = encodeCursor({ ...state, firstUuid: 'some-other-event' });
    const { provider } = makeProvider(clock);
    const resumed = await drain(provider, clock, { cursor: forged });
    expect(resumed.map(who)).toEqual(['00u1', '00u2', '00u3', '00u4', '00u5', '00uGONE']);
    await provider.close();
  });

  it('picks up events written after the cursor’s page was read', async () => {
    const { clock, org, since } = setup();
    org.log('user.lifecycle.create', [T.user('00u1')]);
    org.log('user.lifecycle.create', [T.user('00u2')]);
    const { provider } = makeProvider(clock);
    let first: IdentityChange | undefined;
    for await (const change of provider.changes({ since })) {
      first = change;
      break;
    }
    await provider.close();
    expect(first && who(first)).toBe('00u1');
    org.log('user.lifecycle.create', [T.user('00u6')]);
    const next = makeProvider(clock);
    const resumed = await drain(next.provider, clock, { cursor: first!.cursor });
    expect(resumed.map(who)).toEqual(['00u2', '00u6']);
    await next.provider.close();
  });

  it('delivers nothing again from the last cursor when nothing happened since', async () => {
    const { clock, org, since } = setup();
    const changes = await firstRun(clock, org, since);
    const { provider } = makeProvider(clock);
    expect(await drain(provider, clock, { cursor: changes[changes.length - 1]!.cursor })).toEqual([]);
    org.log('user.account.update_profile', [T.user('00u7')]);
    expect((await drain(provider, clock, { cursor: changes[changes.length - 1]!.cursor })).map(who)).toEqual(['00u7']);
    await provider.close();
  });
});
