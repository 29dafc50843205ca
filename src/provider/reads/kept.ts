/**
 * What the change stream's reads of many people keep of each (an app's users, a group's members,
 * every user): what an identity is built from, as the full sync keeps only what its index needs.
 * An app user of 100,000 with its user embedded is a few KB as Okta sends it (`_links`, custom
 * profile attributes, credentials): kept whole, an app-wide change would hold the whole app.
 * @module
 */
import type { OktaAppUser, OktaUser } from '../../okta/schemas.js';
import { toPerson } from '../identity.js';

/** A user cut to what {@link toPerson} reads (its display name already worked out), as an {@link OktaUser}. */
export function keptUser(user: OktaUser): OktaUser {
  const { id, login, email, displayName, status } = toPerson(user);
  return { id, status, profile: { login, email, displayName } };
}

/**
 * An app user cut to what an account is built from, with its embedded user cut by
 * {@link keptUser}; an embedded user that is not the app user's own is dropped.
 */
export function keptAppUser(appUser: OktaAppUser): OktaAppUser {
  const { id, scope, status, externalId } = appUser;
  const userName = appUser.credentials?.userName;
  const user = appUser._embedded?.user;
  const kept: OktaAppUser = { id, scope, status, externalId: externalId ?? null, credentials: userName === undefined ? null : { userName } };
  if (user && user.id === id) kept._embedded = { user: keptUser(user) };
  return kept;
}
