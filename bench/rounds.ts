/**
 * The latency regime's order, counted in round trips instead of milliseconds: the connector syncs
 * the same org (in this process, through msw) against an Okta whose every answer takes exactly
 * one round (`__tests__/helpers/rounds.ts`, a fake clock). No CPU time or machine noise enters
 * the count: it is what the scheduling alone gives, next to the floor in round trips.
 */
import { setupServer } from 'msw/node';
import { OktaIdentityProvider } from '../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../src/simulator/index.js';
import { Rounds } from '../__tests__/helpers/rounds.js';
import { latencyFloor, type OrgFacts, type Regime } from './regimes.js';

export interface RoundTrips {
  /** Round trips of the first sync and of a re-sync of the same provider. */
  first: number;
  resync: number;
  requests: { first: number; resync: number };
  /** The floor in round trips: max(longest chain, ceil(minimum requests / maxConcurrency)). */
  floor: number;
}

const HOSTNAME = 'rounds.okta.com';

export async function countRoundTrips(r: Regime, facts: OrgFacts): Promise<RoundTrips> {
  const f = latencyFloor(facts, r);
  const sim = new OktaSimulator({ ...(r.sim as unknown as SimulatorOptions), latencyMs: 0, rateLimits: { windowMs: 60_000, limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } } });
  const server = setupServer();
  server.listen({ onUnhandledRequest: 'error' });
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: sim.token, ...r.connector });
  try {
    const once = async (): Promise<Rounds> => {
      const rounds = new Rounds(sim, `https://${HOSTNAME}`, f.maxConcurrency, (url) => url.pathname);
      server.resetHandlers(rounds.handler());
      await rounds.run(
        (async () => {
          for await (const identity of provider.listIdentities()) void identity;
        })(),
      );
      return rounds;
    };
    const first = await once();
    const resync = await once();
    return { first: first.trips, resync: resync.trips, requests: { first: first.log.flat().length, resync: resync.log.flat().length }, floor: Math.max(f.chain, f.spread) };
  } finally {
    await provider.close();
    server.close();
  }
}
