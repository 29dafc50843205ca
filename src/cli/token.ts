import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** The API token from OKTA_TOKEN, or from a prompt that does not echo what is typed. */
export async function readToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.OKTA_TOKEN;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error('Set OKTA_TOKEN (there is no terminal to ask for the token).');
  process.stderr.write('Okta API token (input hidden): ');
  let muted = true;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    muted = false;
    rl.close();
    process.stderr.write('\n');
  }
}
