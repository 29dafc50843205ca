/**
 * What every family of mutations works on, and how a change's events are logged.
 * @module
 */
import type { SimClock } from './clock.js';
import type { RecordFactory } from './factory.js';
import { SYSTEM_PRINCIPAL, type EventDraft, type LogEvent, type LogTarget } from './log-events.js';
import type { Org } from './org.js';
import type { SystemLog } from './system-log.js';

/** The org a mutation changes, the log it writes to, and the options that shape its events. */
export interface MutatorDeps {
  org: Org;
  factory: RecordFactory;
  log: SystemLog;
  clock: SimClock;
  seed: number;
  appUserTargetId: 'assignment' | 'user';
}

/** Logs the drafts of one change as one transaction and returns the events. */
export type Emit = (drafts: EventDraft[]) => LogEvent[];

/** An {@link Emit} over `log`: one transaction id per change, as Okta groups a change's events. */
export function emitter(log: SystemLog): Emit {
  return (drafts) => {
    const tx = log.transactionId();
    return drafts.map((d) => log.append(d, tx));
  };
}

/** An event Okta's background jobs write (imports, provisioning, pushes): by Okta System, transaction JOB. */
export function systemJob(eventType: string, target: LogTarget[], requestUri: string): EventDraft {
  return { eventType, actor: SYSTEM_PRINCIPAL, target, transactionType: 'JOB', requestUri };
}
