export type { AppAccount, AppGroup, CallOptions, ChangesOptions, ConnectorWarning, ConnectorWarningCode, Identity, IdentityChange, IdentityGroup, IdentityProvider, IdentityProviderPlugin } from './sdk.js';
export { OktaConfigError, oktaConfigSchema, type OktaConfig, type ResolvedConfig } from './config/config.js';
export { OktaIdentityProvider, type ProviderStats } from './provider/provider.js';
export type { SyncProgress } from './provider/sync/sync.js';
export type { RateLimitHeaders } from './http/retry.js';
export type { Authorizer } from './http/auth.js';
export { AmbiguousAccountError } from './provider/resolve/resolve.js';
export { AmbiguousGroupError } from './provider/resolve/group.js';
export { OktaCursorError, OktaCursorExpiredError } from './provider/changes/errors.js';
export type { AccessReport, OktaPermission, PermissionCheck } from './provider/access.js';
export { plugin } from './plugin.js';
export {
  OktaAuthenticationError,
  OktaClosedError,
  OktaError,
  OktaForbiddenError,
  OktaHttpError,
  OktaNetworkError,
  OktaNotFoundError,
  OktaPaginationError,
  OktaRateLimitError,
  OktaResponseError,
  OktaValidationError,
  type HttpErrorCode,
  type HttpErrorDetails,
  type OktaErrorCode,
} from './errors.js';
export { OktaOAuthError, OktaScopeError } from './http/oauth/errors.js';
export type { OAuthConfig, ResolvedOAuthConfig } from './config/options.js';
export type { PrivateKeyInput } from './config/keys.js';
export { Secret } from './secret.js';
export type { Clock } from './clock.js';
export type { ClientDeps, ClientStats } from './http/client.js';
