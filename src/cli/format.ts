import type { AccessReport } from '../provider/access.js';

const MARK = { ok: 'OK       ', forbidden: 'FORBIDDEN', error: 'ERROR    ' } as const;

/** The check command's report, for people. */
export function formatAccessReport(report: AccessReport): string {
  const lines = [`Okta org: ${report.origin}`, ''];
  for (const p of report.permissions) {
    const budget = p.rateLimit ? `  (rate limit: ${p.rateLimit.remaining}/${p.rateLimit.limit} left in this window, ${Math.round(p.rateLimit.share * 100)}%)` : '';
    lines.push(`${MARK[p.status]}  ${p.permission.padEnd(17)} ${p.path}${budget}`);
    if (p.status !== 'ok') {
      lines.push(`           ${p.message}`);
      lines.push(`           Missing: ${p.missingData}`);
    }
  }
  lines.push('', report.ok ? 'All permissions the connector needs are granted.' : 'Some permissions are missing: the connector will return incomplete data (see above).', '');
  return lines.join('\n');
}
