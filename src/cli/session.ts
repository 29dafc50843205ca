import { CliError, EXIT, interrupted } from './errors.js';

/**
 * What can end a command from outside: Ctrl-C, or the reader of stdout going away
 * (`... | head -1`). Either aborts `signal`, whose reason is the {@link CliError} to end with.
 */
export class Session {
  readonly #controller = new AbortController();
  readonly #onSigint = (): void => {
    if (this.signal.aborted) {
      // A second Ctrl-C: the admin does not want to wait for the clean-up.
      process.stderr.write(`${interrupted().message}\n`);
      process.exit(EXIT.interrupted);
    }
    this.#controller.abort(interrupted());
  };
  readonly #onStdoutError = (error: NodeJS.ErrnoException): void => {
    // EPIPE: the reader stopped reading; it has what it wanted, so end quietly with success.
    this.#controller.abort(error.code === 'EPIPE' ? new CliError('', EXIT.ok) : new CliError(`cannot write the output: ${error.message}`, EXIT.failed));
  };

  constructor() {
    process.on('SIGINT', this.#onSigint);
    process.stdout.on('error', this.#onStdoutError);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The outcome to report for `error`: a command's own CliError, else why the session was aborted, if it was, else `error` itself. */
  outcome(error: unknown): unknown {
    if (error instanceof CliError || !this.signal.aborted) return error;
    return this.signal.reason;
  }

  /** Resolves when the session is aborted (Ctrl-C), for commands that run until then. */
  ended(): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  /** Stops listening; stdout errors stay swallowed, since nothing more is written. */
  close(): void {
    process.off('SIGINT', this.#onSigint);
  }
}
