import type { JsonWebKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { OktaSimulator, type RateLimitOptions } from '../../src/simulator/index.js';
import { ORIGIN } from './msw.js';

export const CLIENT_ID = '0oa1serviceapp0000001';
export const TOKEN_URL = `${ORIGIN}/oauth2/v1/token`;

/**
 * The org authorization server and API of the authorizer's unit tests: the simulator's (its
 * `oauth` option: private key JWT, DPoP with nonces, scopes per service app) behind msw at
 * https://example.okta.com. What the tests inspect (the token requests' form and JWTs, the API
 * requests' proofs, the tokens and nonces Okta handed out) is recorded on the way.
 */
export interface MswOAuthOptions {
  /** The service app's registered public key (with the `kid` the connector sends). */
  publicJwk: JsonWebKey;
  /** Scopes granted to the service app; default all four. */
  granted?: string[];
  /** `expires_in` of the access tokens; default 3600. */
  expiresIn?: number;
  /** The org's clock, in epoch ms. */
  now?: () => number;
  /** Okta's answers to the next token requests, before the simulator answers any (its failures). */
  tokenFailures?: { status: number; body?: unknown; headers?: Record<string, string> }[];
  /** The simulator's rate limits (the token bucket's among them); default none to speak of. */
  rateLimits?: RateLimitOptions;
  /** Runs after the simulator answered the `n`th token request (1-based): what other clients of the org do meanwhile. */
  afterToken?: (n: number, sim: OktaSimulator) => Promise<void> | void;
}

export interface TokenRequestRecord {
  form: URLSearchParams;
  proofHeader: Record<string, unknown>;
  proof: Record<string, unknown>;
  assertionHeader: Record<string, unknown>;
  assertion: Record<string, unknown>;
  status: number;
  /** The org's time when it answered. */
  at: number;
}

export interface ApiRequestRecord {
  path: string;
  authorization: string | null;
  proof: Record<string, unknown> | undefined;
  status: number;
}

const ALL_SCOPES = ['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.logs.read'];
const UNLIMITED: RateLimitOptions = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, token: 1e9, default: 1e9 } };

/** A JWT's header and claims, or empty objects when it is not one (the simulator judges it). */
function decoded(jwt: string | null | undefined): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  try {
    return { header: decodeProtectedHeader(jwt ?? '') as Record<string, unknown>, claims: decodeJwt(jwt ?? '') };
  } catch {
    return { header: {}, claims: {} };
  }
}

export function mswOAuth(server: SetupServer, options: MswOAuthOptions) {
  const now = options.now ?? Date.now;
  const sim = new OktaSimulator({
    users: 3,
    apps: 1,
    groups: 1,
    now,
    rateLimits: options.rateLimits ?? UNLIMITED,
    // The nonce outlives every test: a renewal reuses the one the authorizer learned.
    oauth: { clients: [{ clientId: CLIENT_ID, publicJwk: options.publicJwk, scopes: options.granted ?? ALL_SCOPES }], accessTokenTtlSeconds: options.expiresIn ?? 3600, nonceTtlSeconds: 86_400 },
  });
  const failures = [...(options.tokenFailures ?? [])];
  const state = {
    sim,
    tokenRequests: [] as TokenRequestRecord[],
    apiRequests: [] as ApiRequestRecord[],
    /** The access tokens issued, in order. */
    issued: [] as string[],
    /** The DPoP nonces the token endpoint asked for, in order. */
    nonces: [] as string[],
    revoke(): void {
      sim.oauth!.revokeTokens();
    },
  };

  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      const form = new URLSearchParams(await request.clone().text());
      const proof = decoded(request.headers.get('dpop'));
      const assertion = decoded(form.get('client_assertion'));
      const record: TokenRequestRecord = { form, proofHeader: proof.header, proof: proof.claims, assertionHeader: assertion.header, assertion: assertion.claims, status: 0, at: now() };
      state.tokenRequests.push(record);
      const failure = failures.shift();
      if (failure) {
        record.status = failure.status;
        return HttpResponse.json(failure.body ?? {}, { status: failure.status, headers: { 'content-type': 'application/json', ...failure.headers } });
      }
      const response = await sim.fetch(request);
      record.status = response.status;
      await options.afterToken?.(state.tokenRequests.length, sim);
      const nonce = response.headers.get('dpop-nonce');
      if (nonce) state.nonces.push(nonce);
      if (response.status === 200) state.issued.push(((await response.clone().json()) as { access_token: string }).access_token);
      return response;
    }),
    http.get(`${ORIGIN}/api/v1/*`, async ({ request }) => {
      const record: ApiRequestRecord = { path: new URL(request.url).pathname, authorization: request.headers.get('authorization'), proof: undefined, status: 0 };
      if (request.headers.has('dpop')) record.proof = decoded(request.headers.get('dpop')).claims;
      state.apiRequests.push(record);
      const response = await sim.fetch(request);
      record.status = response.status;
      return response;
    }),
  );
  return state;
}
