import { OktaAuthenticationError, OktaForbiddenError, OktaNetworkError } from '../errors.js';
import type { AccessReport, PermissionCheck } from '../provider/access.js';
import type { ConnectorWarning } from '../sdk.js';

/**
 * What a terminal would act on instead of showing: C0 controls (ESC starts a sequence that can
 * retitle the window, clear the screen or paint a forged line), DEL, C1 controls (U+009B is a
 * CSI on its own) and the Unicode controls that reorder text (bidi overrides and isolates).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, newline excepted
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text made safe to print on a terminal: each control character is shown as an escape
 * (`\x1b`, `\u202e`) instead of acting. Everything the command prints from Okta (labels, paths,
 * errorSummary) and its own error messages go through here, on stdout and stderr. Newlines are
 * escaped too unless `lines` (the command's own multi-line texts), so that foreign text cannot
 * forge a line of the report. JSON output needs none of it: JSON.stringify escapes controls.
 */
export function terminalSafe(text: string, { lines = false }: { lines?: boolean } = {}): string {
  return text.replace(lines ? CONTROLS_BUT_NEWLINE : CONTROLS, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A warning as the command prints it on stderr. */
export function formatWarning(w: Pick<ConnectorWarning, 'code' | 'path' | 'message'>): string {
  return `warning: ${terminalSafe(`${w.code} ${w.path}: ${w.message}`)}`;
}

const MARK: Record<PermissionCheck['status'], string> = { ok: 'OK', forbidden: 'FORBIDDEN', unauthorized: 'REJECTED', unreachable: 'NO ANSWER', error: 'ERROR' };

const TOKEN_ADVICE = 'Check that the token is valid, not revoked or expired (30 days unused), and belongs to this org.';

/** Node's network error codes, in words. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'no answer in time',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

/** The check command's report, for people. */
export function formatAccessReport(report: AccessReport): string {
  const lines = [`Okta org: ${terminalSafe(report.origin)}`, ''];
  for (const p of report.permissions) {
    const budget = p.rateLimit ? `  (rate limit: ${p.rateLimit.remaining}/${p.rateLimit.limit} left in this window, ${Math.round(p.rateLimit.share * 100)}%)` : '';
    lines.push(`${MARK[p.status].padEnd(9)}  ${p.permission.padEnd(17)} ${terminalSafe(p.path)}${budget}`);
    if (p.status !== 'ok') {
      lines.push(`           ${terminalSafe(p.message)}`);
      lines.push(`           Missing: ${p.missingData}`);
    }
  }
  const answered = report.permissions.every((p) => p.status === 'ok' || p.status === 'forbidden');
  const summary = report.ok
    ? 'All permissions the connector needs are granted.'
    : answered
      ? 'Some permissions are missing: the connector will return incomplete data (see above).'
      : 'Some permissions could not be checked (see above).';
  lines.push('', summary, '');
  return lines.join('\n');
}

/**
 * One line for a check whose every request failed for the same reason, so that no permission
 * was judged: the token was rejected, or the org could not be reached. Null otherwise.
 */
export function accessProblem(report: AccessReport): string | null {
  const checks = report.permissions;
  if (checks.length === 0 || !checks.every((p) => p.status === 'unauthorized' || p.status === 'unreachable')) return null;
  // A 401 proves the org answered: the token is the problem.
  const rejected = checks.find((p) => p.status === 'unauthorized');
  if (rejected) return terminalSafe(rejectedLine(/\((E\d{7}[^)]*)\)/.exec(rejected.message)?.[1]));
  return terminalSafe(unreachableLine(report.origin, checks[0]!.message));
}

/** One line for the error that ended a command: the same diagnoses as {@link accessProblem}, else the error's message. */
export function failureLine(error: unknown, origin: string): string {
  return terminalSafe(describeFailure(error, origin));
}

function describeFailure(error: unknown, origin: string): string {
  if (error instanceof OktaAuthenticationError) return rejectedLine(error.errorCode ? `${error.errorCode}${error.errorSummary ? `: ${error.errorSummary}` : ''}` : undefined);
  if (error instanceof OktaNetworkError) return unreachableLine(origin, error.message);
  if (error instanceof OktaForbiddenError) return `missing permission: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The line that says a command is retrying a host that does not answer: `why` is the client's last unanswered reason. */
export function retryingLine(origin: string, why: string, retries: number): string {
  return terminalSafe(`${unreachableLine(origin, why)}; retrying (${retries} ${retries === 1 ? 'retry' : 'retries'} so far)`);
}

function rejectedLine(oktaError: string | undefined): string {
  return `Okta rejected the token (401${oktaError ? ` ${oktaError}` : ''}). ${TOKEN_ADVICE}`;
}

/** `message` is an OktaNetworkError's: `GET <path>: <CODE>: <what Node said> (after N attempts)`. */
function unreachableLine(origin: string, message: string): string {
  const detail = message.replace(/^[A-Z]+ \S+: /, '');
  const code = /^([A-Z][A-Z0-9_]+):/.exec(detail)?.[1];
  const reason = code && NETWORK_REASONS[code] ? `${NETWORK_REASONS[code]} (${code})` : detail;
  return `cannot reach ${origin}: ${reason}`;
}
