import { once } from 'node:events';
import type { OktaIdentityProvider } from '../provider/provider.js';
import { CliError, EXIT, interrupted } from './errors.js';
import type { ProgressLine } from './progress.js';

/** How often a terminal's progress line is redrawn. */
const REDRAW_MS = 200;

/** `sync`: every identity as one JSON line on stdout; progress and a final summary on stderr. */
export async function sync(provider: OktaIdentityProvider, progress: ProgressLine, signal: AbortSignal): Promise<number> {
  let count = 0;
  const timer = progress.live ? setInterval(() => progress.update(), REDRAW_MS) : undefined;
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

/** The sync's progress line. */
export function syncProgress(provider: OktaIdentityProvider): string {
  const s = provider.stats;
  return `people ${s.sync.people}  apps ${s.sync.appsRead}/${s.sync.apps}  accounts ${s.sync.accounts}  requests ${s.requests}  rate-limit waits ${s.rateLimitWaits}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
