import { OktaIdentityProvider, type ConnectorWarning, type Identity } from '../../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { applyChange, POLL_MS, WatchedClock } from '../reliability/support.js';

/** Rate limits no test run reaches, so a step's request counts are the connector's alone. */
export const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9 } };

/**
 * A host's view of a simulated org, kept current one change at a time: the tests of what each
 * event shape brings ({@link stepHarness}).
 */
export interface StepHarness {
  sim: OktaSimulator;
  streamer: OktaIdentityProvider;
  /** The host's view: a snapshot plus every change streamed since. */
  view: Map<string, Identity>;
  warnings: ConnectorWarning[];
  /** Runs `mutate`, streams until caught up, and returns the people changed and the requests per bucket. */
  step(mutate: () => void): Promise<{ people: string[]; buckets: OktaSimulator['stats']['byBucket'] }>;
  close(): Promise<void>;
}

/**
 * Starts a simulator, takes the host's snapshot with one provider and streams with another. With
 * `synced` the streaming provider holds an index (it has listed); without, it starts as a stream
 * resumed in a new process.
 */
export async function stepHarness(options: SimulatorOptions, { synced, groups = false }: { synced: boolean; groups?: boolean }): Promise<StepHarness> {
  const sim = new OktaSimulator({ rateLimits: UNLIMITED, ...options });
  await sim.start();
  const warnings: ConnectorWarning[] = [];
  const clock = new WatchedClock();
  const config = { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, groups, pollIntervalMs: POLL_MS, retryBaseDelayMs: 1, onWarning: (w: ConnectorWarning) => warnings.push(w) };
  const view = new Map<string, Identity>();
  const host = new OktaIdentityProvider(config);
  for await (const identity of host.listIdentities()) view.set(identity.id, identity);
  await host.close();
  const streamer = new OktaIdentityProvider(config, { clock });
  if (synced) for await (const identity of streamer.listIdentities()) void identity;
  return {
    sim,
    streamer,
    view,
    warnings,
    async step(mutate) {
      // A millisecond apart, so that `since` falls between the stream's last event and the next.
      await new Promise((resolve) => setTimeout(resolve, 3));
      const since = new Date(sim.now());
      mutate();
      sim.resetStats();
      const controller = new AbortController();
      clock.onPoll = () => controller.abort();
      const people: string[] = [];
      for await (const change of streamer.changes({ since, signal: controller.signal })) {
        applyChange(view, change);
        people.push(change.type === 'upsert' ? change.identity.id : change.id);
      }
      return { people, buckets: sim.stats.byBucket };
    },
    async close() {
      await streamer.close();
      await sim.stop();
    },
  };
}
