/**
 * The `bounds` regime of `npm run bench`: what a page costs whatever it holds, what an app-wide
 * change costs against a full sync, and resolveAppGroup at 2,000,000 memberships. Every figure is
 * measured in a fresh process (bench/job-bounds.ts); the pages come from a plain `node:http`
 * server in this process, the org from the simulator's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUCKETS } from '../src/okta/endpoints.js';
import { LineProcess, startSimulator, type JobRunner, type Json } from './child.js';
import { median } from './regimes.js';

const MB = 2 ** 20;

/** One list's pages: a hostile one (1,000 or 10,000 times its limit in tiny elements) and a valid one of the same size. */
interface PageFigure {
  list: 'logs' | 'users';
  limit: number;
  times: number;
  hostileBytes: number;
  validBytes: number;
  hostile: { growthMb: number; cpuMs: number; outcome: string };
  valid: { growthMb: number; cpuMs: number; outcome: string };
}

export interface BoundsResult {
  pages: PageFigure[];
  change: { holders: number; expired: number; groupMembers: number; accounts: number; figures: ChangeFigure[]; runs: string[] };
  resolve: { memberships: number; importedMs: number; pushedMs: number; groupSize: number; oneIn40kGroupsMs: number; runs: string[] };
}

export interface BoundsTarget {
  target: string;
  measured: string;
  pass: boolean;
}

/** The bodies the page server sends, by list and variant. */
function bodies(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const event = (n: number, pad: number) => ({ uuid: `uuid-${n}`, published: new Date().toISOString(), eventType: 'user.lifecycle.suspend', actor: { id: '00uAdmin', type: 'User' }, target: [{ id: `00u${n}`, type: 'User' }], debugContext: { debugData: { pad: 'x'.repeat(pad) } } });
  const user = (n: number, pad: number) => ({ id: `00u${n}`, status: 'ACTIVE', profile: { login: `u${n}@example.com`, email: `u${n}@example.com`, firstName: 'Ada', lastName: 'Lovelace', pad: 'x'.repeat(pad) } });
  const list = (items: unknown[]): Buffer => Buffer.from(JSON.stringify(items));
  // The log at 1,000 times its limit (3 MB); the user list at 10,000 times (4 MB, the size of the
  // reproduction that cost 877 MB): at 1,000 times its body is 0.4 MB, below what RSS resolves here.
  for (const [name, limit, times, zero, make] of [
    ['logs', 1000, 1000, '{}', event],
    ['users', 200, 10_000, '0', user],
  ] as const) {
    const hostile = Buffer.from(`[${new Array<string>(limit * times).fill(zero).join(',')}]`);
    const bare = list(Array.from({ length: limit }, (_, n) => make(n, 0))).length;
    const pad = Math.max(0, Math.floor((hostile.length - bare) / limit));
    out.set(`${name}:hostile`, hostile);
    out.set(`${name}:valid`, list(Array.from({ length: limit }, (_, n) => make(n, pad))));
    out.set(`${name}:tiny`, list([make(1, 0), make(2, 0)]));
  }
  return out;
}

async function pageServer(): Promise<{ server: Server; baseUrl: string; bodies: Map<string, Buffer> }> {
  const served = bodies();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const list = url.pathname === '/api/v1/logs' ? 'logs' : 'users';
    const body = served.get(`${list}:${url.searchParams.get('variant')}`);
    res.on('error', () => undefined);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies: served };
}

async function job(runner: JobRunner, args: Json, label: string): Promise<Json> {
  const child = new LineProcess([...runner.args('job-bounds'), JSON.stringify(args)], label);
  const line = await child.next();
  await child.exited;
  return line;
}

async function runPages(runner: JobRunner, runs: number): Promise<PageFigure[]> {
  const { server, baseUrl, bodies: served } = await pageServer();
  try {
    const figures: PageFigure[] = [];
    for (const [list, limit, times] of [
      ['logs', 1000, 1000],
      ['users', 200, 10_000],
    ] as const) {
      const samples: Record<'hostile' | 'valid', Json[]> = { hostile: [], valid: [] };
      for (let i = 0; i < runs; i++) {
        for (const variant of i % 2 === 0 ? (['hostile', 'valid'] as const) : (['valid', 'hostile'] as const)) {
          const line = await job(runner, { mode: 'page', baseUrl, token: 'bench-token', list, variant, reps: 5 }, `${list} ${variant}`);
          samples[variant].push(line);
          process.stderr.write(`[bounds] ${list} ${variant} page: +${Number(line.growthMb).toFixed(1)} MB, ${Number(line.cpuMs).toFixed(1)} ms CPU a read (${String(line.outcome)})\n`);
        }
      }
      const summary = (xs: Json[]) => ({ growthMb: median(xs.map((x) => Number(x.growthMb))), cpuMs: median(xs.map((x) => Number(x.cpuMs))), outcome: String(xs[0]!.outcome) });
      figures.push({ list, limit, times, hostileBytes: served.get(`${list}:hostile`)!.length, validBytes: served.get(`${list}:valid`)!.length, hostile: summary(samples.hostile), valid: summary(samples.valid) });
    }
    return figures;
  } finally {
    server.close();
  }
}

/** A change job: the change, and how the provider stands when it streams it. */
export type ChangeJob = 'sync' | 'relabel synced' | 'relabel no-index' | 'expiry synced' | 'expiry no-index' | 'sync groups' | 'group-delete synced';
export const CHANGE_JOBS: readonly ChangeJob[] = ['sync', 'relabel synced', 'relabel no-index', 'expiry synced', 'expiry no-index', 'sync groups', 'group-delete synced'];

/** Members of the group the group deletion deletes (a new OKTA_GROUP of that many people, made before each run). */
const BIG_GROUP = 75_000;

/** One change job's median peak, with what it delivered. */
export interface ChangeFigure {
  job: ChangeJob;
  peakMb: number;
  /** The full sync it is held against (`sync`, or `sync groups` for the group deletion). */
  against: 'sync' | 'sync groups';
  people: number;
}

/**
 * The large org with three apps that every user holds (relabelling one is a change of 100,000
 * accounts), a mass password expiry (every ACTIVE user), and a group of 75,000 deleted: each
 * change streamed on a synced provider and (the first two) in a fresh process, against the full
 * sync of the same org (with the groups option for the group deletion). `trace` prints each job's
 * memory every 50 ms to stderr.
 */
export async function runChange(runner: JobRunner, users: number, runs: number, trace = false, only: readonly ChangeJob[] = CHANGE_JOBS): Promise<BoundsResult['change']> {
  const limits = Object.fromEntries(Object.keys(BUCKETS).map((b) => [b, 1e9]));
  const { sim, ready } = await startSimulator({ seed: 1, users, apps: 3, appUsersPerApp: users, latencyMs: 0, rateLimits: { windowMs: 60_000, limits } });
  const facts = ready.facts as { appUsers: number[]; expected: { accounts: number } };
  const base = { baseUrl: String(ready.baseUrl), token: String(ready.token) };
  const peaks = new Map<ChangeJob, number[]>(CHANGE_JOBS.map((j) => [j, []]));
  const people = new Map<ChangeJob, number>();
  const log: string[] = [];
  let holders = 0;
  let expired = 0;
  let groupMembers = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const group = await sim.ask(`big-group ${BIG_GROUP}`);
      groupMembers = Number(group.members);
      for (const job of CHANGE_JOBS.filter((j) => only.includes(j))) {
        const [kind, variant] = job.split(' ') as [string, string | undefined];
        const args = { mode: 'change', variant: kind === 'sync' ? 'sync' : variant, groups: job.endsWith('groups') || kind === 'group-delete', trace, ...base };
        const child = new LineProcess([...runner.args('job-bounds'), JSON.stringify(args)], `change ${job}`);
        let line = await child.next();
        if (line.checkpoint === 'ready') {
          if (kind === 'relabel') holders = Number((await sim.ask('rename-largest-app')).holders);
          else if (kind === 'expiry') expired = Number((await sim.ask('expire-passwords')).expired);
          else await sim.ask(`delete-group ${String(group.groupId)}`);
          child.send('go');
          line = await child.next();
          people.set(job, Number(line.people));
        }
        await child.exited;
        if (kind === 'expiry') await sim.ask('restore-passwords');
        peaks.get(job)!.push(Number(line.peakRssMb));
        log.push(`${job} ${Number(line.peakRssMb).toFixed(0)} MB${line.people === undefined ? '' : ` (from ${Number(line.rssBeforeMb).toFixed(0)} MB; ${String(line.people)} people, ${Number(line.cpuMs).toFixed(0)} ms CPU)`}`);
        process.stderr.write(`[bounds] ${log[log.length - 1]}\n`);
      }
    }
  } finally {
    sim.send('quit');
    await sim.exited;
  }
  const figures = CHANGE_JOBS.map((job): ChangeFigure => ({ job, peakMb: median(peaks.get(job)!), against: job.startsWith('group') ? 'sync groups' : 'sync', people: people.get(job) ?? 0 }));
  return { holders, expired, groupMembers, accounts: facts.expected.accounts, figures, runs: log };
}

async function runResolveGroup(runner: JobRunner, runs: number): Promise<BoundsResult['resolve']> {
  const lines: Json[] = [];
  const groupSize = 1000;
  for (let i = 0; i < runs; i++) {
    const line = await job(runner, { mode: 'resolve-group', people: 100_000, groupsPerPerson: 20, groups: 2_000, groupSize, calls: 300 }, 'resolve-group');
    lines.push(line);
    process.stderr.write(`[bounds] resolveAppGroup at ${String(line.memberships)} memberships: ${JSON.stringify(line.imported)} imported, ${JSON.stringify(line.pushed)} pushed; one person in 40,000 groups ${String(line.oneIn40kGroupsMs)} ms\n`);
  }
  const ms = (key: 'imported' | 'pushed') => median(lines.map((l) => Number((l[key] as Json).ms)));
  return {
    memberships: Number(lines[0]!.memberships),
    importedMs: ms('imported'),
    pushedMs: ms('pushed'),
    groupSize,
    oneIn40kGroupsMs: median(lines.map((l) => Number(l.oneIn40kGroupsMs))),
    runs: lines.map((l) => `${Number((l.imported as Json).ms).toFixed(3)} / ${Number((l.pushed as Json).ms).toFixed(3)} ms`),
  };
}

export async function runBounds(runner: JobRunner, runs: number, users: number): Promise<BoundsResult> {
  return { pages: await runPages(runner, runs), change: await runChange(runner, users, runs), resolve: await runResolveGroup(runner, runs) };
}

/** Prints the regime's tables; returns its targets. */
export function reportBounds(r: BoundsResult, out: (text: string) => void): BoundsTarget[] {
  const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const targets: BoundsTarget[] = [];
  out('\n### Bounded by the page (medians; each figure from fresh processes)\n');
  out('A hostile page holds 1,000 (log) or 10,000 (users) times its `limit` in the smallest elements (`{}` events, `0` users); the valid page is as many bytes of real items. RSS growth: the peak over 5 reads, above the RSS before them, after a warm-up on valid pages of the list (a connector in use: its code compiled, its young generation sized); CPU: per read.\n');
  out('| list (limit) | page | elements | body | RSS growth (peak) | CPU per read | outcome |\n|---|---|---:|---:|---:|---:|---|');
  for (const p of r.pages) {
    out(`| ${p.list} (${p.limit}) | hostile | ${(p.limit * p.times).toLocaleString('en-US')} | ${fmt(p.hostileBytes / MB)} MB | ${fmt(p.hostile.growthMb)} MB | ${fmt(p.hostile.cpuMs)} ms | ${p.hostile.outcome} |`);
    out(`| ${p.list} (${p.limit}) | valid | ${p.limit} | ${fmt(p.validBytes / MB)} MB | ${fmt(p.valid.growthMb)} MB | ${fmt(p.valid.cpuMs)} ms | ${p.valid.outcome} |`);
    targets.push({ target: `[bounds] hostile ${p.list} page: peak RSS growth <= 2 × its body (${fmt((2 * p.hostileBytes) / MB)} MB)`, measured: `${fmt(p.hostile.growthMb)} MB`, pass: p.hostile.growthMb <= (2 * p.hostileBytes) / MB });
    targets.push({ target: `[bounds] hostile ${p.list} page: CPU <= 2 × a valid page of its size (${fmt(2 * p.valid.cpuMs)} ms)`, measured: `${fmt(p.hostile.cpuMs)} ms`, pass: p.hostile.cpuMs <= 2 * p.valid.cpuMs });
  }
  const c = r.change;
  const peak = (job: ChangeJob): number => c.figures.find((f) => f.job === job)!.peakMb;
  const names: Record<ChangeJob, string> = {
    sync: 'full sync',
    'relabel synced': `an app with ${c.holders.toLocaleString('en-US')} accounts relabelled, on a synced provider`,
    'relabel no-index': 'the same relabel in a fresh process (no index)',
    'expiry synced': `a mass password expiry (${c.expired.toLocaleString('en-US')} ACTIVE users), on a synced provider`,
    'expiry no-index': 'the same expiry in a fresh process (no index)',
    'sync groups': 'full sync with `groups: true`',
    'group-delete synced': `a group of ${c.groupMembers.toLocaleString('en-US')} deleted, on a synced provider with groups`,
  };
  out(`\nChanges of many people on one org (${c.accounts.toLocaleString('en-US')} app users), each streamed until caught up; a synced provider's peak is taken after its sync (VmHWM reset).\n`);
  out('| job | people delivered | peak RSS (median) | against |\n|---|---:|---:|---|');
  for (const f of c.figures) out(`| ${names[f.job]} | ${f.job.startsWith('sync') ? '' : f.people.toLocaleString('en-US')} | ${fmt(f.peakMb)} MB | ${f.job.startsWith('sync') ? '' : `${names[f.against]} (${fmt(peak(f.against))} MB)`} |`);
  out(`\nRuns (in order): ${c.runs.join('; ')}.`);
  for (const f of c.figures) {
    if (f.job.startsWith('sync')) continue;
    targets.push({ target: `[bounds] ${names[f.job]}: peak RSS <= the ${names[f.against]}'s`, measured: `${fmt(f.peakMb)} MB vs ${fmt(peak(f.against))} MB`, pass: f.peakMb <= peak(f.against) });
  }
  const g = r.resolve;
  out(`\nresolveAppGroup from a synced index of ${g.memberships.toLocaleString('en-US')} memberships (100,000 people in 20 of 2,000 groups), an app group of ${g.groupSize.toLocaleString('en-US')} members: ${fmt(g.importedMs, 3)} ms imported, ${fmt(g.pushedMs, 3)} ms pushed (median of 300 calls, median of runs ${g.runs.join(', ')}). One person added to 40,000 groups: ${fmt(g.oneIn40kGroupsMs, 0)} ms.`);
  targets.push({ target: '[bounds] resolveAppGroup at 2,000,000 memberships <= 1 ms (median)', measured: `${fmt(g.importedMs, 3)} ms imported, ${fmt(g.pushedMs, 3)} ms pushed`, pass: g.importedMs <= 1 && g.pushedMs <= 1 });
  return targets;
}
