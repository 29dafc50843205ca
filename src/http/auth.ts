import type { Secret } from '../secret.js';

/** How a request is authorized: API tokens (SSWS) here, OAuth 2.0 service apps in `oauth/authorizer.ts`. */
export interface Authorizer {
  /** The headers that authorize one GET of `url`. */
  headers(url: URL, signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called after a 401. Returns true when fresh credentials were obtained and the request
   * should be sent once more (an expired OAuth access token, a DPoP nonce); false to fail.
   * `sent` is what {@link Authorizer.headers} gave the refused request, so that concurrent 401s
   * for one expired token share one refresh.
   */
  retryUnauthorized(response: { headers: Record<string, string | string[] | undefined> }, signal?: AbortSignal, sent?: Record<string, string>): Promise<boolean>;
  /** Credential texts that must never appear in a message (the client scrubs them). */
  secrets(): string[];
}

/**
 * `Authorization: SSWS <token>`: Okta's API token scheme.
 * https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export class SswsAuthorizer implements Authorizer {
  constructor(private readonly token: Secret) {}

  async headers(): Promise<Record<string, string>> {
    return { authorization: `SSWS ${this.token.reveal()}` };
  }

  async retryUnauthorized(): Promise<boolean> {
    return false;
  }

  secrets(): string[] {
    return [this.token.reveal()];
  }
}
