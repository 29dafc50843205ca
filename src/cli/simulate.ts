import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SimulatedOrg } from './args.js';
import { CliError, EXIT } from './errors.js';
import type { Session } from './session.js';

/** How the simulator process ended. */
interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One line for a simulator that stopped on its own. */
function stoppedLine({ code, signal }: Exit): string {
  // V8 aborts (SIGABRT, exit 134) when the heap is exhausted.
  const oom = signal === 'SIGABRT' || code === 134 ? ': out of memory? Try fewer --users or --apps' : '';
  return `The simulator stopped unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`})${oom}.`;
}

/** What the simulator process says once it listens (src/simulator/serve.ts). */
interface Ready {
  baseUrl?: string;
  token?: string;
  seed?: number;
  users?: number;
  apps?: number;
  error?: string;
}

/**
 * `simulate`: a simulated Okta org on 127.0.0.1 until Ctrl-C, to try `check` and `sync` on. The
 * simulator runs in a process of its own (the library never loads it), as built (`serve.js`) or,
 * from a clone, as TypeScript under the same loader as this process.
 */
export async function simulate(org: SimulatedOrg, session: Session): Promise<number> {
  const built = new URL('../simulator/serve.js', import.meta.url);
  const script = fileURLToPath(existsSync(fileURLToPath(built)) ? built : new URL('../simulator/serve.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, JSON.stringify(org)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stopping = false;
  const exited = new Promise<Exit>((resolve) => child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
  // The simulator dying on its own (out of memory, killed) ends the command with a failure, at any time.
  const died = exited.then((exit) => (stopping ? undefined : Promise.reject(new CliError(stoppedLine(exit), EXIT.failed))));
  died.catch(() => undefined);
  const ready = await Promise.race([once(createInterface({ input: child.stdout }), 'line').then(([line]) => JSON.parse(line as string) as Ready), died.then(() => ({}) as Ready)]);
  if (ready.error !== undefined) {
    await exited;
    throw new CliError(ready.error, EXIT.usage);
  }
  try {
    const flags = `--hostname example.okta.com --base-url ${ready.baseUrl}`;
    const cli = commandPrefix(process.env);
    process.stdout.write(
      [
        `Okta simulator: ${ready.baseUrl} (seed ${ready.seed}, ${ready.users} users, ${ready.apps} apps). Ctrl-C stops it.`,
        '',
        'Try, in another terminal:',
        `  export OKTA_TOKEN=${ready.token}`,
        `  ${cli} check ${flags}`,
        `  ${cli} sync  ${flags} > identities.jsonl`,
        '',
      ].join('\n'),
    );
    // Ctrl-C is how this command ends: a success, not an interruption.
    await Promise.race([session.ended(), died]);
  } finally {
    stopping = true;
    child.kill('SIGTERM');
    await exited;
  }
  // On a terminal the ^C echo ends the current line: start a new one.
  process.stdout.write(`${process.stdout.isTTY ? '\n' : ''}Simulator stopped.\n`);
  return EXIT.ok;
}

/**
 * How to run the CLI again the way it was run: `npm run -s cli --` from a clone (`-s` keeps
 * npm's banner out of the JSON Lines), else the installed package by its scoped name (the
 * unscoped name is another package).
 */
function commandPrefix(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'cli' ? 'npm run -s cli --' : 'npx @atolio/okta-identity-provider';
}
