import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OktaSimulator } from '../../src/simulator/index.js';

/** The admin CLI, run as a real process against the simulator. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, ['src/cli/index.ts', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

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
    const { code, stdout } = await cli(['check', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token });
    expect(code).toBe(0);
    for (const p of ['okta.users.read', 'okta.apps.read', 'okta.groups.read', 'okta.logs.read']) expect(stdout).toMatch(new RegExp(`OK\\s+${p.replace(/\./g, '\\.')}`));
    expect(stdout).not.toContain(sim.token);
  });

  it('check: exit 1 naming each missing permission and what would be missing', async () => {
    const { code, stdout } = await cli(['check', '--hostname', 'example.okta.com', '--base-url', forbidden.baseUrl], { OKTA_TOKEN: forbidden.token });
    expect(code).toBe(1);
    expect(stdout).toMatch(/FORBIDDEN\s+okta\.logs\.read/);
    expect(stdout).toMatch(/FORBIDDEN\s+okta\.groups\.read/);
    expect(stdout).toMatch(/OK\s+okta\.users\.read/);
    expect(stdout).toContain('Missing: No change stream');
  });

  it('check: exit 1 on a wrong token, without echoing it', async () => {
    const { code, stdout } = await cli(['check', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: 'wrong-token-XYZ' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/ERROR\s+okta\.users\.read/);
    expect(stdout).not.toContain('wrong-token-XYZ');
  });

  it('refuses a token given as a flag, and asks for the token when OKTA_TOKEN is unset and there is no terminal', async () => {
    const flagged = await cli(['check', '--hostname', 'example.okta.com', '--token', 'abc'], {});
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toMatch(/shell history/);
    const noToken = await cli(['check', '--hostname', 'example.okta.com'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/OKTA_TOKEN/);
  });

  it('sync: JSON Lines on stdout equal to the ground truth, progress on stderr', async () => {
    const { code, stdout, stderr } = await cli(['sync', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    lines.sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(lines).toEqual(sim.expectedIdentities());
    expect(stderr).toMatch(/250 identities/);
  });
});
