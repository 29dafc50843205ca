/**
 * The simulator's OAuth 2.0 options: which service apps exist (client id, registered public
 * keys, granted scopes) and how the org authorization server behaves (token lifetime, DPoP,
 * nonce rotation).
 * @module
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';

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

/**
 * One client with its keys imported.
 * @example
 * const client: ResolvedOAuthClient = resolveOAuthOptions({ clients: [c] })!.clients.get('0oa1')!;
 */
export interface ResolvedOAuthClient {
  clientId: string;
  keys: ReadonlyArray<{ kid: string | undefined; jwk: JsonWebKey }>;
  scopes: ReadonlySet<string>;
}

/**
 * {@link OAuthSimulatorOptions} with defaults applied.
 * @example
 * const resolved: ResolvedOAuthOptions = resolveOAuthOptions({ clients: [] })!; resolved.requireDpop; // true
 */
export interface ResolvedOAuthOptions {
  clients: ReadonlyMap<string, ResolvedOAuthClient>;
  accessTokenTtlSeconds: number;
  requireDpop: boolean;
  nonceTtlSeconds: number;
  apiNonce: boolean;
  proofIatWindowSeconds: number;
}

const KEYS = new Set(['clients', 'accessTokenTtlSeconds', 'requireDpop', 'nonceTtlSeconds', 'apiNonce', 'proofIatWindowSeconds']);
const CLIENT_KEYS = new Set(['clientId', 'publicJwk', 'scopes']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function fail(message: string): never {
  throw new TypeError(`OktaSimulator: ${message}`);
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`${name} must be a positive integer`);
  return value;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`${name} must be a boolean`);
  return value;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>, prefix: string): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) fail(`unknown option ${prefix}${k}`);
}

function client(value: unknown, i: number): ResolvedOAuthClient {
  const name = `oauth.clients[${i}]`;
  const c = object(value, name);
  onlyKeys(c, CLIENT_KEYS, `${name}.`);
  if (typeof c.clientId !== 'string' || c.clientId === '') fail(`${name}.clientId must be a non-empty string`);
  const jwks = Array.isArray(c.publicJwk) ? c.publicJwk : [c.publicJwk];
  if (jwks.length === 0) fail(`${name}.publicJwk must hold at least one key`);
  const keys = jwks.map((j, k) => {
    const jwk = object(j, `${name}.publicJwk[${k}]`) as JsonWebKey;
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) fail(`${name}.publicJwk[${k}] holds a private member: register the public key only`);
    try {
      createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      fail(`${name}.publicJwk[${k}] is not a valid public JWK`);
    }
    return { kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, jwk };
  });
  if (!Array.isArray(c.scopes) || !c.scopes.every((s) => typeof s === 'string')) fail(`${name}.scopes must be an array of scope names`);
  return { clientId: c.clientId, keys, scopes: new Set(c.scopes as string[]) };
}

/**
 * Validates the `oauth` option; undefined when it is absent (SSWS only).
 * @throws TypeError naming the first invalid option.
 * @example
 * resolveOAuthOptions({ clients: [client] })?.accessTokenTtlSeconds; // 3600
 */
export function resolveOAuthOptions(value: unknown): ResolvedOAuthOptions | undefined {
  if (value === undefined) return undefined;
  const o = object(value, 'oauth');
  onlyKeys(o, KEYS, 'oauth.');
  if (!Array.isArray(o.clients)) fail('oauth.clients must be an array');
  const clients = new Map<string, ResolvedOAuthClient>();
  o.clients.forEach((c, i) => {
    const resolved = client(c, i);
    if (clients.has(resolved.clientId)) fail(`oauth.clients lists ${resolved.clientId} twice`);
    clients.set(resolved.clientId, resolved);
  });
  return {
    clients,
    accessTokenTtlSeconds: positiveInt(o.accessTokenTtlSeconds, 'oauth.accessTokenTtlSeconds', 3600),
    requireDpop: bool(o.requireDpop, 'oauth.requireDpop', true),
    nonceTtlSeconds: positiveInt(o.nonceTtlSeconds, 'oauth.nonceTtlSeconds', 300),
    apiNonce: bool(o.apiNonce, 'oauth.apiNonce', false),
    proofIatWindowSeconds: positiveInt(o.proofIatWindowSeconds, 'oauth.proofIatWindowSeconds', 60),
  };
}
