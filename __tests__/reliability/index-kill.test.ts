import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectorWarning } from '../../src/index.js';
import { IndexFile } from '../../src/provider/store/persist/index-file.js';
import { Prng } from './support.js';

/**
 * SIGKILL a real process while it writes the index file (children/index-writer.ts: whole
 * snapshots and journal appends, one after another), at random instants: the file it leaves is
 * always the previous generation or the new one, with a prefix of the journal, never torn; never
 * discarded; and never older than the last generation the child said was on the disk.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = join(root, '__tests__/reliability/children/index-writer.ts');
const PEOPLE = 3_000;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer on `path` and kills it `afterMs` after its first `done`; returns the last generation it reported. */
async function killWriter(path: string, afterMs: number): Promise<number> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, path, String(PEOPLE)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let done = 0;
  let errors = '';
  proc.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/done (\d+)/g)) done = Number(m[1]);
      timer ??= setTimeout(() => proc.kill('SIGKILL'), afterMs);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the writer exited with ${code}: ${errors}`));
    });
  });
  return done;
}

describe('two processes on one index file', () => {
  it('while a live process holds it, another is warned (index_locked) and does not use it; once that process is killed, its lock is taken over', async () => {
    const path = join(dir, 'index-locked');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, '200'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => proc.stdout.on('data', (d: Buffer) => /done/.test(d.toString()) && resolve()));
    const warnings: ConnectorWarning[] = [];
    const options = { path, origin: 'https://example.okta.com', groups: true, warn: (w: ConnectorWarning) => warnings.push(w), now: Date.now, retentionMs: 90 * 86_400_000 };
    expect(IndexFile.open(options)).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['index_locked']);
    expect(warnings[0]!.message).toContain(`process ${proc.pid}`);
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.on('exit', resolve));
    const index = IndexFile.open(options);
    expect(index).toBeDefined();
    expect((await index!.load())?.store.size).toBe(200);
    await index!.close();
  }, 30_000);
});

describe('SIGKILL while the index file is written', () => {
  const prng = new Prng(20);
  it.each(Array.from({ length: 6 }, (_, i) => [i]))('kill %i: the file is a whole generation plus a prefix of its journal', async (run) => {
    const path = join(dir, `index-${run}`);
    const reported = await killWriter(path, prng.int(400));
    const warnings: ConnectorWarning[] = [];
    const index = IndexFile.open({ path, origin: 'https://example.okta.com', groups: true, warn: (w) => warnings.push(w), now: Date.now, retentionMs: 90 * 86_400_000 })!;
    expect(index).toBeDefined();
    const loaded = await index.load();
    expect(warnings).toEqual([]);
    expect(loaded).toBeDefined();
    const identities = [...loaded!.store.identities()];
    expect(identities).toHaveLength(PEOPLE);
    const generation = Number(/ g(\d+)/.exec(identities[0]!.displayName)![1]);
    expect(generation).toBeGreaterThanOrEqual(reported);
    // Everyone of that generation; the people changed through the journal, a prefix 0..n-1 of them.
    let changed = 0;
    for (const [k, identity] of identities.map((i) => [Number(i.id.slice(3)), i] as const).sort((a, b) => a[0] - b[0])) {
      const suffix = k === changed ? ` c${k}` : '';
      if (suffix && identity.displayName === `p${k} g${generation}${suffix}`) changed++;
      else expect(identity.displayName).toBe(`p${k} g${generation}`);
      expect(identity.groups).toEqual([{ id: '00g00000000000000001', name: `Group g${generation}`, type: 'OKTA_GROUP' }]);
    }
    // The position is the last change the journal kept, or the snapshot's.
    expect(loaded!.position.cursor).toBe(changed === 0 ? `g${generation}` : `g${generation}c${changed - 1}`);
    await index.close();
    // The temporary file of an interrupted snapshot is removed when the file is loaded.
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith(`index-${run}.`) && f.endsWith('.tmp'))).toEqual([]);
  }, 30_000);
});
