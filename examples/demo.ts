/**
 * The demo: run the connector's main job end to end.
 *
 *   npm run demo                                   # on the built-in Okta simulator
 *   OKTA_HOSTNAME=example.okta.com OKTA_TOKEN=... npm run demo   # on a real org (read-only)
 *
 * It syncs every identity (with their groups) with a live progress line, prints a summary,
 * resolves a few app accounts and one app group, then follows the change stream (on the
 * simulator it makes changes itself) and exits.
 */
import type { AppGroup, Identity, IdentityChange, OktaIdentityProvider } from '@atolio/okta-identity-provider';
import type { OktaSimulator } from '@atolio/okta-identity-provider/simulator';
import { withDemoOrg, type DemoOrg } from './demo-org.js';
import { clip } from './format.js';
import { summary } from './summary.js';

async function demo({ provider, sim, label }: DemoOrg): Promise<void> {
  // 1. An Okta org: the simulator (a realistic small org with Okta-like latency and rate limits), or yours.
  console.log(label);

  // 2. Full sync: stream every identity, with a progress line.
  console.log('\nSyncing identities...');
  const started = Date.now();
  const syncStarted = new Date();
  // A live line on a terminal; a line a second when the output goes to a file or CI log.
  const tty = process.stdout.isTTY === true;
  const progress = setInterval(() => (tty ? process.stdout.write(`\r  ${progressLine(provider)}   `) : console.log(`  ${progressLine(provider)}`)), tty ? 200 : 1_000);
  const identities: Identity[] = [];
  try {
    for await (const identity of provider.listIdentities()) identities.push(identity);
  } finally {
    clearInterval(progress);
  }
  console.log(`${tty ? '\r' : ''}  ${progressLine(provider)}   \n  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(summary(identities));

  // 3. Who owns this account? Answered from what the sync saw, with no request.
  console.log('\nResolving app accounts:');
  for (const [app, account] of sampleAccounts(identities)) {
    const owner = await provider.resolveAppUser(app, account);
    console.log(`  ${app.padEnd(10)} ${clip(account, 32).padEnd(32)} -> ${owner ? `${owner.displayName} <${owner.login}>` : 'nobody'}`);
  }

  // 4. Who is in this app group? A group an app shares documents with, resolved to people
  // (answered from what the sync saw; a group Okta pushes to the app is shown if there is one).
  const candidates = appGroups(identities);
  let shown: [(typeof candidates)[number], AppGroup] | undefined;
  for (const candidate of candidates) {
    const resolved = await provider.resolveAppGroup(candidate.appId, candidate.name);
    if (resolved && (!shown || (resolved.source.kind === 'push' && shown[1].source.kind !== 'push'))) shown = [candidate, resolved];
  }
  if (shown) {
    const [{ name, appLabel }, resolved] = shown;
    const groupName = (id: string): string => identities.flatMap((i) => i.groups ?? []).find((g) => g.id === id)?.name ?? id;
    const from = resolved.source.kind === 'push' ? `Okta pushes the group "${groupName(resolved.source.sourceGroupId)}" to it (Group Push, ${resolved.source.status})` : 'imported from the app';
    const names = resolved.members.slice(0, 3).map((id) => identities.find((i) => i.id === id)?.displayName ?? id);
    console.log('\nResolving an app group:');
    console.log(`  ${clip(name, 30)} in ${appLabel}: ${from}`);
    console.log(`  ${resolved.members.length} member${resolved.members.length === 1 ? '' : 's'}${names.length > 0 ? `: ${names.join(', ')}${resolved.members.length > 3 ? ', ...' : ''}` : ''}`);
  }

  // 5. The change stream: Okta's System Log turned into fresh identities.
  console.log('\nFollowing the change stream' + (sim ? ' while the demo changes the org:' : ' for 20 seconds:'));
  const controller = new AbortController();
  const stop = setTimeout(() => controller.abort(), sim ? 15_000 : 20_000);
  const changes = sim ? makeChanges(sim, identities) : undefined;
  try {
    for await (const change of provider.changes({ since: syncStarted, pollIntervalMs: 300, signal: controller.signal })) {
      console.log(`  < ${describe(change)}`);
      if (changes?.seen(change.eventIds)) controller.abort();
    }
  } finally {
    clearTimeout(stop);
    changes?.cancel();
  }
  console.log(`\nDone: ${provider.stats.requests} requests in all.`);
}

function progressLine(provider: OktaIdentityProvider): string {
  const s = provider.stats;
  return `people ${s.sync.people}  apps ${s.sync.appsRead}/${s.sync.apps}  accounts ${s.sync.accounts}  requests ${s.requests}  rate-limit waits ${s.rateLimitWaits}`;
}

/** A few accounts to resolve: one per app name, plus an Okta login and one nobody owns. */
function sampleAccounts(identities: Identity[]): [string, string][] {
  const picks = new Map<string, string>();
  for (const identity of identities) for (const a of identity.accounts) if (!picks.has(a.appName)) picks.set(a.appName, a.userName.toUpperCase());
  const samples: [string, string][] = [...picks].slice(0, 4);
  if (identities[0]) samples.push(['okta', identities[0].login]);
  samples.push(['slack', 'U0NOBODY']);
  return samples;
}

/** The app groups the identities belong to, each with its app's label. */
function appGroups(identities: Identity[]): { appId: string; appLabel: string; name: string }[] {
  const labels = new Map(identities.flatMap((i) => i.accounts).map((a) => [a.appId, a.appLabel]));
  const groups = new Map<string, { appId: string; appLabel: string; name: string }>();
  for (const g of identities.flatMap((i) => i.groups ?? [])) {
    if (g.type === 'APP_GROUP' && g.appId !== undefined) groups.set(g.id, { appId: g.appId, appLabel: labels.get(g.appId) ?? g.appId, name: g.name });
  }
  return [...groups.values()];
}

/**
 * On the simulator: a handful of realistic changes, one every 400 ms, each recorded in the
 * System Log as Okta does. `seen` tells when the stream has delivered all of them.
 */
function makeChanges(sim: OktaSimulator, identities: Identity[]): { seen(eventIds: string[]): boolean; cancel(): void } {
  const active = identities.filter((i) => i.status === 'ACTIVE' && i.accounts.length > 0);
  const [a, b, c] = [active[0]!, active[1]!, active[2]!];
  const account = a.accounts[0]!;
  const newApp = sim.org.apps.find((app) => app.status === 'ACTIVE' && !a.accounts.some((x) => x.appId === app.id))!;
  const group = sim.org.groups.find((g) => !sim.org.groupMembers(g.id).includes(b.id))!;
  const steps: [string, () => readonly { uuid: string }[]][] = [
    [`rename ${a.displayName}'s ${account.appLabel} account`, () => sim.renameAppUser(account.appId, a.id, `${account.userName}-renamed`)],
    [`assign ${a.displayName} to ${newApp.label}`, () => sim.assignUserToApp(newApp.id, a.id, { userName: `${a.login.split('@')[0]}.new` })],
    [`change ${b.displayName}'s display name`, () => sim.updateProfile(b.id, { displayName: `${b.displayName} (on leave)` })],
    [`add ${b.displayName} to group ${group.name}`, () => sim.addUserToGroup(group.id, b.id)],
    [`deactivate ${c.displayName}`, () => sim.deactivateUser(c.id)],
  ];
  const pending = new Set<string>();
  let made = 0;
  const timers = steps.map(([what, step], i) =>
    setTimeout(() => {
      console.log(`  > ${what}`);
      for (const event of step()) pending.add(event.uuid);
      sim.noise(2); // sign-ins and the like: the stream's filter leaves them out
      made++;
    }, 400 * (i + 1)),
  );
  return {
    seen(eventIds) {
      for (const id of eventIds) pending.delete(id);
      return made === steps.length && pending.size === 0;
    },
    cancel: () => timers.forEach(clearTimeout),
  };
}

function describe(change: IdentityChange): string {
  if (change.type === 'delete') return `delete  ${change.id}  (${change.eventIds.length} event)`;
  const i = change.identity;
  return `upsert  ${clip(i.displayName, 28).padEnd(28)} ${i.status.padEnd(13)} ${i.accounts.length} account${i.accounts.length === 1 ? '' : 's'}: ${clip(i.accounts.map((a) => `${a.appName}:${a.userName}`).join(', '), 70)}`;
}

withDemoOrg(process.env, demo, { onWarning: (w) => console.log(`  ! ${w.code}: ${w.message}`) }).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
