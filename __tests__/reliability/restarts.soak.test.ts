import { describe, expect, it } from '@jest/globals';
import { FAULT_KINDS } from '../../src/simulator/index.js';
import { DEATHS, restartRun, type Death } from './restart-run.js';
import { recordFigures, soakBudgetMs } from './support.js';

/**
 * Many seeded restart runs (see restart-run.ts) within a share of SOAK_BUDGET_MS: the consumer
 * of changes() is killed at random points again and again and resumed from its last saved
 * cursor in a new provider; across all runs no event may be lost and every run must end at the
 * ground truth. Every third run also has 5% injected faults of every kind. The totals are
 * written to `<tmpdir>/okta-idp-reliability/restarts-soak.json`.
 */
const BUDGET_MS = soakBudgetMs();
/** This file's share of the budget: the stream soak and the simulator's scale soak need the rest. */
const SHARE = 0.3;

describe('restarts (soak)', () => {
  it('many seeded runs: no event lost, every run converges', async () => {
    const deadline = Date.now() + BUDGET_MS * SHARE;
    const totals = { runs: 0, restarts: 0, changes: 0, eventsChecked: 0, eventsLost: 0, runsNotConverged: 0, warnings: 0, faultsInjected: 0, errorsSurvived: 0, maxAbortMs: 0, abortsInFlight: 0, leftInFlight: 0 };
    const deaths = Object.fromEntries(DEATHS.map((d) => [d, 0])) as Record<Death, number>;
    const failed: Array<{ seed: number; lost: number; mismatches: number; warnings: string[] }> = [];
    const t0 = Date.now();
    for (let seed = 1_000; totals.runs < 3 || Date.now() < deadline; seed++) {
      const faults = seed % 3 === 0 ? { rate: 0.05, kinds: FAULT_KINDS, slowMs: 300 } : undefined;
      const r = await restartRun({ seed, sessions: 6 + (seed % 9), ...(faults ? { faults } : {}) });
      totals.runs++;
      totals.restarts += r.restarts;
      totals.changes += r.changes;
      totals.eventsChecked += r.eventsChecked;
      totals.eventsLost += r.lost.length;
      totals.runsNotConverged += r.converged ? 0 : 1;
      totals.warnings += r.warnings.length;
      totals.faultsInjected += r.faults;
      totals.errorsSurvived += r.deaths.error;
      totals.maxAbortMs = Math.max(totals.maxAbortMs, r.maxAbortMs);
      totals.abortsInFlight += r.abortsInFlight;
      totals.leftInFlight = Math.max(totals.leftInFlight, r.leftInFlight);
      for (const d of DEATHS) deaths[d] += r.deaths[d];
      if (r.lost.length > 0 || !r.converged || r.warnings.length > 0) failed.push({ seed, lost: r.lost.length, mismatches: r.mismatches.length, warnings: r.warnings.map((w) => w.code) });
    }
    const file = recordFigures('restarts-soak', { budgetMs: BUDGET_MS, share: SHARE, elapsedMs: Date.now() - t0, ...totals, deaths, failed });

    expect(file).toContain('restarts-soak.json');
    expect(failed).toEqual([]);
    expect(totals.eventsLost).toBe(0);
    expect(totals.runsNotConverged).toBe(0);
    expect(totals.warnings).toBe(0);
    expect(totals.runs).toBeGreaterThanOrEqual(3);
    expect(totals.restarts).toBeGreaterThanOrEqual(totals.runs * 7);
    expect(totals.eventsChecked).toBeGreaterThan(totals.runs * 20);
    expect(totals.maxAbortMs).toBeLessThan(500);
    expect(totals.leftInFlight).toBe(0);
    // Some consumers died with a request of theirs being served.
    expect(totals.abortsInFlight).toBeGreaterThan(0);
    for (const d of DEATHS) expect(deaths[d]).toBeGreaterThan(0);
  });
});
