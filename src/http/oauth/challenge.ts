/**
 * Reading Okta's `WWW-Authenticate` challenges. With an OAuth access token Okta explains a 401 or
 * 403 there, e.g. for a missing scope:
 * `Bearer authorization_uri="...", realm="...", scope="okta.logs.read", error="insufficient_scope",
 * error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"`
 * (https://support.okta.com/help/s/article/insufficient-scope-error-when-making-a-request-to-an-oauth-or-management-endpoint);
 * with DPoP the scheme is `DPoP` and a stale nonce is `error="use_dpop_nonce"` (RFC 9449 §9).
 * @module
 */

/**
 * One challenge: its scheme and its auth-params (names lower-cased, values unquoted).
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]*)\s*,?/;
const SCHEME = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?=\s|$|,)\s*,?/;

/**
 * The challenges of a `WWW-Authenticate` header (one value or several). Tolerant: what it cannot
 * read ends the parse instead of throwing.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const value of header === undefined ? [] : Array.isArray(header) ? header : [header]) {
    let rest = value.slice(0, 4096);
    while (rest.trim() !== '') {
      const param = PARAM.exec(rest);
      const current = out.at(-1);
      if (param && current) {
        current.params[param[1]!.toLowerCase()] = param[3] !== undefined ? param[3].replace(/\\(.)/g, '$1') : param[2]!;
        rest = rest.slice(param[0].length);
        continue;
      }
      const scheme = SCHEME.exec(rest);
      if (!scheme) break;
      out.push({ scheme: scheme[1]!, params: {} });
      rest = rest.slice(scheme[0].length);
    }
  }
  return out;
}

/**
 * The first challenge that carries an `error` param, if any.
 */
export function oauthChallenge(header: string | string[] | undefined): Challenge | undefined {
  return parseChallenges(header).find((c) => c.params.error !== undefined);
}
