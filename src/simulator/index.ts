/**
 * The Okta simulator: `import { OktaSimulator } from '@atolio/okta-identity-provider/simulator'`.
 * @example
 * const sim = new OktaSimulator({ users: 1_000 });
 * await sim.start();
 * // ... point the connector at sim.baseUrl with sim.token ...
 * await sim.stop();
 * @module
 */
export { OktaSimulator, type DeepReadonly, type OrgView } from './simulator.js';
export { DEFAULT_TOKEN, FAULT_KINDS, type FaultKind, type FaultOptions, type PushCountReading, type RateLimitOptions, type ResolvedOptions, type SimulatorOptions, type SimulatorRequest } from './options.js';
export type { BucketName } from './buckets.js';
export type { ListOperation } from './page-sizes.js';
export type { SimulatorStats } from './stats.js';
export type { LogEvent, LogTarget } from './log-events.js';
export type { NewApp } from './mutations-apps.js';
export type { NewUserProfile } from './mutations-users.js';
export type { RandomMutation, RandomMutationKind } from './random-mutations.js';
export type { ImportOptions, ProvisionOptions } from './mutations-sync.js';
export type { AppUserOptions } from './factory.js';
export type { AppGroupImportOptions, AppGroupMemberOptions } from './mutations-groups.js';
export type { PushEventShape, PushMappingOptions } from './mutations-push.js';
export type { AppGroupProfile } from './app-groups.js';
export type { ExpectedAppGroup, GroupRef, IdentityWithGroups } from './ground-truth-groups.js';
export type { AppGroupRecord, AppRecord, AppUserRecord, GroupRecord, GroupType, PushMappingRecord, PushMappingStatus, UserNameStyle, UserProfile, UserRecord, UserStatus } from './records.js';
export { RETENTION_MS } from './system-log.js';
export { scopeFor, TOKEN_PATH, type OAuthStats, type SimOAuth } from './oauth.js';
export type { OAuthClientOptions, OAuthSimulatorOptions } from './oauth-options.js';
