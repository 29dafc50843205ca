import { setMaxListeners } from 'node:events';
import { inspect } from 'node:util';
import { resolveConfig, type OktaConfig, type ResolvedConfig } from '../config.js';
import { OktaClient, type ClientDeps, type ClientStats } from '../http/client.js';
import { systemClock, type Clock } from '../http/clock.js';
import type { CallOptions, ChangesOptions, Identity, IdentityChange, IdentityProvider } from '../sdk.js';
import { checkAccess, type AccessReport } from './access.js';
import { storeAppMembers } from './change-fanout.js';
import { streamChanges } from './changes.js';
import { warningChannel, type ProviderContext } from './context.js';
import { resolveFromOkta, resolveFromStore } from './resolve.js';
import { IdentityStore } from './store.js';
import { fullSync, type SyncProgress } from './sync.js';

/** Counters for progress displays: requests and rate-limit waits, and the running sync's counts. */
export interface ProviderStats extends ClientStats {
  sync: SyncProgress;
}

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
  #progress: SyncProgress = { people: 0, apps: 0, appsRead: 0, accounts: 0 };
  readonly #closing = new AbortController();

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
  }

  /** Requests, retries, rate-limit waits, and the counts of the running (or last) full sync. */
  get stats(): ProviderStats {
    return { ...this.#ctx.client.stats, sync: { ...this.#progress } };
  }

  /**
   * Streams every Okta user exactly once, DEPROVISIONED included, each with all its app accounts.
   * Forbidden apps or lists are skipped with an `onWarning({ code: 'forbidden' })`.
   */
  async *listIdentities(options: CallOptions = {}): AsyncGenerator<Identity> {
    const controller = this.#linkedController(options.signal);
    const store = new IdentityStore();
    this.#progress = { people: 0, apps: 0, appsRead: 0, accounts: 0 };
    const tuning = { userListSlices: this.#config.userListSlices, appConcurrency: this.#config.maxConcurrency };
    try {
      yield* fullSync(this.#ctx, store, tuning, this.#progress, controller.signal);
      this.#store = store;
    } finally {
      controller.abort();
    }
  }

  /**
   * The person who owns `account` in `app` (an app name such as `slack`, or an instance id), or
   * null. `app === 'okta'` matches an Okta login or primary email. userName matches
   * case-insensitively, externalId exactly. Throws {@link AmbiguousAccountError} when two people match.
   */
  async resolveAppUser(app: string, account: string, options: CallOptions = {}): Promise<Identity | null> {
    if (this.#store) return resolveFromStore(this.#store, app, account);
    const controller = this.#linkedController(options.signal);
    try {
      return await resolveFromOkta(this.#ctx, app, account, controller.signal);
    } finally {
      controller.abort();
    }
  }

  /** A resumable stream of identity changes read from the System Log; see the README's "Change stream". */
  async *changes(options: ChangesOptions = {}): AsyncGenerator<IdentityChange> {
    const controller = this.#linkedController(options.signal);
    try {
      const apply = (change: IdentityChange): void => {
        if (!this.#store) return;
        if (change.type === 'upsert') this.#store.put(change.identity);
        else this.#store.remove(change.id);
      };
      // A deleted app's members can no longer be listed: the synced store still knows them.
      const knownAppMembers = (appId: string): string[] | undefined => (this.#store ? storeAppMembers(this.#store, appId) : undefined);
      yield* streamChanges(this.#ctx, { ...options, signal: controller.signal }, apply, { clock: this.#clock, knownAppMembers });
    } finally {
      controller.abort();
    }
  }

  /**
   * Checks the token before it is handed over: one cheap request per permission the connector
   * needs, each reported as ok / forbidden / unauthorized / unreachable / error, with what data would be missing.
   */
  async checkAccess(options: CallOptions = {}): Promise<AccessReport> {
    const controller = this.#linkedController(options.signal);
    try {
      return await checkAccess(this.#ctx, controller.signal);
    } finally {
      controller.abort();
    }
  }

  /** Stops every running call, then releases sockets and caches. */
  async close(): Promise<void> {
    this.#closing.abort(new Error('the provider was closed'));
    this.#store = undefined;
    await this.#ctx.client.close();
  }

  [inspect.custom](): string {
    return `OktaIdentityProvider { hostname: ${this.#config.hostname} }`;
  }

  toJSON(): { hostname: string } {
    return { hostname: this.#config.hostname };
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
