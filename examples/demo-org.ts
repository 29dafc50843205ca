/**
 * The org the demo runs on: yours when OKTA_HOSTNAME and OKTA_TOKEN are both set, otherwise the
 * built-in simulator.
 */
import { OktaIdentityProvider, type ConnectorWarning } from '../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../src/simulator/index.js';

/** A realistic small org with Okta-like latency, rate limits scaled to 1-second windows, and one app whose user list is forbidden. */
export function demoSimulatorOptions(): SimulatorOptions {
  const org = { seed: 42, users: 3_000, apps: 12, groups: 15 };
  // One app's user list is forbidden, to show what an under-scoped token looks like.
  const forbiddenApp = new OktaSimulator(org).org.apps[5]!.id;
  return { ...org, latencyMs: 40, rateLimits: { windowMs: 1_000, limits: { apps: 8 } }, forbidden: [`/api/v1/apps/${forbiddenApp}/users`] };
}

export interface DemoOrg {
  provider: OktaIdentityProvider;
  /** The simulator, when the demo runs on it. */
  sim: OktaSimulator | undefined;
  /** One line saying which org this is. */
  label: string;
}

/**
 * Starts the simulator if needed and connects a provider to the org, runs `demo`, then closes the
 * provider and stops the simulator.
 */
export async function withDemoOrg<T>(env: NodeJS.ProcessEnv, demo: (org: DemoOrg) => Promise<T>, options: { simulator?: SimulatorOptions; onWarning?: (w: ConnectorWarning) => void } = {}): Promise<T> {
  const real = env.OKTA_HOSTNAME !== undefined && env.OKTA_TOKEN !== undefined;
  let sim: OktaSimulator | undefined;
  if (!real) {
    sim = new OktaSimulator(options.simulator ?? demoSimulatorOptions());
    await sim.start();
  }
  const provider = new OktaIdentityProvider({
    hostname: env.OKTA_HOSTNAME ?? 'example.okta.com',
    token: env.OKTA_TOKEN ?? sim!.token,
    ...(sim ? { baseUrl: sim.baseUrl } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const label = sim ? `Okta simulator: ${sim.baseUrl} (${sim.org.users.length} users, ${sim.org.apps.length} apps)` : `Okta org: https://${env.OKTA_HOSTNAME}`;
  const result = await demo({ provider, sim, label });
  await provider.close();
  await sim?.stop();
  return result;
}
