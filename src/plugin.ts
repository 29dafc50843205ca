import { oktaConfigSchema, type OktaConfig } from './config.js';
import { OktaIdentityProvider } from './provider/provider.js';
import type { IdentityProviderPlugin } from './sdk.js';

/**
 * The descriptor the Atolio host loads: kind `identity-provider`, name `okta`.
 * @example
 * import { plugin } from '@atolio/okta-identity-provider';
 * const provider = plugin.create({ hostname: 'example.okta.com', token });
 */
export const plugin: IdentityProviderPlugin<OktaConfig> = {
  kind: 'identity-provider',
  name: 'okta',
  configSchema: oktaConfigSchema as unknown as IdentityProviderPlugin<OktaConfig>['configSchema'],
  create: (config) => new OktaIdentityProvider(config),
};
