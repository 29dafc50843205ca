/**
 * The stream soak's Okta org, in its own process so that the simulator's growth (every event it
 * logs is kept) never counts against the connector's memory, which the soak measures.
 * Usage (by stream.soak.test.ts): `fork('soak-org.ts', [options as JSON], { execArgv: ['--import', 'tsx'] })`.
 *
 * It also plays the consumer's storage: the changes the connector streams are sent here, applied
 * to a snapshot and their event uuids recorded, so the test process keeps nothing that grows.
 *
 * Messages in: `mutate` (start changing the org on a timer), `stop` (stop changing it; replies
 * `stopped`), `changes` (a batch of changes to apply), `verify` (replies `verified` with the
 * figures), `quit`. Out: `ready` once serving, with the base URL, token and `since`.
 */
import type { Identity } from '../../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { identityEventUuids, lostEvents, OrgChanges, Prng } from './support.js';

export interface SoakOrgOptions {
  sim: SimulatorOptions;
  /** The timer's period. */
  everyMs: number;
  /** Random changes of every kind per tick. */
  changesPerTick: number;
  /**
   * Profile updates of a few people per second while bursting: many events, few people to read
   * (fills the stream's dedup set fast). Counted by elapsed time, so a slow timer does not lower it.
   */
  burstPerSecond: number;
  /** Bursts run for this long, then pause as long (the stream falls behind, then catches up and polls). */
  burstPeriodMs: number;
  /** Stop the bursts once the log holds this many events (the simulator keeps every event). */
  maxBurstEvents: number;
  /** Sign-ins and such per tick: events the stream must ignore. */
  noisePerTick: number;
}

export type SoakChange = { type: 'upsert'; identity: Identity; eventIds: string[] } | { type: 'delete'; id: string; eventIds: string[] };

export type ToOrg = { type: 'mutate' } | { type: 'stop' } | { type: 'changes'; changes: SoakChange[] } | { type: 'verify' } | { type: 'quit' };

export type FromOrg =
  | { type: 'ready'; baseUrl: string; token: string; since: string }
  | { type: 'stopped'; events: number }
  | {
      type: 'verified';
      eventsChecked: number;
      lost: number;
      lostSample: string[];
      converged: boolean;
      mismatches: number;
      /** The first identity that differs: what the stream left and what Okta holds. */
      mismatchSample: Array<{ id: string; streamed: Identity | undefined; truth: Identity }>;
      users: number;
      events: number;
      changesApplied: number;
      mutations: Record<string, number>;
      bursts: number;
      faults: Record<string, number>;
      requests: number;
      heapUsedMb: number;
    };

const send = (message: FromOrg): void => void process.send?.(message);

const options = JSON.parse(process.argv[2] ?? '{}') as SoakOrgOptions;
const sim = new OktaSimulator(options.sim);
await sim.start();
const rng = new Prng((options.sim.seed ?? 1) * 31 + 7);
const org = OrgChanges.setup(sim, rng);
const since = new Date(sim.now());
const from = sim.events.length;
const snapshot = new Map(sim.expectedIdentities().map((i) => [i.id, i]));
const delivered = new Set<string>();
let changesApplied = 0;
let bursts = 0;
let timer: NodeJS.Timeout | undefined;
let startedAt: number | undefined;

let lastTick: number | undefined;
const tick = (): void => {
  const now = Date.now();
  const elapsed = Math.min(500, now - (lastTick ?? now - options.everyMs));
  lastTick = now;
  org.apply(options.changesPerTick);
  if (options.noisePerTick > 0) sim.noise(options.noisePerTick);
  const bursting = Math.floor((Date.now() - (startedAt ?? Date.now())) / options.burstPeriodMs) % 2 === 0;
  if (bursting && options.burstPerSecond > 0 && sim.events.length < options.maxBurstEvents) {
    // A few people edited over and over (a bulk import, a script gone wrong).
    const people = sim.org.users.filter((u) => u.status !== 'DEPROVISIONED').slice(0, 3);
    const count = Math.round((options.burstPerSecond * elapsed) / 1_000);
    for (let i = 0; i < count && people.length > 0; i++) {
      sim.updateProfile(rng.pick(people).id, { title: `Title ${rng.int(1e6)}` });
      bursts++;
    }
  }
};

process.on('message', (message: ToOrg) => {
  switch (message.type) {
    case 'mutate':
      startedAt ??= Date.now();
      timer ??= setInterval(tick, options.everyMs);
      break;
    case 'stop':
      clearInterval(timer);
      timer = undefined;
      send({ type: 'stopped', events: sim.events.length });
      break;
    case 'changes':
      for (const change of message.changes) {
        if (change.type === 'upsert') snapshot.set(change.identity.id, change.identity);
        else snapshot.delete(change.id);
        for (const uuid of change.eventIds) delivered.add(uuid);
        changesApplied++;
      }
      break;
    case 'verify': {
      const expected = identityEventUuids(sim, from);
      const lost = lostEvents(expected, delivered);
      const truth = sim.expectedIdentities();
      const have = new Map([...snapshot].map(([id, i]) => [id, JSON.stringify(i)]));
      let mismatches = Math.abs(have.size - truth.length);
      const mismatchSample: Array<{ id: string; streamed: Identity | undefined; truth: Identity }> = [];
      for (const identity of truth) {
        if (have.get(identity.id) === JSON.stringify(identity)) continue;
        mismatches++;
        if (mismatchSample.length < 3) mismatchSample.push({ id: identity.id, streamed: snapshot.get(identity.id), truth: identity });
      }
      const stats = sim.stats;
      send({
        type: 'verified',
        eventsChecked: expected.length,
        lost: lost.length,
        lostSample: lost.slice(0, 5),
        converged: mismatches === 0,
        mismatches,
        mismatchSample,
        users: truth.length,
        events: sim.events.length,
        changesApplied,
        mutations: Object.fromEntries(org.kinds),
        bursts,
        faults: stats.faults,
        requests: stats.requests,
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
      });
      break;
    }
    case 'quit':
      clearInterval(timer);
      void sim.stop().then(() => process.exit(0));
      break;
  }
});

send({ type: 'ready', baseUrl: sim.baseUrl, token: sim.token, since: since.toISOString() });
