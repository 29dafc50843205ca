/**
 * The org's changes, each applied at once and logged with the System Log events Okta writes
 * for it (https://developer.okta.com/docs/reference/api/event-types/), with the targets
 * described in `log-events.ts`. One family of changes per module; {@link Mutator} wires them
 * to one org, one log and one seeded stream for the random ones.
 * @module
 */
import { emitter, type Emit, type MutatorDeps } from './mutation-context.js';
import { AccountMutations } from './mutations-account.js';
import { AppMutations } from './mutations-apps.js';
import { AssignmentMutations } from './mutations-assignments.js';
import { GroupMutations } from './mutations-groups.js';
import { noise } from './mutations-noise.js';
import { PushMutations } from './mutations-push.js';
import { SyncMutations } from './mutations-sync.js';
import { UserMutations } from './mutations-users.js';
import type { LogEvent } from './log-events.js';
import { Rng, streamSeed } from './prng.js';
import { randomMutation, type RandomMutation } from './random-mutations.js';
import { Picker } from './random-picker.js';
import type { SystemLog } from './system-log.js';

/** Every family of changes over one org. */
export class Mutator {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  /** Noise and random changes share this stream, so a seed replays both. */
  readonly #pick: Picker;
  /** Creation, lifecycle and profile of users (`mutations-users.ts`). */
  readonly users: UserMutations;
  /** Direct and group assignments, memberships, account names (`mutations-assignments.ts`). */
  readonly assignments: AssignmentMutations;
  /** App lifecycle (`mutations-apps.ts`). */
  readonly apps: AppMutations;
  /** Lockouts, unlocks and passwords (`mutations-account.ts`). */
  readonly account: AccountMutations;
  /** Provisioning pushes and imports (`mutations-sync.ts`). */
  readonly sync: SyncMutations;
  /** Group creation, app group imports, renames and deletions (`mutations-groups.ts`). */
  readonly groups: GroupMutations;
  /** Group Push mappings (`mutations-push.ts`). */
  readonly push: PushMutations;

  constructor(deps: MutatorDeps) {
    this.#d = deps;
    this.#emit = emitter(deps.log);
    this.#pick = new Picker(new Rng(streamSeed(deps.seed, 'mutations')), deps.org);
    this.users = new UserMutations(deps, this.#emit);
    this.account = new AccountMutations(deps, this.#emit);
    this.sync = new SyncMutations(deps, this.#emit);
    this.push = new PushMutations(deps, this.#emit);
    this.assignments = new AssignmentMutations(deps, this.#emit, this.push);
    this.groups = new GroupMutations(deps, this.#emit, this.push);
    this.apps = new AppMutations(deps, this.#emit, this.groups);
  }

  /** The log the changes are written to. */
  get log(): SystemLog {
    return this.#d.log;
  }

  /** Appends `n` events no identity connector cares about (`mutations-noise.ts`). */
  noise(n: number): LogEvent[] {
    return noise(this.#d, this.#emit, this.#pick.rng, n);
  }

  /** Applies one seeded random change of any kind (`random-mutations.ts`). */
  randomMutation(): RandomMutation {
    return randomMutation(this, this.#pick, this.#d.org);
  }
}
