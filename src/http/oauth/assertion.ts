/**
 * The client assertion of `private_key_jwt` client authentication: a short-lived JWT signed with
 * the service app's private key, sent to the token endpoint instead of a client secret.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { SigningKey } from '../../config/keys.js';

/**
 * `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
 */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * How long an assertion is valid. Okta allows at most one hour; it is used at once, so five
 * minutes leaves room for clock skew and nothing for replay.
 */
export const ASSERTION_LIFETIME_SECONDS = 300;

/**
 * What an assertion says.
 */
export interface AssertionClaims {
  /** The service app's client id: both `iss` and `sub`. */
  clientId: string;
  /** The full token endpoint URL: the `aud`. */
  tokenUrl: string;
  /** Now, in epoch milliseconds. */
  nowMs: number;
}

/**
 * Signs a client assertion: `iss` = `sub` = client id, `aud` = token URL, `iat`, `exp` five
 * minutes later and a unique `jti` (Okta rejects a reused one). `kid` names the key when known,
 * so Okta can pick it among the app's registered keys.
 */
export async function clientAssertion(key: SigningKey, claims: AssertionClaims): Promise<string> {
  const iat = Math.floor(claims.nowMs / 1000);
  return key.sign(
    { typ: 'JWT' },
    { iss: claims.clientId, sub: claims.clientId, aud: claims.tokenUrl, iat, exp: iat + ASSERTION_LIFETIME_SECONDS, jti: randomUUID() },
  );
}
