import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { OktaSimulator } from '../../src/simulator/index.js';
import { closedPort, runCli, spawnCli } from './cli-process.js';

/** The admin CLI, run as a real process against the simulator. */
let sim: OktaSimulator;
let forbidden: OktaSimulator;
beforeAll(async () => {
  sim = new OktaSimulator({ seed: 8, users: 250, apps: 5 });
  forbidden = new OktaSimulator({ seed: 8, users: 10, apps: 2, forbidden: ['/api/v1/logs', '/api/v1/groups'] });
  await Promise.all([sim.start(), forbidden.start()]);
});
afterAll(async () => {
  await Promise.all([sim.stop(), forbidden.stop()]);
});

describe('okta-identity-provider CLI', () => {
  it('check: exit 0 and OK for every permission on a fully scoped token', async () => {
    const { code, stdout } = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token });
    expect(code).toBe(0);
    for (const p of ['okta.users.read', 'okta.apps.read', 'okta.groups.read', 'okta.logs.read']) expect(stdout).toMatch(new RegExp(`OK\\s+${p.replace(/\./g, '\\.')}`));
    expect(stdout).not.toContain(sim.token);
  });

  it('check: exit 1 naming each missing permission and what would be missing', async () => {
    const { code, stdout } = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', forbidden.baseUrl], { OKTA_TOKEN: forbidden.token });
    expect(code).toBe(1);
    expect(stdout).toMatch(/FORBIDDEN\s+okta\.logs\.read/);
    expect(stdout).toMatch(/FORBIDDEN\s+okta\.groups\.read/);
    expect(stdout).toMatch(/OK\s+okta\.users\.read/);
    expect(stdout).toContain('Missing: No change stream');
    expect(stdout).toMatch(/Some permissions are missing/);
  });

  it('check: a wrong token is one line saying Okta rejected it (exit 1), not four errors and "permissions missing"', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: 'wrong-token-XYZ' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Okta rejected the token \(401 E0000011[^\n]*\n$/);
    expect(stdout).not.toMatch(/ERROR|Some permissions are missing/);
    expect(stdout + stderr).not.toContain('wrong-token-XYZ');
  });

  it('check: an unreachable host is one line "cannot reach <origin>: <reason>" (exit 1), without the whole retry budget', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', origin], { OKTA_TOKEN: 'some-token' });
    expect(code).toBe(1);
    expect(stderr).toBe(`cannot reach ${origin}: connection refused (ECONNREFUSED)\n`);
    expect(stdout).not.toMatch(/permissions/);
  });

  it('refuses a token given as a flag, and asks for the token when OKTA_TOKEN is unset and there is no terminal', async () => {
    const flagged = await runCli(['check', '--hostname', 'example.okta.com', '--token', 'abc'], {});
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toMatch(/shell history/);
    const noToken = await runCli(['check', '--hostname', 'example.okta.com'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/OKTA_TOKEN/);
  });

  it('sync: JSON Lines on stdout equal to the ground truth; to a pipe, no progress, one accurate summary line', async () => {
    const { code, stdout, stderr } = await runCli(['sync', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; accounts: unknown[] });
    lines.sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(lines).toEqual(sim.expectedIdentities());
    const accounts = lines.reduce((n, i) => n + i.accounts.length, 0);
    // stderr is not a terminal here: no carriage-return progress, only the final summary.
    expect(stderr).not.toContain('\r');
    expect(stderr).toMatch(new RegExp(`^250 identities, ${accounts} accounts, 5/5 apps, \\d+ requests, \\d+ rate-limit waits\\n$`));
  });

  it('sync: a wrong token is one line saying Okta rejected it (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['sync', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: 'wrong-token-XYZ' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Okta rejected the token \(401 E0000011[^\n]*\n$/);
  });
});

describe('okta-identity-provider simulate', () => {
  it('serves a simulated org, prints its URL and token, answers the CLI, and stops on Ctrl-C', async () => {
    const run = spawnCli(['simulate', '--seed', '3', '--users', '40', '--apps', '2']);
    const [, baseUrl] = await run.waitFor('stdout', /(http:\/\/127\.0\.0\.1:\d+)/);
    const [, token] = await run.waitFor('stdout', /OKTA_TOKEN=(\S+)/);
    const check = await runCli(['check', '--hostname', 'example.okta.com', '--base-url', baseUrl!], { OKTA_TOKEN: token! });
    expect(check.code).toBe(0);
    const sync = await runCli(['sync', '--hostname', 'example.okta.com', '--base-url', baseUrl!], { OKTA_TOKEN: token! });
    expect(sync.stdout.trim().split('\n')).toHaveLength(40);
    run.child.kill('SIGINT');
    const { code, stdout } = await run.exited;
    expect(code).toBe(0);
    expect(stdout).toMatch(/Simulator stopped\.\n$/);
  });

  it('exits 1 with one line when the simulator process dies (out of memory, killed)', async () => {
    const run = spawnCli(['simulate', '--users', '5', '--apps', '1']);
    await run.waitFor('stdout', /Ctrl-C stops it/);
    // The simulator is the CLI's only child process.
    const [simulator] = execFileSync('pgrep', ['-P', String(run.child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    process.kill(simulator!, 'SIGKILL');
    const { code, stderr } = await run.exited;
    expect(code).toBe(1);
    expect(stderr).toBe('The simulator stopped unexpectedly (killed by SIGKILL).\n');
  });

  it('refuses a non-numeric size (exit 2)', async () => {
    const { code, stderr } = await runCli(['simulate', '--users', 'many']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--users/);
  });
});
