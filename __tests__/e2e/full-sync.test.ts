import { afterEach, describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type OktaConfig } from '../../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

/** End to end: the connector against the simulator, compared with the simulator's ground truth. */
const running: OktaSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(options: SimulatorOptions): Promise<OktaSimulator> {
  const sim = new OktaSimulator(options);
  await sim.start();
  running.push(sim);
  return sim;
}

async function syncAll(sim: OktaSimulator, config: Partial<OktaConfig> = {}) {
  const warnings: ConnectorWarning[] = [];
  const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, onWarning: (w) => warnings.push(w), ...config });
  const identities: Identity[] = [];
  for await (const identity of provider.listIdentities()) identities.push(identity);
  const stats = provider.stats;
  await provider.close();
  identities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { identities, warnings, stats };
}

describe('full sync against the simulator', () => {
  it('equals the ground truth: DEPROVISIONED users, GROUP scope, app names shared by instances', async () => {
    const sim = await start({ seed: 3, users: 1500, apps: 10, groups: 12 });
    const { identities, warnings } = await syncAll(sim);
    const expected = sim.expectedIdentities();
    expect(identities).toEqual(expected);
    expect(warnings).toEqual([]);
    // The org has what the test claims to cover.
    expect(identities.some((i) => i.status === 'DEPROVISIONED')).toBe(true);
    const accounts = identities.flatMap((i) => i.accounts);
    expect(accounts.some((a) => a.scope === 'GROUP')).toBe(true);
    expect(accounts.some((a) => a.externalId !== null)).toBe(true);
    const instancesPerName = new Map<string, Set<string>>();
    for (const a of accounts) instancesPerName.set(a.appName, (instancesPerName.get(a.appName) ?? new Set()).add(a.appId));
    expect([...instancesPerName.values()].some((ids) => ids.size > 1)).toBe(true);
  });

  it('skips a forbidden app with one warning and returns everything else exactly', async () => {
    const probe = new OktaSimulator({ seed: 4, users: 400, apps: 6 });
    const appId = probe.org.apps[2]!.id;
    const sim = await start({ seed: 4, users: 400, apps: 6, forbidden: [`/api/v1/apps/${appId}/users`] });
    const { identities, warnings } = await syncAll(sim);
    expect(identities).toEqual(sim.expectedIdentities());
    expect(identities.flatMap((i) => i.accounts).some((a) => a.appId === appId)).toBe(false);
    expect(warnings).toEqual([expect.objectContaining({ code: 'forbidden', status: 403, path: `/api/v1/apps/${appId}/users` })]);
  });

  it('costs pages, not people: requests stay near the minimum number of pages', async () => {
    const sim = await start({ seed: 5, users: 2000, apps: 8 });
    const { identities, stats } = await syncAll(sim);
    expect(identities).toHaveLength(2000);
    const org = sim.org;
    const active = org.users.filter((u) => u.status !== 'DEPROVISIONED').length;
    const minimum =
      Math.ceil(active / 200) + Math.ceil((2000 - active) / 200) + Math.ceil(org.apps.length / 200) + org.apps.reduce((n, a) => n + Math.max(1, Math.ceil(org.appUsers(a.id).length / 500)), 0);
    expect(stats.requests).toBeLessThanOrEqual(minimum + 10); // slices add one partial page each
    expect(sim.stats.requests).toBe(stats.requests);
  });

  it('returns the exact ground truth under 10% injected faults and rate-limit pressure', async () => {
    const sim = await start({
      seed: 6,
      users: 1200,
      apps: 8,
      faults: { rate: 0.1, kinds: ['500', '503', 'drop', 'drop-mid-body', 'html', 'truncated', 'slow'], slowMs: 1_000 },
      latencyMs: 5,
      rateLimits: { windowMs: 1_000, limits: { apps: 6, users: 10 }, maxConcurrent: 2 },
    });
    const { identities, stats } = await syncAll(sim, { retries: 10, retryBaseDelayMs: 5, maxRetryDelayMs: 50, requestTimeoutMs: 300, maxConcurrency: 8 });
    expect(identities).toEqual(sim.expectedIdentities());
    const faults = Object.values(sim.stats.faults).reduce((a, b) => a + b, 0);
    expect(faults).toBeGreaterThan(0);
    // Pressure: the org-wide concurrency cap (2) is below the connector's (8), and buckets are small.
    expect(sim.stats.concurrencyRejected).toBeGreaterThan(0);
    expect(stats.rateLimitWaits).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThanOrEqual(faults);
  });
});
