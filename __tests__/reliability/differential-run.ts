/**
 * One seeded differential run, shared by differential.test.ts (a few runs in `npm test`) and
 * differential.soak.test.ts (as many as the budget allows): what the change stream keeps must be
 * what a fresh read says.
 *
 * A simulated org with groups, app groups and Group Push mappings changes by random mutations of
 * every kind the simulator has (`sim.randomMutation()`, late and repeated events included). A
 * host keeps a snapshot (a full read) plus the changes it consumed, and a cursor it saves. Each
 * session it streams on the same provider or on a new one (a new process, no index) from its
 * saved cursor, and dies: a read failing past the retries (mid-page), a `break` after some
 * changes (cursor saved or not), an abort, or catching up. After the run: the snapshot equals a
 * fresh provider's `listIdentities()`, and the streaming provider's `resolveAppUser()` for every
 * account and `resolveAppGroup()` for every app group (by name and by each identifier) equal a
 * fresh provider's answers. Served in-process through msw (`sim.fetch`) on one fake clock.
 *
 * A host told `incomplete_fanout` (a stream without an index could not know who held a group or
 * an app deleted meanwhile) does what the warning says: a full `listIdentities()`.
 */
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { AmbiguousAccountError, OktaError, OktaIdentityProvider, type ConnectorWarning, type Identity, type OktaConfig } from '../../src/index.js';
import { AmbiguousGroupError } from '../../src/provider/resolve/group.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import type { Clock } from '../../src/clock.js';
import { ORIGIN, TOKEN } from '../helpers/msw.js';
import { applyChange, byId, POLL_MS, Prng } from './support.js';

const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };
const IDENTIFIERS = ['externalId', 'samAccountName', 'windowsDomainQualifiedName', 'dn'] as const;
export const DEATHS = ['failure', 'break', 'unsaved', 'abort', 'catch-up'] as const;
export type Death = (typeof DEATHS)[number];

/** One clock for the org and every provider: sleeps take no real time; a poll sleep means "caught up". */
class SharedClock implements Clock {
  onPoll: (() => void) | undefined;
  constructor(public current: number) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.current += Math.max(1, ms);
    if (ms === POLL_MS) this.onPoll?.();
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

export interface DifferentialOptions {
  seed: number;
  /** Sessions before the final catch-up. */
  sessions: number;
  /** Random mutations before each session (at most). */
  mutations: number;
  users?: number;
  /** Whether the connector reads groups (default true). */
  groups?: boolean;
  /** Called with the org at the end (to look into a failing seed). */
  inspect?: (sim: OktaSimulator) => void;
  /** Probability that a session runs in a new process (default 0.25). */
  freshProcessRate?: number;
  /** The streaming provider keeps its index in this file: a new process loads it (issue 20). */
  indexPath?: string;
}

export interface DifferentialResult {
  seed: number;
  sessions: number;
  /** Sessions on a new provider (a new process resumed from the saved cursor). */
  freshProcesses: number;
  deaths: Record<Death, number>;
  /** Reads failed on purpose past the retries. */
  failuresInjected: number;
  mutations: Record<string, number>;
  events: number;
  changes: number;
  /** Full reads the host ran because a warning told it to. */
  resyncs: number;
  /** What disagreed with a fresh read (empty when the run passed). */
  mismatches: string[];
  /** resolveAppUser / resolveAppGroup calls compared. */
  resolvesCompared: number;
  /** Whether the streaming provider answered resolve from its index (no request). */
  answeredFromIndex: boolean;
  /** With `indexPath`: new processes whose first resolveAppUser was answered from the loaded file with no request. */
  warmStarts: number;
  warnings: ConnectorWarning[];
}

type Answer = { ok: unknown } | { error: string; ids?: string[] };

async function answer(call: () => Promise<unknown>): Promise<Answer> {
  try {
    return { ok: await call() };
  } catch (error) {
    if (error instanceof AmbiguousAccountError) return { error: error.name, ids: [...error.userIds].sort() };
    if (error instanceof AmbiguousGroupError) return { error: error.name, ids: [...error.groupIds].sort() };
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** `missing` compared by what it says is missing (the wording may differ between the index and a fresh read). */
function comparable(value: unknown): unknown {
  if (!value || typeof value !== 'object' || !('missing' in value)) return value;
  const group = value as { missing: ConnectorWarning[] };
  return { ...group, missing: group.missing.map((w) => `${w.code} ${w.path}`).sort() };
}

/** What differs between two JSON texts, field by field (short enough to read in a failure). */
function difference(have: string | undefined, want: string | undefined): string {
  if (have === undefined || want === undefined) return `${have ?? 'absent'} != fresh ${want ?? 'absent'}`;
  const flat = (value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> => {
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flat(v, `${prefix}.${k}`, out);
    else out.set(prefix, JSON.stringify(value));
    return out;
  };
  const [a, b] = [flat(JSON.parse(have)), flat(JSON.parse(want))];
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).map((k) => `${k}: ${a.get(k) ?? '-'} != fresh ${b.get(k) ?? '-'}`).join('; ');
}

export async function differentialRun(server: ReturnType<typeof setupServer>, options: DifferentialOptions): Promise<DifferentialResult> {
  const { seed } = options;
  const rng = new Prng(seed * 104_729 + 11);
  const clock = new SharedClock(Date.UTC(2026, 10, 28, 12, 0, 0) + seed * 1_000);
  const sim = new OktaSimulator({
    seed,
    users: options.users ?? 24,
    apps: 4,
    groups: 5,
    appGroupsPerApp: 1,
    pushMappings: 2,
    lateEventRate: 0.15,
    duplicateEventRate: 0.2,
    token: TOKEN,
    rateLimits: UNLIMITED,
    now: () => clock.current,
  });
  // Reads the host's streaming session may see fail past the retries: the Nth non-log request of
  // the session fails every attempt.
  const fault = { countdown: -1, url: '', left: 0, injected: 0 };
  const retries = 1;
  server.resetHandlers();
  server.use(
    http.all(`${ORIGIN}/*`, async ({ request }) => {
      const url = new URL(request.url);
      if (!url.pathname.startsWith('/api/v1/logs') && fault.countdown >= 0) {
        if (fault.countdown-- === 0) {
          fault.url = url.pathname + url.search;
          fault.left = retries + 1;
        }
      }
      if (fault.left > 0 && url.pathname + url.search === fault.url) {
        fault.left--;
        if (fault.left === 0) fault.injected++;
        return HttpResponse.json({ errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorId: 'injected', errorCauses: [] }, { status: 500 });
      }
      clock.current += 1;
      return sim.fetch(request);
    }),
  );
  const warnings: ConnectorWarning[] = [];
  const config: OktaConfig = { hostname: 'example.okta.com', token: TOKEN, groups: options.groups ?? true, pollIntervalMs: POLL_MS, retries, retryBaseDelayMs: 1, maxRetryDelayMs: 5, onWarning: (w) => warnings.push(w) };
  const providers: OktaIdentityProvider[] = [];
  const newProvider = (indexed = false): OktaIdentityProvider => {
    const p = new OktaIdentityProvider(indexed && options.indexPath !== undefined ? { ...config, indexPath: options.indexPath } : config, { clock });
    providers.push(p);
    return p;
  };
  const result: DifferentialResult = {
    seed,
    sessions: 0,
    freshProcesses: 0,
    deaths: { failure: 0, break: 0, unsaved: 0, abort: 0, 'catch-up': 0 },
    failuresInjected: 0,
    mutations: {},
    events: 0,
    changes: 0,
    resyncs: 0,
    mismatches: [],
    resolvesCompared: 0,
    answeredFromIndex: false,
    warmStarts: 0,
    warnings,
  };
  const fullRead = async (provider: OktaIdentityProvider): Promise<Map<string, Identity>> => {
    const out = new Map<string, Identity>();
    for await (const identity of provider.listIdentities()) out.set(identity.id, identity);
    return out;
  };
  const mutate = (n: number): void => {
    for (let i = 0; i < n; i++) {
      clock.current += 1 + rng.int(3);
      const { kind } = sim.randomMutation();
      result.mutations[kind] = (result.mutations[kind] ?? 0) + 1;
    }
  };
  try {
    const from = sim.events.length;
    // The host's snapshot, and a streaming provider that has synced (its index).
    let snapshot = await fullRead(newProvider());
    let streamer = newProvider(true);
    await fullRead(streamer);
    clock.current += 1;
    const since = new Date(clock.current);
    let saved: string | undefined;

    const session = async (death: Death | 'final'): Promise<void> => {
      result.sessions++;
      const controller = new AbortController();
      let pollChanges = death === 'final' ? 0 : rng.int(3);
      clock.onPoll = () => {
        if (pollChanges-- > 0) mutate(1 + rng.int(3));
        else controller.abort();
      };
      fault.countdown = death === 'failure' ? rng.int(25) : -1;
      const quota = 1 + rng.int(8);
      const warned = warnings.length;
      let n = 0;
      try {
        for await (const change of streamer.changes({ ...(saved === undefined ? { since } : { cursor: saved }), signal: controller.signal })) {
          applyChange(snapshot, change);
          result.changes++;
          n++;
          if (death === 'unsaved' && n >= quota) break;
          saved = change.cursor;
          if (death === 'break' && n >= quota) break;
          if (death === 'abort' && n >= quota) controller.abort();
          // The org keeps changing while the host works through a page.
          if (death !== 'final' && rng.chance(0.1)) mutate(1 + rng.int(2));
        }
      } catch (error) {
        if (!(error instanceof OktaError)) throw error;
      } finally {
        fault.countdown = -1;
        fault.left = 0;
        clock.onPoll = undefined;
      }
      // The warning says to run a full listIdentities(): the host does.
      if (warnings.slice(warned).some((w) => w.code === 'incomplete_fanout' || w.code === 'unresolved_event')) {
        result.resyncs++;
        snapshot = await fullRead(streamer);
      }
    };

    for (let s = 0; s < options.sessions; s++) {
      mutate(rng.int(options.mutations + 1));
      const death = rng.pick(DEATHS);
      result.deaths[death]++;
      // Resumed on the same provider, or in a new process from the saved cursor.
      if (rng.chance(options.freshProcessRate ?? 0.25)) {
        result.freshProcesses++;
        await streamer.close();
        streamer = newProvider(true);
        if (options.indexPath !== undefined) {
          // A warm start: the first resolveAppUser answers from the file, with no request.
          const holder = [...snapshot.values()].find((i) => i.accounts.length > 0);
          const before = streamer.stats.requests;
          if (holder) await answer(() => streamer.resolveAppUser(holder.accounts[0]!.appId, holder.accounts[0]!.userName));
          if (holder && streamer.stats.requests === before) result.warmStarts++;
        }
      }
      await session(death);
    }
    await session('final');
    result.failuresInjected = fault.injected;
    options.inspect?.(sim);
    result.events = sim.events.length - from;

    const fresh = newProvider();
    const truth = byId((await fullRead(fresh)).values());
    const have = byId(snapshot.values());
    const want = new Map(truth.map((i) => [i.id, JSON.stringify(i)]));
    const got = new Map(have.map((i) => [i.id, JSON.stringify(i)]));
    for (const id of new Set([...want.keys(), ...got.keys()])) {
      if (want.get(id) !== got.get(id)) result.mismatches.push(`snapshot ${id}: ${difference(got.get(id), want.get(id))}`);
    }

    // resolveAppUser for every account, resolveAppGroup for every app group by each name: the
    // streaming provider (its index, when it has one) against a fresh one.
    const compare = async (what: string, synced: () => Promise<unknown>, freshly: () => Promise<unknown>): Promise<void> => {
      result.resolvesCompared++;
      const before = streamer.stats.requests;
      const [a, b] = [await answer(synced), await answer(freshly)];
      if (streamer.stats.requests === before) result.answeredFromIndex = true;
      const [x, y] = [JSON.stringify('ok' in a ? { ok: comparable(a.ok) } : a), JSON.stringify('ok' in b ? { ok: comparable(b.ok) } : b)];
      if (x !== y) result.mismatches.push(`${what}: ${difference(x, y)}`);
    };
    const apps = sim.org.apps;
    const appNames = new Set(apps.map((a) => a.name));
    for (const app of apps) {
      for (const au of sim.org.appUsers(app.id)) {
        await compare(`resolveAppUser(${app.id}, ${au.userName})`, () => streamer.resolveAppUser(app.id, au.userName), () => fresh.resolveAppUser(app.id, au.userName));
        if (au.externalId) await compare(`resolveAppUser(${app.id}, ${au.externalId})`, () => streamer.resolveAppUser(app.id, au.externalId!), () => fresh.resolveAppUser(app.id, au.externalId!));
      }
    }
    for (const group of sim.org.groups) {
      if (group.type !== 'APP_GROUP' || group.sourceAppId === null) continue;
      const app = sim.org.app(group.sourceAppId)!;
      const names = [group.name, ...IDENTIFIERS.map((k) => group.attributes[k]).filter((v): v is string => typeof v === 'string' && v !== '')];
      for (const name of names) {
        await compare(`resolveAppGroup(${app.id}, ${name})`, () => streamer.resolveAppGroup(app.id, name), () => fresh.resolveAppGroup(app.id, name));
      }
      // By the app's name too, when no other app shares it.
      if (appNames.has(app.name) && apps.filter((a) => a.name === app.name).length === 1) {
        await compare(`resolveAppGroup(${app.name}, ${group.name})`, () => streamer.resolveAppGroup(app.name, group.name), () => fresh.resolveAppGroup(app.name, group.name));
      }
    }
    return result;
  } finally {
    for (const p of providers) await p.close();
  }
}
