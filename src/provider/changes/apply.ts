/**
 * A delivered change applied to the synced index. An app relabelled or a name changed reaches
 * every holder's identity through one record the index keeps once (the app, the group), so most
 * of the identities such a change delivers already read as the index holds them: those are not
 * written again (rewriting a person frees and re-adds all their strings, and 100,000 rewrites
 * double the index's off-heap arena until it is compacted).
 * @module
 */
import type { IdentityChange } from '../../sdk.js';
import type { IdentityStore } from '../store/store.js';
import { sameIdentity } from './refresh.js';

/** Applies `change` to `store`: a put only when the identity differs from what the store holds. */
export function applyChange(store: IdentityStore, change: IdentityChange): void {
  if (change.type === 'delete') return store.remove(change.id);
  const before = store.identity(change.identity.id);
  if (before && sameIdentity(before, change.identity)) store.undelivered?.delete(change.identity.id);
  else store.put(change.identity);
}
