import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMswServer } from '../helpers/msw.js';
import { differentialRun, type DifferentialResult } from './differential-run.js';
import { recordFigures } from './support.js';

/**
 * Restarts with `indexPath` (issue 20): the differential run (differential-run.ts) where every new
 * process loads the index file the previous one left, and resumes from the host's saved cursor
 * against it, while the org changes by every mutation kind of the simulator (group and app
 * deletions included). The host's snapshot plus the delivered changes equals a fresh
 * listIdentities(), the synced answers equal fresh ones, no file is discarded, and no stream has to
 * ask for a full read because it could not tell who held a deleted group or app.
 */
const server = useMswServer();
const results: DifferentialResult[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-restart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

afterAll(() => {
  recordFigures('differential-restart', { runs: results.length, runsDetail: results.map(({ warnings, mismatches, ...r }) => ({ ...r, warnings: warnings.length, mismatches: mismatches.length })) });
});

describe('restarts with indexPath: the stream against a fresh read', () => {
  it.each([[1], [2], [3], [4], [5], [6]])('seed %i: snapshot, resolveAppUser and resolveAppGroup equal a fresh read', async (seed) => {
    const result = await differentialRun(server, { seed, sessions: 8, mutations: 6, freshProcessRate: 0.6, indexPath: join(dir, 'index') });
    results.push(result);
    expect(result.mismatches).toEqual([]);
    expect(result.warnings.filter((w) => w.code === 'index_discarded' || w.code === 'index_locked')).toEqual([]);
    expect(result.warnings.filter((w) => w.code === 'incomplete_fanout')).toEqual([]);
    expect(result.warmStarts).toBe(result.freshProcesses);
  }, 30_000);

  it('exercised new processes and group deletions (restart-deletions.test.ts deletes an app)', () => {
    const sum = (f: (r: DifferentialResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => r.freshProcesses)).toBeGreaterThan(5);
    expect(sum((r) => r.mutations.deleteGroup ?? 0)).toBeGreaterThan(0);
  });
});
