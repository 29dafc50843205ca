/**
 * The org authorization server's checks of the two JWTs a service app sends: the client
 * assertion (`private_key_jwt`) and the DPoP proof. Signatures are verified by jose against
 * the registered public key or the proof's embedded `jwk`; no shortcut is taken, so a tampered
 * byte fails as it would at Okta.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 * @module
 */
import { createHash, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { ResolvedOAuthClient } from './oauth-options.js';

/** The asymmetric algorithms Okta accepts for client assertions and DPoP proofs. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
/** Okta: a client assertion's `exp` may be at most one hour in the future. */
const MAX_ASSERTION_LIFETIME_S = 3600;

/** Identifiers (`jti`) already used, each remembered until the JWT it came from expires. */
export class ReplayCache {
  readonly #seen = new Map<string, number>();

  /** True the first time `id` is used while it is remembered; false for a replay. */
  use(id: string, untilMs: number, nowMs: number): boolean {
    for (const [k, until] of this.#seen) if (until <= nowMs) this.#seen.delete(k);
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, untilMs);
    return true;
  }
}

/** A verification outcome: what was proven, or why not (the error_description). */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const bad = <T>(problem: string): Checked<T> => ({ ok: false, problem });

/**
 * Verifies a client assertion: signature by one of the client's keys (by `kid` when given),
 * `iss` = `sub` = client id, `aud` = the token URL, `exp` in the future and at most an hour
 * away, and a `jti` not seen before.
 */
export async function verifyAssertion(jwt: string, client: ResolvedOAuthClient, at: { tokenUrl: string; nowMs: number; replay: ReplayCache }): Promise<Checked<{ jti: string | undefined }>> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    return bad('The client_assertion is not a JWT.');
  }
  const candidates = kid === undefined ? client.keys : client.keys.filter((k) => k.kid === kid);
  if (candidates.length === 0) return bad(`The client_assertion kid "${String(kid).slice(0, 40)}" is not registered for the client.`);
  const currentDate = new Date(at.nowMs);
  for (const key of candidates) {
    try {
      const { payload } = await jwtVerify(jwt, createPublicKey({ key: key.jwk, format: 'jwk' }), {
        algorithms: ASYMMETRIC_ALGORITHMS,
        issuer: client.clientId,
        subject: client.clientId,
        audience: at.tokenUrl,
        requiredClaims: ['exp'],
        currentDate,
      });
      if (payload.exp! > Math.floor(at.nowMs / 1000) + MAX_ASSERTION_LIFETIME_S + 60) return bad('The client_assertion expires more than one hour from now.');
      if (payload.jti !== undefined && !at.replay.use(`${client.clientId}:${payload.jti}`, payload.exp! * 1000, at.nowMs)) {
        return bad('The client_assertion jti has already been used.');
      }
      return { ok: true, value: { jti: payload.jti } };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return bad(`The client_assertion is invalid (${(error as Error).message}).`);
    }
  }
  return bad('The client_assertion signature is invalid.');
}

/** What a proof must match. */
export interface ProofExpectation {
  htm: string;
  /** The request URI without query and fragment. */
  htu: string;
  nowMs: number;
  iatWindowSeconds: number;
  replay: ReplayCache;
  /** The access token the request carries: the proof's `ath` must be its hash. */
  accessToken?: string;
}

/** What a valid proof proves. */
export interface ProvenProof {
  /** The JWK SHA-256 thumbprint of the proof key (RFC 7638): what a token is bound to (`cnf.jkt`). */
  jkt: string;
  nonce: string | undefined;
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3): `typ: dpop+jwt`, an asymmetric `alg`, a public `jwk`
 * that verifies the signature, `htm` and `htu` of this request, `iat` within the window, an
 * unused `jti`, and `ath` when an access token is presented. The nonce is returned for the
 * caller to check.
 */
export async function verifyProof(jwt: string | undefined, expect: ProofExpectation): Promise<Checked<ProvenProof>> {
  if (!jwt) return bad('The DPoP proof JWT header is missing.');
  let jwk: JWK;
  try {
    const header = decodeProtectedHeader(jwt);
    if (header.typ !== 'dpop+jwt') return bad("The DPoP proof JWT 'typ' header is not dpop+jwt.");
    if (!header.jwk || typeof header.jwk !== 'object') return bad("The DPoP proof JWT has no 'jwk' header.");
    if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in header.jwk!)) return bad("The DPoP proof JWT 'jwk' header holds a private key.");
    jwk = header.jwk;
  } catch {
    return bad('The DPoP proof is not a JWT.');
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ASYMMETRIC_ALGORITHMS, currentDate: new Date(expect.nowMs) }));
  } catch {
    return bad('The DPoP proof JWT signature is invalid.');
  }
  if (payload.htm !== expect.htm) return bad("'htm' claim in the DPoP proof JWT is invalid.");
  if (typeof payload.htu !== 'string' || !sameUri(payload.htu, expect.htu)) return bad("'htu' claim in the DPoP proof JWT is invalid.");
  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat - nowS) > expect.iatWindowSeconds) return bad("'iat' claim in the DPoP proof JWT is outside the allowed window.");
  if (typeof payload.jti !== 'string' || payload.jti === '') return bad("The DPoP proof JWT has no 'jti' claim.");
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  if (!expect.replay.use(`${jkt}:${payload.jti}`, (payload.iat + expect.iatWindowSeconds) * 1000 + 1000, expect.nowMs)) return bad("The DPoP proof JWT 'jti' has already been used.");
  if (expect.accessToken !== undefined && payload.ath !== createHash('sha256').update(expect.accessToken, 'ascii').digest('base64url')) {
    return bad("'ath' claim in the DPoP proof JWT does not match the access token.");
  }
  return { ok: true, value: { jkt, nonce: typeof payload.nonce === 'string' ? payload.nonce : undefined } };
}

/**
 * `htu` compared after URI normalization (RFC 9449 §4.3). Stricter than the RFC's "ignoring any
 * query and fragment": a proof that carries them is refused, so a client that leaks a query
 * string (with its filters) into proofs is caught here.
 */
function sameUri(htu: string, expected: string): boolean {
  try {
    const url = new URL(htu);
    return url.search === '' && url.hash === '' && `${url.origin}${url.pathname}` === expected;
  } catch {
    return false;
  }
}
