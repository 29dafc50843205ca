import { describe, expect, it } from '@jest/globals';
import { ProgressLine } from '../../src/cli/progress.js';

/** Progress on stderr: a live line on a terminal, nothing but the final summary anywhere else. */
function output(isTTY: boolean): { isTTY: boolean; written: string[]; write(text: string): boolean } {
  const written: string[] = [];
  return { isTTY, written, write: (text) => (written.push(text), true) };
}

describe('ProgressLine', () => {
  it('on a terminal: redraws one line in place, then replaces it with the final summary', () => {
    const out = output(true);
    let n = 0;
    const progress = new ProgressLine(out, () => `people ${n}`);
    n = 1;
    progress.update();
    n = 2;
    progress.update();
    progress.done('2 identities');
    expect(out.written.join('')).toBe('\r\x1b[Kpeople 1\r\x1b[Kpeople 2\r\x1b[K2 identities\n');
    expect(progress.live).toBe(true);
  });

  it('to a file or pipe: no carriage returns, no stale progress, only the final summary line', () => {
    const out = output(false);
    const progress = new ProgressLine(out, () => 'people 1');
    progress.update();
    progress.update();
    progress.done('1 identity');
    expect(out.written.join('')).toBe('1 identity\n');
    expect(progress.live).toBe(false);
  });

  it('clear() erases a drawn line before another message, and does nothing elsewhere', () => {
    const tty = output(true);
    const live = new ProgressLine(tty, () => 'people 1');
    live.clear();
    live.update();
    live.clear();
    expect(tty.written.join('')).toBe('\r\x1b[Kpeople 1\r\x1b[K');
    const pipe = output(false);
    new ProgressLine(pipe, () => 'x').clear();
    expect(pipe.written).toEqual([]);
  });
});
