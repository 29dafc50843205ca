/**
 * The errors of the OAuth 2.0 token request. They fit the connector's hierarchy so callers need
 * no new cases: a rejected client assertion or DPoP proof is an {@link OktaAuthenticationError};
 * a scope the service app was not granted is an {@link OktaForbiddenError}, which lists skip with
 * a `forbidden` warning and checkAccess reports per permission.
 * @module
 */
import { ENDPOINTS } from '../../okta/endpoints.js';
import { OktaAuthenticationError, OktaForbiddenError, type HttpErrorDetails } from '../../errors.js';

/** The token endpoint's path: the only place a POST goes. */
export const TOKEN_PATH = ENDPOINTS.token.path;

/**
 * Okta's token endpoint refused to issue a token (`invalid_client`, `invalid_dpop_proof`,
 * `unauthorized_client`, ...). `oauthError` is the OAuth error code (RFC 6749 §5.2).
 * @example
 * catch (e) { if (e instanceof OktaOAuthError && e.oauthError === 'invalid_client') rotateKey(); }
 */
export class OktaOAuthError extends OktaAuthenticationError {
  override name = 'OktaOAuthError';
  readonly oauthError: string;
  constructor(message: string, oauthError: string, details: HttpErrorDetails) {
    super(message, 'unauthorized', details);
    this.oauthError = oauthError;
  }
}

/**
 * The service app was not granted the scope that covers `path` (the token request answered
 * `invalid_scope` for it), so no request for it was sent.
 * @example
 * catch (e) { if (e instanceof OktaScopeError) console.log(`grant ${e.scope}`); }
 */
export class OktaScopeError extends OktaForbiddenError {
  override name = 'OktaScopeError';
  readonly scope: string;
  constructor(scope: string, details: HttpErrorDetails) {
    super(
      `GET ${details.path}: the OAuth service app was not granted ${scope} (the token request answered invalid_scope); grant it on the app's Okta API Scopes tab.`,
      'forbidden',
      details,
    );
    this.scope = scope;
  }
}

/** Advice for each token-endpoint error, for the message an admin reads. */
const ADVICE: Record<string, string> = {
  invalid_client:
    'check oauth.clientId, that the public key of oauth.privateKey is registered on the service app (and oauth.keyId matches its kid), that Client authentication is "Public key / Private key", and that this machine\'s clock is right',
  invalid_dpop_proof: 'the DPoP proof was refused; check this machine\'s clock',
  unauthorized_client: 'the app may not use the client credentials grant: create an "API Services" app integration',
  invalid_grant: 'check the service app is active',
  use_dpop_nonce: 'Okta kept asking for a new DPoP nonce',
};

/**
 * The error for a token-endpoint refusal, with what to check.
 */
export function tokenError(status: number, oauthError: string, description: string | undefined, requestId?: string): OktaOAuthError {
  const advice = ADVICE[oauthError] ?? 'see the error for what Okta refused';
  const said = description ? `: ${description}` : '';
  return new OktaOAuthError(`POST ${TOKEN_PATH}: Okta refused to issue an access token (${oauthError}${said}); ${advice}.`, oauthError, {
    status,
    path: TOKEN_PATH,
    errorCode: oauthError,
    errorSummary: description,
    requestId,
  });
}
