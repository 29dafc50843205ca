import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_TIMER_MS } from '../clock.js';
import { OktaError } from '../errors.js';
import { oauthConfigSchema } from './oauth.js';
import type { ConnectorWarning } from '../sdk.js';
import type { OktaConfig, ResolvedConfig } from './options.js';
import { Secret } from '../secret.js';

export type { OktaConfig, ResolvedConfig };

/** Okta's own domains, whose `<org>-admin` hosts are the Admin Console, not the API. */
const OKTA_DOMAINS = /\.(okta|oktapreview|okta-emea|okta-gov|okta\.mil|trexcloud)\.com$|\.okta\.mil$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why `value` is not a bare Okta hostname, or null when it is one. */
export function hostnameProblem(value: string): string | null {
  if (value.length === 0) return 'is empty';
  if (value.length > 253) return 'is longer than 253 characters';
  if (/[:/?#@\s\\]/.test(value)) return 'must be a bare host such as "example.okta.com": no scheme, port, path, user-info or spaces';
  const host = value.toLowerCase();
  const labels = host.split('.');
  if (labels.length < 2) return 'must be a fully qualified domain such as "example.okta.com"';
  if (!labels.every((l) => HOST_LABEL.test(l))) return 'has an invalid DNS label';
  // What the URL parser refuses (an invalid punycode label such as "xn--0") would fail at the first request.
  if (!URL.canParse(`https://${host}`)) return 'is not a valid host name';
  if (OKTA_DOMAINS.test(host) && labels[0]!.endsWith('-admin')) {
    return 'is the Admin Console host: use the org host without "-admin" (e.g. "example.okta.com")';
  }
  return null;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Why `value` is not an acceptable baseUrl, or null when it is one. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain user-info';
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return 'must be an origin only (no path, query or fragment)';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return isLoopback(url.hostname) ? null : 'may use plain http only for loopback addresses';
  return 'must use https';
}

/** Why `text` cannot be an API token, or null. One problem at a time: an empty token is only "empty". */
function tokenProblem(text: string): string | null {
  if (text.length === 0) return 'is empty';
  // The token goes into the Authorization header, which takes printable ASCII only (RFC 9110 §5.5;
  // Okta's tokens are base62 with `-` and `_`): anything else would fail every request, after every retry.
  if (!/^[\x21-\x7e]+$/.test(text)) return 'must be printable ASCII without spaces: it contains whitespace, control or non-ASCII characters';
  return null;
}

/** The token as text, or as the {@link Secret} an earlier `parse()` made of it; validated alike, held as a Secret. */
const tokenSchema = z
  .union([z.string(), z.instanceof(Secret)], { error: 'token must be a string' })
  .superRefine((value, ctx) => {
    const problem = tokenProblem(value instanceof Secret ? value.reveal() : value.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: `token ${problem}` });
  })
  .transform((value) => (value instanceof Secret ? value : new Secret(value.trim())));

/**
 * A duration option in milliseconds: an integer from `min` to {@link MAX_TIMER_MS}, the longest
 * a Node timer can wait (a longer one fires at once, with a TimeoutOverflowWarning).
 */
export function milliseconds(min: number): z.ZodNumber {
  return z
    .number()
    .int()
    .min(min)
    .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms (2^31-1, the longest timer Node supports)` });
}

/**
 * The connector's configuration schema: what the host validates and what the provider's
 * constructor takes. Each option is documented on {@link OktaConfig}; `parse()` fills in the
 * defaults and holds the credentials as {@link Secret}s, and its output is a valid input again.
 */
export const oktaConfigSchema = z
  .object({
    hostname: z.string().superRefine((v, ctx) => {
      const problem = hostnameProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `hostname ${problem}` });
    }),
    token: tokenSchema.optional(),
    oauth: oauthConfigSchema.optional(),
    baseUrl: z
      .string()
      .superRefine((v, ctx) => {
        const problem = baseUrlProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `baseUrl ${problem}` });
      })
      .optional(),
    onWarning: z.custom<(warning: ConnectorWarning) => void>((v) => typeof v === 'function', {
      error: 'onWarning must be a function',
    }).optional(),
    rateLimitShare: z.number().gt(0).lte(1).default(0.75),
    maxConcurrency: z.number().int().min(1).max(75).default(12),
    retries: z.number().int().min(0).max(20).default(6),
    retryBaseDelayMs: milliseconds(0).default(500),
    maxRetryDelayMs: milliseconds(0).default(30_000),
    maxRateLimitWaitMs: milliseconds(0).default(120_000),
    requestTimeoutMs: milliseconds(1).default(30_000),
    maxResponseBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
    userListSlices: z.number().int().min(1).max(32).default(8),
    maxPages: z.number().int().min(1).default(1_000_000),
    pollIntervalMs: milliseconds(1).default(15_000),
    groups: z.boolean().default(false),
    indexPath: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Exactly one credential: an API token or an OAuth service app.
    if (config.token === undefined && config.oauth === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give either token (an API token) or oauth (an OAuth 2.0 service app: clientId and privateKey)' });
    } else if (config.token !== undefined && config.oauth !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'give either token or oauth, not both' });
    }
  });

// The documented types are the schema's, both ways and key for key: an option documented but not
// validated, or validated but not documented, fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.input<typeof oktaConfigSchema>, OktaConfig> & Same<keyof z.input<typeof oktaConfigSchema>, keyof OktaConfig>;
true satisfies Same<z.output<typeof oktaConfigSchema>, ResolvedConfig> & Same<keyof z.output<typeof oktaConfigSchema>, keyof ResolvedConfig>;

/** Thrown synchronously by the provider's constructor on invalid configuration. */
export class OktaConfigError extends OktaError {
  override name = 'OktaConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid Okta connector configuration: ${problems.join('; ')}`, 'invalid_config');
  }
}

/** Validates `config` and fills in defaults; throws {@link OktaConfigError} naming every problem (never the token or the private key). */
export function resolveConfig(config: OktaConfig): ResolvedConfig {
  const parsed = oktaConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new OktaConfigError(parsed.error.issues.map((i) => (i.path.length > 0 && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  return parsed.data;
}

/** The origin every request goes to. */
export function originOf(config: ResolvedConfig): string {
  return config.baseUrl ? new URL(config.baseUrl).origin : `https://${config.hostname.toLowerCase()}`;
}
