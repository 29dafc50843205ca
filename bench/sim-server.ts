/**
 * The benchmark's Okta simulator, in its own process so that its memory never counts against a
 * measured job. Usage: `node --import tsx bench/sim-server.ts '<SimulatorOptions as JSON>'`.
 *
 * Prints one JSON line when ready: { baseUrl, token, facts } (facts: the org's list sizes, the
 * ground-truth totals and a resolve probe). Then answers commands read from stdin, one JSON
 * line each: `stats` (the simulator's counters plus the arrival time of the first request since
 * the last reset), `reset-stats`, `rename-largest-app` (relabels the app with the most app users:
 * an app-wide change; answers { appId, holders }), `expire-passwords` (a mass password expiry;
 * answers { expired }), `restore-passwords` (each expired user sets a new password, one event
 * each; answers { restored }), `big-group <n>` (a new OKTA_GROUP of the first n users; answers
 * { groupId, members }), `delete-group <id>` (answers { groupId, members }), `quit`.
 */
import { createInterface } from 'node:readline';
import { OktaSimulator, type SimulatorOptions } from '../src/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;

// The org's clock is read as each request arrives (its rate-limit window): the first read after
// a reset is when the run's first request reached the simulator, where its windows start.
let firstRequestAt: number | null = null;
const now = (): number => {
  const t = Date.now();
  firstRequestAt ??= t;
  return t;
};

const sim = new OktaSimulator({ ...options, now });
await sim.start();

/** What the orchestrator needs to know about the org: list sizes and the ground truth. */
function facts(): object {
  const users = sim.org.users;
  const deprovisioned = users.filter((u) => u.status === 'DEPROVISIONED').length;
  const apps = sim.org.apps;
  const expected = sim.expectedIdentities();
  const accounts = expected.reduce((n, identity) => n + identity.accounts.length, 0);
  // resolve probe: an app name with exactly one instance, and one of its accounts whose
  // userName no other app user of that instance shares (case-insensitively) or has as externalId.
  const counts = new Map<string, number>();
  for (const app of apps) counts.set(app.name, (counts.get(app.name) ?? 0) + 1);
  let probe: { app: string; account: string; ownerId: string } | null = null;
  for (const app of apps) {
    if (counts.get(app.name) !== 1 || probe) continue;
    const appUsers = sim.org.appUsers(app.id);
    const seen = new Map<string, number>();
    for (const au of appUsers) {
      for (const key of [au.userName.toLowerCase(), au.externalId?.toLowerCase()]) if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const unique = appUsers.find((au) => seen.get(au.userName.toLowerCase()) === 1);
    if (unique) probe = { app: app.name, account: unique.userName, ownerId: unique.userId };
  }
  return {
    users: users.length,
    deprovisioned,
    apps: apps.length,
    appUsers: apps.map((a) => sim.org.appUsers(a.id).length),
    expected: { identities: expected.length, accounts },
    probe,
  };
}

const print = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

/**
 * What the `restart` regime changes while its host is down: the largest Okta group with members
 * deleted, the app with the most holders (but not the probe's) deactivated and deleted, and 50
 * random mutations of every kind. Prints what it did. `probeApp`: the app the resolve probe names (kept).
 */
function restartChanges(probeApp: string): object {
  const group = sim.org.groups.filter((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 0).sort((a, b) => b.memberIds.length - a.memberIds.length)[0];
  const app = sim.org.apps.filter((a) => a.name !== probeApp).sort((a, b) => sim.org.appUsers(b.id).length - sim.org.appUsers(a.id).length)[0];
  const done: Record<string, unknown> = {};
  if (group) {
    try {
      sim.deleteGroup(group.id);
      done.deletedGroup = { id: group.id, members: group.memberIds.length };
    } catch (error) {
      done.deletedGroup = String(error);
    }
  }
  if (app) {
    const holders = sim.org.appUsers(app.id).length;
    if (app.status === 'ACTIVE') sim.deactivateApp(app.id);
    sim.deleteApp(app.id);
    done.deletedApp = { id: app.id, holders };
  }
  const kinds: Record<string, number> = {};
  for (let i = 0; i < 50; i++) {
    const { kind } = sim.randomMutation();
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return { ...done, mutations: kinds };
}
print({ baseUrl: sim.baseUrl, token: sim.token, facts: facts() });

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'stats') print({ ...sim.stats, firstRequestAt });
  else if (command.startsWith('restart-changes ')) print(restartChanges(command.slice('restart-changes '.length)));
  else if (command === 'reset-stats') {
    sim.resetStats();
    firstRequestAt = null;
    print({ ok: true });
  } else if (command === 'rename-largest-app') {
    const app = sim.org.apps.reduce((a, b) => (sim.org.appUsers(a.id).length >= sim.org.appUsers(b.id).length ? a : b));
    sim.renameApp(app.id, `${app.label} (renamed)`);
    print({ appId: app.id, holders: sim.org.appUsers(app.id).length });
  } else if (command === 'expire-passwords') {
    const active = sim.org.users.filter((u) => u.status === 'ACTIVE').length;
    sim.expireAllPasswords();
    print({ expired: active });
  } else if (command === 'restore-passwords') {
    const expired = sim.org.users.filter((u) => u.status === 'PASSWORD_EXPIRED').map((u) => u.id);
    for (const id of expired) sim.changePassword(id);
    print({ restored: expired.length });
  } else if (command.startsWith('big-group ')) {
    const n = Number(command.slice('big-group '.length));
    const group = sim.createGroup(`Bench big group ${Date.now()}`);
    const ids = sim.org.users.slice(0, n).map((u) => u.id);
    for (const id of ids) sim.addUserToGroup(group.id, id);
    print({ groupId: group.id, members: ids.length });
  } else if (command.startsWith('delete-group ')) {
    const id = command.slice('delete-group '.length);
    const members = sim.org.groups.find((g) => g.id === id)?.memberIds.length ?? 0;
    sim.deleteGroup(id);
    print({ groupId: id, members });
  } else if (command === 'quit') break;
  else if (command !== '') print({ error: `unknown command ${command}` });
}
await sim.stop();
process.stdin.destroy();
