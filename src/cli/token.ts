import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError, EXIT, interrupted } from './errors.js';

/** Where the prompt reads keys and writes its question (the terminal: stdin and stderr). */
export interface PromptIO {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * The API token from OKTA_TOKEN, or from a prompt that does not echo what is typed. Ctrl-C at the
 * prompt is an interruption (exit 130) and Ctrl-D or an empty answer a usage error: never a
 * silent success, so that `check && deploy` stops.
 */
export async function readToken(env: NodeJS.ProcessEnv = process.env, io: PromptIO = { input: process.stdin, output: process.stderr }): Promise<string> {
  const fromEnv = env.OKTA_TOKEN;
  if (fromEnv) return fromEnv;
  if (!io.input.isTTY) throw new CliError('Set OKTA_TOKEN (there is no terminal to ask for the token).', EXIT.usage);
  io.output.write('Okta API token (input hidden): ');
  // readline echoes to its output: give it one that shows nothing.
  const hidden = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: io.input, output: hidden, terminal: true });
  try {
    const answer = await new Promise<string | null>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(null)); // Ctrl-D, or the input ended
      // In raw mode Ctrl-C is a key, not a signal: readline reports it here.
      rl.once('SIGINT', () => reject(interrupted()));
    });
    if (!answer) throw new CliError('No token given: set OKTA_TOKEN or type the token at the prompt.', EXIT.usage);
    return answer;
  } finally {
    rl.close();
    io.output.write('\n');
  }
}
