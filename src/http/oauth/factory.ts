/**
 * Picks the authorizer the configuration asks for: an API token (SSWS) or an OAuth 2.0 service app.
 * @module
 */
import { OktaConfigError, originOf, type ResolvedConfig } from '../../config/config.js';
import { SswsAuthorizer, type Authorizer } from '../auth.js';
import type { Clock } from '../../clock.js';
import type { RateLimiter } from '../rate-limit.js';
import { OAuthAuthorizer } from './authorizer.js';

/**
 * The authorizer of `config`: {@link OAuthAuthorizer} when `oauth` is set, {@link SswsAuthorizer}
 * when `token` is. `resolveConfig` guarantees exactly one of them. The OAuth token request waits
 * in `limiter`'s token bucket.
 */
export function createAuthorizer(config: ResolvedConfig, deps: { clock?: Clock | undefined; random?: (() => number) | undefined; limiter?: RateLimiter | undefined } = {}): Authorizer {
  if (config.oauth !== undefined) {
    return new OAuthAuthorizer({
      origin: originOf(config),
      oauth: config.oauth,
      policy: config,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.limiter ? { limiter: deps.limiter } : {}),
    });
  }
  if (config.token !== undefined) return new SswsAuthorizer(config.token);
  throw new OktaConfigError(['give either token (an API token) or oauth (an OAuth 2.0 service app)']);
}
