import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaClosedError, OktaIdentityProvider } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';

/** What close() does to calls that are running, as its TSDoc says. */
let sim: OktaSimulator;
beforeAll(async () => {
  sim = new OktaSimulator({ seed: 4, users: 30, apps: 2 });
  await sim.start();
});
afterAll(() => sim.stop());

const provider = (): OktaIdentityProvider => new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token });

describe('close() while calls run', () => {
  it('a running changes() stream ends: its loop finishes, without an error', async () => {
    const p = provider();
    // The stream polls the log, finds nothing new and waits a minute before the next poll.
    const next = p.changes({ pollIntervalMs: 60_000 })[Symbol.asyncIterator]().next();
    for (let i = 0; i < 400 && p.stats.requests === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await p.close();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });

  it('a running listIdentities() rejects with OktaClosedError', async () => {
    const p = provider();
    const next = p.listIdentities()[Symbol.asyncIterator]().next();
    await p.close();
    await expect(next).rejects.toBeInstanceOf(OktaClosedError);
  });
});
