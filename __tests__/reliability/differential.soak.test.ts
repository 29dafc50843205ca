import { describe, expect, it } from '@jest/globals';
import { RANDOM_MUTATION_KINDS } from '../../src/simulator/random-mutations.js';
import { useMswServer } from '../helpers/msw.js';
import { DEATHS, differentialRun, type Death } from './differential-run.js';
import { recordFigures, soakBudgetMs } from './support.js';

/**
 * Many seeded differential runs (see differential-run.ts) within a share of SOAK_BUDGET_MS: a
 * larger org and longer sequences than differential.test.ts, with and without groups, a third
 * of the sessions in a new process. Across all runs the host's view must equal a fresh
 * listIdentities() and every resolveAppUser / resolveAppGroup answer a fresh provider's. The
 * totals (runs, events, sessions, new processes, failures injected, answers compared) are
 * written to `<tmpdir>/okta-idp-reliability/differential-soak.json`.
 */
const server = useMswServer();
const BUDGET_MS = soakBudgetMs();
/** This file's share of the budget. */
const SHARE = 0.2;

describe('differential (soak)', () => {
  it('many seeded runs: what the stream keeps is what a fresh read says', async () => {
    const deadline = Date.now() + BUDGET_MS * SHARE;
    const totals = { runs: 0, runsWithGroups: 0, events: 0, changes: 0, sessions: 0, freshProcesses: 0, failuresInjected: 0, resyncs: 0, resolvesCompared: 0, runsAnsweredFromIndex: 0 };
    const deaths = Object.fromEntries(DEATHS.map((d) => [d, 0])) as Record<Death, number>;
    const mutations: Record<string, number> = {};
    const failed: Array<{ seed: number; groups: boolean; mismatches: string[] }> = [];
    const t0 = Date.now();
    for (let seed = 5_000; totals.runs < 3 || Date.now() < deadline; seed++) {
      const groups = seed % 3 !== 0;
      const r = await differentialRun(server, { seed, sessions: 12, mutations: 12, users: 32, groups, freshProcessRate: 0.3 });
      totals.runs++;
      if (groups) totals.runsWithGroups++;
      totals.events += r.events;
      totals.changes += r.changes;
      totals.sessions += r.sessions;
      totals.freshProcesses += r.freshProcesses;
      totals.failuresInjected += r.failuresInjected;
      totals.resyncs += r.resyncs;
      totals.resolvesCompared += r.resolvesCompared;
      if (r.answeredFromIndex) totals.runsAnsweredFromIndex++;
      for (const d of DEATHS) deaths[d] += r.deaths[d];
      for (const [kind, n] of Object.entries(r.mutations)) mutations[kind] = (mutations[kind] ?? 0) + n;
      if (r.mismatches.length > 0) failed.push({ seed, groups, mismatches: r.mismatches.slice(0, 5) });
    }
    const kindsNever = RANDOM_MUTATION_KINDS.filter((kind) => !(kind in mutations));
    recordFigures('differential-soak', { budgetMs: BUDGET_MS, share: SHARE, elapsedMs: Date.now() - t0, ...totals, deaths, kinds: RANDOM_MUTATION_KINDS.length, kindsNever, mutations, failed });

    expect(failed).toEqual([]);
    expect(totals.runs).toBeGreaterThanOrEqual(3);
    expect(totals.freshProcesses).toBeGreaterThan(0);
    expect(totals.failuresInjected).toBeGreaterThan(0);
    expect(totals.runsAnsweredFromIndex).toBeGreaterThan(0);
    for (const d of DEATHS) expect(deaths[d]).toBeGreaterThan(0);
    // Every kind of change the simulator makes, once the budget allows a dozen runs (rare kinds need an org state to occur in).
    if (totals.runs >= 12) expect(kindsNever).toEqual([]);
  });
});
