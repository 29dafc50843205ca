import { afterAll, describe, expect, it } from '@jest/globals';
import { FAULT_KINDS } from '../../src/simulator/index.js';
import { restartRun, type RunResult } from './restart-run.js';
import { recordFigures } from './support.js';

/**
 * Killing the consumer of changes() at seeded random points (after saving, between applying and
 * saving, by abort with requests in flight, by vanishing) and resuming each time in a new
 * provider from the last saved cursor loses no event and ends exactly at the ground truth.
 * A few fast runs; restarts.soak.test.ts runs many more.
 */
const results: RunResult[] = [];

afterAll(() => {
  recordFigures('restarts', {
    runs: results.length,
    restarts: results.reduce((n, r) => n + r.restarts, 0),
    eventsChecked: results.reduce((n, r) => n + r.eventsChecked, 0),
    eventsLost: results.reduce((n, r) => n + r.lost.length, 0),
    faultsInjected: results.reduce((n, r) => n + r.faults, 0),
    runsDetail: results.map(({ warnings: _w, lost, mismatches, ...r }) => ({ ...r, lost: lost.length, mismatches: mismatches.length })),
  });
});

function check(result: RunResult): void {
  results.push(result);
  expect(result.lost).toEqual([]);
  expect(result.mismatches).toEqual([]);
  expect(result.converged).toBe(true);
  expect(result.warnings).toEqual([]);
  expect(result.eventsChecked).toBeGreaterThan(20);
  // Aborting stops the stream promptly and closing cancels every request in flight.
  expect(result.maxAbortMs).toBeLessThan(500);
  expect(result.leftInFlight).toBe(0);
}

describe('restarting the consumer of changes() at random points', () => {
  it.each([[101], [202], [303]])('seed %i: no event lost, the snapshot equals the ground truth', async (seed) => {
    check(await restartRun({ seed, sessions: 10 }));
  }, 20_000);

  it('seed 404, with 10% faults of every kind: no event lost, the snapshot equals the ground truth', async () => {
    const result = await restartRun({ seed: 404, sessions: 10, faults: { rate: 0.1, kinds: FAULT_KINDS, slowMs: 400 } });
    check(result);
    expect(result.faults).toBeGreaterThan(0);
  }, 20_000);

  it('every way of dying was exercised', () => {
    const deaths = results.reduce<Record<string, number>>((acc, r) => {
      for (const [k, v] of Object.entries(r.deaths)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    for (const death of ['break', 'unsaved', 'abort', 'crash', 'catch-up']) expect(deaths[death]).toBeGreaterThan(0);
  });
});
