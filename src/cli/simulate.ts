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
    process.stdout.write(
      [
        `Okta simulator: ${sim.baseUrl} (seed ${seed}, ${users} users, ${apps} apps). Ctrl-C stops it.`,
        '',
        'Try, in another terminal:',
        `  export OKTA_TOKEN=${sim.token}`,
        `  okta-identity-provider check ${flags}`,
        `  okta-identity-provider sync  ${flags} > identities.jsonl`,
        '',
      ].join('\n'),
    );
    // Ctrl-C is how this command ends: a success, not an interruption.
    await session.ended();
  } finally {
    await sim.stop();
  }
  process.stdout.write('Simulator stopped.\n');
  return EXIT.ok;
}
