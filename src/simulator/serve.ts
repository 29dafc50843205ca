/**
 * The simulator as a process of its own, so that nothing of the library loads it: the admin
 * command's `simulate` runs it. Usage: `node serve.js '<SimulatorOptions as JSON>'`.
 *
 * Prints one JSON line: `{ baseUrl, token, seed, users, apps }` once it listens, or `{ error }`
 * (and exits 2) when the options are refused. Stops on SIGINT or SIGTERM, or when its stdin ends
 * (the process that started it has gone).
 */
import { OktaSimulator } from './simulator.js';

const print = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

let sim: OktaSimulator | undefined;
try {
  sim = new OktaSimulator(JSON.parse(process.argv[2] ?? '{}') as ConstructorParameters<typeof OktaSimulator>[0]);
} catch (error) {
  print({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 2;
}
if (sim) {
  await sim.start();
  const { seed, users, apps } = sim.options;
  print({ baseUrl: sim.baseUrl, token: sim.token, seed, users, apps });
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    process.stdin.once('end', () => resolve());
    process.stdin.resume();
  });
  await sim.stop();
  process.stdin.destroy();
}
