/**
 * The org the demo runs on: yours when OKTA_HOSTNAME and OKTA_TOKEN are both set, otherwise the
 * built-in simulator with its own token (OKTA_TOKEN is never sent to it). The provider reads
 * groups too (the `groups` option).
 */
import { OktaIdentityProvider, type ConnectorWarning } from '@atolio/okta-identity-provider';
import { OktaSimulator, type SimulatorOptions } from '@atolio/okta-identity-provider/simulator';

/**
 * A realistic small org with Okta-like latency, rate limits scaled to 1-second windows, groups
 * imported from apps and pushed to them (Group Push), and one app whose user list is forbidden.
 */
export function demoSimulatorOptions(): SimulatorOptions {
  const org = { seed: 42, users: 3_000, apps: 12, groups: 15, appGroupsPerApp: 2, pushMappings: 3 };
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
 * provider and stops the simulator, whether `demo` succeeded or failed (a running simulator would
 * keep the process alive).
 */
export async function withDemoOrg<T>(env: NodeJS.ProcessEnv, demo: (org: DemoOrg) => Promise<T>, options: { simulator?: SimulatorOptions; onWarning?: (w: ConnectorWarning) => void } = {}): Promise<T> {
  const onWarning = options.onWarning ? { onWarning: options.onWarning } : {};
  const { OKTA_HOSTNAME: hostname, OKTA_TOKEN: token } = env;
  // Both or neither: a token alone must never be sent anywhere but the org it belongs to.
  if (hostname && token) {
    const provider = new OktaIdentityProvider({ hostname, token, groups: true, ...onWarning });
    try {
      return await demo({ provider, sim: undefined, label: `Okta org: https://${hostname}` });
    } finally {
      await provider.close();
    }
  }
  const sim = new OktaSimulator(options.simulator ?? demoSimulatorOptions());
  await sim.start();
  try {
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, groups: true, ...onWarning });
    try {
      return await demo({ provider, sim, label: `Okta simulator: ${sim.baseUrl} (${sim.org.users.length} users, ${sim.org.apps.length} apps)` });
    } finally {
      await provider.close();
    }
  } finally {
    await sim.stop();
  }
}
