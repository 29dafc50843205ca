import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { CliError } from '../../src/cli/errors.js';
import { readToken } from '../../src/cli/token.js';

/** The hidden token prompt, driven through a fake terminal (keys in, echo out). */
function terminal(): { input: PassThrough & { isTTY: boolean }; output: PassThrough; shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.setEncoding('utf8').on('data', (d: string) => (shown += d));
  return { input, output, shown: () => shown };
}

describe('readToken', () => {
  it('takes OKTA_TOKEN without asking', async () => {
    const t = terminal();
    await expect(readToken({ OKTA_TOKEN: 'from-env' }, t)).resolves.toBe('from-env');
    expect(t.shown()).toBe('');
  });

  it('asks on the terminal and does not echo what is typed', async () => {
    const t = terminal();
    const token = readToken({}, t);
    t.input.write('00secretTOKEN\r');
    await expect(token).resolves.toBe('00secretTOKEN');
    expect(t.shown()).toMatch(/Okta API token \(input hidden\): /);
    expect(t.shown()).not.toContain('secret');
  });

  it('Ctrl-C at the prompt is an interruption (exit 130), not a silent success', async () => {
    const t = terminal();
    const token = readToken({}, t);
    t.input.write('00sec\x03');
    const error = await token.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(130);
    expect((error as CliError).message).toMatch(/^Interrupted/);
  });

  it.each([
    ['Ctrl-D', '\x04'],
    ['an empty answer', '\r'],
    ['the end of input', null],
  ])('%s at the prompt fails (exit 2) saying no token was given', async (_what, keys) => {
    const t = terminal();
    const token = readToken({}, t);
    if (keys === null) t.input.end();
    else t.input.write(keys);
    const error = await token.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/no token/i);
  });

  it('without a terminal, asks for OKTA_TOKEN (exit 2)', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false });
    const error = await readToken({}, { input, output: new PassThrough() }).catch((e: unknown) => e);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/OKTA_TOKEN/);
  });
});
