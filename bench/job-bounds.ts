/**
 * The measured jobs of the `bounds` regime (bench/bounds.ts), each in a fresh process. Usage:
 * `node bench/job-bounds.ts '{"mode":"page"|"change"|"resolve-group",...}'`; prints JSON lines.
 *
 * page: reads one list page (`list`: the System Log or the user list) of a `variant` the
 * orchestrator's server sends, `reps` times after a warm-up, and prints the RSS growth over
 * the reads (VmHWM reset after the warm-up) and the CPU per read.
 * change: `sync` runs a full sync and prints its peak RSS; `synced` syncs, then waits (a
 * `ready` line, then a `go` line on stdin while the orchestrator relabels the largest app)
 * and streams the change from a new peak; `no-index` streams it in a fresh process.
 * resolve-group: builds an index of `people` x `groupsPerPerson` memberships and times
 * resolveAppGroup from it (an imported and a pushed app group of `groupSize` members).
 */
import { createInterface } from 'node:readline';
import { systemClock, type Clock } from '../src/clock.js';
import { resolveConfig } from '../src/config/config.js';
import { OktaError } from '../src/errors.js';
import { OktaClient } from '../src/http/client.js';
import { paginate } from '../src/http/paginate.js';
import { OktaIdentityProvider } from '../src/index.js';
import { oktaUserSchema } from '../src/okta/schemas.js';
import { readLogPage } from '../src/provider/changes/log.js';
import { checked, validItems } from '../src/provider/context.js';
import { toPerson } from '../src/provider/identity.js';
import { resolveGroupFromStore } from '../src/provider/resolve/group.js';
import { GroupMemberships } from '../src/provider/store/groups.js';
import { IdentityStore } from '../src/provider/store/store.js';
import { median } from './regimes.js';
import { collectGarbage, peakRssMb, resetPeakRss, rssMb } from './rss.js';

interface PageArgs {
  mode: 'page';
  baseUrl: string;
  token: string;
  list: 'logs' | 'users';
  variant: string;
  reps: number;
}
interface ChangeArgs {
  mode: 'change';
  baseUrl: string;
  token: string;
  variant: 'sync' | 'synced' | 'no-index';
  /** The groups option (the group deletion's provider, and its full sync). */
  groups?: boolean;
  /** Prints memory samples (every 50 ms) to stderr: the profile of a run, not a figure. */
  trace?: boolean;
}
interface ResolveArgs {
  mode: 'resolve-group';
  people: number;
  groupsPerPerson: number;
  groups: number;
  groupSize: number;
  calls: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as PageArgs | ChangeArgs | ResolveArgs;
const print = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

async function page(a: PageArgs): Promise<void> {
  const client = new OktaClient(resolveConfig({ hostname: 'bench.okta.com', baseUrl: a.baseUrl, token: a.token }));
  const ctx = { client, warn: () => undefined };
  const readOnce = async (variant: string): Promise<string> => {
    try {
      if (a.list === 'logs') {
        const read = await readLogPage(ctx, `/api/v1/logs?limit=1000&variant=${variant}`, Date.now(), systemClock);
        return `${read.items.length} events`;
      }
      let kept = 0;
      for await (const p of paginate(client, '/api/v1/users', { limit: 200, variant }, undefined, checked(oktaUserSchema, toPerson))) kept += validItems(ctx, p).length;
      return `${kept} users`;
    } catch (error) {
      if (error instanceof OktaError) return error.code;
      throw error;
    }
  };
  // A connector in use: its code compiled and V8's young generation sized by pages like these.
  for (let i = 0; i < 3; i++) await readOnce('tiny');
  for (let i = 0; i < 3; i++) await readOnce('valid');
  // No forced collection here: it would shrink the young generation the warm-up sized.
  const reset = resetPeakRss();
  const base = rssMb();
  const cpu = process.cpuUsage();
  let outcome = '';
  for (let i = 0; i < a.reps; i++) outcome = await readOnce(a.variant);
  const cpuPerRead = cpuMs(cpu) / a.reps;
  print({ growthMb: peakRssMb() - base, cpuMs: cpuPerRead, outcome, peakReset: reset });
  await client.close();
}

const POLL_MS = 17;

/** The real clock; aborts the stream when it sleeps its poll interval (it has caught up). */
class CaughtUpClock implements Clock {
  constructor(private readonly controller: AbortController) {}
  now(): number {
    return systemClock.now();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms === POLL_MS) this.controller.abort();
    await systemClock.sleep(ms, signal);
  }
}

/** Samples memory every 50 ms to stderr (`trace`): RSS, heap used and total, array buffers, in MB. */
function traceMemory(label: string): () => void {
  const started = Date.now();
  const sample = (): void => {
    const m = process.memoryUsage();
    const mb = (n: number): string => (n / 2 ** 20).toFixed(0);
    process.stderr.write(`[trace ${label}] ${Date.now() - started} ms rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} ab ${mb(m.arrayBuffers)}\n`);
  };
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    sample();
  };
}

async function change(a: ChangeArgs): Promise<void> {
  const controller = new AbortController();
  const config = { hostname: 'bench.okta.com', baseUrl: a.baseUrl, token: a.token, pollIntervalMs: POLL_MS, ...(a.groups ? { groups: true } : {}) };
  const provider = new OktaIdentityProvider(config, { clock: new CaughtUpClock(controller) });
  let identities = 0;
  if (a.variant !== 'no-index') for await (const identity of provider.listIdentities()) identities += identity.id ? 1 : 0;
  if (a.variant === 'sync') {
    print({ peakRssMb: peakRssMb(), identities });
    await provider.close();
    return;
  }
  collectGarbage();
  const since = new Date(Date.now() - 1);
  print({ checkpoint: 'ready', identities });
  await lines.next();
  resetPeakRss();
  const stopTrace = a.trace ? traceMemory(a.variant) : () => undefined;
  const before = rssMb();
  const cpu = process.cpuUsage();
  const started = Date.now();
  // Counted, not kept: the job holds nothing of what it is given.
  let people = 0;
  for await (const c of provider.changes({ since, signal: controller.signal })) {
    if (people === 0 && a.trace) process.stderr.write(`[trace ${a.variant}] ${Date.now() - started} ms: first change delivered\n`);
    people += c.type ? 1 : 0;
  }
  stopTrace();
  print({ peakRssMb: peakRssMb(), rssBeforeMb: before, people, cpuMs: cpuMs(cpu), wallMs: Date.now() - started });
  await provider.close();
}

/** mulberry32: a small seeded PRNG, so every run builds the same index. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resolveGroup(a: ResolveArgs): void {
  const random = prng(7);
  const uid = (n: number): string => `00u${String(n).padStart(8, '0')}`;
  const gid = (n: number): string => `00g${String(n).padStart(8, '0')}`;
  const store = new IdentityStore({ groups: true });
  const app = { id: '0oaBenchApp', name: 'bench_app', label: 'Bench app' };
  store.addApp(app);
  const started = Date.now();
  for (let n = 0; n < a.people; n++) {
    store.addPerson({ id: uid(n), login: `u${n}@example.com`, email: `u${n}@example.com`, displayName: `User ${n}`, status: 'ACTIVE' });
    if (n % 2 === 0) store.addAccount(uid(n), { appId: app.id, appName: app.name, appLabel: app.label, userName: `u${n}`, externalId: null, scope: 'USER', status: 'ACTIVE' });
  }
  const table = store.groups!;
  for (let g = 0; g < a.groups; g++) table.addGroup({ id: gid(g), name: `Group ${g}`, type: 'OKTA_GROUP', aliases: [] });
  for (let n = 0; n < a.people; n++) for (let k = 0; k < a.groupsPerPerson; k++) store.addMembership(uid(n), gid(Math.floor(random() * a.groups)));
  // An imported app group and a pushed one, each of groupSize members.
  table.addGroup({ id: '00gImported', name: 'Imported', type: 'APP_GROUP', appId: app.id, aliases: [] });
  table.addGroup({ id: '00gPushed', name: 'Pushed', type: 'APP_GROUP', appId: app.id, aliases: [] });
  table.addGroup({ id: '00gSource', name: 'Source', type: 'OKTA_GROUP', aliases: [] });
  for (let i = 0; i < a.groupSize; i++) {
    store.addMembership(uid(Math.floor(random() * a.people)), '00gImported');
    store.addMembership(uid(Math.floor(random() * a.people)), '00gSource');
  }
  table.pushTargets.set('00gPushed', { appId: app.id, sourceGroupId: '00gSource', targetGroupId: '00gPushed', status: 'ACTIVE' });
  table.pushRead.add(app.id);
  const buildMs = Date.now() - started;
  const time = (group: string): { ms: number; members: number } => {
    const samples: number[] = [];
    let members = 0;
    for (let i = 0; i < a.calls; i++) {
      const t = process.hrtime.bigint();
      members = resolveGroupFromStore(store, app.name, group)!.members.length;
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return { ms: median(samples), members };
  };
  const imported = time('Imported');
  const pushed = time('Pushed');
  // One person in 40,000 groups: each membership added in constant time.
  const one = new GroupMemberships();
  const t = Date.now();
  for (let g = 0; g < 40_000; g++) one.add(0, gid(g));
  print({ memberships: a.people * a.groupsPerPerson + 2 * a.groupSize, buildMs, imported, pushed, oneIn40kGroupsMs: Date.now() - t, rssMb: rssMb() });
}

if (args.mode === 'page') await page(args);
else if (args.mode === 'change') await change(args);
else resolveGroup(args);
process.stdin.destroy();
