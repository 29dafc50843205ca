import { once } from 'node:events';
import type { OktaIdentityProvider } from '../provider/provider.js';
import { CliError, EXIT, interrupted } from './errors.js';
import { retryingLine } from './format.js';
import type { ProgressLine } from './progress.js';

/** How often a terminal's progress line is redrawn. */
const REDRAW_MS = 200;
/** Off a terminal, how often the sync looks for retries to report. */
const CHECK_MS = 1000;
/** The shortest time between two "retrying" lines (the first comes at once). */
const NOTICE_EVERY_MS = 5000;

/** Where the org is, and (for tests) how often to look at the client's counters. */
export interface SyncWatch {
  origin: string;
  checkMs?: number;
}

/**
 * `sync`: every identity as one JSON line on stdout; progress and a final summary on stderr, and,
 * on a terminal or not, a line when the org does not answer and the sync is retrying.
 */
export async function sync(provider: OktaIdentityProvider, progress: ProgressLine, signal: AbortSignal, watch: SyncWatch): Promise<number> {
  let count = 0;
  const retrying = retryNotices(provider, progress, watch.origin);
  const timer = setInterval(
    () => {
      retrying();
      progress.update();
    },
    watch.checkMs ?? (progress.live ? REDRAW_MS : CHECK_MS),
  );
  try {
    for await (const identity of provider.listIdentities({ signal })) {
      // Stop at once when stdout has failed (EPIPE) or Ctrl-C was pressed, even if identities are still at hand.
      signal.throwIfAborted();
      count++;
      // Wait when the reader is slower than Okta; `once` rejects if stdout fails or the signal aborts.
      if (!process.stdout.write(`${JSON.stringify(identity)}\n`)) await once(process.stdout, 'drain', { signal });
    }
  } catch (error) {
    if (signal.reason instanceof CliError && signal.reason.exitCode === EXIT.interrupted) {
      throw interrupted(` after ${plural(count, 'identity', 'identities')}: the output is incomplete`);
    }
    throw error;
  } finally {
    clearInterval(timer);
  }
  const s = provider.stats;
  progress.done(`${plural(count, 'identity', 'identities')}, ${plural(s.sync.accounts, 'account', 'accounts')}, ${s.sync.appsRead}/${s.sync.apps} apps, ${plural(s.requests, 'request', 'requests')}, ${plural(s.rateLimitWaits, 'rate-limit wait', 'rate-limit waits')}`);
  return EXIT.ok;
}

/**
 * A check that prints a line when requests went unanswered (refused, reset, timed out) since the
 * last look: the first at once, then at most one every {@link NOTICE_EVERY_MS}, so that a sync
 * against an unreachable host says so long before its retries run out.
 */
function retryNotices(provider: OktaIdentityProvider, progress: ProgressLine, origin: string): () => void {
  let reported = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  return () => {
    const { unansweredRetries, lastUnanswered } = provider.stats;
    if (unansweredRetries === reported || lastUnanswered === undefined || Date.now() - lastAt < NOTICE_EVERY_MS) return;
    reported = unansweredRetries;
    lastAt = Date.now();
    progress.notice(retryingLine(origin, lastUnanswered, unansweredRetries));
  };
}

/** The sync's progress line. */
export function syncProgress(provider: OktaIdentityProvider): string {
  const s = provider.stats;
  return `people ${s.sync.people}  apps ${s.sync.appsRead}/${s.sync.apps}  accounts ${s.sync.accounts}  requests ${s.requests}  rate-limit waits ${s.rateLimitWaits}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
