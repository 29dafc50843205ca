/**
 * Seeded fault injection: which request gets which failure. The choice depends only on the
 * seed and the order of eligible requests, so a sequential client sees the same faults on
 * every run.
 * @module
 */
import type { FaultKind } from './options.js';
import { Rng, streamSeed } from './prng.js';

/** The body of an `html` fault: what a proxy or a maintenance page might send instead of JSON. */
export const HTML_FAULT_BODY =
  '<!DOCTYPE html>\n<html><head><title>Okta - Service Maintenance</title></head>' +
  '<body><h1>We are currently performing maintenance.</h1><p>Please try again later.</p></body></html>\n';

/** Chooses faults. */
export class FaultPicker {
  readonly #rate: number;
  readonly #kinds: readonly FaultKind[];
  readonly #rng: Rng;

  constructor(rate: number, kinds: readonly FaultKind[], seed: number) {
    this.#rate = rate;
    this.#kinds = kinds;
    this.#rng = new Rng(streamSeed(seed, 'faults'));
  }

  /** The fault for the next eligible request, or null. */
  pick(): FaultKind | null {
    if (this.#rate <= 0) return null;
    if (!this.#rng.chance(this.#rate)) return null;
    return this.#rng.pick(this.#kinds);
  }
}
