#!/usr/bin/env node
/**
 * The admin's command line: `check` verifies a hostname and token before they are handed over;
 * `sync` writes every identity as JSON Lines to stdout; `simulate` serves a simulated org to try
 * them on. The token comes from OKTA_TOKEN or a hidden prompt, never a flag (flags end up in
 * shell history). Conventions: usage errors exit 2, Ctrl-C exits 130 with one line, a closed
 * stdout (`| head`) ends quietly, progress only on a terminal.
 */
import { OktaConfigError, originOf, resolveConfig } from '../config/config.js';
import { OktaIdentityProvider } from '../provider/provider.js';
import type { ConnectorWarning } from '../sdk.js';
import { parseCommandLine, USAGE, version, type Invocation } from './args.js';
import { CHECK_LIMITS, check } from './check.js';
import { CliError, EXIT } from './errors.js';
import { failureLine, formatWarning, terminalSafe } from './format.js';
import { ProgressLine } from './progress.js';
import { Session } from './session.js';
import { simulate } from './simulate.js';
import { sync, syncProgress } from './sync.js';
import { readToken } from './token.js';

async function main(argv: string[]): Promise<number> {
  const invocation = parseCommandLine(argv, process.env);
  if (invocation.kind === 'help') return print(`${USAGE}\n`);
  if (invocation.kind === 'version') return print(`${version()}\n`);
  const session = new Session();
  try {
    if (invocation.kind === 'simulate') return await simulate(invocation.org, session);
    return await connect(invocation, session);
  } catch (error) {
    throw session.outcome(error);
  } finally {
    session.close();
  }
}

/** check and sync: read the token, build the provider, run the command, close the provider. */
async function connect(invocation: Extract<Invocation, { kind: 'check' | 'sync' }>, session: Session): Promise<number> {
  const token = await readToken();
  const progress = new ProgressLine(process.stderr, () => syncProgress(provider));
  const config = {
    hostname: invocation.hostname,
    token,
    ...(invocation.baseUrl !== undefined ? { baseUrl: invocation.baseUrl } : {}),
    ...(invocation.kind === 'check' ? CHECK_LIMITS : {}),
    onWarning: (w: ConnectorWarning) => {
      progress.clear();
      process.stderr.write(`${formatWarning(w)}\n`);
    },
  };
  let origin: string;
  let provider: OktaIdentityProvider;
  try {
    origin = originOf(resolveConfig(config));
    provider = new OktaIdentityProvider(config);
  } catch (error) {
    throw new CliError(error instanceof OktaConfigError ? error.message : String(error), EXIT.usage);
  }
  try {
    return invocation.kind === 'check' ? await check(provider, origin, session.signal) : await sync(provider, progress, session.signal, { origin });
  } catch (error) {
    progress.clear();
    if (session.signal.aborted || error instanceof CliError) throw error;
    throw new CliError(failureLine(error, origin), EXIT.failed);
  } finally {
    await provider.close();
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const failure = error instanceof CliError ? error : new CliError(error instanceof Error ? error.message : String(error), EXIT.failed);
    if (failure.message) process.stderr.write(`${terminalSafe(failure.message, { lines: true })}\n`);
    process.exitCode = failure.exitCode;
  },
);
