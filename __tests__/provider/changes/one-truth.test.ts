import { afterEach, describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { OktaError, OktaIdentityProvider, type ConnectorWarning, type Identity, type IdentityChange, type OktaConfig } from '../../../src/index.js';
import { OktaSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';
import { editedJson, simulatorHandler } from '../../helpers/msw-simulator.js';
import { HOSTNAME, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';
import { applyChange, byId, POLL_MS, WatchedClock } from '../../reliability/support.js';

/**
 * What the stream keeps is what a fresh read says (issue 17, cases 1-6): each case as it was
 * reproduced, on the simulator through msw. The differential test (reliability/differential.test.ts)
 * covers them all at random.
 */
const server = useMswServer();
const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };
const providers: OktaIdentityProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.close();
});

function setup(options: SimulatorOptions, groups = true) {
  const sim = new OktaSimulator({ token: TOKEN, rateLimits: UNLIMITED, ...options });
  server.use(simulatorHandler(sim));
  const warnings: ConnectorWarning[] = [];
  const config: OktaConfig = { hostname: HOSTNAME, token: TOKEN, groups, pollIntervalMs: POLL_MS, retries: 1, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w) };
  const clocks = new WeakMap<OktaIdentityProvider, WatchedClock>();
  const provider = (): OktaIdentityProvider => {
    const clock = new WatchedClock(1);
    const p = new OktaIdentityProvider(config, { clock });
    clocks.set(p, clock);
    providers.push(p);
    return p;
  };
  const read = async (p: OktaIdentityProvider): Promise<Map<string, Identity>> => {
    const out = new Map<string, Identity>();
    for await (const identity of p.listIdentities()) out.set(identity.id, identity);
    return out;
  };
  /** Streams on `p` until caught up (or `stop` says to stop after a change); returns the changes taken. */
  const stream = async (p: OktaIdentityProvider, start: { since?: Date; cursor?: string }, view: Map<string, Identity>, stop?: (change: IdentityChange) => boolean): Promise<IdentityChange[]> => {
    const controller = new AbortController();
    const taken: IdentityChange[] = [];
    // Caught up: the poll sleep ends the session.
    clocks.get(p)!.onPoll = () => controller.abort();
    for await (const change of p.changes({ ...start, signal: controller.signal })) {
      applyChange(view, change);
      taken.push(change);
      if (stop?.(change)) break;
    }
    return taken;
  };
  return { sim, warnings, provider, read, stream };
}

/** A change's person. */
const who = (c: IdentityChange): string => (c.type === 'upsert' ? c.identity.id : c.id);

describe('case 2: a deleted group stays in the index until its members are delivered', () => {
  async function deletedGroup(death: 'read-fails' | 'break') {
    const h = setup({ seed: 2, users: 20, apps: 2, groups: 0 });
    const members = h.sim.org.users.filter((u) => u.status === 'ACTIVE').slice(0, 5).map((u) => u.id);
    const x = h.sim.org.users.find((u) => u.status === 'ACTIVE' && !members.includes(u.id))!.id;
    const group = h.sim.createGroup('Project Atlas', '');
    for (const id of members) h.sim.addUserToGroup(group.id, id);
    const view = await h.read(h.provider());
    const synced = h.provider();
    await h.read(synced);
    await new Promise((r) => setTimeout(r, 2));
    const since = new Date(h.sim.now());
    // One log page: X's profile, then the group's deletion.
    h.sim.updateProfile(x, { lastName: 'Changed' });
    h.sim.deleteGroup(group.id);
    let cursor: string | undefined;
    if (death === 'read-fails') {
      // Reading X fails past the retries: the stream throws, nothing was delivered.
      server.use(http.get(`${ORIGIN}/api/v1/users/${x}`, () => HttpResponse.json({ errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorCauses: [] }, { status: 500 }), { once: false }));
      await expect(h.stream(synced, { since }, view)).rejects.toBeInstanceOf(OktaError);
      server.resetHandlers(simulatorHandler(h.sim));
    } else {
      // The host breaks out of the loop after the first member's change (its cursor saved).
      const taken = await h.stream(synced, { since }, view, (c) => members.includes(who(c)));
      expect(taken.map(who)).toEqual([x, members.find((id) => taken.some((c) => who(c) === id))]);
      cursor = taken.at(-1)!.cursor;
    }
    // The host resumes on the same provider, as the README says.
    await h.stream(synced, cursor ? { cursor } : { since }, view);
    expect(byId(view.values())).toEqual(h.sim.expectedIdentities({ groups: true }));
    for (const id of members) expect(view.get(id)!.groups!.map((g) => g.id)).not.toContain(group.id);
    const member = h.sim.org.user(members[4]!)!;
    expect((await synced.resolveAppUser('okta', String(member.profile.login)))!.groups!.map((g) => g.id)).not.toContain(group.id);
  }

  it('reading a person on the same page fails past the retries, the host resumes on the same provider: every member leaves the group', () => deletedGroup('read-fails'));
  it('the host breaks after the first member, then resumes from its cursor: the other members leave the group too', () => deletedGroup('break'));
});

describe('case 3: a new Group Push mapping is seen by a synced provider', () => {
  it('resolveAppGroup finds the new target group as a fresh provider does', async () => {
    const h = setup({ seed: 3, users: 20, apps: 0, groups: 0 });
    const slack = h.sim.createApp({ name: 'slack', label: 'Slack (Sales)', provisioned: true });
    const sales = h.sim.createGroup('Sales', '');
    for (const u of h.sim.org.users.slice(0, 4)) {
      h.sim.addUserToGroup(sales.id, u.id);
      h.sim.assignUserToApp(slack.id, u.id);
    }
    const view = await h.read(h.provider());
    const synced = h.provider();
    await h.read(synced);
    expect(await synced.resolveAppGroup('slack', 'sales')).toBeNull();
    await new Promise((r) => setTimeout(r, 2));
    const since = new Date(h.sim.now());
    h.sim.createPushMapping(slack.id, sales.id, { targetGroupName: 'sales', status: 'INACTIVE', shape: 'source' });
    await h.stream(synced, { since }, view);
    const fresh = await h.provider().resolveAppGroup('slack', 'sales');
    expect(fresh).not.toBeNull();
    expect(await synced.resolveAppGroup('slack', 'sales')).toEqual(fresh);
    expect(byId(view.values())).toEqual(h.sim.expectedIdentities({ groups: true }));
  });
});

describe('case 4: a newly imported app group is found by each identifier', () => {
  it('samAccountName, windowsDomainQualifiedName, externalId and dn, as a fresh provider finds it', async () => {
    const h = setup({ seed: 4, users: 12, apps: 0, groups: 0 });
    const ad = h.sim.createApp({ name: 'active_directory', label: 'Corp AD', provisioned: false });
    for (const u of h.sim.org.users.slice(0, 3)) h.sim.assignUserToApp(ad.id, u.id);
    const view = await h.read(h.provider());
    const synced = h.provider();
    await h.read(synced);
    await new Promise((r) => setTimeout(r, 2));
    const since = new Date(h.sim.now());
    const group = h.sim.importAppGroup(ad.id, 'Engineering', { samAccountName: 'eng' }, { shape: 'system' });
    for (const u of h.sim.org.users.slice(0, 2)) h.sim.addAppGroupMember(group.id, u.id, { shape: 'app' });
    await h.stream(synced, { since }, view);
    const identifiers = ['externalId', 'samAccountName', 'windowsDomainQualifiedName', 'dn'].map((k) => h.sim.org.group(group.id)!.attributes[k]);
    expect(identifiers.every((v) => typeof v === 'string' && v !== '')).toBe(true);
    const fresh = h.provider();
    for (const name of ['Engineering', ...(identifiers as string[])]) {
      const answer = await fresh.resolveAppGroup(ad.id, name);
      expect(answer?.group.id).toBe(group.id);
      const found = await synced.resolveAppGroup(ad.id, name);
      expect(found?.group.id).toBe(group.id);
      expect(found).toEqual(answer);
    }
  });
});

describe('case 5: a synced provider says what it could not read', () => {
  it.each([[403], [404]])("a pushed group's source members answering %i: `missing` as a fresh provider says it", async (status) => {
    const h = setup({ seed: 5, users: 12, apps: 0, groups: 0 });
    const slack = h.sim.createApp({ name: 'slack', label: 'Slack', provisioned: true });
    const source = h.sim.createGroup('Sales', '');
    for (const u of h.sim.org.users.slice(0, 3)) {
      h.sim.addUserToGroup(source.id, u.id);
      h.sim.assignUserToApp(slack.id, u.id);
    }
    h.sim.createPushMapping(slack.id, source.id, { targetGroupName: 'sales' });
    server.use(http.get(`${ORIGIN}/api/v1/groups/${source.id}/users`, () => HttpResponse.json({ errorCode: status === 403 ? 'E0000006' : 'E0000007', errorSummary: 'no', errorCauses: [] }, { status })));
    const synced = h.provider();
    await h.read(synced);
    const fresh = await h.provider().resolveAppGroup('slack', 'sales');
    expect(fresh!.missing.map((w) => [w.code, w.path])).toEqual([[status === 403 ? 'forbidden' : 'not_found', `/api/v1/groups/${source.id}/users`]]);
    const answer = await synced.resolveAppGroup('slack', 'sales');
    expect(answer).toEqual({ ...fresh, missing: fresh!.missing.map((w) => expect.objectContaining({ code: w.code, path: w.path })) });
  });
});

describe('case 6: a group listed twice is one group', () => {
  it('a fresh resolveAppGroup answers as a synced one, without AmbiguousGroupError', async () => {
    const h = setup({ seed: 6, users: 12, apps: 0, groups: 0 });
    const github = h.sim.createApp({ name: 'github', label: 'GitHub', provisioned: true });
    const group = h.sim.importAppGroup(github.id, 'Platform', {}, { shape: 'system' });
    for (const u of h.sim.org.users.slice(0, 2)) {
      h.sim.assignUserToApp(github.id, u.id);
      h.sim.addAppGroupMember(group.id, u.id, { shape: 'group' });
    }
    // A page boundary moving under the read: the group comes twice.
    server.use(editedJson(h.sim, '/api/v1/groups', (body) => (Array.isArray(body) ? [...body, ...body.filter((g: { id: string }) => g.id === group.id)] : body)));
    const synced = h.provider();
    await h.read(synced);
    const fresh = await h.provider().resolveAppGroup('github', 'Platform');
    expect(fresh?.group.id).toBe(group.id);
    expect(await synced.resolveAppGroup('github', 'Platform')).toEqual(fresh);
  });
});

describe('case 1: a stream resumed in a new process that reads the org itself delivers what the read holds', () => {
  it('a provisioning push named only by app and app user, after the new process read the org: the host gets PROVISIONED and the externalId', async () => {
    // Log pages of 6 events: the push lands on a page after the one that made the new process read the org.
    const h = setup({ seed: 1, users: 14, apps: 0, groups: 0, pageLimits: { listLogEvents: 6 } }, false);
    const app = h.sim.createApp({ name: 'zoom', label: 'Zoom', provisioned: true });
    const people = h.sim.org.users.filter((u) => u.status === 'ACTIVE').map((u) => u.id);
    const staged = people[0]!;
    h.sim.assignUserToApp(app.id, staged);
    h.sim.assignUserToApp(app.id, people[1]!);
    expect(h.sim.org.appUsers(app.id).find((au) => au.userId === staged)!.status).toBe('STAGED');
    const view = await h.read(h.provider());
    // The first process caught up and saved its cursor.
    await new Promise((r) => setTimeout(r, 2));
    h.sim.noise(1);
    const first = h.provider();
    const since = new Date(h.sim.now() - 1);
    h.sim.updateProfile(people[2]!, { title: 'x' });
    const taken = await h.stream(first, { since }, view);
    const cursor = taken.at(-1)!.cursor;
    await first.close();
    // Meanwhile: profile edits of 6 people (one page: more people than apps, a new process reads the org), then the push.
    for (const id of people.slice(3, 9)) h.sim.updateProfile(id, { title: 'Engineer' });
    h.sim.provisionAppUser(app.id, staged, { event: 'push' });
    // A new process resumes from the saved cursor.
    await h.stream(h.provider(), { cursor }, view);
    const account = view.get(staged)!.accounts.find((a) => a.appId === app.id)!;
    expect(account.status).toBe('PROVISIONED');
    expect(account.externalId).toBe(h.sim.org.appUsers(app.id).find((au) => au.userId === staged)!.externalId);
    expect(byId(view.values())).toEqual(h.sim.expectedIdentities());
  });
});

describe('without an index: an honest warning that names what to do', () => {
  it("a group deleted while no process ran: incomplete_fanout says to run listIdentities(), and doing so gives a fresh read's answers", async () => {
    const h = setup({ seed: 7, users: 12, apps: 1, groups: 0 });
    const group = h.sim.createGroup('Project Atlas', '');
    const members = h.sim.org.users.slice(0, 3).map((u) => u.id);
    for (const id of members) h.sim.addUserToGroup(group.id, id);
    const view = await h.read(h.provider());
    await new Promise((r) => setTimeout(r, 2));
    const since = new Date(h.sim.now());
    h.sim.deleteGroup(group.id);
    // A new process resumes: it has no index, so it cannot list the deleted group's members.
    const resumed = h.provider();
    await h.stream(resumed, { since }, view);
    const warning = h.warnings.find((w) => w.code === 'incomplete_fanout');
    expect(warning).toMatchObject({ path: `/api/v1/groups/${group.id}/users` });
    expect(warning!.message).toMatch(/without a synced index \(in a new process\)/);
    expect(warning!.message).toMatch(/Run a full listIdentities\(\) on this provider/);
    // Doing what it says.
    const again = await h.read(resumed);
    expect(byId(again.values())).toEqual(h.sim.expectedIdentities({ groups: true }));
    expect((await resumed.resolveAppUser('okta', String(h.sim.org.user(members[0]!)!.profile.login)))!.groups).toEqual([]);
  });
});
