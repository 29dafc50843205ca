/**
 * The attempt loop every request goes through, the API GETs and the OAuth token POST alike: wait
 * for the path's rate-limit bucket, send (within the concurrency cap when asked), tell the bucket
 * what came back, then let the caller judge the exchange and the retry policy decide.
 * @module
 */
import createDebug from 'debug';
import { bucketOf } from '../okta/endpoints.js';
import type { Clock } from '../clock.js';
import { OktaError, OktaNetworkError } from '../errors.js';
import type { BucketFeedback, RateLimiter } from './rate-limit.js';
import type { SlotTicket } from './slots.js';
import { parseDate, parseRateLimit, retryDelay, type AttemptOutcome, type RetryPolicy } from './retry.js';

const debug = createDebug('okta-idp:http');

/** What the attempts of every request share. */
export interface AttemptEnv {
  limiter: RateLimiter;
  policy: RetryPolicy;
  clock: Clock;
  random: () => number;
  /** Removes credentials from foreign text (a got error's message carries its request). */
  scrub(text: string): string;
}

/** A response as the loop needs it. */
export interface Exchanged {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** What the caller makes of an exchange; a final error it throws instead. */
export type Verdict<T> =
  | { kind: 'done'; value: T }
  /** Send once more without counting an attempt: fresh credentials, a DPoP nonce. */
  | { kind: 'again' }
  /** A failed attempt, retried as its status says (as a broken exchange when `transport`); `error` is thrown when not. */
  | { kind: 'failed'; error: (attempts: number) => Error; transport?: boolean };

/** One request. */
export interface AttemptPlan<E extends Exchanged, T> {
  method: 'GET' | 'POST';
  /** The path, without query string: it picks the bucket and names the request in errors. */
  path: string;
  signal?: AbortSignal | undefined;
  /** Where the request stands in its list, for the order of the concurrency slots; undefined: it takes no slot. */
  slot?: SlotTicket | undefined;
  /** One exchange. What it throws is a broken exchange, retried, unless it is a {@link NotRetried}. */
  send(): Promise<E>;
  judge(exchange: E, feedback: BucketFeedback): Verdict<T> | Promise<Verdict<T>>;
  /** Called before each retry's wait; `unanswered` is why the attempt got no answer at all (refused, reset, timed out), scrubbed of credentials. */
  onRetry?(unanswered: string | undefined): void;
}

/**
 * Thrown by `send` for a failure that is not the exchange's: the authorizer's own final error, an
 * error thrown by the caller's item mapper (a bug, not a bad body). Its `error` is thrown as it
 * is, at once.
 */
export class NotRetried extends Error {
  constructor(readonly error: unknown) {
    super('not retried');
  }
}

/** Sends `plan` until its judge is satisfied, the retry policy gives up, or `signal` aborts. */
export async function runAttempts<E extends Exchanged, T>(env: AttemptEnv, plan: AttemptPlan<E, T>): Promise<T> {
  const { method, path, signal } = plan;
  const budget = env.limiter.bucket(bucketOf(path));
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    await budget.acquire(signal, path, method);
    let exchange: E | undefined;
    let feedback: BucketFeedback | undefined;
    let failure: unknown;
    try {
      exchange = plan.slot === undefined ? await plan.send() : await env.limiter.withSlot(() => plan.send(), plan.slot);
      feedback = { status: exchange.status, rateLimit: parseRateLimit(exchange.headers), dateMs: parseDate(exchange.headers) };
    } catch (error) {
      failure = error;
    } finally {
      budget.release(feedback);
    }
    if (failure instanceof NotRetried) throw failure.error;
    signal?.throwIfAborted();

    let outcome: AttemptOutcome = { kind: 'transport' };
    let final = (attempts: number): Error => networkError(env, method, path, failure, attempts);
    if (exchange !== undefined && feedback !== undefined) {
      const verdict = await plan.judge(exchange, feedback);
      if (verdict.kind === 'done') return verdict.value;
      if (verdict.kind === 'again') {
        attempt--;
        continue;
      }
      if (!verdict.transport) outcome = { kind: 'status', ...feedback };
      final = verdict.error;
    }
    const delay = retryDelay(attempt, outcome, env.policy, env.clock.now(), env.random);
    if (delay === null) throw final(attempt);
    plan.onRetry?.(exchange === undefined ? env.scrub(errorText(failure)) : undefined);
    debug('retry %d of %s %s in %dms (%s)', attempt, method, path, delay, outcome.kind === 'status' ? outcome.status : 'transport');
    await env.clock.sleep(delay, signal);
  }
}

/** The error of an exchange that broke on every attempt. */
function networkError(env: AttemptEnv, method: string, path: string, failure: unknown, attempts: number): Error {
  // Our own errors (an oversized body) carry no request: they are final as they are.
  if (failure instanceof OktaError || (failure instanceof Error && failure.name === 'AbortError')) return failure;
  // got's errors carry the request options, and so the credentials: keep only their text.
  const cause = new Error(env.scrub(errorText(failure)));
  return new OktaNetworkError(`${method} ${path}: ${cause.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, path, cause);
}

/** A foreign error as text: its code (got's `ECONNRESET`, `ETIMEDOUT`) and message. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
  }
  return String(error);
}
