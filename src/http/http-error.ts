/**
 * The one place a failed response becomes an error object: an HTTP error status with Okta's
 * error body, or a 2xx whose body is not what Okta sends.
 * @module
 */
import { permissionFor } from '../okta/endpoints.js';
import { oktaErrorBodySchema } from '../okta/schemas.js';
import { OktaAuthenticationError, OktaForbiddenError, OktaHttpError, OktaNotFoundError, OktaRateLimitError, OktaResponseError, type HttpErrorDetails } from '../errors.js';
import { oauthChallenge } from './oauth/challenge.js';

/** An error response as it was received. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The Authorization header the request carried; only its scheme is used. */
  authorization: string | undefined;
}

/** The error of a non-2xx response to `GET path`. Foreign text goes through `scrub` and is cut to 300 characters. */
export function responseHttpError(response: ErrorResponse, path: string, scrub: (text: string) => string): OktaHttpError {
  const text = (v: string | undefined): string | undefined => (v === undefined ? undefined : scrub(v).slice(0, 300));
  const requestId = response.headers['x-okta-request-id'];
  // With an OAuth token Okta explains a 401/403 in WWW-Authenticate (error="insufficient_scope", scope="okta.logs.read").
  const challenge = oauthChallenge(response.headers['www-authenticate']);
  const scope = challenge?.params.scope;
  const body = oktaErrorBody(response.body);
  return createHttpError({
    status: response.status,
    path,
    errorCode: text(challenge?.params.error ?? body?.errorCode),
    errorSummary: text(challenge ? `${challenge.params.error_description ?? ''}${scope ? ` (scope ${scope})` : ''}`.trim() || undefined : body?.errorSummary),
    requestId: typeof requestId === 'string' ? requestId : undefined,
    scheme: response.authorization?.split(' ')[0],
  });
}

/** Okta's error body, or undefined for anything else (a proxy's page: the status alone tells the story). */
function oktaErrorBody(bytes: Buffer): { errorCode: string; errorSummary: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const result = oktaErrorBodySchema.safeParse(parsed);
  return result.success ? result.data : undefined;
}

/** The error of a 2xx whose body is not JSON: an HTML proxy page, a cut-off body. */
export function bodyError(path: string, problem: 'invalid' | { contentType: string }): OktaResponseError {
  if (problem === 'invalid') return new OktaResponseError(`GET ${path}: the response body is not valid JSON (cut off?)`, 'invalid_response', path);
  return new OktaResponseError(`GET ${path}: expected JSON, got ${problem.contentType.split(';')[0] || 'no content type'}`, 'invalid_response', path);
}

/** The error of a 2xx list body with more elements than a page of its `limit` holds (see `maxElements` in body.ts). */
export function tooManyElementsError(path: string, max: number): OktaResponseError {
  return new OktaResponseError(`GET ${path}: the response holds more than ${max} elements, more than a page Okta sends (it was not read further)`, 'invalid_response', path);
}

/** The error of a 2xx JSON body that is not an array and larger than any object Okta sends (`MAX_OBJECT_BYTES` in body.ts). */
export function objectTooLargeError(path: string, max: number): OktaResponseError {
  return new OktaResponseError(`GET ${path}: the response is a JSON value larger than ${max} bytes that is not a list, more than an object Okta sends (it was not read further)`, 'invalid_response', path);
}

/** An HTTP failure as an error, with advice that fits the status and the credential. */
export function createHttpError(details: HttpErrorDetails): OktaHttpError {
  const { status, path } = details;
  const okta = details.errorCode ? ` (${details.errorCode}${details.errorSummary ? `: ${details.errorSummary}` : ''})` : '';
  const where = `GET ${path}`;
  const oauth = details.scheme !== undefined && details.scheme !== 'SSWS';
  if (status === 401) {
    if (oauth) {
      return new OktaAuthenticationError(`${where}: Okta rejected the OAuth access token${okta}, even after requesting a new one. Check that the service app is active and its key has not been revoked, and this machine's clock.`, 'unauthorized', details);
    }
    return new OktaAuthenticationError(`${where}: Okta rejected the API token${okta}. Check that the token is valid, not revoked or expired (30 days unused), and belongs to this org.`, 'unauthorized', details);
  }
  if (status === 403) {
    // https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#grant-allowed-scopes
    if (details.errorCode === 'insufficient_scope') {
      return new OktaForbiddenError(`${where}: the OAuth access token lacks the scope for this resource${okta}; grant ${permissionFor(path)} on the service app's Okta API Scopes tab and list it in oauth.scopes.`, 'forbidden', details);
    }
    const role = oauth ? 'assign the service app the Read-only Administrator role (Admin roles tab)' : 'or Read-only Administrator';
    return new OktaForbiddenError(`${where}: the token may not read this resource${okta}; grant ${permissionFor(path)} (${role}).`, 'forbidden', details);
  }
  if (status === 404) return new OktaNotFoundError(`${where}: not found${okta}.`, 'not_found', details);
  if (status === 429) return new OktaRateLimitError(`${where}: rate limit still exceeded after waiting${okta}.`, 'rate_limited', details);
  return new OktaHttpError(`${where}: HTTP ${status}${okta}.`, status >= 500 ? 'server_error' : 'http_error', details);
}

/** The error of a body longer than `maxResponseBytes`. */
export function tooLargeError(method: 'GET' | 'POST', path: string, max: number): OktaResponseError {
  return new OktaResponseError(`${method} ${path}: response larger than maxResponseBytes (${max})`, 'response_too_large', path);
}
