import createDebug from 'debug';
import type { OktaClient } from '../http/client.js';
import { OktaForbiddenError, OktaNotFoundError, OktaResponseError } from '../errors.js';
import { permissionFor } from '../okta/endpoints.js';
import { INVALID_SAMPLES, type Page } from '../http/paginate.js';
import { InvalidItem, parseItem } from '../okta/schemas.js';
import type { ConnectorWarning } from '../sdk.js';
import type { z } from 'zod';

const debug = createDebug('okta-idp:warning');

/** What the provider's operations share: the client and the warning channel. */
export interface ProviderContext {
  client: OktaClient;
  warn(warning: ConnectorWarning): void;
}

/** Builds the warning channel: calls `onWarning`, never lets it throw into the connector. */
export function warningChannel(onWarning: ((w: ConnectorWarning) => void) | undefined): (w: ConnectorWarning) => void {
  return (warning) => {
    debug('%s %s: %s', warning.code, warning.path, warning.message);
    try {
      onWarning?.(warning);
    } catch (error) {
      debug('onWarning threw: %s', error instanceof Error ? error.message : String(error));
    }
  };
}

/** Reports a 403 as a `forbidden` warning naming the resource and the permission that covers it. */
export function warnForbidden(ctx: ProviderContext, error: OktaForbiddenError, what: string): void {
  ctx.warn({
    code: 'forbidden',
    status: 403,
    path: error.path,
    message: `${what} skipped: the token may not read ${error.path} (grant ${permissionFor(error.path)}).`,
  });
}

/** How a read of one resource ended: read, or skipped (already warned) because it is forbidden or gone. */
export type ReadOutcome = 'read' | 'forbidden' | 'gone';

/**
 * Runs `read` of one resource that may be forbidden or may disappear while the org changes under
 * the connector (an app deleted mid-sync, a user deleted before its refresh): a 403 is a
 * `forbidden` warning, a 404 a `not_found` warning (unless `gone: 'throw'`: where a 404 means
 * something else), and the outcome says which; every other error passes through.
 */
export async function readOrSkip(ctx: ProviderContext, what: string, read: () => Promise<void>, gone: 'skip' | 'throw' = 'skip'): Promise<ReadOutcome> {
  try {
    await read();
    return 'read';
  } catch (error) {
    if (error instanceof OktaForbiddenError) {
      warnForbidden(ctx, error, what);
      return 'forbidden';
    }
    if (error instanceof OktaNotFoundError && gone === 'skip') {
      ctx.warn({ code: 'not_found', status: 404, path: error.path, message: `${what} skipped: Okta has no ${error.path} (deleted while the connector was reading, or never there).` });
      return 'gone';
    }
    throw error;
  }
}

/** Runs `read`, turning a 403 into a warning (returns false) and passing every other error, 404 included, through. */
export async function skipForbidden(ctx: ProviderContext, what: string, read: () => Promise<void>): Promise<boolean> {
  return (await readOrSkip(ctx, what, read, 'throw')) === 'read';
}

/**
 * The `item` function of a list read: validates each element against `schema` as it is read
 * and keeps `keep` of it, so that only what the reader needs outlives the page's parsing.
 */
export function checked<T, U = T>(schema: z.ZodType<T>, keep?: (item: T) => U): (element: unknown, index: number) => U | InvalidItem {
  return (element, index) => {
    const item = parseItem(schema, element, index);
    return item instanceof InvalidItem || !keep ? (item as U | InvalidItem) : keep(item);
  };
}

/**
 * The valid items of a page read with {@link checked}; the invalid ones (counted by `paginate`,
 * or left among the items) are skipped with one `invalid_item` warning per page: their number
 * and at most three samples, each its position and what was wrong (never its values).
 */
export function validItems<T>(ctx: ProviderContext, page: Page<T | InvalidItem>): T[] {
  const items: T[] = [];
  let count = page.invalid.count;
  const samples = [...page.invalid.samples];
  for (const item of page.items) {
    if (!(item instanceof InvalidItem)) items.push(item);
    else if (count++ < INVALID_SAMPLES) samples.push(item);
  }
  if (count > 0) {
    const path = page.response.url.pathname;
    ctx.warn({
      code: 'invalid_item',
      path,
      message: `${count} item(s) of ${path} did not match Okta's schema and were skipped: ${samples.map((i) => `#${i.index} ${i.issues}`).join('; ')}${count > samples.length ? `; and ${count - samples.length} more` : ''}`,
    });
  }
  return items;
}

/**
 * Validates a single-object body; a mismatch is an {@link OktaResponseError}, not a zod error.
 * `id`: the resource was read by this id, and a body naming another is refused the same way (it
 * would put one resource's data under another's id).
 */
export function parseOne<S extends z.ZodType>(schema: S, body: unknown, path: string, id?: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new OktaResponseError(`GET ${path}: the response did not match Okta's schema (${result.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})`, 'invalid_response', path);
  if (id !== undefined && (result.data as { id?: unknown }).id !== id) throw new OktaResponseError(`GET ${path}: the response is for another id than the one read`, 'invalid_response', path);
  return result.data;
}
