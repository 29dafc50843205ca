import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OktaSimulator } from '../../src/simulator/index.js';
import { root, runCli } from './cli-process.js';

/** Strict argument parsing, as well-kept CLIs do it: a typo is an error, never silently ignored. */
const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;

let sim: OktaSimulator;
beforeAll(async () => {
  sim = new OktaSimulator({ seed: 2, users: 5, apps: 1 });
  await sim.start();
});
afterAll(() => sim.stop());

describe('CLI arguments', () => {
  it('refuses an unknown flag (exit 2) instead of checking the host from the environment', async () => {
    sim.resetStats();
    const env = { OKTA_HOSTNAME: 'example.okta.com', OKTA_TOKEN: sim.token };
    const { code, stdout, stderr } = await runCli(['check', '--hostnmae', 'other.okta.com', '--base-url', sim.baseUrl], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--hostnmae'/i);
    expect(stderr).toMatch(/--help/);
    expect(stdout).toBe('');
    expect(sim.stats.requests).toBe(0);
  });

  it('refuses a stray argument (exit 2)', async () => {
    sim.resetStats();
    const { code, stderr } = await runCli(['check', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_HOSTNAME: 'example.okta.com', OKTA_TOKEN: sim.token });
    expect(code).toBe(2);
    expect(stderr).toMatch(/unexpected argument 'example\.okta\.com'/);
    expect(sim.stats.requests).toBe(0);
  });

  it('refuses an unknown command and a missing command (exit 2, usage on stderr)', async () => {
    const unknown = await runCli(['chek']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'chek'/);
    expect(unknown.stdout).toBe('');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage:/);
  });

  it('refuses a flag without its value (exit 2)', async () => {
    const { code, stderr } = await runCli(['check', '--hostname']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--hostname/);
  });

  it.each([['--help'], ['-h'], ['check', '--help']])('%s prints the usage on stdout and exits 0', async (...args) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage:/);
    expect(stdout).toMatch(/okta-identity-provider simulate/);
    expect(stderr).toBe('');
  });

  it('--version prints the package version on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe('');
  });
});
