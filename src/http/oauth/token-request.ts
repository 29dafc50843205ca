/**
 * The one POST the connector makes: the client credentials token request to
 * `<configured origin>/oauth2/v1/token`, authenticated with a `private_key_jwt` client assertion
 * and carrying a DPoP proof.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
 * @module
 */
import createDebug from 'debug';
import { z } from 'zod';
import { runAttempts, type Verdict } from '../attempts.js';
import { readBounded, responseOf } from '../body.js';
import type { Clock } from '../../clock.js';
import { OktaHttpError, OktaRateLimitError, OktaResponseError } from '../../errors.js';
import { openRequest } from '../exchange.js';
import { tooLargeError } from '../http-error.js';
import type { RateLimiter } from '../rate-limit.js';
import type { RetryPolicy } from '../retry.js';
import { clientAssertion, JWT_BEARER_ASSERTION_TYPE } from './assertion.js';
import { dpopProof } from './dpop.js';
import { tokenError, TOKEN_PATH } from './errors.js';
import type { SigningKey } from '../../config/keys.js';

const debug = createDebug('okta-idp:oauth');

/**
 * How often one token request may be answered `use_dpop_nonce` before giving up. Okta asks once
 * (the first request carries no nonce); a second time only if the nonce rotated in between.
 */
const MAX_NONCE_ROUNDS = 2;

/** What the token request needs. */
export interface TokenRequestOptions {
  /** The configured origin; the token URL is built from it and nothing else. */
  origin: string;
  clientId: string;
  /** Signs the client assertion. */
  clientKey: SigningKey;
  /** Signs the DPoP proofs; the issued token is bound to it. */
  proofKey: SigningKey;
  /** The client's retry policy, per-request timeout and body bound, applied to the token request too. */
  policy: RetryPolicy & { requestTimeoutMs: number; maxResponseBytes: number };
  /** The client's limiter: the request waits in its `token` bucket. */
  limiter: RateLimiter;
  clock: Clock;
  random: () => number;
  /** Removes credentials from foreign text before it goes into an error. */
  scrub(text: string): string;
}

/** An issued access token. */
export interface IssuedToken {
  accessToken: string;
  /** `DPoP` (bound to the proof key) or `Bearer`, as Okta says in `token_type`. */
  tokenType: 'DPoP' | 'Bearer';
  expiresInSeconds: number;
  /** The scopes Okta granted, when it says. */
  scopes: string[] | undefined;
}

/** The token request's outcome: a token, or `invalid_scope` (a scope the app was not granted). */
export type TokenResult = { kind: 'token'; token: IssuedToken } | { kind: 'invalid_scope'; description: string | undefined };

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});

const errorResponseSchema = z.object({ error: z.string().min(1).max(100), error_description: z.string().optional() });

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The token endpoint of one org. It remembers the latest `DPoP-Nonce` Okta sent, so only the
 * first request of a process pays the nonce round trip.
 */
export class TokenEndpoint {
  /** `<origin>/oauth2/v1/token`: never a URL from a response. */
  readonly url: URL;
  readonly #options: TokenRequestOptions;
  #nonce: string | undefined;
  #requests = 0;

  constructor(options: TokenRequestOptions) {
    this.#options = options;
    this.url = new URL(TOKEN_PATH, options.origin);
  }

  /** HTTP requests sent so far. */
  get requests(): number {
    return this.#requests;
  }

  /**
   * Requests a token for `scopes`. Answers a `use_dpop_nonce` challenge at once with the nonce
   * Okta sent (https://developer.okta.com/docs/guides/dpop/nonoktaresourceserver/main/), retries
   * 429 (after the reset), 5xx and broken exchanges with the client's retry policy, and throws
   * a typed error for anything else.
   *
   * It takes no concurrency slot: it runs for an API request that already holds one and waits
   * for the token, so a slot of its own could never come when every slot waits like that.
   */
  async request(scopes: readonly string[], signal?: AbortSignal): Promise<TokenResult> {
    let nonceRounds = 0;
    const judge = (exchange: Exchange): Verdict<TokenResult> => {
      const nonce = header(exchange.headers, 'dpop-nonce');
      // RFC 9449 §8.2: a server may send a fresh nonce on any response; the next proof uses it.
      if (nonce !== undefined) this.#nonce = nonce;
      if (exchange.status === 200) return { kind: 'done', value: { kind: 'token', token: this.#parseToken(exchange) } };
      const oauth = this.#parseError(exchange);
      if (oauth?.error === 'use_dpop_nonce' && nonce !== undefined && nonceRounds < MAX_NONCE_ROUNDS) {
        nonceRounds++;
        debug('token request: Okta asked for a DPoP nonce; sending the proof again with it');
        return { kind: 'again' };
      }
      if (oauth?.error === 'invalid_scope') return { kind: 'done', value: { kind: 'invalid_scope', description: oauth.description } };
      if (oauth && exchange.status >= 400 && exchange.status < 500 && exchange.status !== 429) {
        throw tokenError(exchange.status, oauth.error, oauth.description, header(exchange.headers, 'x-okta-request-id'));
      }
      return { kind: 'failed', error: (attempts) => statusError(exchange, attempts) };
    };
    return runAttempts(this.#options, { method: 'POST', path: TOKEN_PATH, signal, send: () => this.#send(scopes, signal), judge });
  }

  async #send(scopes: readonly string[], signal: AbortSignal | undefined): Promise<Exchange> {
    const { clientId, clientKey, proofKey, clock, policy } = this.#options;
    const nowMs = clock.now();
    this.#requests++;
    // A new assertion and a new proof every time: Okta refuses a reused jti in either.
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: scopes.join(' '),
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await clientAssertion(clientKey, { clientId, tokenUrl: this.url.href, nowMs }),
    });
    const proof = await dpopProof(proofKey, { htm: 'POST', url: this.url, nowMs, nonce: this.#nonce });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', dpop: proof };
    const stream = openRequest(this.url, { method: 'POST', headers, body: form.toString(), timeoutMs: policy.requestTimeoutMs, signal });
    try {
      const response = await responseOf(stream);
      // Bounded like every API response: the body is read as it arrives and refused past the limit.
      const max = policy.maxResponseBytes;
      const chunks: Buffer[] = [];
      await readBounded(stream, response.headers, max, (chunk) => chunks.push(chunk), () => tooLargeError('POST', TOKEN_PATH, max));
      return { status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
    } finally {
      // Hangs up on a body refused part-way, and unhooks the stream from `signal`.
      stream.destroy();
    }
  }

  #parseToken(exchange: Exchange): IssuedToken {
    let body: unknown;
    try {
      body = JSON.parse(exchange.text);
    } catch {
      throw new OktaResponseError(`POST ${TOKEN_PATH}: the token response is not JSON`, 'invalid_response', TOKEN_PATH);
    }
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      // Only the names of the bad fields: the body holds the token.
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new OktaResponseError(`POST ${TOKEN_PATH}: the token response did not match OAuth 2.0 (${fields})`, 'invalid_response', TOKEN_PATH);
    }
    const type = parsed.data.token_type.toLowerCase();
    if (type !== 'dpop' && type !== 'bearer') {
      throw new OktaResponseError(`POST ${TOKEN_PATH}: unsupported token_type (expected DPoP or Bearer)`, 'invalid_response', TOKEN_PATH);
    }
    return {
      accessToken: parsed.data.access_token,
      tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
      expiresInSeconds: parsed.data.expires_in,
      scopes: parsed.data.scope?.split(' ').filter((s) => s !== ''),
    };
  }

  /** The OAuth error of a response, with a scrubbed, bounded description. */
  #parseError(exchange: Exchange): { error: string; description: string | undefined } | undefined {
    let body: unknown;
    try {
      body = JSON.parse(exchange.text);
    } catch {
      return undefined;
    }
    const parsed = errorResponseSchema.safeParse(body);
    if (!parsed.success) return undefined;
    const description = parsed.data.error_description;
    return { error: this.#options.scrub(parsed.data.error), description: description === undefined ? undefined : this.#options.scrub(description).slice(0, 300) };
  }
}

/** The error of a token request whose last attempt got a status the retry policy gave up on. */
function statusError(exchange: Exchange, attempts: number): OktaHttpError {
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const details = { status: exchange.status, path: TOKEN_PATH, requestId: header(exchange.headers, 'x-okta-request-id') };
  if (exchange.status === 429) return new OktaRateLimitError(`POST ${TOKEN_PATH}: rate limit still exceeded after waiting (${tries}).`, 'rate_limited', details);
  return new OktaHttpError(`POST ${TOKEN_PATH}: HTTP ${exchange.status} (${tries}).`, exchange.status >= 500 ? 'server_error' : 'http_error', details);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
