import { describe, expect, it } from '@jest/globals';
import { OktaSimulator } from '../../src/simulator/index.js';
import { RANDOM_MUTATION_KINDS } from '../../src/simulator/random-mutations.js';

describe('random mutations', () => {
  it('draws and applies every kind of the table, each logging events', () => {
    const sim = new OktaSimulator({ seed: 5, users: 150, apps: 8, groups: 8, appGroupsPerApp: 2, pushMappings: 4, now: () => Date.UTC(2026, 0, 1) });
    const seen = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const { kind, events } = sim.randomMutation();
      expect(events.length).toBeGreaterThan(0);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([...RANDOM_MUTATION_KINDS].sort());
    // Weighted: the common changes come far more often than the rare ones.
    expect(seen.get('updateProfile')!).toBeGreaterThan(5 * seen.get('deleteApp')!);
  });
});
