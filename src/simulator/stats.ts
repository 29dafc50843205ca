/**
 * Request counters, for tests and benchmarks to check how a client behaved.
 * @module
 */
import { BUCKET_NAMES, type BucketName } from './buckets.js';
import { FAULT_KINDS, type FaultKind } from './options.js';

/**
 * What the simulator has served since it started or since `resetStats()`.
 * @example
 * expect(sim.stats.byStatus['429'] ?? 0).toBe(0);
 */
export interface SimulatorStats {
  /** Every request received. */
  requests: number;
  /** Requests per rate-limit bucket. */
  byBucket: Record<BucketName, number>;
  /** Responses per HTTP status (`'200'`, `'429'`...); dropped connections are not counted here. */
  byStatus: Record<string, number>;
  /** 429 answers of both kinds. */
  rateLimited: number;
  /** 429 answers for exceeding the concurrency cap (`X-Rate-Limit-Limit: 0`). */
  concurrencyRejected: number;
  /** Requests being served right now. */
  inFlight: number;
  /** The most requests ever served at once. */
  maxInFlight: number;
  /** Faults injected, per kind. */
  faults: Record<FaultKind, number>;
}

/** Zeroed counters. */
export function emptyStats(inFlight = 0): SimulatorStats {
  const byBucket = {} as Record<BucketName, number>;
  for (const b of BUCKET_NAMES) byBucket[b] = 0;
  const faults = {} as Record<FaultKind, number>;
  for (const k of FAULT_KINDS) faults[k] = 0;
  return { requests: 0, byBucket, byStatus: {}, rateLimited: 0, concurrencyRejected: 0, inFlight, maxInFlight: inFlight, faults };
}
