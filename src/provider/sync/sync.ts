import { setMaxListeners } from 'node:events';
import createDebug from 'debug';
import { paginate, type Page } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { oktaAppUserSchema, oktaUserSchema, type InvalidItem, type OktaAppUser } from '../../okta/schemas.js';
import type { AppAccount } from '../../sdk.js';
import { runPool } from '../../util/pool.js';
import { checked, readOrSkip, validItems, type ProviderContext } from '../context.js';
import { toAppAccount, toPerson, type AppRef, type Person } from '../identity.js';
import { listApps } from '../reads/apps.js';
import type { IdentityStore } from '../store/store.js';
import { readGroupsInto } from './groups.js';
import { openLists } from './open-lists.js';
import { sliceBoundaries, sliceFilters } from './slices.js';

const debug = createDebug('okta-idp:sync');

/** What a sync keeps of a listed user. */
interface ListedUser {
  person: Person;
  lastUpdated: string | null | undefined;
}

/** Live counters of a running full sync. */
export interface SyncProgress {
  people: number;
  apps: number;
  appsRead: number;
  accounts: number;
}

/** Sync tuning taken from the resolved config. */
export interface SyncOptions {
  userListSlices: number;
  /** The concurrency slots (`maxConcurrency`): app and member lists are read up to {@link openLists} of it at once. */
  appConcurrency: number;
  /** Most apps-bucket pages the read may take before it gives up with {@link OverBudget} (default: no limit). */
  maxAppPages?: number;
  /** The app list when the caller has just read it (then it is not read again). */
  apps?: AppRef[];
  /**
   * An app whose accounts are read first, alone, before anything else: `budget` answers, from the
   * accounts it found, the most apps-bucket pages the whole read may take (0 stops it there with
   * {@link OverBudget}). A stream that must deliver every holder of the app counts them this way,
   * instead of reading the app's pages twice.
   */
  first?: { appId: string; budget(accounts: number): number };
  /** The pages of each list at the last sync (its longest lists then go first), updated with this one's. */
  lastPages?: ListPages;
}

/** How many pages each list of a sync had: what the next sync expects. */
export interface ListPages {
  /** Each app's user list, by app id. */
  apps: Map<string, number>;
  /** The user list, its slices included. */
  users?: number;
}

/** A full read stopped because it would take more apps-bucket pages than it was allowed. */
export class OverBudget extends Error {
  constructor(readonly maxAppPages: number) {
    super(`the full read needs more than ${maxAppPages} apps-bucket requests`);
  }
}

/**
 * A full read into `store`. Cost scales with pages, not people: the apps list, each app's user
 * list, and the user list (in parallel slices) are read at once, each in its own rate-limit
 * bucket, into a compact {@link IdentityStore}, from which identities are then built one at a time.
 */
export async function fullSync(ctx: ProviderContext, store: IdentityStore, options: SyncOptions, progress: SyncProgress, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  // Stops both halves when one fails (over budget): the other would read on for nothing.
  const local = new AbortController();
  // Every request in flight listens to it.
  setMaxListeners(0, local.signal);
  const stop = (): void => local.abort(signal.reason);
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  let appPages = 0;
  let maxAppPages = options.maxAppPages ?? Infinity;
  const countAppPage = (): void => {
    if (++appPages > maxAppPages) throw new OverBudget(maxAppPages);
  };
  try {
    let { apps } = options;
    if (options.first) {
      apps ??= await listApps(ctx, local.signal, countAppPage);
      const app = apps.find((a) => a.id === options.first!.appId);
      let accounts = 0;
      if (app) {
        store.addApp(app);
        accounts = await readAccountsOf(ctx, store, app, options, progress, countAppPage, local.signal);
      }
      maxAppPages = options.first.budget(accounts);
      if (appPages > maxAppPages) throw new OverBudget(maxAppPages);
    }
    const rest = { ...options, ...(apps ? { apps } : {}) };
    const halves = [readAppAccounts(ctx, store, rest, progress, countAppPage, local.signal), readPeople(ctx, store, options, progress, local.signal), readGroupsInto(ctx, store, options.appConcurrency, local.signal)];
    await Promise.all(halves.map((p) => p.catch((error: unknown) => {
      local.abort(error);
      throw error;
    })));
  } finally {
    signal.removeEventListener('abort', stop);
  }
  debug('read %d people, %d apps, %d accounts in %dms', progress.people, progress.apps, progress.accounts, Date.now() - started);
}

async function readAppAccounts(ctx: ProviderContext, store: IdentityStore, options: SyncOptions, progress: SyncProgress, countAppPage: () => void, signal: AbortSignal): Promise<void> {
  const apps = options.apps ?? (await listApps(ctx, signal, countAppPage));
  for (const app of apps) store.addApp(app);
  progress.apps = apps.length;
  const known = options.lastPages?.apps;
  if (known) for (const id of [...known.keys()]) if (!store.app(id)) known.delete(id);
  // The largest apps at the last sync start first (the slots are free for the first few asked).
  const order = known ? [...apps].sort((a, b) => (known.get(b.id) ?? 0) - (known.get(a.id) ?? 0)) : apps;
  await runPool(order, openLists(options.appConcurrency), async (app) => {
    if (app.id !== options.first?.appId) await readAccountsOf(ctx, store, app, options, progress, countAppPage, signal);
  });
}

/** One app's accounts into `store`; returns how many were read. */
async function readAccountsOf(ctx: ProviderContext, store: IdentityStore, app: AppRef, options: SyncOptions, progress: SyncProgress, countAppPage: () => void, signal: AbortSignal): Promise<number> {
  const known = options.lastPages?.apps;
  let accounts = 0;
  // An app deleted since it was listed answers 404: its accounts are gone, the sync goes on.
  await readOrSkip(ctx, `Accounts of app "${app.label}" (${app.name})`, async () => {
    const path = `/api/v1/apps/${encodeURIComponent(app.id)}/users`;
    const account = (appUser: OktaAppUser): [string, AppAccount] => [appUser.id, toAppAccount(app, appUser)];
    let pages = 0;
    for await (const page of paginate(ctx.client, path, { limit: PAGE_SIZE.appUsers }, signal, checked(oktaAppUserSchema, account), { pages: known?.get(app.id) })) {
      known?.set(app.id, ++pages);
      countAppPage();
      for (const [userId, appAccount] of validItems(ctx, page)) {
        store.addAccount(userId, appAccount);
        progress.accounts++;
        accounts++;
      }
    }
  });
  progress.appsRead++;
  return accounts;
}

/**
 * Reads every user, DEPROVISIONED included. The first page of an all-statuses filter tells the
 * snapshot time (Okta's Date header) and gives a sample of lastUpdated values; when there are
 * more pages the rest is read as parallel slices (see slices.ts).
 */
async function readPeople(ctx: ProviderContext, store: IdentityStore, options: SyncOptions, progress: SyncProgress, signal: AbortSignal): Promise<void> {
  let pages = 0;
  const addPage = (page: Page<ListedUser | InvalidItem>): string[] => {
    pages++;
    const stamps: string[] = [];
    for (const { person, lastUpdated } of validItems(ctx, page)) {
      if (!store.hasPerson(person.id)) progress.people++;
      store.addPerson(person);
      if (lastUpdated) stamps.push(lastUpdated);
    }
    return stamps;
  };
  const listed = checked(oktaUserSchema, (user): ListedUser => ({ person: toPerson(user), lastUpdated: user.lastUpdated }));
  // `filter` (not the plain list, which omits DEPROVISIONED users; not `search`, which is eventually consistent).
  const all = paginate(ctx.client, '/api/v1/users', { limit: PAGE_SIZE.users, filter: 'lastUpdated gt "1970-01-01T00:00:00.000Z"' }, signal, listed);
  const first = await all.next();
  if (first.done) return;
  const sample = addPage(first.value);
  const date = first.value.response.headers.date;
  if (first.value.next === undefined) return;
  if (options.userListSlices <= 1 || typeof date !== 'string' || Number.isNaN(Date.parse(date))) {
    for await (const page of all) addPage(page);
    return;
  }
  await all.return(undefined);
  const snapshot = new Date(Date.parse(date)).toISOString();
  const filters = sliceFilters(sliceBoundaries(sample, options.userListSlices, snapshot), snapshot);
  const last = filters.pop()!;
  // A slice continues the user list (its first page is read): its pages take slots as continuations,
  // each expected to hold an even share of the rest of the user list when the last sync counted it.
  const before = options.lastPages?.users;
  const share = before === undefined ? undefined : Math.ceil((before - 1) / filters.length);
  const readSlice = async (filter: string, expected?: number): Promise<void> => {
    for await (const page of paginate(ctx.client, '/api/v1/users', { limit: PAGE_SIZE.users, filter }, signal, listed, { pagesBefore: 1, pages: expected })) addPage(page);
  };
  await runPool(filters, filters.length, (filter) => readSlice(filter, share));
  await readSlice(last);
  if (options.lastPages) options.lastPages.users = pages;
}
