import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type IdentityChange } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { applyChange, byId, Prng } from './support.js';

/**
 * Kill the host for real (SIGKILL of a child process, children/host.ts) at random instants:
 * during its full read, mid-stream, while the provider writes its index file; change the org
 * meanwhile by random mutations of every kind the simulator has (group and app deletions
 * included); restart it with the same `indexPath` and its saved cursor. At the end its view
 * (the full read plus every change it consumed) equals a fresh listIdentities(), a provider on
 * the file answers resolveAppUser as a fresh one does, and no file was discarded.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = join(root, '__tests__/reliability/children/host.ts');
const TOKEN = 'host-kill-token-0123456789abcdef';
const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-host-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the host; kills it `killAfterMs` after it says `at` (undefined: a final run, to its end). Returns its warnings and what it was doing when killed. */
async function runHost(sim: OktaSimulator, state: string, killAfterMs: number | undefined, onChange: () => void, at: 'syncing' | 'synced' = 'synced'): Promise<{ errors: string; killed: string }> {
  const args = ['--import', 'tsx', child, sim.baseUrl, TOKEN, state, ...(killAfterMs === undefined ? ['final'] : [])];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  proc.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  let doing = 'starting';
  let timer: NodeJS.Timeout | undefined;
  proc.stdout.on('data', (d: Buffer) => {
    for (const [word] of d.toString().matchAll(/syncing|synced|change/g)) {
      doing = word === 'change' ? 'streaming' : word;
      if (word === 'change') onChange();
      if (word === at && killAfterMs !== undefined) timer ??= setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    }
  });
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (killAfterMs === undefined && code !== 0) throw new Error(`the final host run failed (${code}): ${errors}`);
  return { errors, killed: doing };
}

describe('SIGKILL of the host: restart with the same indexPath and its saved cursor', () => {
  it('its view and the synced answers equal a fresh read', async () => {
    const rng = new Prng(2020);
    const sim = new OktaSimulator({ seed: 20, users: 40, apps: 5, groups: 5, appGroupsPerApp: 1, pushMappings: 1, lateEventRate: 0.1, token: TOKEN, rateLimits: UNLIMITED });
    await sim.start();
    const state = mkdtempSync(join(dir, 'state-'));
    const kinds: Record<string, number> = {};
    const mutate = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const { kind } = sim.randomMutation();
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
    };
    let warnings = '';
    const killed: string[] = [];
    try {
      for (let run = 0; run < 6; run++) {
        // The org changes while the host runs (so it dies mid-stream with work in hand) and while it is down.
        // The first run dies during its full read (while it writes its first file, often).
        const host = await runHost(sim, state, run === 0 ? rng.int(40) : rng.int(1_200), () => rng.chance(0.2) && mutate(1), run === 0 ? 'syncing' : 'synced');
        warnings += host.errors;
        killed.push(host.killed);
        mutate(3 + rng.int(6));
      }
      warnings += (await runHost(sim, state, undefined, () => undefined)).errors;
      expect(killed[0]).toBe('syncing');
      expect(killed).toContain('streaming');
    expect(warnings).not.toMatch(/index_discarded|index_locked|incomplete_fanout/);
    const { identities } = JSON.parse(readFileSync(join(state, 'snapshot.json'), 'utf8')) as { identities: Identity[] };
    const view = new Map(identities.map((i) => [i.id, i]));
    for (const line of readFileSync(join(state, 'host.jsonl'), 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        applyChange(view, JSON.parse(line) as IdentityChange);
      } catch {
        // A torn line: the restarted host read it again from its cursor.
      }
    }
    expect(byId(view.values())).toEqual(sim.expectedIdentities({ groups: true }));
    expect(Object.keys(kinds).length).toBeGreaterThan(5);

    // A provider on the file the host left answers as a fresh one does, from the file.
      const seen: ConnectorWarning[] = [];
      const base = { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: TOKEN, groups: true };
      const warm = new OktaIdentityProvider({ ...base, indexPath: join(state, 'index'), onWarning: (w) => seen.push(w) });
      const fresh = new OktaIdentityProvider(base);
      let compared = 0;
      for (const app of sim.org.apps) {
        for (const au of sim.org.appUsers(app.id)) {
          const [a, b] = [await warm.resolveAppUser(app.id, au.userName).catch(String), await fresh.resolveAppUser(app.id, au.userName).catch(String)];
          expect(a).toEqual(b);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(10);
      expect(warm.stats.requests).toBe(0);
      expect(seen).toEqual([]);
      await warm.close();
      await fresh.close();
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
