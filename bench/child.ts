/**
 * Child processes of the benchmark, spoken to in JSON lines (stdout) and text commands (stdin),
 * and the way measured jobs are started: bundled with esbuild (tsx's own compiler) into a
 * temporary directory (its node_modules a link to the project's) and run by plain `node`, so a
 * job's peak RSS is the job's alone and not tsx's loader thread (about 37 MB). Without esbuild
 * the jobs run under tsx and say so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export type Json = Record<string, unknown>;

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** A child process that prints JSON lines and reads command lines. */
export class LineProcess {
  readonly #child: ChildProcess;
  readonly #lines: Json[] = [];
  readonly #waiters: Array<{ resolve: (line: Json) => void; reject: (error: Error) => void }> = [];
  #exit: Error | null = null;
  readonly exited: Promise<number>;

  constructor(args: string[], label: string) {
    this.#child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.#child.stdout! }).on('line', (text) => {
      let line: Json;
      try {
        line = JSON.parse(text) as Json;
      } catch {
        process.stderr.write(`[${label}] ${text}\n`);
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(line);
      else this.#lines.push(line);
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code) => {
        this.#exit = new Error(`${label} exited (code ${code}) before answering`);
        for (const w of this.#waiters.splice(0)) w.reject(this.#exit);
        resolve(code ?? 1);
      });
    });
  }

  /** The next JSON line the child prints. */
  next(): Promise<Json> {
    const line = this.#lines.shift();
    if (line) return Promise.resolve(line);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  send(command: string): void {
    this.#child.stdin!.write(`${command}\n`);
  }

  /** Sends a command and returns the answer line. */
  async ask(command: string): Promise<Json> {
    this.send(command);
    return this.next();
  }

  kill(): void {
    this.#child.kill();
  }
}

/** How measured jobs are started: `node <bundle>` or, without esbuild, `node --import tsx <source>`. */
export interface JobRunner {
  kind: 'node (esbuild bundle)' | 'node --import tsx';
  /** The node arguments of a job; `nodeOptions` are added to the runner's own. */
  args(job: 'job-connector' | 'job-sdk' | 'job-bounds', nodeOptions?: string[]): string[];
  /** Removes the bundles. */
  dispose(): void;
}

/** @param nodeOptions node flags for every job (a host's heap settings, say), placed before the script. */
export async function jobRunner(nodeOptions: string[] = []): Promise<JobRunner> {
  const outdir = mkdtempSync(join(tmpdir(), 'okta-bench-'));
  const dispose = (): void => rmSync(outdir, { recursive: true, force: true });
  try {
    symlinkSync(here('../node_modules'), join(outdir, 'node_modules'), 'dir');
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [here('./job-connector.ts'), here('./job-sdk.ts'), here('./job-bounds.ts')],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    });
    return { kind: 'node (esbuild bundle)', args: (job, extra = []) => [...nodeOptions, ...extra, join(outdir, `${job}.mjs`)], dispose };
  } catch (error) {
    dispose();
    process.stderr.write(`esbuild unavailable (${String(error)}): jobs run under tsx, their RSS includes its loader\n`);
    return { kind: 'node --import tsx', args: (job, extra = []) => [...nodeOptions, ...extra, '--import', 'tsx', here(`./${job}.ts`)], dispose: () => {} };
  }
}

/** Starts the simulator process (under tsx: its memory is not measured) and waits for its first line. */
export async function startSimulator(options: Json): Promise<{ sim: LineProcess; ready: Json }> {
  const sim = new LineProcess(['--import', 'tsx', here('./sim-server.ts'), JSON.stringify(options)], 'simulator');
  return { sim, ready: await sim.next() };
}
