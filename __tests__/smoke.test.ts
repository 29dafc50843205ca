import { describe, expect, it } from '@jest/globals';
import * as api from '../src/index.js';

describe('package exports', () => {
  it('exports the provider, the plugin descriptor and the error classes', () => {
    expect(typeof api.OktaIdentityProvider).toBe('function');
    expect(api.plugin.kind).toBe('identity-provider');
    expect(api.plugin.name).toBe('okta');
    for (const E of [api.OktaError, api.OktaHttpError, api.OktaAuthenticationError, api.OktaForbiddenError, api.OktaNotFoundError, api.OktaRateLimitError, api.OktaNetworkError, api.OktaResponseError, api.OktaPaginationError, api.AmbiguousAccountError, api.OktaConfigError]) {
      expect(typeof E).toBe('function');
    }
  });

  it('the plugin validates config and builds a provider that implements the interface', async () => {
    const parsed = api.plugin.configSchema.safeParse({ hostname: 'example.okta.com', token: 't0ken' });
    expect(parsed.success).toBe(true);
    expect(api.plugin.configSchema.safeParse({ hostname: 'example-admin.okta.com', token: 't' }).success).toBe(false);
    const provider = api.plugin.create({ hostname: 'example.okta.com', token: 't0ken' });
    expect(provider).toBeInstanceOf(api.OktaIdentityProvider);
    for (const m of ['listIdentities', 'resolveAppUser', 'changes', 'close'] as const) expect(typeof provider[m]).toBe('function');
    await provider.close();
  });

  it('throws synchronously on invalid config', () => {
    expect(() => api.plugin.create({ hostname: 'https://example.okta.com', token: 't' })).toThrow(api.OktaConfigError);
  });
});
