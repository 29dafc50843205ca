/**
 * The connector's errors: what it throws for anything the org, the network or the caller's
 * input did is one of these, with a stable `code`. A bug of the connector itself (a TypeError)
 * is thrown as it is. HTTP failures become errors in one place (`http-error.ts`); none carries
 * request headers, the token or a raw got error (whose options hold the Authorization header):
 * only status, Okta's errorCode/errorSummary, the path (no query string: queries can hold
 * personal data) and Okta's request id.
 * @module
 */

/**
 * Every `code` an {@link OktaError} carries, for completion and an exhaustive `switch`. A new code
 * is added here, and only here (the README's error list is tested against this union).
 */
export type OktaErrorCode =
  // the configuration, the caller's arguments, the provider's state
  | 'invalid_config'
  | 'invalid_private_key'
  | 'invalid_argument'
  | 'closed'
  // Okta answered with an HTTP error (OktaHttpError and its subclasses)
  | HttpErrorCode
  // the exchange or the response
  | 'network_error'
  | 'invalid_response'
  | 'response_too_large'
  | 'cross_origin_link'
  | 'pagination_cycle'
  | 'too_many_pages'
  // what the answer cannot be
  | 'ambiguous_account'
  | 'ambiguous_group'
  | 'invalid_cursor'
  | 'cursor_expired';

/** The codes of {@link OktaHttpError}: 401, 403, 404, 429, 5xx, any other status. */
export type HttpErrorCode = 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited' | 'server_error' | 'http_error';

/**
 * Base class: every connector error has a stable machine-readable `code`.
 * @example
 * try { await provider.resolveAppUser('github', login) } catch (e) {
 *   if (!(e instanceof OktaError)) throw e;
 *   switch (e.code) { case 'forbidden': grantAccess(); break; case 'network_error': retryLater(); break; default: report(e.code, e.message) }
 * }
 */
export class OktaError extends Error {
  override name = 'OktaError';
  constructor(
    message: string,
    readonly code: OktaErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What is known about a failed HTTP exchange with Okta. */
export interface HttpErrorDetails {
  status: number;
  path: string;
  errorCode?: string | undefined;
  errorSummary?: string | undefined;
  requestId?: string | undefined;
  /** The Authorization scheme the request used (`SSWS`, `DPoP`, `Bearer`), for a message that fits the credential. */
  scheme?: string | undefined;
}

/** Okta answered with an HTTP error. */
export class OktaHttpError extends OktaError {
  override name = 'OktaHttpError';
  readonly status: number;
  readonly path: string;
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
  readonly requestId: string | undefined;
  declare readonly code: HttpErrorCode;
  constructor(message: string, code: HttpErrorCode, details: HttpErrorDetails) {
    super(message, code);
    this.status = details.status;
    this.path = details.path;
    this.errorCode = details.errorCode;
    this.errorSummary = details.errorSummary;
    this.requestId = details.requestId;
  }
}

/** 401: the token is invalid, expired or revoked (Okta E0000011). Never retried. */
export class OktaAuthenticationError extends OktaHttpError {
  override name = 'OktaAuthenticationError';
}

/** 403: the token may not read this resource (Okta E0000006). Lists skip it with a warning. */
export class OktaForbiddenError extends OktaHttpError {
  override name = 'OktaForbiddenError';
}

/** 404: the resource does not exist (Okta E0000007). */
export class OktaNotFoundError extends OktaHttpError {
  override name = 'OktaNotFoundError';
}

/**
 * 429 that did not clear within the retry budget or the longest allowed wait (Okta E0000047); also
 * thrown without sending when a bucket's budget is spent for longer than `maxRateLimitWaitMs`
 * (status 429: what Okta would answer).
 */
export class OktaRateLimitError extends OktaHttpError {
  override name = 'OktaRateLimitError';
}

/** The connection failed, timed out, or the body was cut off, on every attempt. */
export class OktaNetworkError extends OktaError {
  override name = 'OktaNetworkError';
  constructor(
    message: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(message, 'network_error', { cause });
  }
}

/** The response was not what Okta sends: not JSON, not the expected shape, too large. Not an HTTP error. */
export class OktaResponseError extends OktaError {
  override name = 'OktaResponseError';
  constructor(
    message: string,
    code: 'invalid_response' | 'response_too_large',
    readonly path: string,
  ) {
    super(message, code);
  }
}

/** A `next` link that is unsafe or runaway: another origin, a repeated page, too many pages. */
export class OktaPaginationError extends OktaError {
  override name = 'OktaPaginationError';
  constructor(
    message: string,
    code: 'cross_origin_link' | 'pagination_cycle' | 'too_many_pages',
    readonly path: string,
  ) {
    super(message, code);
  }
}

/**
 * An argument the connector refuses before sending anything: a blank account, a control
 * character, a value longer than the documented bound, a duration beyond what a timer can wait.
 * `argument` names the parameter (never its value, which may be personal data).
 */
export class OktaValidationError extends OktaError {
  override name = 'OktaValidationError';
  constructor(
    message: string,
    readonly argument: string,
  ) {
    super(message, 'invalid_argument');
  }
}

/** The provider was closed: every method called after `close()` rejects with this. */
export class OktaClosedError extends OktaError {
  override name = 'OktaClosedError';
  constructor(method?: string) {
    super(`${method ? `${method}: ` : ''}the provider was closed`, 'closed');
  }
}
