/**
 * The order of a full sync when latency, not the rate limit, binds: every request takes one round
 * trip (`Rounds`, a fake clock), and the sync should take about its floor, the longest chain of
 * dependent requests or the requests divided by the slots, whichever is more.
 */
import { describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type OktaConfig } from '../../../src/index.js';
import { OktaSimulator } from '../../../src/simulator/index.js';
import { HOSTNAME, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';
import { Rounds } from '../../helpers/rounds.js';

const server = useMswServer();

const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };

/** An org whose app user lists hold one app user a page: app `a<i>` has `sizes[i]` pages. */
function org(sizes: number[], options: { users?: number; userPage?: number; groups?: number[] } = {}): OktaSimulator {
  let now = Date.parse('2025-01-01T00:00:00.000Z');
  const sim = new OktaSimulator({
    users: 0,
    apps: 0,
    groups: 0,
    token: TOKEN,
    rateLimits: UNLIMITED,
    pageLimits: { listApplicationUsers: 1, listUsers: options.userPage ?? 200, listGroupUsers: 1 },
    now: () => now,
  });
  const userCount = Math.max(options.users ?? 0, ...sizes, ...(options.groups ?? []));
  // Ids in another order than creation times (as Okta's are): a page of the user list is a sample of lastUpdated.
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = 7;
  while (gcd(step, userCount) !== 1) step += 2;
  sim.silently(() => {
    for (let u = 0; u < userCount; u++) {
      now += 60_000;
      sim.createUser({ login: `u${u}@example.com`, email: `u${u}@example.com`, firstName: 'U', lastName: String(u) }, { id: `00u${String((u * step) % userCount).padStart(4, '0')}` });
    }
    sizes.forEach((size, i) => {
      const id = `0oa${String(i).padStart(3, '0')}`;
      sim.createApp({ id, name: `app${i}`, label: `App ${i}` });
      for (let u = 0; u < size; u++) sim.assignUserToApp(id, `00u${String(u).padStart(4, '0')}`, { userName: `u${u}` });
    });
    (options.groups ?? []).forEach((size, g) => {
      const id = `00g${String(g).padStart(3, '0')}`;
      sim.createGroup(`group ${g}`, '', { id });
      for (let u = 0; u < size; u++) sim.addUserToGroup(id, `00u${String(u).padStart(4, '0')}`);
    });
  });
  return sim;
}

/** Names each request: `apps`, `users`, `users:<slice>`, `a<i>#<page>`, `g<i>#<page>`, or its path. */
function labeller(): (url: URL) => string {
  const pages = new Map<string, number>();
  const page = (list: string): string => {
    const n = (pages.get(list) ?? 0) + 1;
    pages.set(list, n);
    return `${list}#${n}`;
  };
  return (url) => {
    const app = /^\/api\/v1\/apps\/0oa(\d+)\/users$/.exec(url.pathname);
    if (app) return page(`a${Number(app[1])}`);
    const group = /^\/api\/v1\/groups\/00g(\d+)\/users$/.exec(url.pathname);
    if (group) return page(`g${Number(group[1])}`);
    if (url.pathname === '/api/v1/users') return page(url.searchParams.get('filter')?.includes('1970') ? 'users' : `users:${url.searchParams.get('filter')}`);
    return url.pathname.replace('/api/v1/', '');
  };
}

/** One full sync of `provider`, round by round. */
async function syncOnce(provider: OktaIdentityProvider, sim: OktaSimulator, slots: number, late: string[] = []): Promise<{ rounds: Rounds; identities: number }> {
  const rounds = new Rounds(sim, ORIGIN, slots, labeller());
  server.use(rounds.handler());
  const read = (async () => {
    let identities = 0;
    for await (const identity of provider.listIdentities()) identities += identity ? 1 : 0;
    return identities;
  })();
  const identities = await rounds.run(read, late);
  return { rounds, identities };
}

async function sync(sim: OktaSimulator, config: Partial<OktaConfig>, late: string[] = []): Promise<{ rounds: Rounds; identities: number }> {
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, ...config });
  try {
    return await syncOnce(provider, sim, config.maxConcurrency ?? 12, late);
  } finally {
    await provider.close();
  }
}

/** The rounds in which each page of `list` went out. */
const roundsOf = (rounds: Rounds, list: string, pages: number): number[] => Array.from({ length: pages }, (_, i) => rounds.roundOf(`${list}#${i + 1}`));

/** Rounds a sync needs at the least: its longest chain, or its requests spread over the slots. */
const floor = (rounds: Rounds, chain: number, slots: number): number => Math.max(chain, Math.ceil(rounds.log.flat().length / slots));

describe('the full sync reads the critical path first (one round trip per request)', () => {
  it('a 7-page app, once its next link is known, is read before the first pages of 10 one-page apps (maxConcurrency 2)', async () => {
    const sizes = [1, 1, 7, 1, 1, 1, 1, 1, 1, 1, 1];
    const { rounds, identities } = await sync(org(sizes), { maxConcurrency: 2 });
    expect(identities).toBe(7);
    const long = roundsOf(rounds, 'a2', 7);
    // Every page of the long app goes out in the round after the one before it: it never waits.
    expect(long).toEqual(long.map((_, i) => long[0]! + i));
    // ...while short apps' first pages were still waiting.
    const lastShort = Math.max(...sizes.map((s, i) => (s === 1 ? rounds.roundOf(`a${i}#1`) : -1)));
    expect(lastShort).toBeGreaterThan(long[6]!);
    // 1 + 1 + 10 + 7 = 19 requests in 2 slots: 10 rounds, the floor.
    expect(rounds.trips).toBe(floor(rounds, 1 + 7, 2));
  });

  it('a long app listed after the first few is not starved by the multi-page apps that started before it (maxConcurrency 4)', async () => {
    const sizes = [6, 6, 6, 6, 10];
    const { rounds } = await sync(org(sizes), { maxConcurrency: 4 });
    const long = roundsOf(rounds, 'a4', 10);
    // Its first page goes out while the others are being read (a slot in four is kept for first
    // pages); then, its pages keeping up with theirs, it waits one round at most (five lists at
    // the same depth on four slots: one of them waits, and which is long is not known).
    expect(long[0]).toBe(2);
    expect(long[9]! - long[0]!).toBeLessThanOrEqual(10);
    // The floor: the app list, then the long app's 10 pages (36 requests fit in 4 slots within that time).
    expect(rounds.trips).toBeLessThanOrEqual(floor(rounds, 1 + 10, 4) + 2);
  });

  it("the user list's slices go before apps' first pages: they continue a list already being read", async () => {
    // 40 users, 4 a page: a first page, then slices cut at its 4 users' lastUpdated, then the slice of users changed since.
    const sizes = Array.from({ length: 16 }, () => 1);
    // The user list's first page is answered after the app list's: the apps' first pages are waiting for slots by then.
    const { rounds, identities } = await sync(org(sizes, { users: 40, userPage: 4 }), { maxConcurrency: 4, userListSlices: 4 }, ['users#1']);
    expect(identities).toBe(40);
    const slices = [...new Set(rounds.log.flat().filter((label) => label.startsWith('users:')).map((label) => label.replace(/#\d+$/, '')))];
    expect(slices).toHaveLength(5);
    // Every slice's first page goes out as soon as a slot frees after the user list's first page
    // (round 0; three slots were taken by apps' first pages by then), not after the 13 apps'
    // first pages still waiting.
    const sliceRounds = slices.map((slice) => roundsOf(rounds, slice, rounds.log.flat().filter((label) => label.startsWith(`${slice}#`)).length));
    for (const pages of sliceRounds.slice(0, -1)) expect(pages[0]).toBeLessThanOrEqual(2);
    // The user list is the longest chain: its first page, the longest slice, the last slice.
    const chain = 1 + Math.max(...sliceRounds.slice(0, -1).map((pages) => pages.length)) + 1;
    expect(rounds.trips).toBeLessThanOrEqual(floor(rounds, chain, 4) + 1);
  });

  it("a re-sync reads the largest app first, from the last sync's page counts, and takes its floor", async () => {
    const sizes = [3, 3, 3, 3, 3, 3, 3, 3, 12];
    const sim = org(sizes);
    const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, maxConcurrency: 4 });
    try {
      const first = await syncOnce(provider, sim, 4);
      // Unknown lengths: the long app, listed last, starts once the first pages before it are read.
      expect(first.rounds.roundOf('a8#1')).toBeGreaterThan(1);
      const again = await syncOnce(provider, sim, 4);
      const long = roundsOf(again.rounds, 'a8', 12);
      expect(long).toEqual(long.map((_, i) => 1 + i));
      // The app list, then the long app's 12 pages: 13 round trips (38 requests fit in 4 slots within that time).
      expect(again.rounds.trips).toBe(floor(again.rounds, 1 + 12, 4));
      expect(again.rounds.trips).toBeLessThan(first.rounds.trips);
    } finally {
      await provider.close();
    }
  });

  it('with groups, a long member list is not starved by the member lists that started before it', async () => {
    const groups = [6, 6, 6, 6, 10];
    const { rounds } = await sync(org([], { groups }), { maxConcurrency: 4, groups: true });
    const long = roundsOf(rounds, 'g4', 10);
    expect(long[0]).toBe(2);
    expect(long[9]! - long[0]!).toBeLessThanOrEqual(10);
  });
});
