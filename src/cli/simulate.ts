import type { SimulatedOrg } from './args.js';
import { CliError, EXIT } from './errors.js';
import type { Session } from './session.js';

/** `simulate`: a simulated Okta org on 127.0.0.1 until Ctrl-C, to try `check` and `sync` on. */
export async function simulate(org: SimulatedOrg, session: Session): Promise<number> {
  // Loaded only for this command: check and sync do not pay for the simulator.
  const { OktaSimulator } = await import('../simulator/index.js');
  let sim: InstanceType<typeof OktaSimulator>;
  try {
    sim = new OktaSimulator(org);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), EXIT.usage);
  }
  await sim.start();
  try {
    const { seed, users, apps } = sim.options;
    const flags = `--hostname example.okta.com --base-url ${sim.baseUrl}`;
    const cli = commandPrefix(process.env);
    process.stdout.write(
      [
        `Okta simulator: ${sim.baseUrl} (seed ${seed}, ${users} users, ${apps} apps). Ctrl-C stops it.`,
        '',
        'Try, in another terminal:',
        `  export OKTA_TOKEN=${sim.token}`,
        `  ${cli} check ${flags}`,
        `  ${cli} sync  ${flags} > identities.jsonl`,
        '',
      ].join('\n'),
    );
    // Ctrl-C is how this command ends: a success, not an interruption.
    await session.ended();
  } finally {
    await sim.stop();
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
export function commandPrefix(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'cli' ? 'npm run -s cli --' : 'npx @atolio/okta-identity-provider';
}
