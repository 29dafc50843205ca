import { afterAll, describe, expect, it } from '@jest/globals';
import { useMswServer } from '../helpers/msw.js';
import { differentialRun, type DifferentialResult } from './differential-run.js';
import { recordFigures } from './support.js';

/**
 * What the change stream keeps is what a fresh read says (see differential-run.ts): seeded random
 * changes of every kind, read failures mid-page, breaks, aborts and resumes on the same provider
 * and in a new one; then the host's snapshot equals a fresh listIdentities(), and the streaming
 * provider's resolveAppUser / resolveAppGroup answers equal a fresh provider's. A few small runs;
 * differential.soak.test.ts runs many more.
 */
const server = useMswServer();
const results: DifferentialResult[] = [];

afterAll(() => {
  recordFigures('differential', { runs: results.length, runsDetail: results.map(({ warnings, mismatches, ...r }) => ({ ...r, warnings: warnings.length, mismatches: mismatches.length })) });
});

describe('differential: the stream against a fresh read', () => {
  it.each([
    [1, true],
    [2, true],
    [3, true],
    [4, false],
    [5, false],
  ])('seed %i (groups: %s): snapshot, resolveAppUser and resolveAppGroup equal a fresh read', async (seed, groups) => {
    const result = await differentialRun(server, { seed, sessions: 7, mutations: 8, groups, freshProcessRate: groups ? 0.25 : 0.4 });
    results.push(result);
    expect(result.mismatches).toEqual([]);
    expect(result.resolvesCompared).toBeGreaterThan(20);
    // About 2 s of CPU each; a shared machine may stretch that many times over.
  }, 120_000);

  it('exercised every death, fresh processes, failures past the retries and the index', () => {
    const sum = (f: (r: DifferentialResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    for (const death of ['failure', 'break', 'unsaved', 'abort', 'catch-up'] as const) expect(sum((r) => r.deaths[death])).toBeGreaterThan(0);
    expect(sum((r) => r.freshProcesses)).toBeGreaterThan(0);
    expect(sum((r) => r.failuresInjected)).toBeGreaterThan(0);
    expect(results.some((r) => r.answeredFromIndex)).toBe(true);
  });
});
