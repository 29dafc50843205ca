/**
 * The provider's argument checks: one place, run before the synced store or Okta is consulted, so
 * a call answers the same whether or not the provider has synced, and a refused value never
 * costs a request.
 * @module
 */
import { milliseconds } from '../config/config.js';
import { OktaValidationError } from '../errors.js';
import { controlCharacterAt } from '../okta/query.js';
import type { CallOptions } from '../sdk.js';

/**
 * The longest app or account `resolveAppUser` accepts, in UTF-16 code units. Okta caps a login, a
 * primary email and an app user's userName at 100 characters (Management API schemas), and the
 * externalIds apps assign are short ids, so no real value is longer. The bound keeps the request
 * small: the `okta` search repeats the value twice, each character percent-encoded to at most 9
 * bytes, about 4.6 KB in all, well under the 8 KB request line many servers and proxies accept
 * (a 100 KB account was answered HTTP 431).
 */
export const MAX_ARGUMENT_LENGTH = 256;

const pollIntervalSchema = milliseconds(1);
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks one text argument (`app` or `account`): a string, not blank, no control character (Okta
 * literals cannot hold one), well-formed UTF-16 (a lone surrogate cannot be sent as UTF-8), at most
 * {@link MAX_ARGUMENT_LENGTH} long. The message names the problem, never the value.
 * @throws OktaValidationError
 */
function checkText(method: string, argument: string, value: unknown): void {
  const refuse = (problem: string): never => {
    throw new OktaValidationError(`${method}: \`${argument}\` ${problem}`, argument);
  };
  if (typeof value !== 'string') return refuse(`must be a string, not ${value === null ? 'null' : typeof value}`);
  // A blank account would reach Okta as `q=`, which lists every account of the app.
  if (value.trim() === '') return refuse(value === '' ? 'is empty' : 'is blank (whitespace only)');
  if (value.length > MAX_ARGUMENT_LENGTH) return refuse(`is longer than ${MAX_ARGUMENT_LENGTH} characters (${value.length})`);
  const control = controlCharacterAt(value);
  if (control !== undefined) return refuse(`holds the control character ${control.codePoint} at index ${control.index}`);
  if (LONE_SURROGATE.test(value)) return refuse('holds a lone UTF-16 surrogate');
}

/**
 * Checks `resolveAppUser`'s arguments (and `resolveAppGroup`'s, whose second is `group`).
 * @throws OktaValidationError naming the argument.
 */
export function checkResolveArguments(app: unknown, account: unknown, method = 'resolveAppUser', second = 'account'): void {
  checkText(method, 'app', app);
  checkText(method, second, account);
}

/**
 * Checks the options every method takes: an object (or nothing) whose `signal`, if any, is an AbortSignal.
 * @throws OktaValidationError
 */
export function checkCallOptions(method: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new OktaValidationError(`${method}: options must be an object`, 'options');
  const { signal } = options as CallOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new OktaValidationError(`${method}: \`signal\` must be an AbortSignal`, 'signal');
}

/**
 * The change stream's poll interval: an integer number of milliseconds from 1 to 2^31-1, the
 * same bound as the `pollIntervalMs` option (a longer timer would fire at once: a hot loop).
 * @throws OktaValidationError
 */
export function checkPollInterval(value: unknown): number {
  const parsed = pollIntervalSchema.safeParse(value);
  if (!parsed.success) throw new OktaValidationError(`changes(): \`pollIntervalMs\` must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}`, 'pollIntervalMs');
  return parsed.data;
}

/**
 * The change stream's start time: a Date or an ISO 8601 string that is a valid time.
 * @throws OktaValidationError
 */
export function checkSince(value: unknown): Date {
  const since = value instanceof Date || typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(since.getTime())) throw new OktaValidationError('changes(): `since` must be a Date or an ISO 8601 time', 'since');
  return since;
}
