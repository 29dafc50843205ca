/**
 * The `changes` regime of `npm run bench`: what each kind of org change costs the change stream,
 * in requests per rate-limit bucket, on a provider with a synced index and on a fresh one (a
 * stream resumed in a new process). Requests are counted by the simulator; the counts do not
 * depend on timing, so one run is enough.
 */
import type { Clock } from '../src/clock.js';
import { systemClock } from '../src/clock.js';
import { OktaIdentityProvider, type ConnectorWarning, type Identity } from '../src/index.js';
import { OktaSimulator } from '../src/simulator/index.js';

const POLL_MS = 17;

/** The real clock; `caughtUp` fires when the stream sleeps its poll interval. */
class PollClock implements Clock {
  caughtUp: (() => void) | undefined;
  now(): number {
    return systemClock.now();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms === POLL_MS) this.caughtUp?.();
    await systemClock.sleep(ms, signal);
  }
}

export interface ChangeCost {
  kind: string;
  index: 'synced' | 'none';
  people: number;
  apps: number;
  users: number;
  user: number;
  groups: number;
  /** The apps-bucket target for this kind, when it has one. */
  target?: { limit: number; text: string };
  converged: boolean;
}

export interface ChangeCostResult {
  org: { users: number; apps: number; accounts: number };
  fullSync: { apps: number; users: number };
  costs: ChangeCost[];
}

const byId = (list: Iterable<Identity>): Identity[] => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Runs every change kind on `users` users and returns the requests each cost. */
export async function runChangeCosts(users: number, groupSize = 900): Promise<ChangeCostResult> {
  const sim = new OktaSimulator({ seed: 3, users, apps: 12, groups: 4, appUsersPerApp: Math.round(users * 0.05), rateLimits: { windowMs: 60_000, limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9 } } });
  await sim.start();
  const clock = new PollClock();
  const warnings: ConnectorWarning[] = [];
  const config = { hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, pollIntervalMs: POLL_MS, onWarning: (w: ConnectorWarning) => warnings.push(w) };
  const synced = new OktaIdentityProvider(config, { clock });
  const view = new Map<string, Identity>();
  try {
    // A group of `groupSize` people none of whom has an account in the app it will be assigned to.
    const target = sim.org.apps.reduce((a, b) => (sim.org.appUsers(a.id).length <= sim.org.appUsers(b.id).length ? a : b));
    const outside = sim.org.users.filter((u) => !sim.org.appUsers(target.id).some((au) => au.userId === u.id) && u.status === 'ACTIVE');
    const big = sim.createGroup('Bench group');
    for (const u of outside.slice(0, groupSize)) sim.addUserToGroup(big.id, u.id);

    sim.resetStats();
    for await (const identity of synced.listIdentities()) view.set(identity.id, identity);
    const s = sim.stats.byBucket;
    const fullSync = { apps: s.apps, users: s.users };
    const costs: ChangeCost[] = [];

    const measure = async (provider: OktaIdentityProvider, kind: string, index: ChangeCost['index'], change: () => void, targetOf?: () => ChangeCost['target']): Promise<void> => {
      // Past the millisecond of the last setup event: the polling query starts at `since`, inclusive.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const since = new Date(sim.now());
      change();
      const target = targetOf?.();
      sim.resetStats();
      const controller = new AbortController();
      clock.caughtUp = () => controller.abort();
      const people = new Set<string>();
      for await (const c of provider.changes({ since, signal: controller.signal })) {
        people.add(c.type === 'upsert' ? c.identity.id : c.id);
        if (c.type === 'upsert') view.set(c.identity.id, c.identity);
        else view.delete(c.id);
      }
      const b = sim.stats.byBucket;
      costs.push({ kind, index, people: people.size, apps: b.apps, users: b.users, user: b.user, groups: b.groups, ...(target ? { target } : {}), converged: JSON.stringify(byId(view.values())) === JSON.stringify(sim.expectedIdentities()) });
      process.stderr.write(`[changes] ${index === 'synced' ? 'synced' : 'no index'} ${kind}: ${people.size} people, apps ${b.apps}, users ${b.users}, user ${b.user}, groups ${b.groups}\n`);
    };
    const holders = (appId: string): number => sim.org.appUsers(appId).length;
    const someActive = () => sim.org.users.find((u) => u.status === 'ACTIVE' && view.has(u.id))!;

    await measure(synced, `group of ${groupSize} assigned to an app`, 'synced', () => sim.assignGroupToApp(target.id, big.id), () => {
      const limit = Math.ceil(holders(target.id) / 500) + 2;
      return { limit, text: `ceil(${holders(target.id)} app users / 500) + 2 = ${limit}` };
    });
    await measure(synced, `group of ${groupSize} unassigned from the app`, 'synced', () => sim.unassignGroupFromApp(target.id, big.id));
    const labelled = sim.org.apps.reduce((a, b) => (holders(a.id) >= holders(b.id) ? a : b));
    await measure(synced, `label of an app with ${holders(labelled.id)} accounts changed`, 'synced', () => sim.renameApp(labelled.id, `${labelled.label} (renamed)`));
    await measure(synced, 'one user’s profile updated', 'synced', () => sim.updateProfile(someActive().id, { lastName: 'Changed' }));
    await measure(synced, 'one user added to a group', 'synced', () => sim.addUserToGroup(sim.org.groups[0]!.id, sim.org.users.find((u) => !sim.org.groupMembers(sim.org.groups[0]!.id).includes(u.id) && u.status === 'ACTIVE')!.id));
    await measure(synced, 'one user assigned to an app', 'synced', () => sim.assignUserToApp(target.id, someActive().id));
    await measure(synced, 'one user locked out (the user is the actor)', 'synced', () => sim.lockUser(someActive().id));
    const provisioning = sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE' && a.id !== target.id)!;
    const newcomer = sim.org.users.find((u) => u.status === 'ACTIVE' && !sim.org.appUsers(provisioning.id).some((au) => au.userId === u.id))!;
    await measure(synced, 'one account assigned in a provisioning app (STAGED)', 'synced', () => sim.assignUserToApp(provisioning.id, newcomer.id));
    await measure(synced, `that account provisioned; the event names only the app (${holders(provisioning.id)} accounts) and the app user`, 'synced', () => sim.provisionAppUser(provisioning.id, newcomer.id, { event: 'push' }));
    await measure(synced, 'one user updated by a directory import', 'synced', () => sim.importUserUpdate(someActive().id, { lastName: 'Imported' }, { shape: 'system' }));
    const doomed = sim.org.apps.find((a) => a.id !== target.id && a.id !== labelled.id && a.id !== provisioning.id)!;
    await measure(synced, `app with ${holders(doomed.id)} accounts deactivated and deleted`, 'synced', () => {
      sim.deactivateApp(doomed.id);
      sim.deleteApp(doomed.id);
    });

    // A stream resumed in a new process: no synced index.
    const fresh = new OktaIdentityProvider(config, { clock });
    const second = sim.createGroup('Bench group 2');
    for (const u of outside.slice(groupSize, groupSize * 2)) sim.addUserToGroup(second.id, u.id);
    await measure(fresh, `one user’s profile updated`, 'none', () => sim.updateProfile(someActive().id, { lastName: 'Again' }));
    await measure(fresh, `group of ${groupSize} assigned to an app`, 'none', () => sim.assignGroupToApp(target.id, second.id));
    await fresh.close();
    // Against a full sync of the org as it is now.
    const reference = new OktaIdentityProvider(config);
    sim.resetStats();
    for await (const identity of reference.listIdentities()) void identity;
    const now = sim.stats.byBucket.apps;
    await reference.close();
    costs[costs.length - 1]!.target = { limit: now, text: `a full sync of the org then (${now})` };
    if (warnings.length > 0) process.stderr.write(`[changes] warnings: ${warnings.map((w) => w.code).join(', ')}\n`);
    return { org: { users: sim.org.users.length, apps: sim.org.apps.length, accounts: sim.expectedIdentities().reduce((n, i) => n + i.accounts.length, 0) }, fullSync, costs };
  } finally {
    await synced.close();
    await sim.stop();
  }
}
