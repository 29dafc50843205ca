import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { KeyObject } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { accessTokenHash } from '../../src/http/oauth/dpop.js';
import { okHeaders, ORIGIN } from '../helpers/msw.js';

export const CLIENT_ID = '0oa1serviceapp0000001';
export const TOKEN_URL = `${ORIGIN}/oauth2/v1/token`;

/** A small Okta org authorization server and API behind msw, for unit tests of the authorizer. */
export interface MswOAuthOptions {
  publicKey: KeyObject;
  /** Scopes granted to the service app; default all four. */
  granted?: string[];
  expiresIn?: number;
  /** Ask for a DPoP nonce on the first token request (Okta does). Default true. */
  requireNonce?: boolean;
  /** The time the checks use, in epoch ms. */
  now?: () => number;
  /** Answer the next token requests with these (status, body) before issuing tokens. */
  tokenFailures?: { status: number; body?: unknown; headers?: Record<string, string> }[];
  /** Headers added to the answer of the `n`th token request (1-based), e.g. Okta's X-Rate-Limit-*. */
  tokenHeaders?: (n: number) => Record<string, string>;
}

export interface TokenRequestRecord {
  form: URLSearchParams;
  proofHeader: Record<string, unknown>;
  proof: Record<string, unknown>;
  assertionHeader: Record<string, unknown>;
  assertion: Record<string, unknown>;
  status: number;
}

export interface ApiRequestRecord {
  path: string;
  authorization: string | null;
  proof: Record<string, unknown> | undefined;
  status: number;
}

const SCOPE_OF: Record<string, string> = { users: 'okta.users.read', groups: 'okta.groups.read', apps: 'okta.apps.read', logs: 'okta.logs.read' };

export function mswOAuth(server: SetupServer, options: MswOAuthOptions) {
  const granted = new Set(options.granted ?? Object.values(SCOPE_OF));
  const now = options.now ?? Date.now;
  const failures = [...(options.tokenFailures ?? [])];
  const state = {
    nonce: 'nonce-1',
    tokens: new Map<string, { jkt: string; scopes: string[]; expiresAt: number }>(),
    tokenRequests: [] as TokenRequestRecord[],
    apiRequests: [] as ApiRequestRecord[],
    seenJti: new Set<string>(),
    issued: 0,
    revoke(): void {
      state.tokens.clear();
    },
  };
  const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
    HttpResponse.json({ error, error_description: description }, { status, headers: { 'content-type': 'application/json', ...headers } });

  server.use(
    http.post(`${ORIGIN}/oauth2/v1/token`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const proofJwt = request.headers.get('dpop') ?? '';
      const assertionJwt = form.get('client_assertion') ?? '';
      const record: TokenRequestRecord = { form, proofHeader: {}, proof: {}, assertionHeader: {}, assertion: {}, status: 0 };
      state.tokenRequests.push(record);
      const answer = (r: Response) => {
        record.status = r.status;
        for (const [name, value] of Object.entries(options.tokenHeaders?.(state.tokenRequests.length) ?? {})) r.headers.set(name, value);
        return r;
      };
      const failure = failures.shift();
      if (failure) return answer(HttpResponse.json(failure.body ?? {}, { status: failure.status, headers: { 'content-type': 'application/json', ...failure.headers } }));
      const currentDate = new Date(now());
      let jkt: string;
      try {
        const proof = await jwtVerify(proofJwt, EmbeddedJWK, { typ: 'dpop+jwt', currentDate });
        record.proofHeader = proof.protectedHeader as Record<string, unknown>;
        record.proof = proof.payload;
        jkt = await calculateJwkThumbprint(proof.protectedHeader.jwk as JWK);
        if (proof.payload.htm !== 'POST' || proof.payload.htu !== TOKEN_URL) return answer(oauthError(400, 'invalid_dpop_proof', 'htm/htu'));
      } catch {
        return answer(oauthError(400, 'invalid_dpop_proof', 'The DPoP proof JWT is invalid.'));
      }
      try {
        const assertion = await jwtVerify(assertionJwt, options.publicKey, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: TOKEN_URL, currentDate });
        record.assertionHeader = assertion.protectedHeader as Record<string, unknown>;
        record.assertion = assertion.payload;
        if (state.seenJti.has(String(assertion.payload.jti))) return answer(oauthError(400, 'invalid_client', 'jti replayed'));
        state.seenJti.add(String(assertion.payload.jti));
      } catch {
        return answer(oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.'));
      }
      if ((options.requireNonce ?? true) && record.proof.nonce !== state.nonce) {
        return answer(oauthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'dpop-nonce': state.nonce }));
      }
      const scopes = (form.get('scope') ?? '').split(' ');
      if (!scopes.every((s) => granted.has(s))) return answer(oauthError(400, 'invalid_scope', 'The following scopes were requested, but not granted.'));
      const token = `at-${++state.issued}-SECRETTOKEN`;
      const expiresIn = options.expiresIn ?? 3600;
      state.tokens.set(token, { jkt, scopes, expiresAt: now() + expiresIn * 1000 });
      return answer(HttpResponse.json({ token_type: 'DPoP', expires_in: expiresIn, access_token: token, scope: scopes.join(' ') }, { headers: { 'cache-control': 'no-store' } }));
    }),
    http.get(`${ORIGIN}/api/v1/:resource`, async ({ request, params }) => {
      const url = new URL(request.url);
      const authorization = request.headers.get('authorization');
      const record: ApiRequestRecord = { path: url.pathname, authorization, proof: undefined, status: 0 };
      state.apiRequests.push(record);
      const answer = (r: Response) => ((record.status = r.status), r);
      const challenge = (status: number, error: string, extra = '') =>
        answer(HttpResponse.json({ errorCode: status === 403 ? 'E0000006' : 'E0000011', errorSummary: error }, { status, headers: { ...okHeaders(), 'www-authenticate': `DPoP realm="${ORIGIN}", error="${error}"${extra}` } }));
      const token = authorization?.startsWith('DPoP ') ? authorization.slice(5) : '';
      const held = state.tokens.get(token);
      if (!held || held.expiresAt <= now()) return challenge(401, 'invalid_token');
      try {
        const proof = await jwtVerify(request.headers.get('dpop') ?? '', EmbeddedJWK, { typ: 'dpop+jwt', currentDate: new Date(now()) });
        record.proof = proof.payload;
        const jkt = await calculateJwkThumbprint(decodeProtectedHeader(request.headers.get('dpop')!).jwk as JWK);
        if (jkt !== held.jkt || proof.payload.ath !== accessTokenHash(token) || proof.payload.htm !== 'GET' || proof.payload.htu !== `${ORIGIN}${url.pathname}`) {
          return challenge(401, 'invalid_dpop_proof');
        }
      } catch {
        return challenge(401, 'invalid_dpop_proof');
      }
      const scope = SCOPE_OF[String(params.resource)] ?? 'unknown';
      if (!held.scopes.includes(scope)) return challenge(403, 'insufficient_scope', `, scope="${scope}", error_description="The access token provided does not contain the required scopes.", resource="${url.pathname}"`);
      return answer(HttpResponse.json([], { headers: okHeaders() }));
    }),
  );
  return state;
}
