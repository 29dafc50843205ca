/**
 * Events that touch many people: a group's app assignment reaches every member of the group,
 * an app's lifecycle every holder of an account in it. This module finds those people.
 * @module
 */
import { OktaNotFoundError } from '../http/errors.js';
import { paginate } from '../http/paginate.js';
import { PAGE_SIZE } from '../okta/buckets.js';
import { oktaAppUserSchema, oktaUserSchema, type OktaUser } from '../okta/schemas.js';
import type { AppFanout } from './change-events.js';
import { RecentMap } from './change-dedup.js';
import { checked, skipForbidden, validItems, type ProviderContext } from './context.js';
import type { IdentityStore } from './store.js';

/**
 * The people found, by user id, each with the user object when the list embedded it (so the
 * refresh need not read the user again).
 * @example
 * for (const [userId, user] of members) refresh(userId, user);
 */
export type Members = Map<string, OktaUser | undefined>;

/**
 * Tells who holds an account in an app according to the provider's synced store, or
 * undefined when there is no synced store.
 * @example
 * const known: KnownAppMembers = (appId) => (store ? storeAppMembers(store, appId) : undefined);
 */
export type KnownAppMembers = (appId: string) => string[] | undefined;

/**
 * The people with an account in `appId` according to a synced store. Walks every identity:
 * it runs only when an app is deleted, which is rare, so no index is kept for it.
 * @example
 * storeAppMembers(store, '0oa1slack'); // ['00u1', '00u2']
 */
export function storeAppMembers(store: IdentityStore, appId: string): string[] {
  const ids: string[] = [];
  for (const identity of store.identities()) if (identity.accounts.some((a) => a.appId === appId)) ids.push(identity.id);
  return ids;
}

/** How many apps' member lists are remembered at once (per stream). */
const REMEMBERED_APPS = 64;

/**
 * Finds the people a fan-out event touches, and remembers each app's members it listed so a
 * later `application.lifecycle.delete` (whose app users can no longer be listed) still
 * reaches them. Where nobody can tell, it warns `incomplete_fanout`: a full sync fixes it.
 * @example
 * const fanout = new Fanout(ctx, known);
 * const members = await fanout.group('00g1', signal);
 */
export class Fanout {
  readonly #remembered = new RecentMap<string, string[]>(REMEMBERED_APPS);

  constructor(
    private readonly ctx: ProviderContext,
    private readonly known: KnownAppMembers | undefined,
  ) {}

  /**
   * Every member of a group (`GET /api/v1/groups/{groupId}/users`, the users embedded).
   * @example
   * const members = await fanout.group('00g1eng', signal);
   */
  async group(groupId: string, signal?: AbortSignal): Promise<Members> {
    const members: Members = new Map();
    const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
    try {
      const read = await skipForbidden(this.ctx, `Members of group ${groupId}`, async () => {
        for await (const page of paginate(this.ctx.client, path, { limit: PAGE_SIZE.groupMembers }, signal, checked(oktaUserSchema))) {
          for (const user of validItems(this.ctx, page)) members.set(user.id, user);
        }
      });
      if (!read) this.incomplete(path, `the members of group ${groupId} could not be read`);
    } catch (error) {
      if (!(error instanceof OktaNotFoundError)) throw error;
      this.incomplete(path, `group ${groupId} no longer exists, so the people whose apps came through it cannot be listed`);
    }
    return members;
  }

  /**
   * Every holder of an account in an app, found as `fanout` says (see {@link AppFanout}).
   * @example
   * const members = await fanout.app('0oa1slack', 'list', signal);
   */
  async app(appId: string, fanout: AppFanout, signal?: AbortSignal): Promise<Members> {
    const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
    // What was remembered before this listing: a removed account is only there.
    const remembered = this.#remembered.get(appId);
    const members: Members = new Map();
    let listed = false;
    if (fanout !== 'gone') {
      const result = await this.listApp(appId, path, signal);
      if (result) {
        for (const [id, user] of result) members.set(id, user);
        this.#remembered.set(appId, [...result.keys()]);
        listed = true;
      }
    }
    if (listed && fanout !== 'list+known') return members;
    if (fanout === 'gone') this.#remembered.delete(appId);
    const stored = this.known?.(appId);
    if (remembered === undefined && stored === undefined) {
      const why = listed
        ? `an account in app ${appId} changed for a person the event does not name, and an account that was removed cannot be found without a synced store`
        : `app ${appId} can no longer be listed and its members were neither seen by this stream nor held by a synced store`;
      this.incomplete(path, why);
      return members;
    }
    for (const id of [...(remembered ?? []), ...(stored ?? [])]) if (!members.has(id)) members.set(id, undefined);
    return members;
  }

  /** The app's users with each user embedded, or null when the app is gone or forbidden. */
  private async listApp(appId: string, path: string, signal?: AbortSignal): Promise<Members | null> {
    const members: Members = new Map();
    try {
      const read = await skipForbidden(this.ctx, `Accounts of app ${appId}`, async () => {
        for await (const page of paginate(this.ctx.client, path, { limit: PAGE_SIZE.appUsers, expand: 'user' }, signal, checked(oktaAppUserSchema))) {
          for (const appUser of validItems(this.ctx, page)) members.set(appUser.id, appUser._embedded?.user);
        }
      });
      return read ? members : null;
    } catch (error) {
      if (error instanceof OktaNotFoundError) return null;
      throw error;
    }
  }

  private incomplete(path: string, why: string): void {
    this.ctx.warn({
      code: 'incomplete_fanout',
      path,
      message: `The change stream may have missed updates: ${why}. Run a full listIdentities() to be sure every identity is current.`,
    });
  }
}
