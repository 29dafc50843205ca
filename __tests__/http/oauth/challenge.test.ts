import { describe, expect, it } from '@jest/globals';
import { oauthChallenge, parseChallenges } from '../../../src/http/oauth/challenge.js';

describe('WWW-Authenticate parsing', () => {
  it("reads Okta's insufficient_scope challenge", () => {
    const header =
      'Bearer authorization_uri="http://subdomain.okta.com/oauth2/v1/authorize", realm="http://subdomain.okta.com", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"';
    expect(oauthChallenge(header)).toEqual({
      scheme: 'Bearer',
      params: {
        authorization_uri: 'http://subdomain.okta.com/oauth2/v1/authorize',
        realm: 'http://subdomain.okta.com',
        scope: 'okta.logs.read',
        error: 'insufficient_scope',
        error_description: 'The access token provided does not contain the required scopes.',
        resource: '/api/v1/logs',
      },
    });
  });

  it('reads several challenges, escapes and unquoted values', () => {
    expect(parseChallenges(['Basic realm="x"', 'DPoP algs="ES256 RS256", error=use_dpop_nonce, error_description="say \\"nonce\\""'])).toEqual([
      { scheme: 'Basic', params: { realm: 'x' } },
      { scheme: 'DPoP', params: { algs: 'ES256 RS256', error: 'use_dpop_nonce', error_description: 'say "nonce"' } },
    ]);
  });

  it('is tolerant of junk and absence', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(oauthChallenge('DPoP')).toBeUndefined();
    expect(parseChallenges('=== ,,')).toEqual([]);
  });
});
