/**
 * `npm run bench`: the connector against a competent `@okta/okta-sdk-nodejs` job on the same
 * simulated org, in four regimes (rate-bound, latency-bound, memory, resolveAppUser). The
 * simulator and every measured job run in their own processes; request and 429 counts come
 * from the simulator. Prints markdown tables and each target with PASS/FAIL.
 *
 *   npm run bench -- [--regime rate,latency,memory,resolve,groups,changes,bounds,restart] [--runs 3] [--users 20000]
 *                    [--large-users 100000] [--apps-rate 20] [--no-sdk-memory]
 *                    [--job-node-options "--max-semi-space-size=1"]   (node flags of the measured jobs only)
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { reportBounds, runBounds, type BoundsResult } from './bounds.js';
import { runChangeCosts, type ChangeCostResult } from './changes.js';
import { countRoundTrips, type RoundTrips } from './rounds.js';
import { reportRestart, runRestart, type RestartResult } from './restart.js';
import { jobRunner, LineProcess, startSimulator, type JobRunner, type Json } from './child.js';
import type { MemoryBreakdown } from './rss.js';
import { latencyFloor, median, minimumPages, rateFloorMs, regime, REGIMES, type OrgFacts, type Regime, type Scale, unthrottled, withoutLatency } from './regimes.js';

/** The regimes: the simulated-org ones of regimes.ts, `changes` (bench/changes.ts), `bounds` (bench/bounds.ts) and `restart` (bench/restart.ts). */
const ALL_REGIMES = [...REGIMES, 'changes', 'bounds', 'restart'] as const;
type AnyRegime = (typeof ALL_REGIMES)[number];

interface Flags extends Scale {
  regimes: AnyRegime[];
  runs: number;
  sdkMemory: boolean;
  jobNodeOptions: string[];
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { regimes: [...ALL_REGIMES], runs: 3, users: 20_000, largeUsers: 100_000, appsRate: 20, sdkMemory: true, jobNodeOptions: [] };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++i] ?? '';
    const count = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a positive integer`);
      return n;
    };
    if (name === '--regime') {
      flags.regimes = value().split(',') as AnyRegime[];
      for (const r of flags.regimes) if (!ALL_REGIMES.includes(r)) throw new Error(`unknown regime ${r} (${ALL_REGIMES.join('|')})`);
    } else if (name === '--runs') flags.runs = count();
    else if (name === '--users') flags.users = count();
    else if (name === '--large-users') flags.largeUsers = count();
    else if (name === '--apps-rate') flags.appsRate = count();
    else if (name === '--no-sdk-memory') flags.sdkMemory = false;
    else if (name === '--job-node-options') flags.jobNodeOptions = value().split(' ').filter(Boolean);
    else throw new Error(`unknown flag ${name}`);
  }
  return flags;
}

/**
 * `unthrottled`: the connector on the same org without rate limits (the rate regime's throughput reference).
 * `no-latency`: the connector on the same org answering at once, without rate limits (the latency regime's CPU reference).
 * `connector-resync`: the connector's second sync in one process (it knows the last sync's app sizes).
 * `small-young`: the connector with V8's young generation capped by a host flag (the memory regime's reference).
 */
type JobName = 'connector' | 'sdk' | 'unthrottled' | 'no-latency' | 'small-young' | 'connector-groups' | 'connector-resync';

/** The host flag of the `small-young` reference: V8's semi-spaces at 1 MB instead of up to 16 MB each. */
const SMALL_YOUNG = ['--max-semi-space-size=1'];

interface Run {
  job: JobName;
  wallMs: number;
  startedAt: number;
  peakRssMb: number;
  requests: number;
  rateLimited: number;
  valid: boolean;
  floorMs?: number;
  memory?: MemoryBreakdown;
  /** Requests per rate-limit bucket. */
  byBucket: Record<string, number>;
  /** Group memberships delivered (the groups option). */
  memberships: number;
  /** The job's CPU time (user + system). */
  cpuMs: number;
}

interface Org {
  sim: LineProcess;
  baseUrl: string;
  token: string;
  facts: OrgFacts;
}

const out = (text = ''): void => void process.stdout.write(`${text}\n`);
const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

async function startOrg(r: Regime): Promise<Org> {
  const started = Date.now();
  const { sim, ready } = await startSimulator(r.sim as unknown as Json);
  const facts = ready.facts as OrgFacts;
  process.stderr.write(`[${r.name}] simulator ready in ${Date.now() - started} ms: ${facts.users} users, ${facts.apps} apps, ${facts.expected.accounts} app users\n`);
  return { sim, baseUrl: String(ready.baseUrl), token: String(ready.token), facts };
}

/** One measured sync in a fresh process, with the simulator's counters of that run alone. */
async function runSync(runner: JobRunner, org: Org, r: Regime, job: JobName): Promise<Run> {
  await org.sim.ask('reset-stats');
  const args = { baseUrl: org.baseUrl, token: org.token, mode: 'sync', resync: job === 'connector-resync', config: job === 'connector-groups' ? { ...r.connector, groups: true } : r.connector };
  const child = new LineProcess([...runner.args(job === 'sdk' ? 'job-sdk' : 'job-connector', job === 'small-young' ? SMALL_YOUNG : []), JSON.stringify(args)], job);
  if (job === 'connector-resync') {
    // The first sync is not measured: the counters start with the re-sync.
    await child.next().catch(() => undefined);
    await org.sim.ask('reset-stats');
    child.send('go');
  }
  const result = await child.next().catch((error: unknown) => ({ error: String(error) }) as Json);
  const code = await child.exited;
  const stats = await org.sim.ask('stats');
  const e = org.facts.expected;
  const valid = code === 0 && result.identities === e.identities && result.accounts === e.accounts;
  if (!valid) process.stderr.write(`[${r.name}] INVALID ${job} run: ${JSON.stringify(result)} (expected ${e.identities} identities, ${e.accounts} accounts; exit ${code})\n`);
  const run: Run = {
    job,
    wallMs: Number(result.wallMs),
    startedAt: Number(result.startedAt),
    peakRssMb: Number(result.peakRssMb),
    requests: Number(stats.requests),
    rateLimited: Number(stats.rateLimited),
    valid,
    byBucket: stats.byBucket as Record<string, number>,
    memberships: Number(result.memberships ?? 0),
    cpuMs: Number(result.cpuMs ?? Number.NaN),
    ...(result.memory ? { memory: result.memory as unknown as MemoryBreakdown } : {}),
  };
  if (r.name === 'rate' && job !== 'unthrottled') run.floorMs = rateFloorMs(org.facts, r, run.startedAt, Number(stats.firstRequestAt ?? run.startedAt)).floorMs;
  if (r.name === 'latency' && job !== 'no-latency') run.floorMs = latencyFloor(org.facts, r).floorMs;
  process.stderr.write(
    `[${r.name}] ${job}: ${fmt(run.wallMs)} ms (CPU ${fmt(run.cpuMs)} ms), ${run.requests} requests, ${run.rateLimited} x 429, ${fmt(run.peakRssMb, 1)} MB${run.floorMs ? `, floor ${fmt(run.floorMs)} ms` : ''}\n`,
  );
  return run;
}

interface RegimeResult {
  regime: Regime;
  facts: OrgFacts;
  runs: Run[];
  /** The 1-minute load average when the regime started and ended (the machine is shared). */
  load: [number, number];
  resolve?: { fresh: number; afterSync: number; correct: boolean };
  /** The latency regime's order in round trips, on a fake clock. */
  rounds?: RoundTrips;
}

async function runRegime(runner: JobRunner, r: Regime, flags: Flags): Promise<RegimeResult> {
  const loadBefore = loadavg()[0]!;
  const org = await startOrg(r);
  const runs: Run[] = [];
  try {
    if (r.name === 'resolve') {
      const resolve = await runResolve(runner, org, r);
      return { regime: r, facts: org.facts, runs, load: [loadBefore, loadavg()[0]!], resolve };
    }
    if (r.name === 'groups') {
      // Alternating, each run on fresh rate-limit windows.
      for (let i = 0; i < flags.runs; i++) {
        for (const job of i % 2 === 0 ? (['connector', 'connector-groups'] as const) : (['connector-groups', 'connector'] as const)) {
          await sleep(r.sim.rateLimits.windowMs + 200);
          runs.push(await runSync(runner, org, r, job));
        }
      }
      return { regime: r, facts: org.facts, runs, load: [loadBefore, loadavg()[0]!] };
    }
    const sdkRuns = r.name === 'memory' ? (flags.sdkMemory ? 1 : 0) : flags.runs;
    for (let i = 0; i < Math.max(flags.runs, sdkRuns); i++) {
      // Alternate which job goes first, so that neither always runs on a warmer (or noisier) machine.
      const order: JobName[] = i % 2 === 0 ? ['connector', 'sdk'] : ['sdk', 'connector'];
      if (r.name === 'latency') order.push('connector-resync');
      for (const job of order) {
        if (job === 'sdk' && i >= sdkRuns) continue;
        if (job === 'connector' && i >= flags.runs) continue;
        // Let every rate-limit window of the previous run end, so each run starts on fresh budgets.
        if (r.name === 'rate') await sleep(r.sim.rateLimits.windowMs + 200);
        runs.push(await runSync(runner, org, r, job));
      }
    }
    if (r.name === 'memory') for (let i = 0; i < flags.runs; i++) runs.push(await runSync(runner, org, r, 'small-young'));
  } finally {
    org.sim.send('quit');
    await org.sim.exited;
  }
  if (r.name === 'rate') runs.push(...(await runReference(runner, unthrottled(r), 'unthrottled', flags)));
  if (r.name === 'latency') {
    runs.push(...(await runReference(runner, withoutLatency(r), 'no-latency', flags)));
    const rounds = await countRoundTrips(r, org.facts);
    process.stderr.write(`[latency] round trips on a fake clock: ${rounds.first} (re-sync ${rounds.resync}), floor ${rounds.floor}\n`);
    return { regime: r, facts: org.facts, runs, load: [loadBefore, loadavg()[0]!], rounds };
  }
  return { regime: r, facts: org.facts, runs, load: [loadBefore, loadavg()[0]!] };
}

/** A regime's reference: the connector on the same org with no rate limits (and, for `no-latency`, no latency). */
async function runReference(runner: JobRunner, reference: Regime, job: 'unthrottled' | 'no-latency', flags: Flags): Promise<Run[]> {
  const org = await startOrg(reference);
  const runs: Run[] = [];
  try {
    for (let i = 0; i < flags.runs; i++) runs.push(await runSync(runner, org, reference, job));
  } finally {
    org.sim.send('quit');
    await org.sim.exited;
  }
  return runs;
}

/** resolveAppUser on a fresh provider, then after a full sync; requests counted by the simulator. */
async function runResolve(runner: JobRunner, org: Org, r: Regime): Promise<NonNullable<RegimeResult['resolve']>> {
  const probe = org.facts.probe;
  if (!probe) throw new Error('the org has no app with a single instance to resolve in');
  const child = new LineProcess([...runner.args('job-connector'), JSON.stringify({ baseUrl: org.baseUrl, token: org.token, mode: 'resolve', config: r.connector, probe })], 'resolve');
  const counts: Record<string, number> = {};
  let correct = true;
  for (;;) {
    const line = await child.next();
    if (line.done) break;
    if (line.checkpoint === 'fresh' || line.checkpoint === 'synced') await org.sim.ask('reset-stats');
    else counts[String(line.checkpoint)] = Number((await org.sim.ask('stats')).requests);
    if (line.checkpoint === 'synced') correct &&= line.identities === org.facts.expected.identities && line.accounts === org.facts.expected.accounts;
    if (String(line.checkpoint).startsWith('resolved')) correct &&= line.ownerId === probe.ownerId;
    child.send('go');
  }
  await child.exited;
  const result = { fresh: counts['resolved-fresh']!, afterSync: counts['resolved-after-sync']!, correct };
  process.stderr.write(`[resolve] ${probe.app} / ${probe.account}: ${result.fresh} requests fresh, ${result.afterSync} after a sync, owner ${correct ? 'correct' : 'WRONG'}\n`);
  return result;
}

interface Summary {
  wallMs: number;
  requests: number;
  rateLimited: number;
  maxRateLimited: number;
  peakRssMb: number;
  valid: string;
  allValid: boolean;
}

function summarize(runs: Run[], job: JobName): Summary | null {
  const mine = runs.filter((x) => x.job === job);
  if (mine.length === 0) return null;
  const ok = mine.filter((x) => x.valid);
  return {
    wallMs: median(ok.map((x) => x.wallMs)),
    requests: median(ok.map((x) => x.requests)),
    rateLimited: median(ok.map((x) => x.rateLimited)),
    maxRateLimited: Math.max(...mine.map((x) => x.rateLimited)),
    peakRssMb: median(ok.map((x) => x.peakRssMb)),
    valid: `${ok.length}/${mine.length}`,
    allValid: ok.length === mine.length,
  };
}

/** Where the connector's memory went (medians of its runs): what is fixed, what is V8's headroom, what is data. */
function memoryBreakdown(runs: Run[]): void {
  out('\nWhere the memory went (medians; heap spaces sampled every 25 ms, "at the end" after a forced full collection):\n');
  out('| job | peak RSS | RSS before the sync | young generation (peak) | old space (peak) | heap live at the end | ArrayBuffers (peak) | ArrayBuffers live at the end (the store) |');
  out('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const job of ['connector', 'small-young'] as const) {
    const mine = runs.filter((x) => x.job === job && x.valid && x.memory);
    if (mine.length === 0) continue;
    const m = (key: keyof MemoryBreakdown): string => `${fmt(median(mine.map((x) => x.memory![key])), 1)} MB`;
    out(`| ${job === 'connector' ? 'connector' : `connector, \`${SMALL_YOUNG.join(' ')}\``} | ${fmt(median(mine.map((x) => x.peakRssMb)), 1)} MB | ${m('startRssMb')} | ${m('peakNewSpaceMb')} | ${m('peakOldSpaceMb')} | ${m('liveHeapMb')} | ${m('peakArrayBuffersMb')} | ${m('liveArrayBuffersMb')} |`);
  }
}

interface Target {
  target: string;
  measured: string;
  pass: boolean;
}

function report(results: RegimeResult[], changes: ChangeCostResult | undefined, bounds: BoundsResult | undefined, restart: RestartResult | undefined, flags: Flags, runner: JobRunner, command: string): void {
  const targets: Target[] = [];
  out(`## Results\n\nCommand: \`${command}\`  \nMachine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30)} GiB, shared and noisy; Node ${process.version}; jobs run as ${runner.kind}${flags.jobNodeOptions.length ? ` with \`${flags.jobNodeOptions.join(' ')}\`` : ' with default node flags'}.  \nMedians of ${flags.runs} runs per job (connector and SDK alternating), each in a fresh process; requests and 429s counted by the simulator.`);
  for (const { regime: r, facts, runs, resolve, load, rounds } of results) {
    const min = minimumPages(facts);
    out(`\n### ${r.title}\n\nOrg: ${fmt(facts.users)} users (${fmt(facts.deprovisioned)} DEPROVISIONED), ${facts.apps} apps, ${fmt(facts.expected.accounts)} app users. Minimum requests for a full sync: ${min.total} (users ${min.users}, apps bucket ${min.apps}). Load average (1 min) at start / end: ${fmt(load[0], 2)} / ${fmt(load[1], 2)}.\n`);
    if (resolve) {
      out(`| resolveAppUser("${facts.probe!.app}", …) | requests | owner |\n|---|---:|---|\n| fresh provider | ${resolve.fresh} | ${resolve.correct ? 'correct' : 'WRONG'} |\n| after a full sync | ${resolve.afterSync} | ${resolve.correct ? 'correct' : 'WRONG'} |`);
      targets.push({ target: 'resolveAppUser on a fresh provider <= 3 requests', measured: `${resolve.fresh}`, pass: resolve.correct && resolve.fresh <= 3 });
      targets.push({ target: 'resolveAppUser after a sync: 0 requests', measured: `${resolve.afterSync}`, pass: resolve.correct && resolve.afterSync === 0 });
      continue;
    }
    if (r.name === 'groups') {
      targets.push(...reportGroups(runs));
      continue;
    }
    const c = summarize(runs, 'connector')!;
    const s = summarize(runs, 'sdk');
    const floors = runs.filter((x) => x.job === 'connector' && x.valid && x.floorMs !== undefined);
    const floored = r.name === 'rate' || r.name === 'latency';
    if (r.name === 'latency') {
      const f = latencyFloor(facts, r);
      out(`Floor: max(the longest chain of dependent requests, ${f.chain} round trips (${f.chainName}); the minimum requests on ${f.maxConcurrency} slots, ceil(${min.total} / ${f.maxConcurrency}) = ${f.spread} round trips) × ${r.sim.latencyMs} ms = ${fmt(f.floorMs)} ms.\n`);
    }
    out(`| job | wall (median) | CPU (median) | requests | 429s | peak RSS | valid runs |${floored ? ' floor (median) | wall / floor (median) |' : ''}`);
    out(`|---|---:|---:|---:|---:|---:|---:|${floored ? '---:|---:|' : ''}`);
    const floorCells = (job: JobName): string => {
      if (!floored) return '';
      if (job === 'unthrottled' || job === 'no-latency' || job === 'small-young') return ' | |';
      const mine = runs.filter((x) => x.job === job && x.valid);
      return ` ${fmt(median(mine.map((x) => x.floorMs!)))} ms | ${fmt(median(mine.map((x) => x.wallMs / x.floorMs!)), 2)}× |`;
    };
    const cpu = (job: JobName): string => {
      const mine = runs.filter((x) => x.job === job && x.valid && Number.isFinite(x.cpuMs));
      return mine.length === 0 ? '' : `${fmt(median(mine.map((x) => x.cpuMs)))} ms`;
    };
    const row = (name: string, x: Summary, job: JobName): void =>
      out(`| ${name} | ${fmt(x.wallMs)} ms | ${cpu(job)} | ${fmt(x.requests)} | ${fmt(x.rateLimited)} | ${fmt(x.peakRssMb)} MB | ${x.valid} |${floorCells(job)}`);
    row('connector', c, 'connector');
    const u = summarize(runs, 'unthrottled');
    if (u) row('connector without rate limits (reference)', u, 'unthrottled');
    const instant = summarize(runs, 'no-latency');
    const resync = summarize(runs, 'connector-resync');
    if (resync) row("connector, a re-sync (the provider's second sync: it knows the last sync's app sizes)", resync, 'connector-resync');
    if (instant) row('connector, same org answering at once, no rate limits (reference: the CPU bound)', instant, 'no-latency');
    const young = summarize(runs, 'small-young');
    if (young) row(`connector, host flag \`${SMALL_YOUNG.join(' ')}\` (reference)`, young, 'small-young');
    if (s) {
      row('okta-sdk-nodejs', s, 'sdk');
      out(`| SDK / connector | ${fmt(s.wallMs / c.wallMs, 1)}× | | ${fmt(s.requests / c.requests, 2)}× | | ${fmt(s.peakRssMb / c.peakRssMb, 1)}× | |${floored ? ' | |' : ''}`);
    }
    const names = { connector: 'Connector', sdk: 'SDK', unthrottled: 'Connector without rate limits', 'no-latency': 'Connector answered at once', 'connector-resync': 'Connector re-sync', 'small-young': `Connector with \`${SMALL_YOUNG.join(' ')}\`` };
    for (const job of ['connector', 'sdk', 'connector-resync', 'unthrottled', 'no-latency', 'small-young'] as const) {
      const mine = runs.filter((x) => x.job === job);
      if (mine.length > 0) out(`\n${names[job]} runs (in order): ${mine.map((x) => `${fmt(x.wallMs)} ms${x.floorMs ? ` (floor ${fmt(x.floorMs)})` : ''}, CPU ${fmt(x.cpuMs)} ms, ${x.requests} req, ${x.rateLimited}×429, ${fmt(x.peakRssMb)} MB${x.valid ? '' : ' INVALID'}`).join('; ')}.`);
    }
    if (r.name === 'memory') memoryBreakdown(runs);
    const worst = Math.max(...runs.filter((x) => x.job === 'connector').map((x) => x.requests));
    targets.push({ target: `[${r.name}] requests <= 1.02 × minimum (${min.total})`, measured: `${worst} (${fmt(worst / min.total, 3)}×, worst run)`, pass: c.allValid && worst <= 1.02 * min.total });
    if (r.name === 'rate') {
      const ratio = median(floors.map((x) => x.wallMs / x.floorMs!));
      targets.push({ target: '[rate] wall <= 1.1 × floor', measured: `${fmt(ratio, 2)}× (median of ${floors.map((x) => `${fmt(x.wallMs)}/${fmt(x.floorMs!)} ms`).join(', ')})`, pass: c.allValid && ratio <= 1.1 });
      targets.push({ target: '[rate] no 429 with rateLimitShare 1', measured: `${c.maxRateLimited} (most in one run)`, pass: c.allValid && c.maxRateLimited === 0 });
    }
    if (rounds) {
      out(`\nThe same syncs in round trips, on a fake clock (\`bench/rounds.ts\`: every answer takes one round, so neither CPU time nor the machine's noise counts): the first sync ${rounds.first} (${fmt(rounds.first / rounds.floor, 2)}× the floor of ${rounds.floor}), a re-sync ${rounds.resync} (${fmt(rounds.resync / rounds.floor, 2)}×); ${rounds.requests.first} and ${rounds.requests.resync} requests.`);
      targets.push({ target: '[latency] round trips (fake clock, no CPU) <= 1.3 × floor', measured: `${rounds.first} / ${rounds.floor} = ${fmt(rounds.first / rounds.floor, 2)}× (a re-sync: ${fmt(rounds.resync / rounds.floor, 2)}×)`, pass: rounds.first <= 1.3 * rounds.floor });
    }
    if (r.name === 'latency') {
      const ratio = median(floors.map((x) => x.wallMs / x.floorMs!));
      const ratioOf = (job: JobName): string => fmt(median(runs.filter((x) => x.job === job && x.valid).map((x) => x.wallMs / x.floorMs!)), 2);
      const others = `${s ? `; the SDK: ${ratioOf('sdk')}×` : ''}${resync ? `; a re-sync: ${ratioOf('connector-resync')}×` : ''}`;
      targets.push({ target: '[latency] wall <= 1.3 × floor', measured: `${fmt(ratio, 2)}× (median of ${floors.map((x) => `${fmt(x.wallMs)}/${fmt(x.floorMs!)} ms`).join(', ')}${others})`, pass: c.allValid && ratio <= 1.3 });
    }
    if (r.name === 'latency' && s) {
      targets.push({ target: '[latency] >= 5× faster than the SDK', measured: `${fmt(s.wallMs / c.wallMs, 1)}× (${fmt(s.wallMs)} / ${fmt(c.wallMs)} ms)`, pass: c.allValid && s.allValid && s.wallMs / c.wallMs >= 5 });
    }
    if (r.name === 'memory') {
      const worstRss = Math.max(...runs.filter((x) => x.job === 'connector').map((x) => x.peakRssMb));
      targets.push({ target: `[memory] connector peak RSS <= 150 MB (${fmt(facts.users)} identities, ${fmt(facts.expected.accounts)} accounts)`, measured: `${fmt(c.peakRssMb, 1)} MB median, ${fmt(worstRss, 1)} MB worst`, pass: c.allValid && worstRss <= 150 });
    }
  }
  if (changes) targets.push(...reportChanges(changes));
  if (bounds) targets.push(...reportBounds(bounds, out));
  if (restart) targets.push(...reportRestart(restart, out));
  out('\n### Targets\n\n| target | measured | result |\n|---|---|---|');
  for (const t of targets) out(`| ${t.target} | ${t.measured} | ${t.pass ? 'PASS' : 'FAIL'} |`);
}

/** The `groups` regime: the same sync with and without the groups option. */
function reportGroups(runs: Run[]): Target[] {
  const plain = summarize(runs, 'connector')!;
  const withGroups = summarize(runs, 'connector-groups')!;
  const bucket = (job: JobName, name: string): number => median(runs.filter((x) => x.job === job && x.valid).map((x) => x.byBucket[name] ?? 0));
  out('| job | wall (median) | connector CPU (median) | requests | apps bucket | users list | groups bucket | memberships | peak RSS | valid runs |');
  out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, job, x] of [['without groups', 'connector', plain], ['with groups: true', 'connector-groups', withGroups]] as const) {
    const mine = runs.filter((r) => r.job === job);
    out(`| ${name} | ${fmt(x.wallMs)} ms | ${fmt(median(mine.map((r) => r.cpuMs)))} ms | ${fmt(x.requests)} | ${fmt(bucket(job, 'apps'))} | ${fmt(bucket(job, 'users'))} | ${fmt(bucket(job, 'groups'))} | ${fmt(median(mine.map((r) => r.memberships)))} | ${fmt(x.peakRssMb)} MB | ${x.valid} |`);
  }
  for (const job of ['connector', 'connector-groups'] as const) out(`\n${job === 'connector' ? 'Without' : 'With'} groups, runs (in order): ${runs.filter((x) => x.job === job).map((x) => `${fmt(x.wallMs)} ms, ${x.requests} req`).join('; ')}.`);
  const ratio = withGroups.wallMs / plain.wallMs;
  return [{ target: '[groups] a sync with groups takes about as long as one without when the apps bucket binds (<= 1.1×)', measured: `${fmt(ratio, 2)}× (${fmt(withGroups.wallMs)} / ${fmt(plain.wallMs)} ms)`, pass: plain.allValid && withGroups.allValid && ratio <= 1.1 }];
}

/** The `changes` regime's table; its targets. */
function reportChanges({ org, fullSync, costs }: ChangeCostResult): Target[] {
  out(`\n### What a change costs the stream (requests per rate-limit bucket, counted by the simulator; deterministic, one run)\n\nOrg: ${fmt(org.users)} users, ${org.apps} apps, ${fmt(org.accounts)} app users. A full sync took ${fmt(fullSync.apps)} apps-bucket and ${fmt(fullSync.users)} users-bucket requests. "synced": the provider ran listIdentities() first; "no index": a stream resumed in a new process.\n`);
  out('| change | index | people changed | apps bucket | users list | single users | groups | converged |');
  out('|---|---|---:|---:|---:|---:|---:|---|');
  for (const c of costs) out(`| ${c.kind} | ${c.index === 'synced' ? 'synced' : 'no index'} | ${fmt(c.people)} | ${fmt(c.apps)} | ${fmt(c.users)} | ${fmt(c.user)} | ${fmt(c.groups)} | ${c.converged ? 'yes' : 'NO'} |`);
  return costs
    .filter((c) => c.target)
    .map((c) => ({ target: `[changes] ${c.kind} (${c.index === 'synced' ? 'synced' : 'no index'}): apps-bucket requests <= ${c.target!.text}`, measured: `${c.apps}`, pass: c.converged && c.apps <= c.target!.limit }));
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const runner = await jobRunner(flags.jobNodeOptions);
  const results: RegimeResult[] = [];
  let changes: ChangeCostResult | undefined;
  let bounds: BoundsResult | undefined;
  let restart: RestartResult | undefined;
  try {
    for (const name of flags.regimes) {
      if (name === 'changes') changes = await runChangeCosts(flags.users);
      else if (name === 'bounds') bounds = await runBounds(runner, flags.runs, flags.largeUsers);
      else if (name === 'restart') restart = await runRestart(runner, flags.largeUsers, flags.runs);
      else results.push(await runRegime(runner, regime(name, flags), flags));
    }
  } finally {
    runner.dispose();
  }
  report(results, changes, bounds, restart, flags, runner, command);
  const git = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  out(`\n(commit ${git}, with uncommitted changes if any; ${new Date().toISOString()})`);
}

await main();
