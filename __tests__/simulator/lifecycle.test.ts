import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { get } from './helpers.js';

const count = (kind: string): number => process.getActiveResourcesInfo().filter((r) => r === kind).length;

describe('start and stop', () => {
  it('leaves no server, socket or timer behind, even with responses pending', async () => {
    const servers = count('TCPServerWrap');
    const timers = count('Timeout');
    const sim = new OktaSimulator({ users: 10, latencyMs: 10_000 });
    await sim.start();
    // A failed expectation must not leave a listening server behind: jest would never exit.
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopped ??= sim.stop());
    try {
      expect(count('TCPServerWrap')).toBe(servers + 1);
      const pending = Promise.allSettled([get(sim, '/api/v1/users'), get(sim, '/api/v1/groups')]);
      // Both requests reach the server in their own time on a loaded machine: wait for them, not a fixed delay.
      for (let i = 0; i < 500 && sim.stats.inFlight < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(sim.stats.inFlight).toBe(2);
      const t0 = performance.now();
      await stop();
      expect(performance.now() - t0).toBeLessThan(1_000);
      const results = await pending;
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(count('TCPServerWrap')).toBe(servers);
      expect(count('Timeout')).toBeLessThanOrEqual(timers);
      expect(sim.stats.inFlight).toBe(0);
    } finally {
      await stop();
    }
  });

  it('stops idempotently, and refuses a second start', async () => {
    const sim = new OktaSimulator({ users: 1 });
    await sim.stop();
    await sim.start();
    await expect(sim.start()).rejects.toThrow(/already started/);
    expect((await get(sim, '/api/v1/users')).status).toBe(200);
    await sim.stop();
    await sim.stop();
    await expect(fetch(`${sim.baseUrl}/api/v1/users`)).rejects.toThrow();
  });
});
