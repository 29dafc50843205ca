/**
 * Re-exports of the endpoint table for the modules that import them from here (the provider,
 * the benchmarks); everything is defined in `endpoints.ts`.
 * @module
 */
export { BUCKETS, bucketOf, PAGE_SIZE, type BucketName } from './endpoints.js';
