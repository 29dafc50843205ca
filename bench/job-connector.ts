/**
 * One measured connector job, in a fresh process. Usage:
 * `node --import tsx bench/job-connector.ts '{"baseUrl":...,"token":...,"mode":"sync"|"resolve",...}'`.
 *
 * sync: streams every identity through `listIdentities()` (with `resync`, a second time, measured
 * alone: a re-sync of the same provider), counting (not keeping) identities
 * and accounts, and prints one JSON line { wallMs, startedAt, identities, accounts, peakRssMb, memory, client }
 * (memory: the breakdown of rss.ts, sampled while the sync runs).
 * resolve: prints `{ checkpoint }` lines around each step and waits for a `go` line on stdin
 * before going on (so the orchestrator can read the simulator's counters between steps):
 * resolveAppUser on a fresh provider, a full sync, then resolveAppUser again.
 * warm (with `config.indexPath` of a file a sync job left): the time from the provider's
 * construction to the end of its load (a resolveAppGroup that finds nothing waits for it) and the
 * peak RSS then; to its first resolveAppUser answer (its lookup tables are in the file) and the
 * requests it took; then `changes({ since })` until it has caught up: the changes, requests and time.
 * Prints { loadMs, loadPeakRssMb, firstResolveMs, requestsAtResolve, resolvePeakRssMb, ownerId, catchUpMs, catchUpRequests, changes, peakRssMb, client }.
 */
import { createInterface } from 'node:readline';
import { OktaIdentityProvider, type OktaConfig } from '../src/index.js';
import { systemClock, type Clock } from '../src/clock.js';
import { peakRssMb, sampleMemory } from './rss.js';

interface JobArgs {
  baseUrl: string;
  token: string;
  mode: 'sync' | 'resolve' | 'warm';
  /** Sync once before the measured sync, in the same provider. */
  resync?: boolean;
  /** warm: the stream's `since` (when the sync job began). */
  since?: string;
  config?: Partial<OktaConfig>;
  probe?: { app: string; account: string };
}

const args = JSON.parse(process.argv[2] ?? '{}') as JobArgs;
const print = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function checkpoint(name: string, data: object = {}): Promise<void> {
  print({ checkpoint: name, ...data });
  await lines.next();
}

/** The real clock; a poll sleep (the stream has caught up) ends the warm job's stream. */
const caughtUp = new AbortController();
const clock: Clock = {
  now: () => systemClock.now(),
  sleep: async (ms, signal) => {
    if (ms === args.config?.pollIntervalMs) caughtUp.abort();
    await systemClock.sleep(ms, signal);
  },
};
const constructedAt = performance.now();
const provider = new OktaIdentityProvider({ hostname: 'bench.okta.com', baseUrl: args.baseUrl, token: args.token, ...args.config }, { clock });

async function sync(): Promise<{ identities: number; accounts: number; memberships: number }> {
  let identities = 0;
  let accounts = 0;
  let memberships = 0;
  for await (const identity of provider.listIdentities()) {
    identities++;
    accounts += identity.accounts.length;
    memberships += identity.groups?.length ?? 0;
  }
  return { identities, accounts, memberships };
}

if (args.mode === 'sync') {
  // A re-sync: the measured sync is the provider's second (it knows the last sync's app sizes).
  if (args.resync) await checkpoint('synced-once', await sync());
  const memory = sampleMemory();
  const startedAt = Date.now();
  const cpu = process.cpuUsage();
  const counts = await sync();
  const wallMs = Date.now() - startedAt;
  const { user, system } = process.cpuUsage(cpu);
  const peak = peakRssMb();
  print({ wallMs, startedAt, ...counts, cpuMs: Math.round((user + system) / 1000), peakRssMb: peak, memory: memory.stop(), client: provider.stats });
} else if (args.mode === 'warm') {
  const { app, account } = args.probe!;
  await provider.resolveAppGroup(app, 'no such group');
  const loadMs = performance.now() - constructedAt;
  const loadPeakRssMb = peakRssMb();
  const owner = await provider.resolveAppUser(app, account);
  const firstResolveMs = performance.now() - constructedAt;
  const requestsAtResolve = provider.stats.requests;
  const resolvePeakRssMb = peakRssMb();
  const started = performance.now();
  let changes = 0;
  for await (const change of provider.changes({ since: args.since!, signal: caughtUp.signal })) changes += change ? 1 : 0;
  const catchUpMs = performance.now() - started;
  print({ loadMs, loadPeakRssMb, firstResolveMs, requestsAtResolve, resolvePeakRssMb, ownerId: owner?.id ?? null, catchUpMs, catchUpRequests: provider.stats.requests - requestsAtResolve, changes, peakRssMb: peakRssMb(), client: provider.stats });
} else {
  const { app, account } = args.probe!;
  await checkpoint('fresh');
  const fresh = await provider.resolveAppUser(app, account);
  await checkpoint('resolved-fresh', { ownerId: fresh?.id ?? null });
  const counts = await sync();
  await checkpoint('synced', counts);
  const after = await provider.resolveAppUser(app, account);
  await checkpoint('resolved-after-sync', { ownerId: after?.id ?? null });
  print({ done: true });
}
await provider.close();
process.stdin.destroy();
