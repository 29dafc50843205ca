/**
 * The `oauth` part of the connector's configuration: an OAuth 2.0 service app instead of an API
 * token. Validated by zod like the rest; `privateKey` becomes a {@link Secret} at once, and no
 * message ever quotes it.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @module
 */
import { z } from 'zod';
import { PERMISSIONS } from '../okta/endpoints.js';
import { Secret } from '../secret.js';
import { privateKeyProblem, type PrivateKeyInput } from './keys.js';
import type { OAuthConfig, ResolvedOAuthConfig } from './options.js';

export type { OAuthConfig, ResolvedOAuthConfig };

/**
 * The scopes requested by default: exactly the permissions of the endpoints the connector reads,
 * all read-only.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/#scopes-and-supported-endpoints
 */
export const DEFAULT_SCOPES: readonly string[] = PERMISSIONS;

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The `oauth` option's schema; each option is documented on {@link OAuthConfig}. A `privateKey`
 * given as a {@link Secret} (what an earlier `parse()` returned) is checked like its text.
 */
export const oauthConfigSchema = z
  .object({
    clientId: z
      .string({ error: 'oauth.clientId must be a string' })
      .trim()
      .min(1, { error: 'oauth.clientId is empty' })
      .max(200, { error: 'oauth.clientId is longer than 200 characters' })
      .regex(/^[\x21-\x7e]+$/, { error: 'oauth.clientId contains whitespace or control characters' }),
    privateKey: z
      .custom<PrivateKeyInput | Secret>()
      .superRefine((value, ctx) => {
        if (value === undefined) {
          ctx.addIssue({ code: 'custom', message: 'oauth.privateKey is required (a PEM text or a private JWK)' });
          return;
        }
        const problem = privateKeyProblem(value instanceof Secret ? value.reveal() : value);
        if (problem) ctx.addIssue({ code: 'custom', message: `oauth.privateKey ${problem}` });
      })
      .transform((value) => (value instanceof Secret ? value : new Secret(typeof value === 'string' ? value : JSON.stringify(value)))),
    keyId: z.string({ error: 'oauth.keyId must be a string' }).trim().min(1, { error: 'oauth.keyId is empty' }).max(200).optional(),
    scopes: z
      .array(z.string().regex(SCOPE_TOKEN, { error: 'oauth.scopes holds an invalid scope name' }), { error: 'oauth.scopes must be an array of scope names' })
      .min(1, { error: 'oauth.scopes is empty' })
      .refine((s) => new Set(s).size === s.length, { error: 'oauth.scopes lists a scope twice' })
      .default([...DEFAULT_SCOPES]),
  })
  .strict();
