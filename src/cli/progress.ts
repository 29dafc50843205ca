/** Where progress goes: stderr. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Back to the start of the line, and erase it. */
const ERASE = '\r\x1b[K';

/**
 * A progress line redrawn in place on a terminal. Anywhere else (a file, a pipe, a CI log)
 * `update` writes nothing, so a log gets no carriage returns and no stale counts: only the
 * final line of {@link done}.
 */
export class ProgressLine {
  /** True when the output is a terminal, so redrawing makes sense. */
  readonly live: boolean;
  #drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly render: () => string,
  ) {
    this.live = out.isTTY === true;
  }

  /** Redraws the line with the current counts (on a terminal). */
  update(): void {
    if (!this.live) return;
    this.out.write(`${ERASE}${this.render()}`);
    this.#drawn = true;
  }

  /** Erases the line, before another message takes its place; the next update redraws it. */
  clear(): void {
    if (!this.#drawn) return;
    this.out.write(ERASE);
    this.#drawn = false;
  }

  /** A line of its own, on a terminal or not (the progress line, if drawn, is redrawn after it). */
  notice(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  /** Replaces the line with the final, accurate summary. */
  done(summary: string): void {
    this.clear();
    this.out.write(`${summary}\n`);
  }
}
