import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './errors.js';

/**
 * What `simulate` serves on a usual machine: 50,000 users with 100 apps take about a minute
 * to build (measured on a shared 2-core machine) and under 1 GB: the simulator's time and memory
 * grow with users times apps.
 */
export const SIMULATOR_BOUNDS = { users: [1, 50_000], apps: [0, 100], seed: [0, 999_999_999] } as const;

const [MIN_USERS, MAX_USERS] = SIMULATOR_BOUNDS.users;
const [MIN_APPS, MAX_APPS] = SIMULATOR_BOUNDS.apps;

export const USAGE = `Usage:
  okta-identity-provider check    --hostname example.okta.com
  okta-identity-provider sync     --hostname example.okta.com > identities.jsonl
  okta-identity-provider simulate [--users 200] [--apps 8] [--seed 1]

check     checks the API token: one request per permission the connector needs
sync      writes every identity as JSON Lines to stdout (progress on stderr when it is a terminal)
simulate  serves a simulated Okta org on 127.0.0.1 to try the other commands on; prints its URL and token

The API token is read from the OKTA_TOKEN environment variable, or asked for (hidden) when unset.

Options:
  --hostname    the Okta org host (or OKTA_HOSTNAME)
  --base-url    replaces https://<hostname> (test servers, the simulator)
  --users       the simulated org's people, ${MIN_USERS} to ${MAX_USERS} (simulate; default 200)
  --apps        its apps, ${MIN_APPS} to ${MAX_APPS} (simulate; default 8)
  --seed        its random seed, 0 to ${SIMULATOR_BOUNDS.seed[1]} (simulate; default 1)
  -h, --help    this text
  --version     the version

Exit codes: 0 ok; 1 a permission is missing, the token is rejected, the org is unreachable or the
sync failed; 2 usage or configuration error; 130 interrupted (Ctrl-C).`;

/** What the command line asks for. */
export type Invocation =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check' | 'sync'; hostname: string; baseUrl?: string }
  | { kind: 'simulate'; org: SimulatedOrg };

/** The simulated org's seed and size, as given. */
export interface SimulatedOrg {
  seed?: number;
  users?: number;
  apps?: number;
}

const OPTIONS = {
  hostname: { type: 'string' },
  'base-url': { type: 'string' },
  token: { type: 'string' },
  users: { type: 'string' },
  apps: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const OKTA_OPTIONS = ['hostname', 'base-url'] as const;
const SIMULATOR_OPTIONS = ['users', 'apps', 'seed'] as const;

/** The package version, from the package.json next to `src/` or `dist/`. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Parses strictly: an unknown option, a stray argument or an option of another command is a usage error (exit 2). */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): Invocation {
  // `--users -5`: parseArgs would take -5 for an option and explain `--users=-XYZ`; it is a number out of range.
  argv.forEach((arg, i) => {
    const name = arg.slice(2);
    if (isSimulatorOption(name) && /^-\d/.test(argv[i + 1] ?? '')) count(argv[i + 1], name);
  });
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(parseError(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...stray] = positionals;
  if (command === undefined) throw new CliError(USAGE, EXIT.usage);
  if (stray.length > 0) throw usageError(`unexpected argument '${stray[0]}'`);
  if (values.token !== undefined) {
    throw new CliError('Refusing --token: it would be saved in your shell history. Set OKTA_TOKEN or answer the prompt.', EXIT.usage);
  }
  if (command === 'simulate') {
    refuse(values, OKTA_OPTIONS, command);
    return { kind: 'simulate', org: { ...count(values.users, 'users'), ...count(values.apps, 'apps'), ...count(values.seed, 'seed') } };
  }
  if (command !== 'check' && command !== 'sync') throw usageError(`unknown command '${command}'`);
  refuse(values, SIMULATOR_OPTIONS, command);
  const hostname = values.hostname ?? env.OKTA_HOSTNAME;
  if (!hostname) throw usageError('--hostname (or OKTA_HOSTNAME) is required');
  return { kind: command, hostname, ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {}) };
}

function usageError(problem: string): CliError {
  return new CliError(`${problem} (see okta-identity-provider --help)`, EXIT.usage);
}

/** parseArgs' own message, without its hint about `--` (which would only invite a typo through). */
function parseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${/'[^']*'/.exec(message ?? '')?.[0] ?? ''}`.trim();
  return (message ?? String(error)).split('. ')[0]!.replace(/\.$/, '');
}

function refuse(values: Record<string, unknown>, names: readonly string[], command: string): void {
  const given = names.find((n) => values[n] !== undefined);
  if (given) throw usageError(`--${given} does not apply to ${command}`);
}

function isSimulatorOption(name: string): name is (typeof SIMULATOR_OPTIONS)[number] {
  return (SIMULATOR_OPTIONS as readonly string[]).includes(name);
}

function count(value: string | undefined, name: (typeof SIMULATOR_OPTIONS)[number]): Partial<Record<typeof name, number>> {
  if (value === undefined) return {};
  const [min, max] = SIMULATOR_BOUNDS[name];
  const n = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw usageError(`--${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  return { [name]: n };
}
