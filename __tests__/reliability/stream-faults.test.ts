import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemClock, type Clock } from '../../src/clock.js';
import {
  OktaHttpError,
  OktaIdentityProvider,
  OktaNetworkError,
  OktaResponseError,
  type ConnectorWarning,
  type Identity,
  type OktaConfig,
} from '../../src/index.js';
import { FAULT_KINDS, OktaSimulator, type FaultKind, type SimulatorOptions } from '../../src/simulator/index.js';
import { applyChange, byId, countResources, faultsInjected, identityEventUuids, lostEvents, OrgChanges, POLL_MS, Prng, recordFigures, WatchedClock } from './support.js';

/**
 * The change stream (and the full sync it starts from) under injected faults of every kind and
 * rate-limit pressure: the result is exactly the ground truth and no identity event is lost.
 * An org that always fails ends each call with a typed error naming the path, after exactly
 * `retries + 1` requests, backing off with jitter: never a hang.
 */

const started: OktaSimulator[] = [];
const resourcesBefore = new Map<string, number>();
const figures: Record<string, unknown> = {};

beforeAll(() => {
  for (const [k, v] of countResources()) resourcesBefore.set(k, v);
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  recordFigures('stream-faults', figures);
});

async function startSim(options: SimulatorOptions): Promise<OktaSimulator> {
  const sim = new OktaSimulator(options);
  await sim.start();
  started.push(sim);
  return sim;
}

function config(sim: OktaSimulator, extra: Partial<OktaConfig> = {}): OktaConfig {
  return { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, pollIntervalMs: POLL_MS, ...extra };
}

interface NeighbourFigures {
  requests: number;
  /** Answers the neighbour could tell were injected faults (so the rest hit the connector). */
  faults: number;
  bucket429: number;
  concurrency429: number;
}

/**
 * Another integration on the same org: every `pauseMs` it spends what is left of the System
 * Log and apps buckets, so the connector finds them exhausted (it must wait for the reset, or
 * meets a 429 burst when it had not yet seen the remaining count fall).
 */
function noisyNeighbour(sim: OktaSimulator, pauseMs = 300): { stop: () => Promise<NeighbourFigures> } {
  const seen: NeighbourFigures = { requests: 0, faults: 0, bucket429: 0, concurrency429: 0 };
  let running = true;
  const slowMs = sim.options.slowMs;
  const spend = async (path: string): Promise<void> => {
    for (let i = 0; running && i < 500; i++) {
      seen.requests++;
      const t0 = Date.now();
      try {
        const res = await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: `SSWS ${sim.token}` } });
        const text = await res.text();
        if (res.status === 429) {
          if (res.headers.get('x-rate-limit-limit') === '0') seen.concurrency429++;
          else {
            seen.bucket429++;
            return; // the bucket is spent
          }
        } else if (res.status >= 500 || !/json/.test(res.headers.get('content-type') ?? '') || Date.now() - t0 >= slowMs) {
          seen.faults++;
        } else {
          try {
            JSON.parse(text);
          } catch {
            seen.faults++; // truncated
          }
        }
      } catch {
        seen.faults++; // dropped
      }
    }
  };
  const loop = (async () => {
    while (running) {
      await spend('/api/v1/logs?limit=1');
      await spend('/api/v1/apps?limit=1');
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

describe('the change stream under 10% faults of every kind and rate-limit pressure', () => {
  it('a snapshot plus the stream equals the ground truth exactly, and every identity event is delivered', async () => {
    const sim = await startSim({
      seed: 21,
      users: 90,
      apps: 6,
      groups: 5,
      lateEventRate: 0.2,
      duplicateEventRate: 0.3,
      latencyMs: 4,
      faults: { rate: 0.1, kinds: FAULT_KINDS, slowMs: 700 },
      rateLimits: { windowMs: 1_000, limits: { apps: 80, user: 150, users: 40, groups: 60, logs: 20 }, maxConcurrent: 2 },
    });
    const rng = new Prng(21);
    const changes = OrgChanges.setup(sim, rng);
    const clock = new WatchedClock();
    const warnings: ConnectorWarning[] = [];
    const provider = new OktaIdentityProvider(
      config(sim, { requestTimeoutMs: 250, retries: 10, retryBaseDelayMs: 5, maxRetryDelayMs: 200, maxConcurrency: 6, onWarning: (w) => warnings.push(w) }),
      { clock },
    );
    const neighbour = noisyNeighbour(sim);
    try {
      const since = new Date(sim.now());
      const from = sim.events.length;
      const snapshot = new Map<string, Identity>();
      for await (const identity of provider.listIdentities()) snapshot.set(identity.id, identity);
      expect(byId(snapshot.values())).toEqual(sim.expectedIdentities());

      changes.apply(120);
      expect(byId(snapshot.values())).not.toEqual(sim.expectedIdentities());
      // Caught up with the first round: change the org again while the stream waits, then
      // stop once it has caught up with that too.
      const controller = new AbortController();
      clock.onPoll = (n) => {
        if (n === 1) changes.apply(60);
        else controller.abort();
      };
      const delivered = new Set<string>();
      let count = 0;
      for await (const change of provider.changes({ since, signal: controller.signal })) {
        applyChange(snapshot, change);
        for (const uuid of change.eventIds) delivered.add(uuid);
        count++;
      }
      const neighbourSeen = await neighbour.stop();

      expect(byId(snapshot.values())).toEqual(sim.expectedIdentities());
      const expected = identityEventUuids(sim, from);
      expect(expected.length).toBeGreaterThan(200);
      expect(lostEvents(expected, delivered)).toEqual([]);
      expect(warnings).toEqual([]);

      // The faults and the pressure really happened, and were all survived.
      const faults = faultsInjected(sim);
      for (const kind of FAULT_KINDS) expect(faults.byKind[kind]).toBeGreaterThan(0);
      const connectorFaults = faults.total - neighbourSeen.faults;
      expect(connectorFaults).toBeGreaterThan(10);
      const stats = sim.stats;
      const connectorConcurrency429 = stats.concurrencyRejected - neighbourSeen.concurrency429;
      const connectorBucket429 = stats.rateLimited - stats.concurrencyRejected - neighbourSeen.bucket429;
      expect(connectorConcurrency429).toBeGreaterThan(0);
      expect(neighbourSeen.bucket429).toBeGreaterThan(0); // the buckets really ran dry
      // The connector met spent buckets: it waited for their reset before asking (its own count of
      // the budget), or asked and was refused (then the retry waits for the reset). Which of the two
      // depends on how fast a loaded machine lets it spend its share.
      expect(provider.stats.rateLimitWaits + connectorBucket429).toBeGreaterThan(0);
      expect(provider.stats.retries).toBeGreaterThanOrEqual(connectorFaults);
      // Every wait is bounded: a backoff by maxRetryDelayMs, a rate-limit wait by the window (1 s) plus jitter.
      expect(clock.waits.maxMs).toBeLessThanOrEqual(2_500);
      Object.assign(figures, {
        stream: {
          changes: count,
          identityEventsChecked: expected.length,
          eventsLost: 0,
          faultsInjectedTotal: faults.total,
          faultsByKind: faults.byKind,
          faultsHitByConnector: connectorFaults,
          connector429: { concurrency: connectorConcurrency429, bucket: connectorBucket429, rateLimitWaits: provider.stats.rateLimitWaits },
          neighbour: neighbourSeen,
          simulatorRequests: stats.requests,
          connectorRequests: provider.stats.requests,
          connectorRetries: provider.stats.retries,
          waits: clock.waits,
          mutations: Object.fromEntries(changes.kinds),
        },
      });
    } finally {
      await neighbour.stop();
      await provider.close();
    }
  }, 60_000);
});

/** The error each always-failing kind ends in, and its code. */
const FINAL: Record<FaultKind, [new (...args: never[]) => Error, string]> = {
  '500': [OktaHttpError, 'server_error'],
  '503': [OktaHttpError, 'server_error'],
  drop: [OktaNetworkError, 'network_error'],
  'drop-mid-body': [OktaNetworkError, 'network_error'],
  slow: [OktaNetworkError, 'network_error'],
  html: [OktaResponseError, 'invalid_response'],
  truncated: [OktaResponseError, 'invalid_response'],
};

async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: Date.now() - t0 };
  }
  throw new Error('expected the call to fail');
}

describe('an org that cannot succeed', () => {
  const RETRIES = 3;
  const failing = (kind: FaultKind) => startSim({ seed: 5, users: 30, apps: 3, faults: { rate: 1, kinds: [kind], slowMs: 2_000 } });
  const settings = { retries: RETRIES, retryBaseDelayMs: 2, maxRetryDelayMs: 20, requestTimeoutMs: 150 };
  const tally: Record<string, number> = {};

  it.each(FAULT_KINDS.map((k) => [k]))('answering every request with %s: changes() fails with a typed error naming /api/v1/logs after exactly retries + 1 requests', async (kind) => {
    const sim = await failing(kind);
    const provider = new OktaIdentityProvider(config(sim, settings));
    const { error, ms } = await failure(async () => {
      for await (const _ of provider.changes({ since: new Date(sim.now()) })) void _;
    });
    await provider.close();
    const [type, code] = FINAL[kind];
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, path: '/api/v1/logs' });
    expect((error as Error).message).toContain('/api/v1/logs');
    expect(sim.stats.requests).toBe(RETRIES + 1);
    expect(faultsInjected(sim).byKind[kind]).toBe(RETRIES + 1);
    expect(ms).toBeLessThan(5_000);
    tally[kind] = sim.stats.requests;
    figures.alwaysFailingStream = tally;
  });

  it('a full sync and a resolve against an org answering 503 fail with OktaHttpError naming their path, with bounded requests', async () => {
    const sim = await failing('503');
    const provider = new OktaIdentityProvider(config(sim, settings));
    const sync = await failure(async () => {
      for await (const _ of provider.listIdentities()) void _;
    });
    expect(sync.error).toBeInstanceOf(OktaHttpError);
    expect(sync.error).toMatchObject({ status: 503, code: 'server_error' });
    expect(['/api/v1/apps', '/api/v1/users']).toContain((sync.error as OktaHttpError).path);
    // Two lists start at once (apps and users); each gives up after retries + 1 attempts.
    const syncRequests = sim.stats.requests;
    expect(syncRequests).toBeGreaterThanOrEqual(RETRIES + 1);
    expect(syncRequests).toBeLessThanOrEqual(2 * (RETRIES + 1));
    // The other list stopped too: at most the request it had in flight when the sync failed
    // reaches the server after the error, and nothing after that.
    await new Promise((r) => setTimeout(r, 50));
    const settled = sim.stats.requests;
    expect(settled - syncRequests).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.stats.requests).toBe(settled);

    sim.resetStats();
    const resolve = await failure(() => provider.resolveAppUser('okta', 'someone@example.com'));
    expect(resolve.error).toBeInstanceOf(OktaHttpError);
    expect(resolve.error).toMatchObject({ status: 503, path: '/api/v1/users' });
    // The error names the path, not the query: the login being resolved is personal data.
    const { message, ...fields } = resolve.error as OktaHttpError;
    for (const text of [message, JSON.stringify(fields)]) {
      expect(text).not.toMatch(/someone|search=|\?/);
    }
    expect(sim.stats.requests).toBe(RETRIES + 1);
    await provider.close();
    figures.alwaysFailingSync = { syncRequests, resolveRequests: RETRIES + 1 };
  });

  it('backs off exponentially with jitter between attempts (equal jitter: half fixed, half random)', async () => {
    const sim = await failing('503');
    const sleeps: number[] = [];
    const clock: Clock = { now: () => systemClock.now(), sleep: (ms, signal) => (sleeps.push(ms), systemClock.sleep(ms, signal)) };
    const draws = new Prng(99);
    const drawn: number[] = [];
    const random = (): number => {
      const r = draws.next();
      drawn.push(r);
      return r;
    };
    const provider = new OktaIdentityProvider(config(sim, { retries: 5, retryBaseDelayMs: 8, maxRetryDelayMs: 64 }), { clock, random });
    await failure(() => provider.resolveAppUser('okta', 'someone@example.com'));
    await provider.close();
    expect(sim.stats.requests).toBe(6);
    expect(sleeps).toHaveLength(5);
    sleeps.forEach((ms, i) => {
      const ceiling = Math.min(64, 8 * 2 ** i);
      expect(ms).toBe(Math.round(ceiling / 2 + (drawn[i]! * ceiling) / 2));
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
    // Two attempts with the same ceiling still differ: the jitter is real.
    expect(new Set(sleeps.slice(3)).size).toBe(2);
  });

  it('leaves no socket, server or timer behind once everything is closed', async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
    await new Promise((r) => setTimeout(r, 50));
    const after = countResources();
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) expect(after.get(kind) ?? 0).toBeLessThanOrEqual(resourcesBefore.get(kind) ?? 0);
  });
});
