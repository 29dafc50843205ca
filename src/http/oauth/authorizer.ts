/**
 * OAuth 2.0 for Okta with a service app: client credentials, `private_key_jwt` and DPoP-bound
 * access tokens, behind the same {@link Authorizer} interface as API tokens.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * https://developer.okta.com/docs/guides/dpop/nonoktaresourceserver/main/
 * @module
 */
import { inspect } from 'node:util';
import createDebug from 'debug';
import { redact, Secret } from '../../secret.js';
import type { Authorizer } from '../auth.js';
import { systemClock, type Clock } from '../../clock.js';
import { permissionFor } from '../../okta/endpoints.js';
import { RateLimiter } from '../rate-limit.js';
import type { RetryPolicy } from '../retry.js';
import { oauthChallenge } from './challenge.js';
import type { ResolvedOAuthConfig } from '../../config/oauth.js';
import { dpopProof } from './dpop.js';
import { OktaScopeError } from './errors.js';
import { generateProofKey, loadSigningKey, type SigningKey } from '../../config/keys.js';
import { SingleFlight } from './single-flight.js';
import { TokenEndpoint, type IssuedToken } from './token-request.js';

const debug = createDebug('okta-idp:oauth');

/** A token is renewed this long before Okta's `expires_in` runs out (at most a tenth of its life). */
const RENEW_BEFORE_MS = 60_000;
/** How long "no configured scope was granted" is believed before the token request is tried again. */
const NO_SCOPE_RETRY_MS = 60_000;

/** Everything the authorizer needs. */
export interface OAuthAuthorizerOptions {
  /** The configured origin: where the token request and every API call go. */
  origin: string;
  oauth: ResolvedOAuthConfig;
  /** The client's retry policy, per-request timeout, body bound and rate-limit settings, applied to the token request too. */
  policy: RetryPolicy & { requestTimeoutMs: number; maxResponseBytes: number; rateLimitShare: number; maxConcurrency: number };
  /** The client's limiter, whose `token` bucket meters the token request; default one of its own. */
  limiter?: RateLimiter;
  clock?: Clock;
  random?: () => number;
  /** The DPoP key; default a fresh P-256 key (tests pass one to check the binding). */
  proofKey?: SigningKey;
}

interface CachedToken {
  value: Secret;
  type: IssuedToken['tokenType'];
  renewAtMs: number;
}

/** What a refresh produced: a token (for the scopes that were granted), or none at all. */
type RefreshResult = { kind: 'token'; token: CachedToken } | { kind: 'no_scope'; denied: string[]; untilMs: number };

/**
 * Authorizes API calls with a DPoP-bound access token from the org authorization server.
 *
 * - The token is requested once, cached until shortly before `expires_in`, and shared: concurrent
 *   requests (and concurrent 401s) wait for one refresh.
 * - Every API call carries `Authorization: DPoP <token>` and a fresh proof (`htm`, `htu`, `iat`,
 *   `jti`, `ath`, and the resource server's nonce once it asked for one).
 * - When Okta refuses the combined scopes (`invalid_scope`), each scope is requested alone to
 *   learn which are granted; the token then covers those, and calls needing the others get
 *   Okta's 403 `insufficient_scope` (or an {@link OktaScopeError} when no scope was granted), so
 *   checkAccess and the `forbidden` warnings name the missing scope.
 */
export class OAuthAuthorizer implements Authorizer {
  readonly #endpoint: TokenEndpoint;
  readonly #clientKey: SigningKey;
  readonly #proofKey: SigningKey;
  readonly #scopes: readonly string[];
  readonly #clock: Clock;
  readonly #refresh: SingleFlight<RefreshResult>;
  #state: RefreshResult | undefined;
  #apiNonce: string | undefined;
  /** The current and the previous access token, to scrub from messages. */
  #recentTokens: Secret[] = [];

  constructor(options: OAuthAuthorizerOptions) {
    const { oauth } = options;
    this.#clock = options.clock ?? systemClock;
    this.#clientKey = loadSigningKey(oauth.privateKey.reveal(), oauth.keyId);
    this.#proofKey = options.proofKey ?? generateProofKey();
    this.#scopes = oauth.scopes;
    this.#endpoint = new TokenEndpoint({
      origin: options.origin,
      clientId: oauth.clientId,
      clientKey: this.#clientKey,
      proofKey: this.#proofKey,
      policy: options.policy,
      limiter: options.limiter ?? new RateLimiter(options.policy.rateLimitShare, options.policy.maxConcurrency, this.#clock, options.policy.maxRateLimitWaitMs),
      clock: this.#clock,
      random: options.random ?? Math.random,
      scrub: (text) => redact(text, this.secrets()),
    });
    this.#refresh = new SingleFlight((signal) => this.#obtain(signal));
  }

  /**
   * Token requests sent so far (nonce round trips, retries and scope probes included).
   */
  get tokenRequests(): number {
    return this.#endpoint.requests;
  }

  /**
   * `Authorization: DPoP <token>` and a `DPoP` proof for one GET of `url` (or `Bearer` when Okta
   * issued an unbound token). Fetches or renews the token first when needed.
   */
  async headers(url: URL, signal?: AbortSignal): Promise<Record<string, string>> {
    const token = await this.#token(url, signal);
    const accessToken = token.value.reveal();
    if (token.type === 'Bearer') return { authorization: `Bearer ${accessToken}` };
    const proof = await dpopProof(this.#proofKey, { htm: 'GET', url, nowMs: this.#clock.now(), accessToken, nonce: this.#apiNonce });
    return { authorization: `DPoP ${accessToken}`, dpop: proof };
  }

  /**
   * After a 401: a `use_dpop_nonce` challenge is answered with the nonce Okta sent (RFC 9449 §9);
   * any other 401 drops the token the request carried (unless a newer one already replaced it),
   * so the retry fetches a new one. Always worth one more try.
   */
  async retryUnauthorized(response: { headers: Record<string, string | string[] | undefined> }, _signal?: AbortSignal, sent?: Record<string, string>): Promise<boolean> {
    const nonce = headerValue(response.headers['dpop-nonce']);
    if (nonce !== undefined) this.#apiNonce = nonce;
    const challenge = oauthChallenge(response.headers['www-authenticate']);
    if (challenge?.params.error === 'use_dpop_nonce') return nonce !== undefined;
    const state = this.#state;
    const sentToken = sent?.authorization?.replace(/^\S+\s+/, '');
    if (state?.kind === 'token' && (sentToken === undefined || sentToken === state.token.value.reveal())) {
      debug('the access token was refused (401%s); requesting a new one', challenge ? ` ${challenge.params.error}` : '');
      this.#state = undefined;
    }
    return true;
  }

  /**
   * The access tokens in use and every text of the private keys: the client scrubs them.
   */
  secrets(): string[] {
    return [...this.#recentTokens.map((t) => t.reveal()), ...this.#clientKey.secretParts(), ...this.#proofKey.secretParts()];
  }

  toJSON(): { kind: string } {
    return { kind: 'oauth' };
  }

  [inspect.custom](): string {
    return `OAuthAuthorizer { scopes: ${this.#scopes.join(' ')} }`;
  }

  /** The cached token, or the outcome of a (shared) refresh. */
  async #token(url: URL, signal: AbortSignal | undefined): Promise<CachedToken> {
    const now = this.#clock.now();
    const cached = this.#state;
    const fresh = cached !== undefined && (cached.kind === 'token' ? now < cached.token.renewAtMs : now < cached.untilMs);
    const state = fresh ? cached : await this.#refresh.run(signal);
    if (state.kind === 'token') return state.token;
    const needed = permissionFor(url.pathname);
    throw new OktaScopeError(state.denied.includes(needed) ? needed : state.denied.join(' '), { status: 400, path: url.pathname, errorCode: 'invalid_scope' });
  }

  /** One refresh: the configured scopes, or the granted subset when Okta refuses some. */
  async #obtain(signal: AbortSignal): Promise<RefreshResult> {
    let scopes = [...this.#scopes];
    let result = await this.#endpoint.request(scopes, signal);
    if (result.kind === 'invalid_scope') {
      const granted: string[] = [];
      const denied: string[] = [];
      if (scopes.length === 1) denied.push(...scopes);
      else {
        // Okta says only that some scope was refused: ask for each alone to learn which.
        for (const scope of scopes) ((await this.#endpoint.request([scope], signal)).kind === 'token' ? granted : denied).push(scope);
      }
      debug('scopes not granted to the service app: %s; granted: %s', denied.join(' ') || '(none)', granted.join(' ') || '(none)');
      scopes = granted;
      result = granted.length > 0 ? await this.#endpoint.request(granted, signal) : result;
      if (result.kind === 'invalid_scope') {
        const state: RefreshResult = { kind: 'no_scope', denied: denied.length > 0 ? denied : [...this.#scopes], untilMs: this.#clock.now() + NO_SCOPE_RETRY_MS };
        this.#state = state;
        return state;
      }
    }
    const issued = result.token;
    const lifetimeMs = issued.expiresInSeconds * 1000;
    const obtainedAt = this.#clock.now();
    const token: CachedToken = { value: new Secret(issued.accessToken), type: issued.tokenType, renewAtMs: obtainedAt + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10) };
    this.#recentTokens = [token.value, ...this.#recentTokens].slice(0, 2);
    debug('%s access token valid until %s, renewed after %s; scopes: %s', issued.tokenType, new Date(obtainedAt + lifetimeMs).toISOString(), new Date(token.renewAtMs).toISOString(), (issued.scopes ?? scopes).join(' '));
    const state: RefreshResult = { kind: 'token', token };
    this.#state = state;
    return state;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
