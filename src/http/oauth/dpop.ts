/**
 * DPoP proofs (RFC 9449): a fresh JWT per HTTP request, signed with the connector's proof key,
 * that binds the access token to that key. Okta asks for one on the token request and checks
 * it on every API call made with a DPoP-bound token.
 * https://developer.okta.com/docs/guides/dpop/nonoktaresourceserver/main/
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SigningKey } from '../../config/keys.js';

/**
 * What one proof covers.
 */
export interface ProofClaims {
  /** The HTTP method, upper case (`POST` for the token request, `GET` for API calls). */
  htm: 'GET' | 'POST';
  /** The request URL; its query and fragment are left out of `htu`. */
  url: URL;
  /** Now, in epoch milliseconds. */
  nowMs: number;
  /** The access token the request carries (API calls only): its hash becomes `ath`. */
  accessToken?: string | undefined;
  /** The latest `DPoP-Nonce` the server sent, if any. */
  nonce?: string | undefined;
}

/**
 * The `htu` claim: the request URI without query and fragment (RFC 9449 §4.2). Okta ids in paths
 * are plain alphanumerics, so the WHATWG-normalized path is what Okta compares against.
 */
function htuOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * The `ath` claim: base64url(SHA-256(access token)) (RFC 9449 §4.2).
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * Signs one DPoP proof: header `typ: dpop+jwt`, the proof key's `alg` and public `jwk`; claims
 * `htm`, `htu`, `iat`, a unique `jti`, plus `ath` with an access token and `nonce` when the server
 * asked for one. A proof is good for one request only: never reuse it.
 */
export async function dpopProof(key: SigningKey, claims: ProofClaims): Promise<string> {
  return key.sign(
    { typ: 'dpop+jwt', jwk: key.publicJwk },
    {
      htm: claims.htm,
      htu: htuOf(claims.url),
      iat: Math.floor(claims.nowMs / 1000),
      jti: randomUUID(),
      ...(claims.accessToken !== undefined ? { ath: accessTokenHash(claims.accessToken) } : {}),
      ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}),
    },
  );
}
