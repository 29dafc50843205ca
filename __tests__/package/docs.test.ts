import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/index.js';
import type { ConnectorWarningCode, OktaErrorCode } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { runCli } from '../e2e/cli-process.js';

/** The documents: their commands and links must work for someone who installed the package. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { name: string; version: string; files: string[] };
const REPO = 'https://github.com/atolio/okta-identity-provider';
/** The documents in the tarball (package.json `files`), where links are read from the installed package. */
const SHIPPED_DOCS = pkg.files.filter((f) => f.endsWith('.md'));

/** Markdown link targets, `[text](target)`, outside code blocks. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe('documented commands', () => {
  it('every npx and npm exec command names the scoped package, never the unscoped name (another package)', () => {
    const docs = ['README.md', 'SECURITY.md', 'CHANGELOG.md', 'BENCHMARKS.md'].map((file) => {
      const text = read(file);
      // Commands: the lines of code blocks and inline code spans.
      const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
      const spans = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
      return [file, [...blocks, ...spans]] as const;
    });
    // The CLI's own texts (its usage and what `simulate` suggests) are all commands.
    const cli = ['src/cli/args.ts', 'src/cli/simulate.ts'].map((file) => [file, read(file).split('\n')] as const);
    for (const [file, commands] of [...docs, ...cli]) {
      for (const command of commands) {
        if (/\b(?:npx|npm exec|npm x)\s/.test(command)) expect(`${file}: ${command}`).toMatch(/(?:npx|npm exec|npm x)\s(?:-\S+\s+)*(?:--package[= ]|-p )?@atolio\/okta-identity-provider\b/);
      }
    }
    expect(read('README.md')).toMatch(/npx @atolio\/okta-identity-provider check --hostname/);
  });
});

describe('links', () => {
  it.each(SHIPPED_DOCS)('%s: every relative link is a file in the tarball, every repository link a file in the repository', (doc) => {
    for (const target of links(read(doc))) {
      const path = target.split('#')[0]!;
      if (target.startsWith('#') || /^mailto:/.test(target)) continue;
      if (target.startsWith(`${REPO}/blob/main/`) || target.startsWith(`${REPO}/tree/main/`)) {
        expect(existsSync(join(root, path.replace(/^.*?\/(?:blob|tree)\/main\//, '')))).toBe(true);
      } else if (!/^https?:/.test(target)) {
        const shipped = pkg.files.some((f) => path === f || path.startsWith(`${f}/`)) || path === 'package.json';
        expect(`${doc} -> ${target}: ${shipped ? 'shipped' : 'not in the tarball'}`).toMatch(/shipped$/);
      }
    }
  });

  it('README names repository files only as links to the repository', () => {
    const prose = read('README.md').replace(/```[\s\S]*?```/g, '');
    for (const [mention, file] of prose.matchAll(/`((?:src|examples|bench|__tests__|\.ci)\/[^`]+)`(?!\]\()/g)) {
      // A mention inside a link's text is `[`src/...`](REPO/blob/main/src/...)`.
      expect(prose).toContain(`[${mention}](${REPO}/blob/main/${file})`);
    }
  });
});

describe('CHANGELOG', () => {
  it('has an Unreleased section and a section for the version in package.json, with their links', () => {
    const changelog = read('CHANGELOG.md');
    const sections = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(sections[0]).toBe('Unreleased');
    expect(sections).toContain(pkg.version);
    expect(changelog).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
    expect(changelog).toContain(`[Unreleased]: ${REPO}/compare/v${pkg.version}...HEAD`);
    expect(changelog).toContain(`[${pkg.version}]: ${REPO}/releases/tag/v${pkg.version}`);
  });
});

describe('README simulator example', () => {
  it('runs as written (with the package imports pointed at this checkout) and its assertion holds', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## The Okta simulator'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const script = code
      .replace(/'@atolio\/okta-identity-provider\/simulator'/g, `'${join(root, 'src/simulator/index.ts')}'`)
      .replace(/'@atolio\/okta-identity-provider'/g, `'${join(root, 'src/index.ts')}'`);
    // The example is a piece of a host's test: give it the `expect` its test runner would.
    const file = join(root, '.readme-example.mts');
    try {
      writeFileSync(file, `import { expect } from 'expect';\n${script}`);
      execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new Error(`the README example failed:\n${String((error as { stderr?: string }).stderr).slice(0, 3_000)}`, { cause: error });
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});

describe('the walkthrough leaves the clone clean', () => {
  it('every file a README command writes (`> file`) is ignored by git', () => {
    // The shell blocks' redirections (not a `=>` of TypeScript).
    const blocks = [...read('README.md').matchAll(/```([^\n]*)\n([\s\S]*?)```/g)].filter((m) => ['', 'sh', 'bash', 'shell', 'console'].includes(m[1]!)).map((m) => m[2]!).join('\n');
    const written = [...new Set([...blocks.matchAll(/(?<![=<>\d&])> ?([\w.-]+\.\w+)/g)].map((m) => m[1]!))];
    expect(written).toContain('identities.jsonl');
    for (const file of written) expect(`${file}: ${execFileSync('git', ['check-ignore', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`).toBe(`${file}: ${file}`);
  });
});

/** Every error and warning code; the compiler checks that each union member is listed. */
const ERROR_CODES: Record<OktaErrorCode, true> = {
  invalid_config: true,
  invalid_private_key: true,
  invalid_argument: true,
  closed: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  rate_limited: true,
  server_error: true,
  http_error: true,
  network_error: true,
  invalid_response: true,
  response_too_large: true,
  cross_origin_link: true,
  pagination_cycle: true,
  too_many_pages: true,
  ambiguous_account: true,
  ambiguous_group: true,
  invalid_cursor: true,
  cursor_expired: true,
};
const WARNING_CODES: Record<ConnectorWarningCode, true> = { forbidden: true, not_found: true, invalid_item: true, change_skipped: true, incomplete_fanout: true, unresolved_event: true, index_discarded: true, index_locked: true };

describe('README claims that can be run', () => {
  const readme = read('README.md');
  const row = (first: string): string => readme.split('\n').find((l) => l.startsWith(`| ${first}`))!;

  it('the error list names every exported error class and every error code', () => {
    const errors = row('`OktaError` and subclasses');
    const classes = Object.entries(api).filter(([, value]) => typeof value === 'function' && (value === api.OktaError || value.prototype instanceof api.OktaError));
    expect(classes.length).toBeGreaterThan(15);
    for (const [name] of classes) expect(`${name}: ${errors.includes(`\`${name}\``)}`).toBe(`${name}: true`);
    for (const code of Object.keys(ERROR_CODES)) expect(`${code}: ${errors.includes(`\`${code}\``)}`).toBe(`${code}: true`);
  });

  it('the configuration table\'s defaults are the ones the schema fills in', () => {
    const resolved = api.oktaConfigSchema.parse({ hostname: 'example.okta.com', token: 'x' }) as unknown as Record<string, unknown>;
    const rows = [...readme.matchAll(/^\| `(\w+)` \| `([^`]+)` \|/gm)].filter(([, option]) => option! in resolved && option !== 'hostname');
    expect(rows.length).toBe(12);
    for (const [, option, value] of rows) expect(`${option}: ${String(resolved[option!])}`).toBe(`${option}: ${value}`);
  });

  it('the onWarning option lists every warning code', () => {
    const onWarning = row('`onWarning`');
    for (const code of Object.keys(WARNING_CODES)) expect(`${code}: ${onWarning.includes(`\`${code}\``)}`).toBe(`${code}: true`);
  });

  it('the check sample is what `check` prints, line for line (rate-limit counts and the org aside)', async () => {
    const sim = new OktaSimulator({ seed: 8, users: 20, apps: 3, forbidden: ['/api/v1/logs'] });
    await sim.start();
    let printed: string;
    try {
      printed = (await runCli(['check', '--hostname', 'example.okta.com', '--base-url', sim.baseUrl], { OKTA_TOKEN: sim.token })).stdout;
    } finally {
      await sim.stop();
    }
    const sample = /```text\n(Okta org: [\s\S]*?)```/.exec(readme)![1]!;
    const normal = (text: string): string => text.replace(/^Okta org: .*$/m, 'Okta org: <origin>').replace(/ {2}\(rate limit: [^)]*\)/g, '');
    expect(normal(sample)).toBe(normal(printed));
  }, 60_000);
});
