import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The admin CLI as a real process: `node --import tsx src/cli/index.ts` (one process, so signals
 * and pipes reach the CLI itself, not a launcher in between).
 */
export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** What the process wrote so far. */
  readonly out: { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  exited: Promise<CliResult>;
  /** Resolves once stdout or stderr (as chosen) matches `pattern`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Starts the CLI with only PATH and `env` in its environment (no OKTA_* leaking in from the test runner). */
export function spawnCli(args: string[], env: Record<string, string> = {}, script = 'src/cli/index.ts'): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
  const out = { stdout: '', stderr: '' };
  const waiters: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = out[w.stream].match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((out.stdout += d), check()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((out.stderr += d), check()));
  // A closed read end (the EPIPE test) is expected, not an error of the test.
  child.stdout.on('error', () => undefined);
  const exited = new Promise<CliResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, ...out })));
  return {
    child,
    out,
    exited,
    waitFor: (stream, pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ stream, pattern, resolve });
        check();
        void exited.then(() => reject(new Error(`the CLI exited before ${stream} matched ${pattern}:\n${out.stdout}\n${out.stderr}`)));
      }),
  };
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const run = spawnCli(args, env);
  run.child.stdin.end();
  return run.exited;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
