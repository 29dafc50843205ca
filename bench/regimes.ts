/**
 * The benchmark's regimes (simulator options and connector config) and its arithmetic: the
 * minimum number of requests of a full sync, the rate-bound floor and the latency-bound floor.
 * Pure functions.
 */
import { BUCKETS, PAGE_SIZE, type BucketName } from '../src/okta/endpoints.js';
import type { OktaConfig } from '../src/index.js';
import { resolveConfig } from '../src/config/config.js';

export type RegimeName = 'rate' | 'latency' | 'memory' | 'resolve' | 'groups';
export const REGIMES: readonly RegimeName[] = ['rate', 'latency', 'memory', 'resolve', 'groups'];

/** What sim-server.ts reports about its org. */
export interface OrgFacts {
  users: number;
  deprovisioned: number;
  apps: number;
  appUsers: number[];
  expected: { identities: number; accounts: number };
  probe: { app: string; account: string; ownerId: string } | null;
}

export interface Regime {
  name: RegimeName;
  title: string;
  sim: { users: number; apps: number; appUsersPerApp: number; seed: number; latencyMs: number; rateLimits: { windowMs: number; limits: Record<BucketName, number> }; groups?: number; appGroupsPerApp?: number; pushMappings?: number };
  connector: Partial<OktaConfig>;
}

const everyBucket = (n: number): Record<BucketName, number> => Object.fromEntries(Object.keys(BUCKETS).map((b) => [b, n])) as Record<BucketName, number>;

/**
 * The org: 30 apps, a third of them assigned to groups, each app directly assigned to 3 % of the
 * users; about 3 app users per user (20,000 users: ~60,000 app users; 100,000: ~300,000).
 */
const org = (users: number) => ({ seed: 1, users, apps: 30, appUsersPerApp: Math.round(users * 0.03) });

/** The org sizes and the apps bucket's per-second limit of the rate-bound regime (users get 3 times as much). */
export interface Scale {
  users: number;
  largeUsers: number;
  appsRate: number;
}

export function regime(name: RegimeName, { users, largeUsers, appsRate }: Scale): Regime {
  switch (name) {
    case 'rate':
      // Per-second windows; the apps bucket binds; users get 3 times its rate, the rest is generous.
      return {
        name,
        title: `rate-bound (1 s windows: apps ${appsRate}/s, users ${3 * appsRate}/s; 5 ms latency; connector rateLimitShare 1)`,
        sim: { ...org(users), latencyMs: 5, rateLimits: { windowMs: 1_000, limits: { ...everyBucket(1_000), apps: appsRate, users: 3 * appsRate } } },
        connector: { rateLimitShare: 1 },
      };
    case 'latency':
      return {
        name,
        title: 'latency-bound (100,000 requests/min per bucket; 100 ms per response; connector defaults)',
        sim: { ...org(users), latencyMs: 100, rateLimits: { windowMs: 60_000, limits: everyBucket(100_000) } },
        connector: {},
      };
    case 'memory':
      return {
        name,
        title: 'memory (large org; 1,000,000 requests/min per bucket; 5 ms latency; connector defaults)',
        sim: { ...org(largeUsers), latencyMs: 5, rateLimits: { windowMs: 60_000, limits: everyBucket(1_000_000) } },
        connector: {},
      };
    case 'groups':
      // The rate regime's org and limits, plus groups: 60 Okta groups, 2 app groups per provisioning
      // app and 6 Group Push mappings; the groups bucket gets 5 times the apps bucket (Okta: 500 vs 100 a minute).
      // Okta's ratio between the buckets (apps 100, users 300 at the least, groups 500 a minute)
      // at a quarter of the rate regime's speed: with 1 s windows a sync is compressed about 60
      // times, which inflates the weight of CPU work (the simulator's serialising of member lists
      // shares this machine's cores) far beyond what it has against real minute windows.
      return {
        name,
        title: `groups (1 s windows: apps ${appsRate / 4}/s, users ${(3 * appsRate) / 4}/s, groups ${(5 * appsRate) / 4}/s; 5 ms latency; connector rateLimitShare 1, with and without the groups option)`,
        sim: { ...org(users), groups: 60, appGroupsPerApp: 2, pushMappings: 6, latencyMs: 5, rateLimits: { windowMs: 1_000, limits: { ...everyBucket(1_000), apps: appsRate / 4, users: (3 * appsRate) / 4, groups: (5 * appsRate) / 4 } } },
        connector: { rateLimitShare: 1 },
      };
    case 'resolve':
      return {
        name,
        title: 'resolveAppUser (100,000 requests/min per bucket; 5 ms latency; connector defaults)',
        sim: { ...org(users), latencyMs: 5, rateLimits: { windowMs: 60_000, limits: everyBucket(100_000) } },
        connector: {},
      };
  }
}

/**
 * The same org and latency without rate limits: what the connector takes when only its own
 * throughput (CPU, concurrency, round trips) bounds it. A regime is rate-bound only if this is
 * well under its floor.
 */
export function unthrottled(r: Regime): Regime {
  return { ...r, sim: { ...r.sim, rateLimits: { windowMs: 60_000, limits: everyBucket(1_000_000) } } };
}

/**
 * The same org answering at once, without rate limits: what the connector takes when only the
 * CPU (its own and the simulator's, on the same machine) bounds it. A regime is latency-bound
 * only if this is well under its floor.
 */
export function withoutLatency(r: Regime): Regime {
  return { ...unthrottled(r), sim: { ...unthrottled(r).sim, latencyMs: 0 } };
}

/** Pages of one list: ceil(items / page size), and one request even for an empty list. */
const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

/**
 * The fewest requests a full sync can make, per bucket: the users list (non-DEPROVISIONED) plus
 * the DEPROVISIONED list at 200 a page; the apps list at 200 and each app's users at 500.
 */
export function minimumPages(f: OrgFacts): { users: number; apps: number; total: number } {
  const users = pages(f.users - f.deprovisioned, PAGE_SIZE.users) + pages(f.deprovisioned, PAGE_SIZE.users);
  const apps = pages(f.apps, PAGE_SIZE.apps) + f.appUsers.reduce((n, count) => n + pages(count, PAGE_SIZE.appUsers), 0);
  return { users, apps, total: users + apps };
}

/**
 * The rate-bound floor of one run, in ms from the job's start. A bucket with N pages and a limit
 * of L per window needs W = ceil(N / L) windows. Windows (of T ms, here 1 s) start on the whole
 * second of the first request, so the first one is partial and the last page cannot be sent
 * before the W-th window opens: s0 + (W - 1) * T, where s0 is the whole second in which the
 * run's first request arrived. It then takes at least the simulator's latency to answer. So
 * floor = max over buckets of max(0, s0 + (W - 1) * T - startedAt) + latencyMs.
 */
export function rateFloorMs(f: OrgFacts, r: Regime, startedAt: number, firstRequestAt: number): { floorMs: number; windows: Record<string, number> } {
  const min = minimumPages(f);
  const { windowMs, limits } = r.sim.rateLimits;
  const s0 = Math.floor(firstRequestAt / 1_000) * 1_000;
  const windows = { users: Math.ceil(min.users / limits.users), apps: Math.ceil(min.apps / limits.apps) };
  const busiest = Math.max(windows.users, windows.apps);
  return { floorMs: Math.max(0, s0 + (busiest - 1) * windowMs - startedAt) + r.sim.latencyMs, windows };
}

/** The latency-bound floor of a full sync and what sets it (see BENCHMARKS.md). */
export interface LatencyFloor {
  floorMs: number;
  /** Round trips of the longest chain of dependent requests, and which chain it is. */
  chain: number;
  chainName: string;
  /** Round trips the minimum number of requests takes on `maxConcurrency` slots. */
  spread: number;
  maxConcurrency: number;
}

/**
 * When every answer takes `latencyMs` and the rate limits do not bind, a full sync can end no
 * sooner than its longest chain of requests that each need the one before (the app list, then
 * the largest app's user list, page after page; or the user list's first page, its longest
 * slice, then the slice of users changed since), nor sooner than its requests take on the
 * concurrency slots: floor = max(chain, ceil(minimum requests / maxConcurrency)) × latency.
 * A slice's length is taken as an even share of the user list (slices are cut at the quantiles
 * of the first page's users).
 */
export function latencyFloor(f: OrgFacts, r: Regime): LatencyFloor {
  const { maxConcurrency, userListSlices } = resolveConfig({ hostname: 'bench.okta.com', token: 'bench', ...r.connector });
  const appsChain = pages(f.apps, PAGE_SIZE.apps) + Math.max(0, ...f.appUsers.map((count) => pages(count, PAGE_SIZE.appUsers)));
  const userPages = pages(f.users, PAGE_SIZE.users);
  const usersChain = userPages === 1 ? 1 : 1 + Math.ceil((userPages - 1) / Math.max(1, userListSlices - 1)) + 1;
  const chain = Math.max(appsChain, usersChain);
  const spread = Math.ceil(minimumPages(f).total / maxConcurrency);
  return { floorMs: Math.max(chain, spread) * r.sim.latencyMs, chain, chainName: appsChain >= usersChain ? 'the app list, then the largest app\'s users' : 'the user list and its longest slice', spread, maxConcurrency };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid_ = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid_]! : (sorted[mid_ - 1]! + sorted[mid_]!) / 2;
}
