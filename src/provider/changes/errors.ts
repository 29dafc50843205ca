import { OktaError } from '../../errors.js';

/**
 * The cursor handed to `changes({ cursor })` is not one this connector wrote: bad base64url,
 * bad JSON, a wrong checksum or version, or a log position that is not `/api/v1/logs` on the
 * configured origin. Nothing was requested. Start again from a stored cursor that is intact,
 * or from `since`.
 * @example
 * try { for await (const c of provider.changes({ cursor })) save(c) }
 * catch (e) { if (e instanceof OktaCursorError) alert(e.message) }
 */
export class OktaCursorError extends OktaError {
  override name = 'OktaCursorError';
  constructor(problem: string) {
    super(`Invalid change-stream cursor: ${problem}. Pass a cursor exactly as a change carried it.`, 'invalid_cursor');
  }
}

/**
 * The change stream cannot resume without a gap: its cursor (or `since`) is older than the 90
 * days Okta keeps in the System Log, or Okta refused the position as out of range (400
 * E0000001). Events in between are gone, so the only way to be complete again is a full
 * `listIdentities()`, then a stream started at the time that sync began.
 * https://developer.okta.com/docs/reference/api/system-log/ (retention: 90 days)
 * @example
 * catch (e) { if (e instanceof OktaCursorExpiredError) { await resync(); cursor = undefined } }
 */
export class OktaCursorExpiredError extends OktaError {
  override name = 'OktaCursorExpiredError';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `The change stream cannot resume without losing events: ${reason}. Okta keeps the System Log for 90 days. ` +
        'Run a full listIdentities() to rebuild the view, then start changes({ since }) at the time that sync began.',
      'cursor_expired',
      options,
    );
  }
}
