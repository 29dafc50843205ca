import { setMaxListeners } from 'node:events';
import { inspect } from 'node:util';
import { resolveConfig, type OktaConfig, type ResolvedConfig } from '../config/config.js';
import { OktaClient, type ClientDeps, type ClientStats } from '../http/client.js';
import { systemClock, type Clock } from '../clock.js';
import type { AppGroup, CallOptions, ChangesOptions, Identity, IdentityChange, IdentityProvider } from '../sdk.js';
import { checkAccess, type AccessReport } from './access.js';
import { streamChanges } from './changes/stream.js';
import { applyChange } from './changes/apply.js';
import type { HeldBy } from './changes/refresh.js';
import { planResume, type IndexView } from './changes/resume.js';
import { decodeCursor, encodeCursor } from './changes/cursor.js';
import { firstPosition, RETENTION_MS } from './changes/log.js';
import { IndexFile } from './store/persist/index-file.js';
import type { IndexPosition } from './store/persist/format.js';
import { warningChannel, type ProviderContext } from './context.js';
import { OktaClosedError } from '../errors.js';
import { resolveFromOkta, resolveFromStore } from './resolve/resolve.js';
import { resolveGroupFromOkta, resolveGroupFromStore } from './resolve/group.js';
import { IdentityStore } from './store/store.js';
import type { FullReadLimits } from './changes/work.js';
import { fullSync, OverBudget, type ListPages, type SyncOptions, type SyncProgress } from './sync/sync.js';
import { checkCallOptions, checkResolveArguments } from './validate.js';

/** Counters for progress displays: requests and rate-limit waits, and the running sync's counts. */
export interface ProviderStats extends ClientStats {
  sync: SyncProgress;
}

/** How far before a full read starts its index's log position is put: Okta's clock may be ahead of this machine's. */
const READ_SKEW_MS = 5 * 60 * 1000;

/**
 * The Okta identity provider: every person with their app accounts, who owns an app account,
 * and a resumable stream of changes from the System Log.
 * @example
 * const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', token: process.env.OKTA_TOKEN! });
 * for await (const identity of provider.listIdentities()) index(identity);
 * const owner = await provider.resolveAppUser('github', 'octo-cat');
 * await provider.close();
 */
export class OktaIdentityProvider implements IdentityProvider {
  readonly #config: ResolvedConfig;
  readonly #ctx: ProviderContext;
  readonly #clock: Clock;
  #store: IdentityStore | undefined;
  /** Changes delivered while each running full read is under way. */
  readonly #journals = new Set<IdentityChange[]>();
  #progress: SyncProgress = { people: 0, apps: 0, appsRead: 0, accounts: 0 };
  /** Pages of each list at the last sync: a re-sync reads the longest lists first. */
  readonly #lastPages: ListPages = { apps: new Map() };
  readonly #closing = new AbortController();
  /** The index file (`indexPath`), while this provider holds it. */
  readonly #index: IndexFile | undefined;
  /** Loading the index file, until done. */
  #loading: Promise<void> | undefined;
  /** Change streams running. */
  #streams = 0;

  /**
   * Validates the configuration; throws {@link OktaConfigError} synchronously when it is invalid.
   * `deps` are test and extension seams (a fake clock, another authorizer); leave them out.
   */
  constructor(config: OktaConfig, deps: ClientDeps = {}) {
    this.#config = resolveConfig(config);
    setMaxListeners(0, this.#closing.signal);
    // The client authorizes with the API token or the OAuth service app, as configured.
    this.#ctx = { client: new OktaClient(this.#config, deps), warn: warningChannel(this.#config.onWarning) };
    this.#clock = deps.clock ?? systemClock;
    const path = this.#config.indexPath;
    this.#index = path === undefined ? undefined : IndexFile.open({ path, origin: this.#ctx.client.origin, groups: this.#config.groups, warn: this.#ctx.warn, now: () => this.#clock.now(), retentionMs: RETENTION_MS });
    if (this.#index) this.#loading = this.#load(this.#index);
  }

  /** Requests, retries, rate-limit waits, and the counts of the running (or last) full sync. */
  get stats(): ProviderStats {
    return { ...this.#ctx.client.stats, sync: { ...this.#progress } };
  }

  /**
   * Streams every Okta user exactly once, DEPROVISIONED included, each with all its app accounts.
   * Forbidden apps or lists, and apps deleted while the sync runs, are skipped with an
   * `onWarning({ code: 'forbidden' | 'not_found' })`.
   */
  async *listIdentities(options: CallOptions = {}): AsyncGenerator<Identity> {
    this.#checkCall('listIdentities', options);
    const controller = this.#linkedController(options.signal);
    try {
      if (this.#loading) await this.#loading;
      const store = await this.#readStore(controller.signal, {}, true);
      yield* store.identities();
    } finally {
      controller.abort();
    }
  }

  /**
   * The person who owns `account` in `app` (an app name such as `slack`, or an instance id), or
   * null. `app === 'okta'` matches an Okta login or primary email. userName matches
   * case-insensitively, externalId exactly. Throws {@link AmbiguousAccountError} when two people match,
   * and {@link OktaValidationError} (before any request, synced or not) for a blank app or account,
   * a control character, or a value longer than 256 characters. An unknown app answers null.
   */
  async resolveAppUser(app: string, account: string, options: CallOptions = {}): Promise<Identity | null> {
    this.#checkCall('resolveAppUser', options);
    checkResolveArguments(app, account);
    if (this.#loading) await this.#loading;
    if (this.#store) return resolveFromStore(this.#store, app, account);
    const controller = this.#linkedController(options.signal);
    try {
      return await resolveFromOkta(this.#ctx, app, account, controller.signal);
    } finally {
      controller.abort();
    }
  }

  /**
   * An app's group and the people in it, or null: `app` as in {@link resolveAppUser} (name, label
   * or instance id), `group` the app group's name (case-insensitively) or its identifier in the app
   * (externalId, samAccountName, DN, windowsDomainQualifiedName). Its members are the app group's
   * own, or, when Okta pushes another group to it (Group Push, not INACTIVE), that group's. After a
   * `listIdentities()` with the `groups` option it answers from memory; otherwise with a few
   * requests. What could not be read (a forbidden push mapping list) is in `missing` and warned.
   */
  async resolveAppGroup(app: string, group: string, options: CallOptions = {}): Promise<AppGroup | null> {
    this.#checkCall('resolveAppGroup', options);
    checkResolveArguments(app, group, 'resolveAppGroup', 'group');
    if (this.#loading) await this.#loading;
    if (this.#store?.groups) return resolveGroupFromStore(this.#store, app, group);
    const controller = this.#linkedController(options.signal);
    try {
      return await resolveGroupFromOkta(this.#ctx, app, group, controller.signal);
    } finally {
      controller.abort();
    }
  }

  /** A resumable stream of identity changes read from the System Log; see the README's "Change stream". */
  async *changes(options: ChangesOptions = {}): AsyncGenerator<IdentityChange> {
    this.#checkCall('changes', options);
    const controller = this.#linkedController(options.signal);
    this.#streams++;
    try {
      if (this.#loading) await this.#loading;
      const fullRead = async (signal: AbortSignal | undefined, limits: FullReadLimits = {}): Promise<IdentityStore | undefined> => {
        try {
          return await this.#readStore(signal ?? controller.signal, limits);
        } catch (error) {
          if (error instanceof OverBudget) return undefined;
          throw error;
        }
      };
      const plan = planResume(this.#ctx, options, this.#indexView(), this.#clock.now());
      for (const change of plan.replay()) {
        if (controller.signal.aborted) return;
        yield change;
      }
      const env = { clock: this.#clock, store: () => this.#store, fullRead };
      yield* streamChanges(this.#ctx, { ...plan.options, signal: controller.signal }, (change, held) => this.#apply(change, held), env);
    } finally {
      this.#streams--;
      controller.abort();
    }
  }

  /**
   * Checks the token before it is handed over: one cheap request per permission the connector
   * needs, each reported as ok / forbidden / unauthorized / unreachable / error, with what data would be missing.
   */
  async checkAccess(options: CallOptions = {}): Promise<AccessReport> {
    this.#checkCall('checkAccess', options);
    const controller = this.#linkedController(options.signal);
    try {
      return await checkAccess(this.#ctx, controller.signal);
    } finally {
      controller.abort();
    }
  }

  /**
   * Stops every running call, then releases sockets and caches. A running `listIdentities()`,
   * `resolveAppUser()`, `resolveAppGroup()` or `checkAccess()` rejects with {@link OktaClosedError};
   * a running `changes()` stream ends (its `for await` loop finishes without an error, as when its
   * signal aborts). Every call made after `close()` rejects with {@link OktaClosedError}.
   */
  async close(): Promise<void> {
    this.#closing.abort(new OktaClosedError());
    await this.#loading;
    await this.#index?.close();
    this.#store = undefined;
    await this.#ctx.client.close();
  }

  [inspect.custom](): string {
    return `OktaIdentityProvider { hostname: ${this.#config.hostname} }`;
  }

  toJSON(): { hostname: string } {
    return { hostname: this.#config.hostname };
  }

  /**
   * Reads the whole org into a new store and keeps it for resolveAppUser and the change stream.
   * Changes a stream delivered while the read ran are applied on top before it is kept, so a
   * re-sync never takes the store back behind what the stream already delivered.
   */
  async #readStore(signal: AbortSignal, limits: Pick<SyncOptions, 'maxAppPages' | 'apps' | 'first'> = {}, consumed = false): Promise<IdentityStore> {
    const position = this.#index ? this.#readPosition() : undefined;
    const store = new IdentityStore({ groups: this.#config.groups });
    const journal: IdentityChange[] = [];
    this.#journals.add(journal);
    this.#progress = { people: 0, apps: 0, appsRead: 0, accounts: 0 };
    const tuning: SyncOptions = { userListSlices: this.#config.userListSlices, appConcurrency: this.#config.maxConcurrency, lastPages: this.#lastPages, ...limits };
    try {
      await fullSync(this.#ctx, store, tuning, this.#progress, signal);
      for (const change of journal) applyChange(store, change);
      this.#store = store;
      if (position) this.#index?.replace(store, position, consumed);
      return store;
    } finally {
      this.#journals.delete(journal);
    }
  }

  /** Keeps the store, and every re-sync under way, current with a change the stream delivers. */
  #apply(change: IdentityChange, held?: HeldBy): void {
    if (this.#store) {
      applyChange(this.#store, change, held);
      this.#index?.record(change, decodeCursor(change.cursor, this.#ctx.client.origin).time);
    }
    for (const journal of this.#journals) journal.push(change);
  }

  /** Loads the index file; a valid one becomes the index (resolve answers from it, the stream resumes against it). */
  async #load(index: IndexFile): Promise<void> {
    const loaded = await index.load();
    if (loaded && !this.#store && !this.#closing.signal.aborted) this.#store = loaded.store;
    this.#loading = undefined;
  }

  /** The index at its log position, when it has one (it was loaded, or a full read made it, with `indexPath`). */
  #indexView(): IndexView | undefined {
    const position = this.#index?.position;
    return position && this.#store ? { store: this.#store, position, tail: this.#index!.tail } : undefined;
  }

  /**
   * The log position a full read starting now reflects: a little before now (Okta's clock may be
   * ahead); or, while a stream runs behind that, the stream's (its changes are applied on top).
   */
  #readPosition(): IndexPosition {
    const time = this.#clock.now() - READ_SKEW_MS;
    const current = this.#index?.position;
    if (current && this.#streams > 0 && current.time < time) return current;
    const origin = this.#ctx.client.origin;
    return { cursor: encodeCursor({ position: firstPosition(this.#ctx, new Date(time)), time, origin }), time };
  }

  /** Refuses a call after close() and options that are not options; the same checks whether or not the provider has synced. */
  #checkCall(method: string, options: unknown): void {
    if (this.#closing.signal.aborted) throw new OktaClosedError(method);
    checkCallOptions(method, options);
  }

  /** A controller aborted by the caller's signal or by close(). */
  #linkedController(signal: AbortSignal | undefined): AbortController {
    const controller = new AbortController();
    // Every request in flight (dozens during a sync) listens to this one signal: not a leak.
    setMaxListeners(0, controller.signal);
    const signals = [this.#closing.signal, ...(signal ? [signal] : [])];
    for (const s of signals) {
      if (s.aborted) controller.abort(s.reason);
      else s.addEventListener('abort', () => controller.abort(s.reason), { once: true, signal: controller.signal });
    }
    return controller;
  }
}
