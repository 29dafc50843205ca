import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDemoOrg } from '../../examples/demo-org.js';
import { accountRows } from '../../examples/summary.js';
import type { AppAccount, Identity } from '../../src/index.js';

/** The demo: the org it picks, that it always stops its simulator, and what its table shows. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const small = { seed: 3, users: 20, apps: 2 };

/** True when something accepts connections at `url`. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('demo org', () => {
  it.each([
    ['OKTA_TOKEN alone', { OKTA_TOKEN: 'a-real-okta-token' }],
    ['OKTA_HOSTNAME alone', { OKTA_HOSTNAME: 'example.okta.com' }],
    ['OKTA_HOSTNAME and an empty OKTA_TOKEN', { OKTA_HOSTNAME: 'example.okta.com', OKTA_TOKEN: '' }],
  ])('with %s: runs on the simulator with the simulator token, never the OKTA_TOKEN', async (_what, env) => {
    const report = await withDemoOrg(env, async ({ provider, sim }) => {
      expect(sim).toBeDefined();
      return provider.checkAccess();
    }, { simulator: small });
    expect(report.ok).toBe(true);
    expect(report.origin).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('stops the simulator and closes the provider when the demo fails', async () => {
    let url = '';
    const failure = withDemoOrg({}, async ({ sim }) => {
      url = sim!.baseUrl;
      throw new Error('the demo broke');
    }, { simulator: small });
    await expect(failure).rejects.toThrow('the demo broke');
    expect(await listening(url)).toBe(false);
  });

  it('stops the simulator after a successful run', async () => {
    const url = await withDemoOrg({}, async ({ sim }) => sim!.baseUrl, { simulator: small });
    expect(await listening(url)).toBe(false);
  });

  it('`OKTA_TOKEN=... npm run demo` (no OKTA_HOSTNAME) runs to the end on the simulator and exits', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', OKTA_TOKEN: 'a-real-okta-token' }, timeout: 50_000 }, (error, out) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: out }),
      );
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Okta simulator: http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/\nDone: \d+ requests in all\.\n$/);
  }, 60_000);
});

describe('demo summary table', () => {
  const account = (n: number): AppAccount => ({ appId: `0oa${n}`, appName: `app${n}`, appLabel: `App ${n}`, userName: `u${n}`, externalId: null, scope: 'USER', status: 'ACTIVE' });
  const person = (accounts: number): Identity => ({ id: '00u1', login: 'ada@example.com', email: null, displayName: 'Ada', status: 'ACTIVE', accounts: Array.from({ length: accounts }, (_, n) => account(n)) });

  it('says how many accounts of a person it leaves out', () => {
    const rows = accountRows([person(5)]);
    expect(rows.map((r) => r[2])).toEqual(['App 0', 'App 1', 'App 2', '… and 2 more']);
  });

  it('shows every account of a person with three or fewer', () => {
    expect(accountRows([person(3)]).map((r) => r[2])).toEqual(['App 0', 'App 1', 'App 2']);
  });
});

describe('examples as a host writes them', () => {
  it('import the package by its name, never a path into src/', () => {
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(root, 'examples', file), 'utf8');
      expect(`${file}: ${text.match(/from '\.\.\/[^']*'/g)?.join(', ') ?? 'no path outside examples/'}`).toBe(`${file}: no path outside examples/`);
    }
    expect(readFileSync(join(root, 'examples/demo.ts'), 'utf8')).toMatch(/from '@atolio\/okta-identity-provider'/);
  });
});
