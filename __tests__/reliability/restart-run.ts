/**
 * One seeded restart run, shared by restarts.test.ts (a few runs) and restarts.soak.test.ts
 * (as many as the budget allows).
 *
 * The consumer of `changes()` keeps a snapshot (from a full sync) and the last cursor it saved.
 * A seeded PRNG decides, session after session, what the org does in between and how the
 * consumer dies: after saving (`break`), after applying a change but before saving its cursor
 * (`unsaved`), by aborting its signal at a random moment, often with a request in flight
 * (`abort`), by vanishing without ending the iteration (`crash`: the process is gone and its
 * sockets with it), or after catching up (`catch-up`). A stream that fails with a typed error
 * (injected faults outlasting the retries) is one more death. Every session is a NEW provider
 * resuming from the saved cursor. At the end one last session catches up and the run checks
 * that every identity event written after `since` came in some change's eventIds, and that
 * the snapshot equals the ground truth.
 */
import { OktaError, OktaIdentityProvider, type ConnectorWarning, type Identity, type IdentityChange, type OktaConfig } from '../../src/index.js';
import { OktaSimulator, type FaultOptions } from '../../src/simulator/index.js';
import { applyChange, byId, faultsInjected, identityEventUuids, lostEvents, OrgChanges, POLL_MS, Prng, WatchedClock } from './support.js';

export const DEATHS = ['break', 'unsaved', 'abort', 'crash', 'catch-up'] as const;
export type Death = (typeof DEATHS)[number];

export interface RunOptions {
  seed: number;
  /** Sessions before the final catch-up (each but the first is a restart). */
  sessions: number;
  faults?: FaultOptions;
}

export interface RunResult {
  seed: number;
  /** New providers resumed from a saved cursor (or `since` when none was saved yet), the final one included. */
  restarts: number;
  deaths: Record<Death | 'error', number>;
  changes: number;
  /** Identity events written after `since`: each must have come in some change. */
  eventsChecked: number;
  lost: string[];
  converged: boolean;
  mismatches: string[];
  warnings: ConnectorWarning[];
  faults: number;
  /** Longest time from an abort to the end of the consumer's loop. */
  maxAbortMs: number;
  /** `abort` deaths that struck while the simulator was serving one of the stream's requests. */
  abortsInFlight: number;
  /** Requests still being served once each session's provider was closed (must be 0). */
  leftInFlight: number;
}

const waitFor = async (check: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
};

export async function restartRun(options: RunOptions): Promise<RunResult> {
  const { seed } = options;
  const sim = new OktaSimulator({
    seed,
    users: 30,
    apps: 4,
    groups: 4,
    duplicateEventRate: 0.3,
    lateEventRate: 0.1,
    latencyMs: 2,
    rateLimits: { windowMs: 1_000, limits: { apps: 1e6, users: 1e6, user: 1e6, groups: 1e6, logs: 1e6 } },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  await sim.start();
  const rng = new Prng(seed * 7919 + 17);
  const org = OrgChanges.setup(sim, rng);
  const warnings: ConnectorWarning[] = [];
  const config: OktaConfig = {
    hostname: 'example.okta.com',
    baseUrl: sim.baseUrl,
    token: sim.token,
    pollIntervalMs: POLL_MS,
    retries: 8,
    retryBaseDelayMs: 2,
    maxRetryDelayMs: 30,
    requestTimeoutMs: 150,
    maxConcurrency: 6,
    onWarning: (w) => warnings.push(w),
  };
  const result: RunResult = {
    seed,
    restarts: 0,
    deaths: { break: 0, unsaved: 0, abort: 0, crash: 0, 'catch-up': 0, error: 0 },
    changes: 0,
    eventsChecked: 0,
    lost: [],
    converged: false,
    mismatches: [],
    warnings,
    faults: 0,
    maxAbortMs: 0,
    abortsInFlight: 0,
    leftInFlight: 0,
  };
  try {
    const since = new Date(sim.now());
    const from = sim.events.length;
    const snapshot = new Map<string, Identity>();
    const first = new OktaIdentityProvider(config);
    for await (const identity of first.listIdentities()) snapshot.set(identity.id, identity);
    await first.close();

    let saved: string | undefined;
    const delivered = new Set<string>();
    const take = (change: IdentityChange): void => {
      applyChange(snapshot, change);
      for (const uuid of change.eventIds) delivered.add(uuid);
      result.changes++;
    };

    const session = async (death: Death | 'final'): Promise<void> => {
      const clock = new WatchedClock(1);
      const provider = new OktaIdentityProvider(config, { clock });
      const controller = new AbortController();
      const start = saved === undefined ? { since } : { cursor: saved };
      const stream = provider.changes({ ...start, signal: controller.signal });
      // Changes to apply before dying (break, unsaved, crash).
      const quota = 1 + rng.int(12);
      let abortedAt: number | undefined;
      const abort = (): void => {
        abortedAt ??= Date.now();
        controller.abort();
      };
      // Caught up: sometimes the org changes while the stream waits (then it must catch up
      // again); otherwise the consumer stops. The final session only stops.
      let pollChanges = death === 'final' ? 0 : rng.int(3);
      clock.onPoll = () => {
        if (pollChanges-- > 0) org.apply(1 + rng.int(4));
        else abort();
      };
      let timer: NodeJS.Timeout | undefined;
      if (death === 'abort') {
        // After a random delay, strike when one of the stream's requests is being served (or
        // after 50 ms more regardless).
        let patience = 50;
        const strike = (): void => {
          if (abortedAt !== undefined) return;
          if (sim.stats.inFlight > 0 || patience-- <= 0) {
            if (sim.stats.inFlight > 0) result.abortsInFlight++;
            abort();
          } else timer = setTimeout(strike, 1);
        };
        timer = setTimeout(strike, rng.int(60));
      }
      try {
        if (death === 'crash') {
          const it = stream[Symbol.asyncIterator]();
          for (let n = 0; n < quota; n++) {
            const next = await it.next();
            if (next.done) break;
            take(next.value);
            saved = next.value.cursor;
          }
          // Gone without a word: no return(), no abort; only the process's sockets close.
        } else {
          let n = 0;
          for await (const change of stream) {
            take(change);
            n++;
            if ((death === 'break' || death === 'unsaved') && n >= quota) {
              if (death === 'break') saved = change.cursor;
              break;
            }
            saved = change.cursor;
            // The org keeps changing while the consumer works through a page.
            if (death !== 'final' && rng.chance(0.08)) org.apply(1 + rng.int(3));
          }
        }
        if (abortedAt !== undefined) result.maxAbortMs = Math.max(result.maxAbortMs, Date.now() - abortedAt);
      } catch (error) {
        // A typed failure (faults outlasting the retries) is one more death: restart from the saved cursor.
        if (!(error instanceof OktaError)) throw error;
        result.deaths.error++;
      } finally {
        clearTimeout(timer);
        await provider.close();
        if (!(await waitFor(() => sim.stats.inFlight === 0, 1_000))) result.leftInFlight = Math.max(result.leftInFlight, sim.stats.inFlight);
      }
    };

    for (let s = 0; s < options.sessions; s++) {
      org.apply(rng.int(12));
      const death = rng.pick(DEATHS);
      result.deaths[death]++;
      await session(death);
      result.restarts++;
    }
    // The last consumer catches up with everything; should it fail on faults, the next one does.
    for (let attempt = 0; ; attempt++) {
      const errors = result.deaths.error;
      await session('final');
      result.restarts++;
      if (result.deaths.error === errors) break;
      if (attempt > 10) throw new Error(`run ${seed}: the final catch-up kept failing`);
    }

    const expected = identityEventUuids(sim, from);
    result.eventsChecked = expected.length;
    result.lost = lostEvents(expected, delivered);
    const actual = byId(snapshot.values());
    const truth = sim.expectedIdentities();
    result.converged = JSON.stringify(actual) === JSON.stringify(truth);
    if (!result.converged) {
      const want = new Map(truth.map((i) => [i.id, JSON.stringify(i)]));
      const have = new Map(actual.map((i) => [i.id, JSON.stringify(i)]));
      for (const id of new Set([...want.keys(), ...have.keys()])) if (want.get(id) !== have.get(id)) result.mismatches.push(id);
    }
    result.faults = faultsInjected(sim).total;
    return result;
  } finally {
    await sim.stop();
  }
}
