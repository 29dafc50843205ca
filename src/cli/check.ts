import type { AccessReport } from '../provider/access.js';
import type { OktaIdentityProvider } from '../provider/provider.js';
import { CliError, EXIT } from './errors.js';
import { accessProblem, formatAccessReport } from './format.js';
import { ProgressLine } from './progress.js';

/**
 * The check's own limits, tighter than the library's defaults (6 retries, 30 s per request):
 * an interactive check should say "cannot reach" within seconds (a refused connection or an
 * unknown host fails at once, so two attempts take about half a second), and at worst after two
 * 10-second timeouts, instead of after the whole retry budget a long sync deserves.
 */
export const CHECK_LIMITS = { retries: 1, requestTimeoutMs: 10_000 } as const;

/** `check`: the report on stdout (exit 0 when everything is granted), or one line on what is wrong. */
export async function check(provider: OktaIdentityProvider, origin: string, signal: AbortSignal): Promise<number> {
  const progress = new ProgressLine(process.stderr, () => `checking ${origin} ...`);
  progress.update();
  let report: AccessReport;
  try {
    report = await provider.checkAccess({ signal });
  } finally {
    progress.clear();
  }
  const problem = accessProblem(report);
  if (problem) throw new CliError(problem, EXIT.failed);
  process.stdout.write(formatAccessReport(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
