import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { spawnCli } from './cli-process.js';

/** How the CLI ends when its reader goes away or the admin presses Ctrl-C. */
let sim: OktaSimulator;
let slow: OktaSimulator;
beforeAll(async () => {
  // Big enough that the JSON Lines overflow a pipe's buffer many times over.
  sim = new OktaSimulator({ seed: 9, users: 2_000, apps: 3 });
  // Answers nothing for a minute: the CLI is certainly mid-request when it is interrupted.
  slow = new OktaSimulator({ seed: 9, users: 5, apps: 1, latencyMs: 60_000 });
  await Promise.all([sim.start(), slow.start()]);
});
afterAll(() => Promise.all([sim.stop(), slow.stop()]));

/** Resolves once the simulator is serving a request. */
async function requestInFlight(s: OktaSimulator): Promise<void> {
  while (s.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('CLI signals and pipes', () => {
  it('sync | head -1: a closed stdout ends the sync quietly (exit 0, no stack trace)', async () => {
    const run = spawnCli(['sync', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token });
    await run.waitFor('stdout', /\n/);
    run.child.stdout.destroy(); // what `head -1` does after its first line
    const { code, signal, stderr } = await run.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  });

  it.each([
    ['sync', /^Interrupted after 0 identities: the output is incomplete\.$/],
    ['check', /^Interrupted\.$/],
  ])('Ctrl-C during %s: exit 130 with one clear line', async (command, line) => {
    slow.resetStats();
    const run = spawnCli([command, '--hostname', 'example.okta.com', '--base-url', slow.baseUrl], { OKTA_TOKEN: slow.token });
    await requestInFlight(slow);
    run.child.kill('SIGINT');
    const { code, signal, stderr } = await run.exited;
    expect(signal).toBeNull();
    expect(code).toBe(130);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(stderr).not.toMatch(/aborted|AbortError/);
  });
});
