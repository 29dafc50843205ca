import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type AppGroup, type ConnectorWarning, type Identity } from '../../src/index.js';
import { pushApps, sourceReadingOpen } from '../../src/provider/sync/groups.js';
import { OktaSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

const byId = (list: Iterable<Identity>): Identity[] => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const UNLIMITED: NonNullable<SimulatorOptions['rateLimits']> = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9 } };

/** An org with Okta groups, app groups imported from provisioning apps and from Active Directory, and Group Push mappings. */
function org(extra: SimulatorOptions = {}): { sim: OktaSimulator; paths: string[] } {
  const paths: string[] = [];
  const sim = new OktaSimulator({ seed: 8, users: 120, apps: 8, groups: 6, appGroupsPerApp: 2, pushMappings: 3, rateLimits: UNLIMITED, onRequest: (r) => void paths.push(`${r.path}?${r.query}`), ...extra });
  const ad = sim.createApp({ name: 'active_directory', label: 'corp.example.com' });
  const engineering = sim.importAppGroup(ad.id, 'Engineering users', { description: 'All engineers' });
  for (const user of sim.org.users.slice(0, 5)) sim.addAppGroupMember(engineering.id, user.id);
  // A group pushed to an app where some of its members have no account.
  const app = sim.org.apps.find((a) => a.provisioned && a.status === 'ACTIVE')!;
  const source = sim.org.groups.find((g) => g.type === 'OKTA_GROUP' && !app.groups.has(g.id) && g.memberIds.some((id) => !app.appUsers.has(id)) && !sim.org.pushMappings(app.id).some((m) => m.sourceGroupId === g.id))!;
  sim.createPushMapping(app.id, source.id, { targetGroupName: 'Pushed, partly assigned' });
  return { sim, paths };
}

function provider(sim: OktaSimulator, extra: Record<string, unknown> = {}): { provider: OktaIdentityProvider; warnings: ConnectorWarning[] } {
  const warnings: ConnectorWarning[] = [];
  return { provider: new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token, onWarning: (w) => warnings.push(w), ...extra }), warnings };
}

async function all(p: OktaIdentityProvider): Promise<Identity[]> {
  const out: Identity[] = [];
  for await (const identity of p.listIdentities()) out.push(identity);
  return byId(out);
}

const core = (g: AppGroup | null) => g && { group: g.group, source: g.source, members: g.members };

describe('listIdentities() with groups', () => {
  const { sim, paths } = org();
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('gives each identity its groups (Okta groups and app groups, by id) and equals the ground truth', async () => {
    const { provider: p, warnings } = provider(sim, { groups: true });
    const identities = await all(p);
    expect(identities).toEqual(sim.expectedIdentities({ groups: true }));
    expect(identities.some((i) => i.groups!.some((g) => g.type === 'APP_GROUP' && g.appId !== undefined))).toBe(true);
    expect(warnings).toEqual([]);
    // The groups list at Okta's maximum page with their stats, each group's members at 1,000, and
    // the mappings only of the apps whose groups a mapping names (groupPushMappingsCount: the
    // simulator counts a mapping on its source and its target, and the mappings found explain every count).
    expect(paths.filter((x) => x.startsWith('/api/v1/groups?')).every((x) => x.includes('limit=10000') && x.includes('expand=stats'))).toBe(true);
    const pushedTo = new Set(sim.org.apps.filter((a) => sim.org.pushMappings(a.id).length > 0).map((a) => a.id));
    const withAppGroups = new Set(sim.org.groups.filter((g) => g.type === 'APP_GROUP').map((g) => g.sourceAppId));
    expect(pushedTo.size).toBeLessThan(withAppGroups.size);
    const mappingReads = paths.filter((x) => x.includes('/group-push/mappings')).map((x) => x.split('/')[4]);
    expect(new Set(mappingReads)).toEqual(pushedTo);
    await p.close();
  });

  it('reads no group without the option, and identities have no groups field', async () => {
    paths.length = 0;
    const { provider: p } = provider(sim);
    const identities = await all(p);
    expect(identities).toEqual(sim.expectedIdentities());
    expect(identities.every((i) => !('groups' in i))).toBe(true);
    expect(paths.filter((x) => x.startsWith('/api/v1/groups') || x.includes('group-push'))).toEqual([]);
    await p.close();
  });

  it('warns and gives identities no groups when the token may not read groups', async () => {
    const forbidden = org({ forbidden: [/^\/api\/v1\/groups$/] }).sim;
    await forbidden.start();
    const { provider: p, warnings } = provider(forbidden, { groups: true });
    const identities = await all(p);
    expect(identities.every((i) => i.groups !== undefined && i.groups.length === 0)).toBe(true);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['forbidden', '/api/v1/groups']]);
    expect(warnings[0]!.message).toContain('okta.groups.read');
    await p.close();
    await forbidden.stop();
  });
});

describe('resolveAppGroup()', () => {
  const { sim, paths } = org();
  let fresh: OktaIdentityProvider;
  let synced: OktaIdentityProvider;
  beforeAll(async () => {
    await sim.start();
    fresh = provider(sim).provider;
    synced = provider(sim, { groups: true }).provider;
    await all(synced);
  });
  afterAll(async () => {
    await Promise.all([fresh.close(), synced.close()]);
    await sim.stop();
  });

  /** Answers fresh (counting its requests) and synced (which must make none), both equal to the ground truth. */
  async function both(app: string, group: string): Promise<{ answer: AppGroup | null; requests: number }> {
    paths.length = 0;
    const answer = await fresh.resolveAppGroup(app, group);
    const requests = paths.length;
    expect(core(answer)).toEqual(sim.expectedAppGroup(app, group));
    paths.length = 0;
    expect(core(await synced.resolveAppGroup(app, group))).toEqual(core(answer));
    expect(paths).toEqual([]);
    return { answer, requests };
  }

  it('resolves a group imported from an app, by name (case-insensitive) or its identifiers in the app', async () => {
    const ad = sim.org.apps.find((a) => a.name === 'active_directory')!;
    const group = sim.org.groups.find((g) => g.sourceAppId === ad.id)!;
    const attributes = group.attributes as Record<string, string>;
    for (const name of ['Engineering users', 'ENGINEERING USERS', attributes.samAccountName!, attributes.windowsDomainQualifiedName!, attributes.dn!]) {
      const { answer, requests } = await both('active_directory', name);
      expect(answer).toMatchObject({ group: { id: group.id, type: 'APP_GROUP', appId: ad.id }, source: { kind: 'import' }, missing: [] });
      expect(answer!.members).toHaveLength(5);
      // The app by name, its app groups, its push mappings, the members.
      expect(requests).toBeLessThanOrEqual(4);
    }
    // The app by label or id, too.
    await both('corp.example.com', 'Engineering users');
    await both(ad.id, 'engineering users');
  });

  it('resolves a group Okta pushes to the app to the source group’s members, and an inactive push to the app group’s own', async () => {
    const apps = sim.org.apps.filter((a) => sim.org.pushMappings(a.id).length > 0);
    const mappings = apps.flatMap((a) => sim.org.pushMappings(a.id).map((m) => ({ app: a, m })));
    const active = mappings.find(({ m }) => sim.org.group(m.targetGroupId)!.name === 'Pushed, partly assigned')!;
    const inactive = mappings.find(({ m }) => m.status === 'INACTIVE')!;
    // A member of the pushed group who has no account in the app: Okta pushes only members assigned to the app.
    expect(sim.org.groupMembers(active.m.sourceGroupId).some((id) => !active.app.appUsers.has(id))).toBe(true);
    for (const { app, m } of [active, inactive]) {
      const target = sim.org.group(m.targetGroupId)!;
      const { answer } = await both(app.id, target.name);
      expect(answer!.source).toEqual({ kind: 'push', sourceGroupId: m.sourceGroupId, status: m.status });
      const owner = m.status === 'ACTIVE' ? m.sourceGroupId : m.targetGroupId;
      expect(answer!.members).toEqual(sim.org.groupMembers(owner).filter((id) => m.status !== 'ACTIVE' || app.appUsers.has(id)).sort());
      // The simulator mirrors an active push into the app group, so only the list read tells whose members they are.
      paths.length = 0;
      await fresh.resolveAppGroup(app.id, target.name);
      expect(paths.filter((x) => /^\/api\/v1\/groups\/[^/]+\/users/.test(x)).map((x) => x.split('/')[4])).toEqual([owner]);
    }
  });

  it('answers null for a group the app does not have, and refuses a blank group name before any request', async () => {
    expect((await both('active_directory', 'No such group')).answer).toBeNull();
    paths.length = 0;
    await expect(fresh.resolveAppGroup('active_directory', ' ')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(paths).toEqual([]);
  });

  it('says what it could not read when the push mappings are forbidden', async () => {
    const locked = org({ forbidden: [/\/group-push\/mappings$/] }).sim;
    await locked.start();
    const mapping = locked.org.apps.flatMap((a) => locked.org.pushMappings(a.id).map((m) => ({ app: a, m }))).find(({ m }) => m.status === 'ACTIVE')!;
    const target = locked.org.group(mapping.m.targetGroupId)!;
    for (const withGroups of [false, true]) {
      const { provider: p, warnings } = provider(locked, { groups: withGroups });
      if (withGroups) await all(p);
      const answer = await p.resolveAppGroup(mapping.app.id, target.name);
      // Unable to see the push, the answer is the app group's own membership, and says so.
      expect(answer).toMatchObject({ group: { id: target.id }, source: { kind: 'import' }, missing: [{ code: 'forbidden', status: 403, path: `/api/v1/apps/${mapping.app.id}/group-push/mappings` }] });
      expect(answer!.members).toEqual([...locked.org.groupMembers(target.id)].sort());
      expect(warnings.some((w) => w.code === 'forbidden' && w.path.endsWith('/group-push/mappings'))).toBe(true);
      await p.close();
    }
    await locked.stop();
  });
});

describe('pushApps: which apps’ Group Push mappings a sync reads', () => {
  const group = (id: string, type: string, appId?: string, pushMappings?: number) => ({ id, name: id, type, aliases: [], ...(appId ? { appId } : {}), ...(pushMappings === undefined ? {} : { pushMappings }) });

  const mapping = (appId: string, sourceGroupId: string, targetGroupId: string) => ({ appId, sourceGroupId, targetGroupId, status: 'ACTIVE' });

  it('reads first the apps with an app group of nonzero count, or every app with app groups when a group came without one', () => {
    expect(pushApps([group('00g1', 'OKTA_GROUP', undefined, 1), group('00g2', 'APP_GROUP', '0oaA', 1), group('00g3', 'APP_GROUP', '0oaB', 0)])).toEqual(new Set(['0oaA']));
    expect(pushApps([group('00g1', 'OKTA_GROUP'), group('00g2', 'APP_GROUP', '0oaA', 0), group('00g3', 'APP_GROUP', '0oaB', 0)])).toEqual(new Set(['0oaA', '0oaB']));
    expect(pushApps([group('00g1', 'OKTA_GROUP', undefined, 0), group('00g2', 'APP_GROUP', '0oaA', 0)])).toEqual(new Set());
  });

  it('reads the other apps too while the source reading is the only one left and leaves a count unexplained', () => {
    const okta = group('00g1', 'OKTA_GROUP', undefined, 1);
    const ad = (count: number) => group('00gAD', 'APP_GROUP', '0oaAD', count);
    // Every count 0: no mapping under any reading.
    expect(sourceReadingOpen([group('00g1', 'OKTA_GROUP', undefined, 0), ad(0)], [])).toBe(false);
    // Only an Okta group counts one: its mapping is in some app not read yet.
    expect(sourceReadingOpen([okta, ad(0), group('00g2', 'APP_GROUP', '0oaA', 0)], [])).toBe(true);
    // An AD group counts one and its own app holds no mapping from it: it is pushed somewhere else.
    expect(sourceReadingOpen([group('00g1', 'OKTA_GROUP', undefined, 0), ad(1), group('00g2', 'APP_GROUP', '0oaA', 0)], [])).toBe(true);
    // Both counted (the source and the target of what was found): the target's count refutes the source reading.
    expect(sourceReadingOpen([okta, group('00g2', 'APP_GROUP', '0oaA', 1)], [mapping('0oaA', '00g1', '00g2')])).toBe(false);
    // Only targets counted: a source with fewer than found refutes it.
    expect(sourceReadingOpen([group('00g1', 'OKTA_GROUP', undefined, 0), group('00g2', 'APP_GROUP', '0oaA', 1)], [mapping('0oaA', '00g1', '00g2')])).toBe(false);
    // A group without its count: nothing can be ruled out.
    expect(sourceReadingOpen([group('00g1', 'OKTA_GROUP'), ad(0)], [])).toBe(true);
  });
});

describe('groupPushMappingsCount under each reading (source, target, both): every mapping is found', () => {
  for (const reading of ['source', 'target', 'both'] as const) {
    it(`a synced provider resolves pushed groups as pushed when the count is kept on the ${reading === 'both' ? 'source and the target' : reading}`, async () => {
      // No seeded mapping: the only ones are an Active Directory group pushed to an app, and an Okta group pushed to another.
      const read = new Set<string>();
      const onRequest = (r: { path: string }) => void (r.path.endsWith('/group-push/mappings') && read.add(r.path.split('/')[4]!));
      const sim = new OktaSimulator({ seed: 17, users: 60, apps: 6, groups: 4, appGroupsPerApp: 1, rateLimits: UNLIMITED, groupPushMappingsCount: reading, onRequest });
      const ad = sim.createApp({ name: 'active_directory', label: 'corp.example.com' });
      const engineering = sim.importAppGroup(ad.id, 'Engineering users', { description: 'All engineers' });
      for (const user of sim.org.users.slice(0, 5)) sim.addAppGroupMember(engineering.id, user.id);
      const [first, second] = sim.org.apps.filter((a) => a.provisioned && a.status === 'ACTIVE');
      const okta = sim.org.groups.find((g) => g.type === 'OKTA_GROUP')!;
      const fromAd = sim.createPushMapping(first!.id, engineering.id, { targetGroupName: 'eng-pushed' });
      const fromOkta = sim.createPushMapping(second!.id, okta.id, { targetGroupName: 'okta-pushed' });
      await sim.start();
      const { provider: synced } = provider(sim, { groups: true });
      const { provider: fresh } = provider(sim);
      try {
        await all(synced);
        for (const [app, mapping] of [[first!, fromAd], [second!, fromOkta]] as const) {
          const name = sim.org.group(mapping.targetGroupId)!.name;
          const answer = await synced.resolveAppGroup(app.id, name);
          expect(answer).toMatchObject({ source: { kind: 'push', sourceGroupId: mapping.sourceGroupId }, missing: [] });
          expect(core(answer)).toEqual(core(await fresh.resolveAppGroup(app.id, name)));
        }
        // What it costs: the apps with a counted app group (the targets', and under `both` the AD
        // source's own app) when the mappings found explain every count; else every app with app groups.
        const withAppGroups = new Set(sim.org.groups.filter((g) => g.type === 'APP_GROUP').map((g) => g.sourceAppId!));
        const counted = reading === 'both' ? [ad.id, first!.id, second!.id] : [first!.id, second!.id];
        expect(read).toEqual(reading === 'source' ? withAppGroups : new Set(counted));
        expect(withAppGroups.size).toBeGreaterThan(2);
      } finally {
        await synced.close();
        await fresh.close();
        await sim.stop();
      }
    });
  }
});
