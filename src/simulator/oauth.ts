/**
 * The simulator's org authorization server and OAuth resource checks: the client credentials
 * token endpoint (`POST /oauth2/v1/token`, `private_key_jwt`, DPoP with nonces) and the
 * validation of `Authorization: DPoP <token>` on API calls, with per-scope 403s. What it checks
 * follows Okta's guides and RFC 9449:
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * https://developer.okta.com/docs/guides/dpop/nonoktaresourceserver/main/
 * @module
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { accessDenied, invalidToken, type OktaErrorBody } from './errors.js';
import type { SimRequest } from './exchange.js';
import { ASYMMETRIC_ALGORITHMS, ReplayCache, verifyAssertion, verifyProof } from './oauth-jwt.js';
import type { ResolvedOAuthOptions } from './oauth-options.js';

/**
 * The token endpoint of the org authorization server.
 * @example
 * await fetch(`${sim.baseUrl}${TOKEN_PATH}`, { method: 'POST', body: form });
 */
export const TOKEN_PATH = '/oauth2/v1/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_BODY_BYTES = 64 * 1024;

/** A response of the token endpoint. */
export interface OAuthReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** How an API request with an OAuth access token fared. */
export type ApiAuth =
  | { kind: 'ok'; scheme: 'DPoP' | 'Bearer'; scopes: ReadonlySet<string> }
  | { kind: 'denied'; status: number; body: OktaErrorBody; headers: Record<string, string> };

/**
 * What the authorization server has done, for tests.
 * @example
 * expect(sim.oauth!.stats.tokenRequests).toBe(2); // the nonce round trip and the token
 */
export interface OAuthStats {
  /** Token requests received. */
  tokenRequests: number;
  /** Access tokens issued. */
  tokensIssued: number;
  /** Refusals by OAuth error (`use_dpop_nonce`, `invalid_client`, `invalid_dpop_proof`, `invalid_token`, `insufficient_scope`...). */
  rejected: Record<string, number>;
}

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  /** The proof key's thumbprint (`cnf.jkt`); undefined for a Bearer token. */
  jkt: string | undefined;
  expiresAtMs: number;
}

/**
 * The Okta API scope that covers reading `path`, or null for a path that needs none here.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/#scopes-and-supported-endpoints
 * @example
 * scopeFor('/api/v1/apps/0oa1/users'); // 'okta.apps.read'
 */
export function scopeFor(path: string): string | null {
  for (const [prefix, scope] of [
    ['/api/v1/users', 'okta.users.read'],
    ['/api/v1/groups', 'okta.groups.read'],
    ['/api/v1/apps', 'okta.apps.read'],
    ['/api/v1/logs', 'okta.logs.read'],
  ] as const) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return scope;
  }
  return null;
}

/**
 * The org authorization server of the simulator.
 * @example
 * const oauth = new SimOAuth(resolveOAuthOptions({ clients: [client] })!, () => Date.now());
 * const reply = await oauth.token(req, 'http://127.0.0.1:1234');
 */
export class SimOAuth {
  readonly #options: ResolvedOAuthOptions;
  readonly #now: () => number;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #replay = new ReplayCache();
  readonly #scopes = new Map<string, ReadonlySet<string>>();
  #nonce = { value: '', expiresAtMs: 0 };
  #stats: OAuthStats = { tokenRequests: 0, tokensIssued: 0, rejected: {} };

  constructor(options: ResolvedOAuthOptions, now: () => number) {
    this.#options = options;
    this.#now = now;
    for (const [id, client] of options.clients) this.#scopes.set(id, client.scopes);
  }

  /**
   * Counters since start (a copy).
   * @example
   * sim.oauth!.stats.rejected.invalid_client; // refused client assertions
   */
  get stats(): OAuthStats {
    return structuredClone(this.#stats);
  }

  /**
   * Invalidates every issued access token: the next API call with one gets 401 `invalid_token`.
   * @example
   * sim.oauth!.revokeTokens();
   */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /**
   * Replaces the DPoP nonce now: the next proof with the old one gets `use_dpop_nonce`.
   * @example
   * sim.oauth!.rotateNonce();
   */
  rotateNonce(): void {
    this.#nonce = { value: randomBytes(16).toString('base64url'), expiresAtMs: this.#now() + this.#options.nonceTtlSeconds * 1000 };
  }

  /**
   * Changes the scopes granted to a client (its Okta API Scopes tab); tokens already issued keep theirs.
   * @example
   * sim.oauth!.grantScopes('0oa1', ['okta.users.read']);
   */
  grantScopes(clientId: string, scopes: readonly string[]): void {
    if (!this.#options.clients.has(clientId)) throw new TypeError(`OktaSimulator: unknown OAuth client ${clientId}`);
    this.#scopes.set(clientId, new Set(scopes));
  }

  /**
   * Answers one request to {@link TOKEN_PATH}: checks the DPoP proof and its nonce, the client
   * assertion, then the scopes, and issues a token bound to the proof key.
   */
  async token(req: SimRequest): Promise<OAuthReply> {
    this.#stats.tokenRequests++;
    if (req.method !== 'POST') {
      req.discard();
      return { status: 405, body: { error: 'invalid_request', error_description: 'The token endpoint accepts POST only.' }, headers: { Allow: 'POST' } };
    }
    const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const body = await req.body(MAX_BODY_BYTES);
    if (type !== 'application/x-www-form-urlencoded' || body === null) return this.#error(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    const form = new URLSearchParams(body);
    const tokenUrl = `${req.origin}${TOKEN_PATH}`;
    const nowMs = this.#now();
    if (form.get('grant_type') !== 'client_credentials') return this.#error(400, 'unsupported_grant_type', 'The grant type is not supported by this service app.');

    // DPoP first (RFC 9449 §5): the proof's key is what the token will be bound to.
    const proofHeader = req.header('dpop');
    let jkt: string | undefined;
    if (proofHeader !== undefined || this.#options.requireDpop) {
      const proof = await verifyProof(proofHeader, { htm: 'POST', htu: tokenUrl, nowMs, iatWindowSeconds: this.#options.proofIatWindowSeconds, replay: this.#replay });
      if (!proof.ok) return this.#error(400, 'invalid_dpop_proof', proof.problem);
      // Okta answers the first proof without (or with a stale) nonce 400 use_dpop_nonce, with the nonce to use.
      if (proof.value.nonce !== this.#currentNonce()) {
        return this.#error(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'DPoP-Nonce': this.#currentNonce() });
      }
      jkt = proof.value.jkt;
    }

    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== JWT_BEARER || !assertion) return this.#error(401, 'invalid_client', 'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.');
    let clientId: string;
    try {
      clientId = String(decodeJwt(assertion).iss ?? '');
    } catch {
      return this.#error(401, 'invalid_client', 'The client_assertion is not a JWT.');
    }
    const client = this.#options.clients.get(clientId);
    const formClientId = form.get('client_id');
    if (!client || (formClientId !== null && formClientId !== clientId)) return this.#error(401, 'invalid_client', 'The client_id is not known.');
    const verified = await verifyAssertion(assertion, client, { tokenUrl, nowMs, replay: this.#replay });
    if (!verified.ok) return this.#error(401, 'invalid_client', verified.problem);

    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const granted = this.#scopes.get(clientId) ?? new Set<string>();
    const denied = requested.filter((s) => !granted.has(s));
    if (requested.length === 0) return this.#error(400, 'invalid_scope', 'The scope parameter is required for the client credentials grant.');
    if (denied.length > 0) return this.#error(400, 'invalid_scope', `The following scopes are not allowed: ${denied.join(' ')}`);

    const accessToken = `sim.${randomBytes(32).toString('base64url')}`;
    const ttl = this.#options.accessTokenTtlSeconds;
    this.#tokens.set(accessToken, { clientId, scopes: new Set(requested), jkt, expiresAtMs: nowMs + ttl * 1000 });
    this.#stats.tokensIssued++;
    return {
      status: 200,
      body: { token_type: jkt ? 'DPoP' : 'Bearer', expires_in: ttl, access_token: accessToken, scope: requested.join(' ') },
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    };
  }

  /**
   * Checks an API request's `Authorization: DPoP <token>` (or `Bearer`) and its DPoP proof:
   * signature, `htm`/`htu`, `iat`, `jti` replay, `ath`, the key bound to the token, and the
   * nonce when `apiNonce` is on.
   */
  async authenticate(req: SimRequest): Promise<ApiAuth> {
    const authorization = req.header('authorization') ?? '';
    const match = /^(DPoP|Bearer) (\S+)$/i.exec(authorization);
    const scheme = match?.[1]?.toLowerCase() === 'bearer' ? 'Bearer' : 'DPoP';
    const token = match ? this.#tokens.get(match[2]!) : undefined;
    const nowMs = this.#now();
    if (!match || !token || token.expiresAtMs <= nowMs) return this.#denied(401, scheme, 'invalid_token', 'The access token is invalid.');
    if (token.jkt === undefined) return scheme === 'Bearer' ? { kind: 'ok', scheme, scopes: token.scopes } : this.#denied(401, scheme, 'invalid_token', 'The access token is not DPoP-bound.');
    if (scheme !== 'DPoP') return this.#denied(401, 'DPoP', 'invalid_token', 'A DPoP-bound access token must be sent with the DPoP scheme.');
    const proof = await verifyProof(req.header('dpop'), {
      htm: req.method,
      htu: `${req.origin}${req.url.pathname}`,
      nowMs,
      iatWindowSeconds: this.#options.proofIatWindowSeconds,
      replay: this.#replay,
      accessToken: match[2]!,
    });
    if (!proof.ok) return this.#denied(401, 'DPoP', 'invalid_dpop_proof', proof.problem);
    if (proof.value.jkt !== token.jkt) return this.#denied(401, 'DPoP', 'invalid_dpop_proof', 'The DPoP proof key is not the one the access token is bound to.');
    if (this.#options.apiNonce && proof.value.nonce !== this.#currentNonce()) {
      return this.#denied(401, 'DPoP', 'use_dpop_nonce', 'Resource server requires nonce in DPoP proof.', { 'DPoP-Nonce': this.#currentNonce() });
    }
    return { kind: 'ok', scheme: 'DPoP', scopes: token.scopes };
  }

  /**
   * The `WWW-Authenticate` header of a 403 when the token lacks the scope `path` needs, as Okta
   * sends it; null when the token covers the path.
   * https://support.okta.com/help/s/article/insufficient-scope-error-when-making-a-request-to-an-oauth-or-management-endpoint
   */
  scopeDenied(auth: Extract<ApiAuth, { kind: 'ok' }>, path: string, origin: string): Record<string, string> | null {
    const needed = scopeFor(path);
    if (needed === null || auth.scopes.has(needed)) return null;
    this.#count('insufficient_scope');
    return {
      'WWW-Authenticate': `${auth.scheme} authorization_uri="${origin}/oauth2/v1/authorize", realm="${origin}", scope="${needed}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`,
    };
  }

  #currentNonce(): string {
    if (this.#now() >= this.#nonce.expiresAtMs) this.rotateNonce();
    return this.#nonce.value;
  }

  #count(error: string): void {
    this.#stats.rejected[error] = (this.#stats.rejected[error] ?? 0) + 1;
  }

  #error(status: number, error: string, description: string, headers: Record<string, string> = {}): OAuthReply {
    this.#count(error);
    return { status, body: { error, error_description: description }, headers: { 'Cache-Control': 'no-store', ...headers } };
  }

  #denied(status: number, scheme: 'DPoP' | 'Bearer', error: string, description: string, headers: Record<string, string> = {}): ApiAuth {
    this.#count(error);
    const algs = scheme === 'DPoP' ? ` algs="${ASYMMETRIC_ALGORITHMS.join(' ')}",` : '';
    return {
      kind: 'denied',
      status,
      body: status === 403 ? accessDenied() : invalidToken(),
      headers: { 'WWW-Authenticate': `${scheme}${algs} error="${error}", error_description="${description.replace(/"/g, "'")}"`, ...headers },
    };
  }
}
