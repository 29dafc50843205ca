import { oktaConfigSchema, type OktaConfig } from './config/config.js';
import { OktaIdentityProvider } from './provider/provider.js';
import type { IdentityProviderPlugin } from './sdk.js';

/**
 * The descriptor the Atolio host loads: kind `identity-provider`, name `okta`. `configSchema`
 * validates the host's settings and fills in defaults; what it returns, or the settings as they
 * are, can be given to `create()`.
 * @example
 * import { plugin } from '@atolio/okta-identity-provider';
 * const provider = plugin.create(plugin.configSchema.parse({ hostname: 'example.okta.com', token }));
 * provider.stats.requests; // typed: create() returns an OktaIdentityProvider
 */
export const plugin: IdentityProviderPlugin<OktaConfig, OktaIdentityProvider> = {
  kind: 'identity-provider',
  name: 'okta',
  configSchema: oktaConfigSchema,
  create: (config) => new OktaIdentityProvider(config),
};
