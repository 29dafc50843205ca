/**
 * The connector's configuration as a host engineer writes it: one documented interface, so the
 * editor shows each option's meaning on hover. The zod schema (`config.ts`, `oauth.ts`) validates
 * exactly these options; the build fails if the two drift apart.
 * @module
 */
import type { ConnectorWarning } from '../sdk.js';
import type { Secret } from '../secret.js';
import type { PrivateKeyInput } from './keys.js';

/**
 * An OAuth 2.0 service app (client credentials, `private_key_jwt`, DPoP), the `oauth` option.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @example
 * const oauth: OAuthConfig = { clientId: '0oa1b2c3', privateKey: fs.readFileSync('key.pem', 'utf8'), keyId: 'k1' };
 */
export interface OAuthConfig {
  /** The service app's client id (`0oa...`), from its General tab. */
  clientId: string;
  /**
   * The private key whose public half is registered on the service app: a PEM text
   * (`-----BEGIN PRIVATE KEY-----`), a private JWK object, or that JWK as JSON text (or the
   * {@link Secret} that `configSchema.parse()` made of one of them).
   */
  privateKey: PrivateKeyInput | Secret;
  /** The key's `kid` on the service app; default: the JWK's `kid`, if any. Needed when the app has several keys. */
  keyId?: string | undefined;
  /** The scopes to request; default: every scope the connector reads with, all read-only. Each must be granted on the app's Okta API Scopes tab. */
  scopes?: string[] | undefined;
}

/**
 * What the admin gives the connector. Only `hostname` and one of `token` / `oauth` are required;
 * every other option has a default. The output of `plugin.configSchema.parse()` is an `OktaConfig`
 * too, so it can be handed to `plugin.create()` as it is.
 * @example
 * const config: OktaConfig = { hostname: 'example.okta.com', token: process.env.OKTA_TOKEN, groups: true };
 */
export interface OktaConfig {
  /** Bare Okta host: `example.okta.com` or a custom domain (no scheme, port or path). */
  hostname: string;
  /**
   * API token (SSWS) of a read-only service account. Give this or `oauth`, not both. Held as a
   * {@link Secret} once validated (`parse()` returns it so); never shown in messages or logs.
   */
  token?: string | Secret | undefined;
  /** An OAuth 2.0 service app instead of an API token: `{ clientId, privateKey, keyId?, scopes? }`. Give this or `token`, not both. */
  oauth?: OAuthConfig | undefined;
  /** Replaces `https://<hostname>`, for test servers; plain http only to loopback. */
  baseUrl?: string | undefined;
  /** Receives what could not be read (forbidden resources, invalid items), without failing the call. */
  onWarning?: ((warning: ConnectorWarning) => void) | undefined;
  /** Fraction (0 to 1) of each rate-limit bucket's ceiling (X-Rate-Limit-Limit) the connector may spend; the rest is left for the org's other integrations. Default 0.75. */
  rateLimitShare?: number | undefined;
  /** Requests in flight at once, over all buckets, 1 to 75 (Okta caps an org at 75). Default 12. */
  maxConcurrency?: number | undefined;
  /** Retries of a transient failure (429, 5xx, dropped connection) before giving up, 0 to 20. Default 6. */
  retries?: number | undefined;
  /** First backoff delay in ms; it doubles each retry (with jitter: between half and all of it), up to `maxRetryDelayMs`. Default 500. */
  retryBaseDelayMs?: number | undefined;
  /** Longest backoff delay in ms (a 429 waits for its reset time instead, up to `maxRateLimitWaitMs`). Default 30000. */
  maxRetryDelayMs?: number | undefined;
  /** Longest wait in ms for a rate-limit window to reset before the request fails. Default 120000. */
  maxRateLimitWaitMs?: number | undefined;
  /** Per-request timeout in ms, including the whole body. Default 30000. */
  requestTimeoutMs?: number | undefined;
  /** Largest response body accepted, in bytes (at least 1024). Default 33554432 (32 MiB). */
  maxResponseBytes?: number | undefined;
  /** Parallel slices the user list is read in when it has more than one page, 1 to 32 (1 reads it serially). Default 8. */
  userListSlices?: number | undefined;
  /** Most pages read from one list before it is declared runaway. Default 1000000. */
  maxPages?: number | undefined;
  /** How long the change stream waits after a System Log poll that found nothing new, in ms. Default 15000. */
  pollIntervalMs?: number | undefined;
  /**
   * Read groups: each identity gets the groups its person belongs to, and `resolveAppGroup`
   * answers from the synced index. Costs the groups list and every group's member list (in the
   * groups rate-limit bucket, alongside the others) and the Group Push mappings of each app
   * that has app groups; needs okta.groups.read. Default false.
   */
  groups?: boolean | undefined;
  /**
   * A file the provider keeps its index in (with `.journal` and `.lock` beside it), so that a
   * restarted host answers `resolveAppUser` at once and its change stream resumes against the
   * index (see the README's "Restarting a host"). It holds logins and emails, never a credential;
   * mode 0600. No default: without it nothing is written.
   */
  indexPath?: string | undefined;
}

/** The validated `oauth` option: the key held as a {@link Secret}, the scopes filled in. */
export type ResolvedOAuthConfig = Omit<OAuthConfig, 'privateKey' | 'scopes'> & {
  privateKey: Secret;
  scopes: string[];
};

/** The validated configuration with every default filled in: what `configSchema.parse()` returns. */
export type ResolvedConfig = Pick<OktaConfig, 'hostname' | 'baseUrl' | 'onWarning' | 'indexPath'> & {
  // Every other option has a default, so it is always there.
  [K in keyof Omit<OktaConfig, 'hostname' | 'baseUrl' | 'onWarning' | 'indexPath' | 'token' | 'oauth'>]-?: Exclude<OktaConfig[K], undefined>;
} & {
  token?: Secret | undefined;
  oauth?: ResolvedOAuthConfig | undefined;
};
