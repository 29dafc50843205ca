import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type IdentityChange, type OktaConfig } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { countResources, POLL_MS, recordFigures } from './support.js';

/**
 * Cancellation against the simulator, whose request counters show what is still being served:
 * an AbortSignal ends a sync, a resolve and the change stream promptly, cancels the requests in
 * flight (the server sees their sockets close), and an already-aborted signal sends nothing.
 * close() may be called more than once. Nothing is left behind (no socket, server or timer).
 */
const LATENCY_MS = 1_500;
let slow: OktaSimulator;
const resourcesBefore = new Map<string, number>();
const figures: Record<string, number> = {};

beforeAll(async () => {
  for (const [k, v] of countResources()) resourcesBefore.set(k, v);
  slow = new OktaSimulator({ seed: 9, users: 40, apps: 3, latencyMs: LATENCY_MS });
  await slow.start();
});

afterAll(async () => {
  await slow.stop();
  recordFigures('cancellation', figures);
});

const config = (sim: OktaSimulator, extra: Partial<OktaConfig> = {}): OktaConfig => ({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, pollIntervalMs: POLL_MS, ...extra });

async function until(check: () => boolean, ms = 1_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Starts `run`, aborts once the simulator serves a request, and measures how long the call takes to end. */
async function abortInFlight(sim: OktaSimulator, run: (signal: AbortSignal) => Promise<unknown>): Promise<{ ms: number; outcome: unknown; inFlightAtAbort: number }> {
  sim.resetStats();
  const controller = new AbortController();
  const pending = run(controller.signal).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  expect(await until(() => sim.stats.inFlight > 0)).toBe(true);
  const inFlightAtAbort = sim.stats.inFlight;
  const t0 = Date.now();
  controller.abort(new Error('cancelled by the host'));
  const outcome = await pending;
  return { ms: Date.now() - t0, outcome, inFlightAtAbort };
}

describe('cancellation', () => {
  it('aborting a full sync with requests in flight rejects at once and cancels them', async () => {
    const provider = new OktaIdentityProvider(config(slow));
    const { ms, outcome, inFlightAtAbort } = await abortInFlight(slow, async (signal) => {
      for await (const _ of provider.listIdentities({ signal })) void _;
    });
    expect(outcome).toEqual({ error: expect.objectContaining({ message: 'cancelled by the host' }) });
    expect(ms).toBeLessThan(300);
    expect(inFlightAtAbort).toBeGreaterThan(0);
    expect(await until(() => slow.stats.inFlight === 0, 500)).toBe(true);
    await provider.close();
    figures.syncAbortMs = ms;
  });

  it('aborting a resolve with a request in flight rejects at once and cancels it', async () => {
    const provider = new OktaIdentityProvider(config(slow));
    const { ms, outcome } = await abortInFlight(slow, (signal) => provider.resolveAppUser('okta', 'someone@example.com', { signal }));
    expect(outcome).toEqual({ error: expect.objectContaining({ message: 'cancelled by the host' }) });
    expect(ms).toBeLessThan(300);
    expect(await until(() => slow.stats.inFlight === 0, 500)).toBe(true);
    await provider.close();
    figures.resolveAbortMs = ms;
  });

  it('aborting the change stream while it reads the log ends it quietly at once', async () => {
    const provider = new OktaIdentityProvider(config(slow));
    const seen: IdentityChange[] = [];
    const { ms, outcome } = await abortInFlight(slow, async (signal) => {
      for await (const change of provider.changes({ since: new Date(slow.now()), signal })) seen.push(change);
    });
    expect(outcome).toEqual({ value: undefined });
    expect(seen).toEqual([]);
    expect(ms).toBeLessThan(300);
    expect(await until(() => slow.stats.inFlight === 0, 500)).toBe(true);
    await provider.close();
    figures.streamAbortMs = ms;
  });

  it('aborting the change stream between changes cancels the people still being read', async () => {
    // More apps than people changed: the stream reads each person rather than the whole org.
    const sim = new OktaSimulator({ seed: 10, users: 40, apps: 16, latencyMs: 150 });
    await sim.start();
    try {
      const since = new Date(sim.now());
      for (const user of sim.org.users.slice(0, 12)) sim.updateProfile(user.id, { title: 'Moved' });
      const provider = new OktaIdentityProvider(config(sim));
      const controller = new AbortController();
      const seen: IdentityChange[] = [];
      let t0 = 0;
      let inFlightAtAbort = 0;
      for await (const change of provider.changes({ since, signal: controller.signal })) {
        seen.push(change);
        // The next people are being read while the host handles this change: abort then.
        expect(await until(() => sim.stats.inFlight > 0)).toBe(true);
        inFlightAtAbort = sim.stats.inFlight;
        t0 = Date.now();
        controller.abort();
      }
      const ms = Date.now() - t0;
      expect(seen).toHaveLength(1);
      expect(inFlightAtAbort).toBeGreaterThan(0);
      expect(ms).toBeLessThan(300);
      expect(await until(() => sim.stats.inFlight === 0, 500)).toBe(true);
      await provider.close();
      figures.streamMidPageAbortMs = ms;
      figures.streamMidPageInFlightAtAbort = inFlightAtAbort;
    } finally {
      await sim.stop();
    }
  });

  it('an already-aborted signal sends no request at all', async () => {
    const provider = new OktaIdentityProvider(config(slow));
    slow.resetStats();
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(
      (async () => {
        for await (const _ of provider.listIdentities({ signal })) void _;
      })(),
    ).rejects.toThrow('too late');
    await expect(provider.resolveAppUser('okta', 'someone@example.com', { signal })).rejects.toThrow('too late');
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ signal })) changes.push(change);
    expect(changes).toEqual([]);
    expect(slow.stats.requests).toBe(0);
    await provider.close();
  });

  it('close() stops a stream waiting between polls, and may be called again', async () => {
    const sim = new OktaSimulator({ seed: 11, users: 5, apps: 1 });
    await sim.start();
    try {
      // A real poll interval: the stream sleeps a minute after its first (empty) page.
      const provider = new OktaIdentityProvider(config(sim, { pollIntervalMs: 60_000 }));
      const run = (async () => {
        for await (const _ of provider.changes({ since: new Date(sim.now()) })) void _;
      })();
      expect(await until(() => sim.stats.requests > 0 && sim.stats.inFlight === 0)).toBe(true);
      const t0 = Date.now();
      await provider.close();
      await run;
      expect(Date.now() - t0).toBeLessThan(200);
      await expect(provider.close()).resolves.toBeUndefined();
      await expect(Promise.all([provider.close(), provider.close()])).resolves.toEqual([undefined, undefined]);
    } finally {
      await sim.stop();
    }
  });

  it('leaves no socket, server or timer behind once everything is closed', async () => {
    await slow.stop();
    await new Promise((r) => setTimeout(r, 50));
    const after = countResources();
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) expect(after.get(kind) ?? 0).toBeLessThanOrEqual(resourcesBefore.get(kind) ?? 0);
  });
});
