import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { OktaIdentityProvider, type IdentityChange } from '../../src/index.js';
import { RecentSet } from '../../src/util/recent.js';
import { DEDUP_CAPACITY } from '../../src/provider/changes/stream.js';
import type { FromOrg, SoakChange, SoakOrgOptions, ToOrg } from './soak-org.js';
import { POLL_MS, recordFigures, soakBudgetMs, WatchedClock } from './support.js';

/**
 * The change stream runs for a share of SOAK_BUDGET_MS against an org that changes every few
 * milliseconds (random changes of every kind, bursts of profile edits, sign-in noise, 2%
 * injected faults). The org runs in another process (soak-org.ts), so this process's heap is
 * the connector's: sampled after a full GC, it must stay flat, and the stream's dedup set
 * must never grow past its capacity. At the end the stream catches up and the consumer's
 * snapshot equals the ground truth with no event lost. Figures go to
 * `<tmpdir>/okta-idp-reliability/stream-soak.json`.
 */
const BUDGET_MS = soakBudgetMs();
/** This file's share of the budget: the restart soak and the simulator's scale soak need the rest. */
const SHARE = 0.3;
const MB = 1024 * 1024;

/** A full garbage collection, when one can be had (v8's flag, then a fresh context's `gc`). */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Watches every RecentSet (the stream's dedup set): its largest size, without keeping any of them. */
const dedup = { maxSize: 0, adds: 0 };
const originalAdd = Object.getOwnPropertyDescriptor(RecentSet.prototype, 'add')!;
beforeAll(() => {
  const add = originalAdd.value as (this: RecentSet, key: string) => void;
  Object.defineProperty(RecentSet.prototype, 'add', {
    ...originalAdd,
    value(this: RecentSet, key: string) {
      add.call(this, key);
      dedup.adds++;
      if (this.size > dedup.maxSize) dedup.maxSize = this.size;
    },
  });
});
afterAll(() => {
  Object.defineProperty(RecentSet.prototype, 'add', originalAdd);
});

function startOrg(options: SoakOrgOptions): { child: ChildProcess; next: <T extends FromOrg['type']>(type: T) => Promise<Extract<FromOrg, { type: T }>>; send: (m: ToOrg) => void } {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = fork(fileURLToPath(new URL('./soak-org.ts', import.meta.url)), [JSON.stringify(options)], {
    cwd: root,
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4_000)));
  // A crash of the org shows up in the connector as refused connections: say why it crashed.
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`the soak org exited with code ${code}:\n${stderr}\n`);
  });
  const waiting = new Map<string, (m: FromOrg) => void>();
  child.on('message', (m: FromOrg) => {
    const resolve = waiting.get(m.type);
    waiting.delete(m.type);
    resolve?.(m);
  });
  const next = <T extends FromOrg['type']>(type: T): Promise<Extract<FromOrg, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the soak org exited (${code}) before '${type}': ${stderr.slice(-2000)}`));
      child.once('exit', onExit);
      waiting.set(type, (m) => {
        child.off('exit', onExit);
        resolve(m as Extract<FromOrg, { type: T }>);
      });
    });
  return { child, next, send: (m) => void (child.connected && child.send(m)) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

describe('the change stream (soak)', () => {
  it('runs against an org changing constantly: memory stays bounded, nothing is lost, it converges', async () => {
    const runMs = Math.max(5_000, BUDGET_MS * SHARE);
    const org = startOrg({
      sim: {
        seed: 77,
        users: 150,
        apps: 8,
        groups: 6,
        duplicateEventRate: 0.2,
        lateEventRate: 0.1,
        faults: { rate: 0.02, slowMs: 600 },
        rateLimits: { windowMs: 1_000, limits: { apps: 1e6, users: 1e6, user: 1e6, groups: 1e6, logs: 1e6 } },
      },
      everyMs: 20,
      changesPerTick: 1,
      burstPerSecond: 5_000,
      burstPeriodMs: 1_500,
      maxBurstEvents: 60_000,
      noisePerTick: 3,
    });
    const gc = exposeGc();
    const sample = (): number => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const clock = new WatchedClock(5);
    const ready = await org.next('ready');
    const connector = new OktaIdentityProvider(
      { hostname: 'example.okta.com', baseUrl: ready.baseUrl, token: ready.token, pollIntervalMs: POLL_MS, retries: 10, retryBaseDelayMs: 2, maxRetryDelayMs: 50, requestTimeoutMs: 300 },
      { clock },
    );
    const samples: Array<{ at: number; heap: number }> = [];
    let sampler: NodeJS.Timeout | undefined;
    try {
      const baseline = sample();
      const t0 = Date.now();
      org.send({ type: 'mutate' });
      sampler = setInterval(() => samples.push({ at: Date.now() - t0, heap: sample() }), 250);
      const controller = new AbortController();
      let batch: SoakChange[] = [];
      const flush = (): void => {
        if (batch.length > 0) org.send({ type: 'changes', changes: batch });
        batch = [];
      };
      // When the time is up the org stops changing; the stream then stops once it has caught up
      // with a page read after that (two polls later).
      let stopPolls: number | undefined;
      let stopping: Promise<unknown> | undefined;
      clock.onPoll = (n) => {
        if (stopPolls !== undefined && n >= stopPolls + 2) controller.abort();
      };
      const stopTimer = setTimeout(() => {
        stopping = org.next('stopped').then(() => (stopPolls = clock.polls));
        org.send({ type: 'stop' });
      }, runMs);
      let changes = 0;
      const toSoak = (c: IdentityChange): SoakChange => (c.type === 'upsert' ? { type: 'upsert', identity: c.identity, eventIds: c.eventIds } : { type: 'delete', id: c.id, eventIds: c.eventIds });
      try {
        for await (const change of connector.changes({ since: ready.since, signal: controller.signal })) {
          batch.push(toSoak(change));
          changes++;
          if (batch.length >= 50) flush();
        }
      } finally {
        clearTimeout(stopTimer);
      }
      await stopping;
      flush();
      const streamedMs = Date.now() - t0;
      clearInterval(sampler);
      const verifying = org.next('verified');
      org.send({ type: 'verify' });
      const verified = await verifying;
      const stats = connector.stats;
      await connector.close();
      const after = sample();

      // Memory: after warming up (the first fifth), the second half is no higher than the first
      // beyond a generous margin, and nothing is held once the stream is closed.
      const warm = samples.filter((s) => s.at >= runMs / 5 && s.at <= runMs);
      const mid = warm.length >> 1;
      const firstHalf = median(warm.slice(0, mid).map((s) => s.heap));
      const secondHalf = median(warm.slice(mid).map((s) => s.heap));
      const figures = {
        budgetMs: BUDGET_MS,
        share: SHARE,
        streamedMs,
        gcExposed: gc !== undefined,
        changes,
        ...verified,
        type: undefined,
        dedup: { capacity: DEDUP_CAPACITY, maxSize: dedup.maxSize, adds: dedup.adds },
        connector: { requests: stats.requests, retries: stats.retries, rateLimited: stats.rateLimited, polls: clock.polls, waits: clock.waits },
        heapMb: {
          baseline: +(baseline / MB).toFixed(1),
          firstHalfMedian: +(firstHalf / MB).toFixed(1),
          secondHalfMedian: +(secondHalf / MB).toFixed(1),
          max: +(Math.max(...samples.map((s) => s.heap)) / MB).toFixed(1),
          afterClose: +(after / MB).toFixed(1),
          samples: samples.length,
        },
        rssMb: +(process.memoryUsage().rss / MB).toFixed(1),
      };
      recordFigures('stream-soak', figures);

      expect(verified.lost).toBe(0);
      expect(verified.lostSample).toEqual([]);
      expect(verified.mismatchSample).toEqual([]);
      expect(verified.mismatches).toBe(0);
      expect(verified.converged).toBe(true);
      expect(verified.eventsChecked).toBeGreaterThan(1_000);
      // The dedup set was filled past its capacity, so its bound was really tested.
      expect(dedup.adds).toBeGreaterThan(DEDUP_CAPACITY);
      expect(dedup.maxSize).toBeLessThanOrEqual(DEDUP_CAPACITY);
      expect(warm.length).toBeGreaterThanOrEqual(4);
      // Without a GC to call the samples are noisier: allow more.
      const margin = (gc ? 8 : 48) * MB;
      expect(secondHalf).toBeLessThan(firstHalf + margin);
      expect(after).toBeLessThan(baseline + margin);
    } finally {
      clearInterval(sampler);
      await connector.close().catch(() => undefined);
      // 'close': the child has exited and its pipes are closed.
      const closed = new Promise((resolve) => org.child.once('close', resolve));
      org.send({ type: 'quit' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 3_000)))]);
      clearTimeout(timer);
      if (org.child.exitCode === null) org.child.kill();
    }
  });
});
