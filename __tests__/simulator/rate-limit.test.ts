import { afterEach, describe, expect, it } from '@jest/globals';
import { OktaSimulator, type RateLimitOptions, type SimulatorOptions } from '../../src/simulator/index.js';
import { get } from './helpers.js';

const rl = (res: Response) => ({
  limit: Number(res.headers.get('x-rate-limit-limit')),
  remaining: Number(res.headers.get('x-rate-limit-remaining')),
  reset: Number(res.headers.get('x-rate-limit-reset')),
});

describe('rate limits', () => {
  let sim: OktaSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  async function start(rateLimits: RateLimitOptions, extra: SimulatorOptions = {}): Promise<OktaSimulator> {
    sim = new OktaSimulator({ users: 30, rateLimits, ...extra });
    await sim.start();
    return sim;
  }

  it('reports each bucket on its own, with the default per-minute limits', async () => {
    const t = Date.UTC(2025, 0, 1, 12, 0, 0, 250);
    const s = await start({}, { now: () => t });
    const user = s.org.users[0]!.id;
    const app = s.org.apps[0]!.id;
    const expected: Array<[string, number]> = [
      ['/api/v1/users', 600],
      [`/api/v1/users/${user}`, 2000],
      [`/api/v1/users/${user}/appLinks`, 2000],
      ['/api/v1/apps', 100],
      [`/api/v1/apps/${app}/users`, 100],
      ['/api/v1/groups', 500],
      ['/api/v1/logs', 120],
      ['/api/v1/unknown', 1200],
    ];
    for (const [path, limit] of expected) expect(rl(await get(s, path)).limit).toBe(limit);
    // users/{id} and users/{id}/appLinks share the `user` bucket; apps and apps/{id}/users share `apps`.
    expect(rl(await get(s, `/api/v1/users/${user}`)).remaining).toBe(2000 - 3);
    expect(rl(await get(s, '/api/v1/apps')).remaining).toBe(100 - 3);
    expect(rl(await get(s, '/api/v1/users')).remaining).toBe(600 - 2);
  });

  it('answers 429 E0000047 with Remaining 0 over the limit, and counts it', async () => {
    let t = Date.UTC(2025, 0, 1, 12, 0, 0, 0);
    const s = await start({ limits: { apps: 3 } }, { now: () => t });
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(s, '/api/v1/apps');
      expect(res.status).toBe(200);
      remaining.push(rl(res).remaining);
    }
    expect(remaining).toEqual([2, 1, 0]);
    const over = await get(s, '/api/v1/apps');
    expect(over.status).toBe(429);
    expect(rl(over)).toMatchObject({ limit: 3, remaining: 0 });
    expect(((await over.json()) as { errorCode: string }).errorCode).toBe('E0000047');
    // Other buckets are unaffected.
    expect((await get(s, '/api/v1/users')).status).toBe(200);
    expect(s.stats.rateLimited).toBe(1);
    expect(s.stats.byStatus['429']).toBe(1);
    t += 60_000;
    expect((await get(s, '/api/v1/apps')).status).toBe(200);
  });

  it('starts a window at the bucket’s first request, not on the clock’s minute', async () => {
    let t = Date.UTC(2025, 0, 1, 12, 0, 17, 400);
    const s = await start({ limits: { logs: 2 } }, { now: () => t });
    const first = rl(await get(s, '/api/v1/logs'));
    expect(first.reset).toBe(Math.ceil((t + 60_000) / 1000));
    t += 30_000; // 12:00:47.4, same window
    const second = rl(await get(s, '/api/v1/logs'));
    expect(second).toMatchObject({ remaining: 0, reset: first.reset });
    t += 29_000; // 12:01:16.4, still the same window (an aligned one would have reset at 12:01:00)
    const third = await get(s, '/api/v1/logs');
    expect(third.status).toBe(429);
    t += 2_000; // 12:01:18.4: the window ended at 12:01:17.4; a new one starts now
    const fourth = rl(await get(s, '/api/v1/logs'));
    expect(fourth.remaining).toBe(1);
    expect(fourth.reset).toBe(Math.ceil((t + 60_000) / 1000));
    // A bucket first used later has its own, later window.
    t += 5_000;
    expect(rl(await get(s, '/api/v1/groups')).reset).toBe(Math.ceil((t + 60_000) / 1000));
  });

  it('scales windows down and starts them on whole seconds so that Reset is exact', async () => {
    let t = Date.UTC(2025, 0, 1, 12, 0, 5, 700);
    const s = await start({ limits: { users: 2 }, windowMs: 1_000 }, { now: () => t });
    const a = rl(await get(s, '/api/v1/users'));
    expect(a.reset).toBe(Date.UTC(2025, 0, 1, 12, 0, 6) / 1000);
    await get(s, '/api/v1/users');
    expect((await get(s, '/api/v1/users')).status).toBe(429);
    t = a.reset * 1000; // exactly at Reset the bucket is fresh
    const b = await get(s, '/api/v1/users');
    expect(b.status).toBe(200);
    expect(rl(b)).toEqual({ limit: 2, remaining: 1, reset: a.reset + 1 });
  });

  it('dates responses on the org clock, so Date, Reset and lastUpdated agree, also after advanceClock', async () => {
    const s = await start({});
    const date = (res: Response): number => Date.parse(res.headers.get('date')!);
    const first = await get(s, '/api/v1/users?limit=1');
    expect(rl(first).reset * 1000 - date(first)).toBeGreaterThanOrEqual(60_000);
    expect(rl(first).reset * 1000 - date(first)).toBeLessThanOrEqual(61_000);
    s.advanceClock(10 * 86_400_000);
    const later = await get(s, '/api/v1/users?limit=1');
    expect(date(later) - date(first)).toBeGreaterThanOrEqual(10 * 86_400_000 - 1_000);
    // The old window ended in org time: a fresh one, whose Reset is a minute after this Date.
    expect(rl(later).remaining).toBe(599);
    expect(rl(later).reset * 1000 - date(later)).toBeLessThanOrEqual(61_000);
    const user = s.org.users.find((u) => u.status === 'ACTIVE')!;
    s.updateProfile(user.id, { title: 'Clockmaker' });
    const fetched = await get(s, `/api/v1/users/${user.id}`);
    const lastUpdated = Date.parse(((await fetched.json()) as { lastUpdated: string }).lastUpdated);
    expect(Math.abs(lastUpdated - date(fetched))).toBeLessThan(2_000);
  });

  it('caps requests in flight with 429 and X-Rate-Limit-Limit: 0', async () => {
    const s = await start({ maxConcurrent: 3 }, { latencyMs: 150 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => get(s, '/api/v1/groups')));
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    expect(limited).toHaveLength(5);
    for (const r of limited) {
      expect(r.headers.get('x-rate-limit-limit')).toBe('0');
      expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(r.headers.get('x-rate-limit-reset')).toMatch(/^\d+$/);
      expect(((await r.json()) as { errorCode: string }).errorCode).toBe('E0000047');
    }
    const stats = s.stats;
    expect(stats.concurrencyRejected).toBe(5);
    expect(stats.maxInFlight).toBe(8);
    expect(stats.byBucket.groups).toBe(8);
    // Concurrency rejections do not spend the bucket's budget.
    expect(rl(responses.find((r) => r.status === 200)!).remaining).toBeGreaterThanOrEqual(497);
    s.resetStats();
    expect(s.stats.requests).toBe(0);
  });

  it('adds latency to every response', async () => {
    const s = await start({}, { latencyMs: 60 });
    const t0 = performance.now();
    await get(s, '/api/v1/users?limit=1');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });
});
