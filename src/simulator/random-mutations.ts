/**
 * Random changes of every kind, for soak tests. One table holds every kind with its weight and
 * its attempt (`random-admin.ts`, `random-okta.ts`), so no kind can be weighted and never
 * applied, or applied and never weighted. The table's order is part of the seeded sequence: a
 * new kind goes at the end.
 * @module
 */
import type { LogEvent } from './log-events.js';
import type { Mutator } from './mutations.js';
import type { Org } from './org.js';
import { APPS, ASSIGNMENTS, USERS } from './random-admin.js';
import { ACCOUNT, GROUPS, PUSH, SYNC } from './random-okta.js';
import type { Attempt, Picker } from './random-picker.js';

const RANDOM_MUTATIONS = { ...USERS, ...ASSIGNMENTS, ...APPS, ...ACCOUNT, ...SYNC, ...GROUPS, ...PUSH };

/**
 * A kind of random change: the name of the simulator method it applies.
 * @example
 * const kind: RandomMutationKind = 'addUserToGroup';
 */
export type RandomMutationKind = keyof typeof RANDOM_MUTATIONS;

/**
 * What {@link OktaSimulator.randomMutation} did.
 * @example
 * const { kind, events } = sim.randomMutation(); // e.g. 'addUserToGroup', [group.user_membership.add, ...]
 */
export interface RandomMutation {
  /** The mutation method applied (`createUser`, `addUserToGroup`...). */
  kind: RandomMutationKind;
  /** The events it appended. */
  events: readonly LogEvent[];
}

const KINDS = Object.entries(RANDOM_MUTATIONS) as Array<[RandomMutationKind, { weight: number; attempt: Attempt }]>;

/** Every kind, in the table's order. */
export const RANDOM_MUTATION_KINDS: readonly RandomMutationKind[] = KINDS.map(([kind]) => kind);
const TOTAL_WEIGHT = KINDS.reduce((sum, [, k]) => sum + k.weight, 0);

/**
 * Applies one random change, drawn by weight; a kind nothing fits is drawn again (at most 100
 * times, then noise).
 */
export function randomMutation(m: Mutator, pick: Picker, org: Org): RandomMutation {
  for (let attempt = 0; attempt < 100; attempt++) {
    let x = pick.rng.float() * TOTAL_WEIGHT;
    let chosen: [RandomMutationKind, { weight: number; attempt: Attempt }] = ['noise', RANDOM_MUTATIONS.noise];
    for (const entry of KINDS) {
      if ((x -= entry[1].weight) < 0) {
        chosen = entry;
        break;
      }
    }
    const events = chosen[1].attempt(m, pick, org);
    if (events) return { kind: chosen[0], events };
  }
  return { kind: 'noise', events: m.noise(1) };
}
