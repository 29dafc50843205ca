/**
 * The warning of a stream without a synced index (resumed in a new process) that cannot know whom
 * a change reached: who held a group or an app deleted meanwhile, who left a group. It names what
 * to do.
 * @module
 */
import type { ProviderContext } from '../context.js';

/** Warns `incomplete_fanout` at `path`: what could not be known (`why`), and what to do. */
export function warnIncomplete(ctx: ProviderContext, path: string, why: string): void {
  ctx.warn({
    code: 'incomplete_fanout',
    path,
    message:
      `The change stream may have missed updates: ${why}. ` +
      'A stream resumed without a synced index (in a new process) cannot know this. ' +
      'Run a full listIdentities() on this provider: every identity is then current, and the stream keeps it so from its index.',
  });
}

/** Warns `incomplete_fanout` on an app's user list. */
export function warnIncompleteApp(ctx: ProviderContext, appId: string, why: string): void {
  warnIncomplete(ctx, `/api/v1/apps/${encodeURIComponent(appId)}/users`, why);
}
