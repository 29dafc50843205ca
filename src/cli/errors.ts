/** Exit codes, as shells and scripts read them. */
export const EXIT = {
  ok: 0,
  /** A permission is missing, the token is rejected, the org is unreachable, or the sync failed. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Ctrl-C: 128 + SIGINT (2), what a shell reports for an interrupted command. */
  interrupted: 130,
} as const;

/** An outcome the CLI reports in one line (none when the message is empty) and ends with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Ctrl-C. */
export function interrupted(detail = ''): CliError {
  return new CliError(`Interrupted${detail}.`, EXIT.interrupted);
}
