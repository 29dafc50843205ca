/**
 * A delivered change applied to the synced index. An app relabelled or a name changed reaches
 * every holder's identity through one record the index keeps once (the app, the group), so most
 * of the identities such a change delivers already read as the index holds them: those are not
 * put at all (a put updates in place, writing only what differs, but it still walks the person's
 * accounts and groups; the stream usually knows already that nothing differs).
 * @module
 */
import type { Identity, IdentityChange } from '../../sdk.js';
import type { IdentityStore } from '../store/store.js';
import { sameIdentity, type HeldBy } from './refresh.js';

/**
 * Applies `change` to `store`: a put only when the identity differs from what the store holds.
 * `held`: what the stream found `held.store` to hold when it refreshed the person (then the store
 * is not read again to compare).
 */
export function applyChange(store: IdentityStore, change: IdentityChange, held?: HeldBy): void {
  if (change.type === 'delete') return store.remove(change.id);
  const same = held?.store === store ? held.same : sameStored(store, change.identity);
  if (same) store.undelivered?.delete(change.identity.id);
  else store.put(change.identity);
}

function sameStored(store: IdentityStore, identity: Identity): boolean {
  const before = store.identity(identity.id);
  return before !== undefined && sameIdentity(before, identity);
}
