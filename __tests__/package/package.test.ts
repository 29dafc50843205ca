import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The published package as a host installs it: `npm pack` (which builds), unpacked into a
 * scratch project, and compiled against by a consumer file.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string };
// Inside the repository so that the package's own dependencies (zod, got...) resolve from its node_modules.
const scratch = join(root, '.package-test');
const installed = join(scratch, 'node_modules', '@atolio', 'okta-identity-provider');
const env = { ...process.env, NODE_OPTIONS: '' };
let files: string[];

beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ filename: string; files: { path: string }[] }];
  files = packed.files.map((f) => f.path).sort();
  execFileSync('tar', ['xzf', join(scratch, packed.filename), '-C', installed, '--strip-components=1']);
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('npm pack', () => {
  it('ships the built library and the documents a host needs, and nothing else', () => {
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual(['CHANGELOG.md', 'LICENSE', 'NOTICE', 'README.md', 'SECURITY.md', 'package.json']);
    const dist = files.filter((f) => f.startsWith('dist/'));
    // No source maps: they would point at src/, which is not shipped.
    expect(dist.filter((f) => !f.endsWith('.js') && !f.endsWith('.d.ts'))).toEqual([]);
    // One .js per source file, no stale leftovers of an earlier build...
    const sources = walk(join(root, 'src')).filter((f) => f.endsWith('.ts')).map((f) => `dist/${f.replace(/\.ts$/, '.js')}`).sort();
    expect(dist.filter((f) => f.endsWith('.js'))).toEqual(sources);
    // ...and declarations for the library (the CLI is run, not imported).
    const declarations = sources.filter((f) => !f.startsWith('dist/cli/')).map((f) => f.replace(/\.js$/, '.d.ts'));
    expect(dist.filter((f) => f.endsWith('.d.ts'))).toEqual(declarations);
  });

  it('names the repository, and every entry point it declares is in the tarball', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/atolio/okta-identity-provider.git' });
    const bin = pkg.bin as Record<string, string>;
    expect(Object.keys(bin)).toEqual(['okta-identity-provider']);
    const targets = [pkg.main, pkg.types, ...Object.values(bin), ...JSON.stringify(pkg.exports).match(/\.\/dist\/[^"]+/g)!, ...JSON.stringify(pkg.typesVersions).match(/dist\/[^"]+/g)!];
    for (const target of targets) expect(files).toContain(String(target).replace(/^\.\//, ''));
  });

  it('runs as the bin: --version from the installed package', () => {
    const out = execFileSync(process.execPath, [join(installed, 'dist/cli/index.js'), '--version'], { env, encoding: 'utf8' });
    expect(out).toBe(`${pkg.version}\n`);
    expect(readFileSync(join(installed, 'dist/cli/index.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

describe('types for consumers', () => {
  const consumer = `
import { plugin, OktaIdentityProvider, type AccessReport, type ConnectorWarning, type ConnectorWarningCode, type Identity, type OktaConfig, type OktaError, type OktaErrorCode } from '@atolio/okta-identity-provider';
import { OktaSimulator } from '@atolio/okta-identity-provider/simulator';

const provider = plugin.create({ hostname: 'example.okta.com', token: 'token' });
// The host's path: what configSchema.parse() returns is what create() takes.
const parsed: OktaConfig = plugin.configSchema.parse({ hostname: 'example.okta.com', token: 'token' });
plugin.create(parsed);
// Every code is a union member: a switch can be exhaustive, and a typo does not compile.
function handle(error: OktaError): string {
  const code: OktaErrorCode = error.code;
  // @ts-expect-error not a code
  if (code === 'forbiden') return '';
  return code;
}
function warned(warning: ConnectorWarning): ConnectorWarningCode {
  switch (warning.code) {
    case 'forbidden': case 'not_found': case 'invalid_item': case 'change_skipped': case 'incomplete_fanout': case 'unresolved_event': case 'index_discarded': case 'index_locked': return warning.code;
    default: { const never: never = warning.code; return never; }
  }
}
export { handle, warned };
const requests: number = provider.stats.requests;
const report: Promise<AccessReport> = provider.checkAccess();
const direct: OktaIdentityProvider = provider;
const sim = new OktaSimulator({ users: 1 });
const expected: Identity[] = sim.expectedIdentities();
// @ts-expect-error the types are real, not any
const wrong: string = provider.stats.requests;
export { requests, report, direct, expected, wrong };
`;

  it.each([
    ['node10 (CommonJS, no exports map)', { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' }, 'consumer.ts'],
    ['nodenext (ESM, exports map)', { module: 'nodenext', moduleResolution: 'nodenext' }, 'consumer.mts'],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'consumer.ts'],
  ])('%s finds the types of "." and "./simulator", and plugin.create() returns the provider with stats', (_name, options, file) => {
    const dir = join(scratch, file === 'consumer.mts' ? 'esm' : String(options.moduleResolution));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), consumer);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }, files: [file] }));
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { env, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  }, 60_000);
});

/** The host's path, run against the installed package: create(parse(settings)) and create(settings), token and OAuth. */
const HOST = (load: string): string => `
const { generateKeyPairSync } = require('node:crypto');
async function main() {
  const { plugin, OktaIdentityProvider, Secret } = ${load};
  const hostname = 'example.okta.com';
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const settings = [{ hostname, token: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' }, { hostname, oauth: { clientId: '0oa1', privateKey: pem } }, { hostname, oauth: { clientId: '0oa1', privateKey: jwk } }];
  let built = 0;
  for (const given of settings) {
    const parsed = plugin.configSchema.parse(given);
    if (!((parsed.token ?? parsed.oauth.privateKey) instanceof Secret)) throw new Error('parse() should hold the credential as a Secret');
    for (const config of [given, parsed]) {
      const provider = plugin.create(config);
      if (!(provider instanceof OktaIdentityProvider)) throw new Error('not a provider');
      await provider.close();
      built++;
    }
  }
  console.log('built ' + built);
}
main().catch((error) => { console.error(String(error)); process.exitCode = 1; });
`;

describe('the host path against the installed package', () => {
  const run = (file: string, text: string): { out: string; err: string } => {
    writeFileSync(join(scratch, file), text);
    const result = spawnSync(process.execPath, [file], { cwd: scratch, env, encoding: 'utf8' });
    return { out: result.stdout, err: result.stderr };
  };

  it('require() (CommonJS, Node >= 20.19 and >= 22.12): create(configSchema.parse(x)) and create(x), token and OAuth', () => {
    const { out, err } = run('host-require.cjs', HOST("require('@atolio/okta-identity-provider')"));
    expect(err).toBe('');
    expect(out).toBe('built 6\n');
  });

  it('await import() (ESM, and CommonJS on any Node >= 20): the same', () => {
    const { out, err } = run('host-import.cjs', HOST("await import('@atolio/okta-identity-provider')"));
    expect(err).toBe('');
    expect(out).toBe('built 6\n');
  });
});

/**
 * The named types that the public declarations of `entry` mention, directly or through another
 * type, but that `entry` does not export: a host could not name them in its own code.
 */
function unexportedTypes(entry: string): string[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] });
  const checker = program.getTypeChecker();
  const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!).map(resolve));
  const ours = (s: ts.Symbol): boolean => (s.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(join(installed, 'dist')));
  const seen = new Set<ts.Symbol>(exported);
  const queue = [...exported];
  const missing = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = ts.isTypeReferenceNode(node) ? node.typeName : ts.isExpressionWithTypeArguments(node) ? node.expression : ts.isTypeQueryNode(node) ? node.exprName : undefined;
    const found = name && checker.getSymbolAtLocation(name);
    if (found) {
      const symbol = resolve(found);
      if (!(symbol.flags & ts.SymbolFlags.TypeParameter) && ours(symbol) && !seen.has(symbol)) {
        seen.add(symbol);
        queue.push(symbol);
        missing.add(symbol.name);
      }
    }
    ts.forEachChild(node, visit);
  };
  while (queue.length > 0) for (const declaration of queue.pop()!.declarations ?? []) visit(declaration);
  return [...missing].sort();
}

/** The exports of `entry` without TSDoc, and the options of the configuration types without it (what a host's editor shows on hover). */
function undocumented(entry: string): string[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
  const bare = (s: ts.Symbol): boolean => ts.displayPartsToString((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).getDocumentationComment(checker)).trim() === '';
  const missing = exports.filter(bare).map((s) => s.name);
  for (const name of ['OktaConfig', 'OAuthConfig']) {
    const declared = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(exports.find((s) => s.name === name)!));
    const options = checker.getPropertiesOfType(declared);
    expect(options.length).toBeGreaterThan(3);
    missing.push(...options.filter(bare).map((o) => `${name}.${o.name}`));
  }
  return missing.sort();
}

describe('every type in a public signature is exported, and documented', () => {
  it('from "." (a host can name each type it is given or must give)', () => {
    expect(unexportedTypes(join(installed, 'dist/index.d.ts'))).toEqual([]);
  });

  it('every export of "." and every configuration option carries TSDoc', () => {
    expect(undocumented(join(installed, 'dist/index.d.ts'))).toEqual([]);
  });
});

describe('dist without the repository', () => {
  it('has no reference to a source map or to src/', () => {
    for (const file of files.filter((f) => f.startsWith('dist/'))) {
      const text = readFileSync(join(installed, file), 'utf8');
      expect(text).not.toMatch(/sourceMappingURL/);
    }
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });
});
