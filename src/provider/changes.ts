import type { ChangesOptions, IdentityChange } from '../sdk.js';
import type { ProviderContext } from './context.js';

/** Placeholder until the change stream lands. */
export async function* streamChanges(_ctx: ProviderContext, _options: ChangesOptions, _apply: (change: IdentityChange) => void): AsyncGenerator<IdentityChange> {
  yield* [];
  throw new Error('changes() is not implemented yet');
}
