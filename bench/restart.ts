/**
 * The `restart` regime of `npm run bench`: a host restarted with `indexPath` against one that
 * reads the org again. On the large org (100,000 people, ~300,000 accounts, with groups):
 *
 * 1. a full sync in a fresh process with `indexPath` (its time, requests and peak RSS; it leaves the file);
 * 2. while no process runs, the org changes: its largest group deleted, the app with the most
 *    holders deleted, 50 random mutations of every kind;
 * 3. a warm start in a fresh process on the file: time from construction to its first
 *    resolveAppUser answer and the requests it took, peak RSS while loading; then its stream,
 *    from when the sync began, until it has caught up: time, requests per bucket, changes.
 *
 * Requests are counted by the simulator (its own process) and by the provider.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineProcess, startSimulator, type JobRunner, type Json } from './child.js';
import { median } from './regimes.js';

export interface RestartRun {
  sync: { wallMs: number; requests: number; peakRssMb: number };
  fileMb: number;
  whileDown: Json;
  warm: { loadMs: number; firstResolveMs: number; requestsAtResolve: number; loadPeakRssMb: number; resolvePeakRssMb: number; catchUpMs: number; catchUpRequests: number; byBucket: Record<string, number>; changes: number; peakRssMb: number; ownerOk: boolean };
}

export interface RestartResult {
  org: { users: number; accounts: number };
  runs: RestartRun[];
}

const POLL_MS = 23;

async function job(runner: JobRunner, args: Json): Promise<Json> {
  const child = new LineProcess([...runner.args('job-connector'), JSON.stringify(args)], `restart ${String(args.mode)}`);
  const line = await child.next();
  const code = await child.exited;
  if (code !== 0) throw new Error(`the ${String(args.mode)} job exited with ${code}`);
  return line;
}

/** One run on a fresh org: sync with the file, changes while down, warm start and catch-up. */
async function runOnce(runner: JobRunner, users: number): Promise<{ run: RestartRun; accounts: number }> {
  const { sim, ready } = await startSimulator({ seed: 1, users, apps: 30, appUsersPerApp: Math.round(users * 0.03), groups: 60, appGroupsPerApp: 2, pushMappings: 6, latencyMs: 5, rateLimits: { windowMs: 60_000, limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } } });
  const dir = mkdtempSync(join(tmpdir(), 'okta-bench-restart-'));
  try {
    const facts = ready.facts as { probe: { app: string; account: string; ownerId: string }; expected: { accounts: number } };
    const config = { groups: true, indexPath: join(dir, 'index'), pollIntervalMs: POLL_MS };
    const base = { baseUrl: ready.baseUrl, token: ready.token, config, probe: facts.probe };
    const since = new Date().toISOString();
    await sim.ask('reset-stats');
    const sync = await job(runner, { ...base, mode: 'sync' });
    const syncStats = (await sim.ask('stats')) as { requests: number };
    const whileDown = await sim.ask(`restart-changes ${facts.probe.app}`);
    await sim.ask('reset-stats');
    const warm = await job(runner, { ...base, mode: 'warm', since });
    const warmStats = (await sim.ask('stats')) as { requests: number; byBucket?: Record<string, number> };
    return {
      accounts: facts.expected.accounts,
      run: {
        sync: { wallMs: Number(sync.wallMs), requests: syncStats.requests, peakRssMb: Number(sync.peakRssMb) },
        fileMb: statSync(config.indexPath).size / 2 ** 20,
        whileDown,
        warm: {
          loadMs: Number(warm.loadMs),
          resolvePeakRssMb: Number(warm.resolvePeakRssMb),
          firstResolveMs: Number(warm.firstResolveMs),
          requestsAtResolve: Number(warm.requestsAtResolve),
          loadPeakRssMb: Number(warm.loadPeakRssMb),
          catchUpMs: Number(warm.catchUpMs),
          catchUpRequests: warmStats.requests,
          byBucket: warmStats.byBucket ?? {},
          changes: Number(warm.changes),
          peakRssMb: Number(warm.peakRssMb),
          ownerOk: warm.ownerId === facts.probe.ownerId,
        },
      },
    };
  } finally {
    sim.send('quit');
    await sim.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRestart(runner: JobRunner, users: number, runs: number): Promise<RestartResult> {
  const out: RestartRun[] = [];
  let accounts = 0;
  for (let i = 0; i < runs; i++) {
    const { run, accounts: a } = await runOnce(runner, users);
    accounts = a;
    out.push(run);
    process.stderr.write(`[restart] run ${i + 1}/${runs}: ${JSON.stringify(run)}\n`);
  }
  return { org: { users, accounts }, runs: out };
}

/** The regime's table and its targets. */
export function reportRestart({ org, runs }: RestartResult, out: (line: string) => void): Array<{ target: string; measured: string; pass: boolean }> {
  const m = (f: (r: RestartRun) => number): number => median(runs.map(f));
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  out(`\n### restart (\`indexPath\`; ${fmt(org.users)} people, ${fmt(org.accounts)} accounts, groups; medians of ${runs.length})\n`);
  out('| | time | requests | peak RSS |');
  out('|---|---:|---:|---:|');
  out(`| full sync (writes the file, ${m((r) => r.fileMb).toFixed(0)} MB) | ${fmt(m((r) => r.sync.wallMs))} ms | ${fmt(m((r) => r.sync.requests))} | ${fmt(m((r) => r.sync.peakRssMb))} MB |`);
  out(`| warm start: construction to the index loaded | ${fmt(m((r) => r.warm.loadMs))} ms | 0 | ${fmt(m((r) => r.warm.loadPeakRssMb))} MB |`);
  out(`| warm start: construction to first resolveAppUser | ${fmt(m((r) => r.warm.firstResolveMs))} ms | ${fmt(m((r) => r.warm.requestsAtResolve))} | ${fmt(m((r) => r.warm.resolvePeakRssMb))} MB |`);
  out(`| catching up after the changes made while down | ${fmt(m((r) => r.warm.catchUpMs))} ms | ${fmt(m((r) => r.warm.catchUpRequests))} | ${fmt(m((r) => r.warm.peakRssMb))} MB |`);
  out(`\nWhile down: ${JSON.stringify(runs[0]!.whileDown)}. Catch-up requests by bucket (first run): ${JSON.stringify(runs[0]!.warm.byBucket)}; changes delivered: ${runs.map((r) => r.warm.changes).join(', ')}.`);
  return [
    { target: '[restart] warm start: first resolveAppUser within 1 s of construction, with 0 requests, right owner', measured: `${fmt(m((r) => r.warm.firstResolveMs))} ms, ${m((r) => r.warm.requestsAtResolve)} requests`, pass: runs.every((r) => r.warm.ownerOk) && m((r) => r.warm.firstResolveMs) <= 1_000 && runs.every((r) => r.warm.requestsAtResolve === 0) },
    { target: '[restart] catching up costs far fewer requests than a full sync', measured: `${fmt(m((r) => r.warm.catchUpRequests))} vs ${fmt(m((r) => r.sync.requests))}`, pass: m((r) => r.warm.catchUpRequests) < m((r) => r.sync.requests) / 10 },
    { target: "[restart] loading peaks below the full sync's RSS", measured: `${fmt(m((r) => r.warm.loadPeakRssMb))} MB vs ${fmt(m((r) => r.sync.peakRssMb))} MB`, pass: m((r) => r.warm.loadPeakRssMb) < m((r) => r.sync.peakRssMb) },
  ];
}
