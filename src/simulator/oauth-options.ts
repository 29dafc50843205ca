/**
 * The simulator's OAuth 2.0 options: which service apps exist (client id, registered public
 * keys, granted scopes) and how the org authorization server behaves (token lifetime, DPoP,
 * nonce rotation); their validation (zod, part of `options-schema.ts`) and defaults.
 * @module
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';

/**
 * One OAuth 2.0 service app, as registered in the Admin Console.
 * @example
 * const client: OAuthClientOptions = { clientId: '0oa1', publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: 'k1' }, scopes: ['okta.users.read'] };
 */
export interface OAuthClientOptions {
  /** The app's client id. */
  clientId: string;
  /** Its registered public key(s), as JWKs (`kid` optional; a private member is refused). */
  publicJwk: JsonWebKey | readonly JsonWebKey[];
  /** The Okta API scopes granted to it (its Okta API Scopes tab). */
  scopes: readonly string[];
}

/**
 * The org authorization server.
 * @example
 * const oauth: OAuthSimulatorOptions = { clients: [client], accessTokenTtlSeconds: 60, nonceTtlSeconds: 30 };
 */
export interface OAuthSimulatorOptions {
  clients: readonly OAuthClientOptions[];
  /** `expires_in` of issued access tokens; default 3600 (Okta's). */
  accessTokenTtlSeconds?: number;
  /** Refuse token requests without a DPoP proof (the default of new API service apps); default true. */
  requireDpop?: boolean;
  /** How long a DPoP nonce stays valid before it rotates; default 300. */
  nonceTtlSeconds?: number;
  /** Also demand the nonce in proofs sent to the API (`401 use_dpop_nonce`); default false, as Okta's API does not. */
  apiNonce?: boolean;
  /** How far a proof's `iat` may be from the server's clock, in seconds; default 60. */
  proofIatWindowSeconds?: number;
}

/** One client with its keys imported. */
export interface ResolvedOAuthClient {
  clientId: string;
  keys: ReadonlyArray<{ kid: string | undefined; jwk: JsonWebKey }>;
  scopes: ReadonlySet<string>;
}

/** {@link OAuthSimulatorOptions} with defaults applied. */
export interface ResolvedOAuthOptions {
  clients: ReadonlyMap<string, ResolvedOAuthClient>;
  accessTokenTtlSeconds: number;
  requireDpop: boolean;
  nonceTtlSeconds: number;
  apiNonce: boolean;
  proofIatWindowSeconds: number;
}

/** JWK members that only a private key has: registering one would leak it to the server. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

const positiveInt = z.number({ error: 'must be a positive integer' }).refine((v) => Number.isInteger(v) && v >= 1, { error: 'must be a positive integer' });
const bool = z.boolean({ error: 'must be a boolean' });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const clientSchema = z
  .strictObject(
    {
      clientId: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
      publicJwk: z.custom<JsonWebKey | readonly JsonWebKey[]>(() => true),
      scopes: z.array(z.string(), { error: 'must be an array of scope names' }),
    },
    { error: 'must be an object' },
  )
  .superRefine((client, ctx) => {
    const jwks: unknown[] = Array.isArray(client.publicJwk) ? client.publicJwk : [client.publicJwk];
    if (jwks.length === 0) ctx.addIssue({ code: 'custom', path: ['publicJwk'], message: 'must hold at least one key' });
    jwks.forEach((jwk, k) => {
      const problem = !isObject(jwk)
        ? 'must be an object'
        : PRIVATE_MEMBERS.some((m) => m in jwk)
          ? 'holds a private member: register the public key only'
          : publicKeyProblem(jwk);
      if (problem) ctx.addIssue({ code: 'custom', path: ['publicJwk', k], message: problem });
    });
  });

function publicKeyProblem(jwk: JsonWebKey): string | null {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
    return null;
  } catch {
    return 'is not a valid public JWK';
  }
}

/** The `oauth` option's schema (validation only; {@link resolveOAuthOptions} applies the defaults). */
export const oauthOptionsSchema = z.strictObject(
  {
    clients: z.array(clientSchema, { error: 'must be an array' }).superRefine((clients, ctx) => {
      const seen = new Set<string>();
      for (const { clientId } of clients) {
        if (seen.has(clientId)) ctx.addIssue({ code: 'custom', message: `lists ${clientId} twice` });
        seen.add(clientId);
      }
    }),
    accessTokenTtlSeconds: positiveInt.optional(),
    requireDpop: bool.optional(),
    nonceTtlSeconds: positiveInt.optional(),
    apiNonce: bool.optional(),
    proofIatWindowSeconds: positiveInt.optional(),
  },
  { error: 'must be an object' },
);

/** A validated `oauth` option with its keys imported and its defaults applied. */
export function resolveOAuthOptions(o: z.output<typeof oauthOptionsSchema>): ResolvedOAuthOptions {
  const clients = new Map<string, ResolvedOAuthClient>();
  for (const c of o.clients) {
    const jwks: readonly JsonWebKey[] = Array.isArray(c.publicJwk) ? c.publicJwk : [c.publicJwk as JsonWebKey];
    const keys = jwks.map((jwk) => ({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, jwk }));
    clients.set(c.clientId, { clientId: c.clientId, keys, scopes: new Set(c.scopes) });
  }
  return {
    clients,
    accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 3600,
    requireDpop: o.requireDpop ?? true,
    nonceTtlSeconds: o.nonceTtlSeconds ?? 300,
    apiNonce: o.apiNonce ?? false,
    proofIatWindowSeconds: o.proofIatWindowSeconds ?? 60,
  };
}
