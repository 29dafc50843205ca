/**
 * Okta error bodies. Codes and summaries are those of Okta's Management API (the fixture's
 * `errors` section, from okta/okta-management-openapi-spec, Apache-2.0, and
 * https://developer.okta.com/docs/reference/error-codes/); `errorId` is fresh per response as
 * Okta's is.
 * @module
 */
import { randomBytes } from 'node:crypto';

/** An Okta error body. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: Array<{ errorSummary: string }>;
}

/** An error body with a fresh `errorId`. */
export function errorBody(errorCode: string, errorSummary: string, causes: readonly string[] = [], errorLink = errorCode): OktaErrorBody {
  return {
    errorCode,
    errorSummary,
    errorLink,
    errorId: `oae${randomBytes(16).toString('base64url').slice(0, 22)}`,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  };
}

/** A response that ends a request with an Okta error; route handlers throw it. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly body: OktaErrorBody;

  constructor(status: number, body: OktaErrorBody) {
    super(`${status} ${body.errorCode}: ${body.errorSummary}`);
    this.status = status;
    this.body = body;
  }

  /** 404 E0000007, e.g. `Not found: Resource not found: 00u1 (User)`. */
  static notFound(type: string, id: string): ApiError {
    return new ApiError(404, errorBody('E0000007', `Not found: Resource not found: ${id} (${type})`));
  }

  /** 404 E0000007 for a path no route knows. */
  static noRoute(path: string): ApiError {
    return new ApiError(404, errorBody('E0000007', `Not found: Resource not found: ${path} (Path)`));
  }

  /** 400 E0000001 `Api validation failed: <what>` with one cause. */
  static validation(what: string, cause: string): ApiError {
    return new ApiError(400, errorBody('E0000001', `Api validation failed: ${what}`, [cause]));
  }

  /** 400 E0000031 `Invalid search criteria.` with the parser's message as cause. */
  static invalidSearch(cause: string): ApiError {
    return new ApiError(400, errorBody('E0000031', 'Invalid search criteria.', [cause]));
  }
}

/** 401 E0000011. */
export const invalidToken = (): OktaErrorBody => errorBody('E0000011', 'Invalid token provided');
/** 403 E0000006. */
export const accessDenied = (): OktaErrorBody => errorBody('E0000006', 'You do not have permission to perform the requested action');
/** 429 E0000047. */
export const tooManyRequests = (): OktaErrorBody => errorBody('E0000047', 'API call exceeded rate limit due to too many requests.');
/** 405 E0000022. */
export const methodNotAllowed = (): OktaErrorBody => errorBody('E0000022', 'The endpoint does not support the provided HTTP method');
/** 500 E0000009; Okta's own example links it to E0000000. */
export const internalError = (): OktaErrorBody => errorBody('E0000009', 'Internal Server Error', [], 'E0000000');
/** 503, as an Okta-style JSON error. */
export const serviceUnavailable = (): OktaErrorBody => errorBody('E0000009', 'Service Unavailable', [], 'E0000000');
