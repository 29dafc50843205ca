import { describe, expect, it } from '@jest/globals';
import type { IdentityChange } from '../../../src/index.js';
import { useMswServer } from '../../helpers/msw.js';
import { drain, listAfter, makeProvider, setupLogOrg, summary, syncedProvider, T, type LogOrg } from '../../helpers/log-org.js';

const server = useMswServer();

const setup = () => setupLogOrg(server);

const ids = (changes: IdentityChange[]): string[] => changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id));

/** `count` users `00uM0000`..., the members of a new group `groupId`. */
/** `apps`, the first held by `holders` and the second by 00uZ0001; the first relabelled 'Slack (Renamed)'. Returns the relabel's uuid. */
function relabelled(org: LogOrg, holders: string[], apps: string[]): string {
  for (const appId of apps) org.addApp(appId);
  for (const id of holders) {
    org.addUser(id);
    org.assign(apps[0]!, id);
  }
  org.addUser('00uZ0001');
  org.assign(apps[1]!, '00uZ0001');
  org.renameApp(apps[0]!, 'Slack (Renamed)');
  return org.log('application.lifecycle.update', [T.app(apps[0]!)]);
}

function addGroupMembers(org: LogOrg, groupId: string, count: number): string[] {
  const members = Array.from({ length: count }, (_, i) => `00uM${String(i).padStart(4, '0')}`);
  for (const id of members) org.addUser(id);
  org.addGroup(groupId, members);
  return members;
}

describe('changes() with a synced store: cost bounded by pages, not people', () => {
  it('applies a 900-member group assigned to an app with one read of the app’s accounts, delivering only the people who changed', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA', 'github', 'GitHub');
    for (let i = 0; i < 100; i++) {
      org.addUser(`00uO${i}`);
      org.assign('0oaA', `00uO${i}`);
    }
    const members = addGroupMembers(org, '00gBIG', 900);
    const { provider, warnings } = await syncedProvider(org, clock);
    // What Okta logs: the assignment, then one application.user_membership.add per new member.
    org.assignGroup('0oaA', '00gBIG', (id) => `gh-${id}`);
    org.log('group.application_assignment.add', [T.group('00gBIG'), T.app('0oaA')]);
    for (const id of members) org.log('application.user_membership.add', [T.appUser(`0ua${id.slice(3)}`), T.app('0oaA'), T.user(id)]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes).sort()).toEqual(members);
    expect(changes.every((c) => c.type === 'upsert' && c.identity.accounts.length === 1 && c.identity.accounts[0]!.scope === 'GROUP')).toBe(true);
    // ceil(1,000 app users / 500) pages; the app is known from the sync; no user is read.
    expect(org.appsBucket()).toHaveLength(2);
    expect(org.appsBucket().every((u) => u.pathname === '/api/v1/apps/0oaA/users' && u.searchParams.get('limit') === '500')).toBe(true);
    expect(org.calls(/^\/api\/v1\/users/)).toHaveLength(0);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('covers an account event on a later page with the accounts read that followed it, and reads one app user otherwise', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    const members = addGroupMembers(org, '00gG', 3);
    org.addUser('00uLATE');
    const { provider } = await syncedProvider(org, clock);
    org.assignGroup('0oaA', '00gG', (id) => id);
    org.log('group.application_assignment.add', [T.group('00gG'), T.app('0oaA')]);
    const joined = org.log('application.user_membership.add', [T.appUser('0uaM0'), T.app('0oaA'), T.user(members[0]!)]);
    clock.current += 2_000; // Okta's clock moves on before the stream reads
    const controller = new AbortController();
    let appsAfterFirstPage = 0;
    clock.onPoll = (n) => {
      if (n > 1) return controller.abort();
      appsAfterFirstPage = org.appsBucket().length;
      // Published before the accounts read (2 s past the start; the stream then slept 5 s): covered.
      org.log('application.user_membership.add', [T.appUser('0uaM1'), T.app('0oaA'), T.user(members[1]!)], { published: clock.current - 6_000 });
      // Published after it: one app user read, not the list.
      org.assign('0oaA', '00uLATE', 'late');
      org.log('application.user_membership.add', [T.appUser('0uaL'), T.app('0oaA'), T.user('00uLATE')]);
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    // The covered event is acknowledged with its person's identity, read from the store.
    expect(ids(changes)).toEqual([...members, members[1]!, '00uLATE']);
    expect(changes[0]!.eventIds).toContain(joined);
    expect(appsAfterFirstPage).toBe(1);
    expect(org.appsBucket().slice(appsAfterFirstPage).map((u) => u.pathname)).toEqual(['/api/v1/apps/0oaA/users/00uLATE']);
    await provider.close();
  });

  it('takes an event published in the future as published at Okta’s now: later events are not all taken as written late', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    const members = addGroupMembers(org, '00gG', 2);
    org.addUser('00uF');
    const { provider } = await syncedProvider(org, clock);
    org.log('user.account.update_profile', [T.user('00uF')], { published: clock.current + 3 * 60 * 60 * 1000 });
    const controller = new AbortController();
    let appsAfterAssignment = 0;
    clock.onPoll = (n) => {
      if (n === 1) {
        org.assignGroup('0oaA', '00gG', (id) => id);
        org.log('group.application_assignment.add', [T.group('00gG'), T.app('0oaA')]);
        org.log('application.user_membership.add', [T.appUser('0uaM0'), T.app('0oaA'), T.user(members[0]!)]);
        clock.current += 2_000; // Okta's clock moves on before the stream reads the app's accounts
      } else if (n === 2) {
        appsAfterAssignment = org.appsBucket().length;
        // Published after every event before it (the future one aside) and before the accounts read: covered.
        org.log('application.user_membership.add', [T.appUser('0uaM1'), T.app('0oaA'), T.user(members[1]!)], { published: clock.current - 6_000 });
      } else controller.abort();
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    expect(ids(changes)).toEqual(['00uF', ...members, members[1]!]);
    expect(org.appsBucket().slice(appsAfterAssignment)).toEqual([]);
    await provider.close();
  });

  it('trusts no earlier accounts read for an event written late (published before one already read)', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    const members = addGroupMembers(org, '00gG', 2);
    org.addUser('00uLATE');
    const { provider } = await syncedProvider(org, clock);
    const t0 = clock.current;
    org.assignGroup('0oaA', '00gG', (id) => id);
    org.log('group.application_assignment.add', [T.group('00gG'), T.app('0oaA')]);
    clock.current += 2_000;
    org.log('application.user_membership.add', [T.appUser('0uaM0'), T.app('0oaA'), T.user(members[0]!)]);
    const controller = new AbortController();
    let appsAfterFirstPage = 0;
    clock.onPoll = (n) => {
      if (n > 1) return controller.abort();
      appsAfterFirstPage = org.appsBucket().length;
      // Assigned after the accounts read, but logged late: published before the events already read,
      // so also before that read. When its change took effect is unknown: the account is read.
      org.assign('0oaA', '00uLATE', 'late');
      org.log('application.user_membership.add', [T.appUser('0uaL'), T.app('0oaA'), T.user('00uLATE')], { published: t0 + 1_000 });
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    expect(changes.map(summary)).toContain('upsert 00uLATE ACTIVE [0oaA:late]');
    expect(org.appsBucket().slice(appsAfterFirstPage).map((u) => u.pathname)).toEqual(['/api/v1/apps/0oaA/users/00uLATE']);
    await provider.close();
  });

  it('delivers every holder of an app whose label changed, for the cost of its accounts and the app', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA', 'slack', 'Slack');
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
    }
    org.addUser('00u3');
    const { provider } = await syncedProvider(org, clock);
    org.renameApp('0oaA', 'Slack (Renamed)');
    const relabel = org.log('application.lifecycle.update', [T.app('0oaA')]);
    // One holder is also refreshed in full first, which teaches the store the new label.
    const profile = org.log('user.account.update_profile', [T.user('00u1')]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(['00u1', '00u2']);
    expect(changes.every((c) => c.type === 'upsert' && c.identity.accounts[0]?.appLabel === 'Slack (Renamed)')).toBe(true);
    // Each holder carries the relabel (00u2, unchanged but for the label, by id alone in the plan).
    expect(changes.map((c) => [...c.eventIds].sort())).toEqual([[relabel, profile].sort(), [relabel]]);
    // The page is delivered whole: the last cursor resumes past it, with nothing to deliver again.
    expect(await drain(provider, clock, { cursor: changes.at(-1)!.cursor })).toEqual([]);
    expect(org.appsBucket().map((u) => u.pathname).sort()).toEqual(['/api/v1/apps', '/api/v1/apps/0oaA', '/api/v1/apps/0oaA/users']);
    await provider.close();
  });

  it('removes a deleted app’s accounts from its holders with no request, from the store', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    org.addApp('0oaB');
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
      org.assign('0oaB', id);
    }
    const { provider, warnings } = await syncedProvider(org, clock);
    org.setAppStatus('0oaA', 'INACTIVE');
    org.log('application.lifecycle.deactivate', [T.app('0oaA')]);
    org.deleteApp('0oaA');
    org.log('application.lifecycle.delete', [T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual(['upsert 00u1 ACTIVE [0oaB:00u1-0oaB]', 'upsert 00u2 ACTIVE [0oaB:00u2-0oaB]']);
    expect(org.requests.filter((u) => u.pathname !== '/api/v1/logs')).toEqual([]);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('finds the one account a provisioning event changed when the event names only the app and the app user', async () => {
    const { clock, org, since } = setup();
    // A provisioning app: its accounts wait STAGED for Okta's push.
    org.addApp('0oaA', 'box', 'Box', { provisioned: true });
    for (const id of ['00u1', '00u2', '00u3']) {
      org.addUser(id);
      org.assign('0oaA', id);
    }
    const { provider } = await syncedProvider(org, clock);
    org.provision('0oaA', '00u2', 'box-7781');
    org.log('application.provision.user.push', [T.app('0oaA'), T.appUser('0uaPUSHED')], { actor: { id: '0oaA', type: 'PublicClientApp' } });
    const changes = await drain(provider, clock, { since });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.type === 'upsert' && changes[0]!.identity.accounts[0]).toMatchObject({ status: 'PROVISIONED', externalId: 'box-7781' });
    expect(org.appsBucket()).toHaveLength(1);
    expect(await provider.resolveAppUser('0oaA', 'box-7781')).toMatchObject({ id: '00u2' });
    await provider.close();
  });

  it('reads only the user for a lock event that names the user as its actor', async () => {
    const { clock, org, since } = setup();
    org.addApp('0oaA');
    org.addUser('00u1');
    org.assign('0oaA', '00u1');
    const { provider } = await syncedProvider(org, clock);
    org.setStatus('00u1', 'LOCKED_OUT');
    org.log('user.account.lock', [], { actor: T.user('00u1') });
    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual(['upsert 00u1 LOCKED_OUT [0oaA:00u1-0oaA]']);
    expect(org.requests.filter((u) => u.pathname !== '/api/v1/logs').map((u) => u.pathname)).toEqual(['/api/v1/users/00u1']);
    await provider.close();
  });

  it('reads the user list once for a mass password expiry and delivers those whose status changed', async () => {
    const { clock, org, since } = setup();
    for (const id of ['00u1', '00u2']) org.addUser(id);
    org.addUser('00u3', 'SUSPENDED');
    const { provider } = await syncedProvider(org, clock);
    for (const id of ['00u1', '00u2']) org.setStatus(id, 'PASSWORD_EXPIRED');
    org.log('user.lifecycle.password_mass_expiry', []);
    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual(['upsert 00u1 PASSWORD_EXPIRED []', 'upsert 00u2 PASSWORD_EXPIRED []']);
    expect(org.requests.filter((u) => u.pathname !== '/api/v1/logs').map((u) => u.pathname)).toEqual(['/api/v1/users']);
    await provider.close();
  });
});

describe('changes() without a synced store', () => {
  it('reads each member of a group assigned to an app when that is cheaper than reading the org', async () => {
    // Okta may serve fewer members than `limit` asks for: here 2 a page.
    const { clock, org, provider, warnings, since } = setupLogOrg(server, { pageLimits: { listGroupUsers: 2 } });
    for (const id of ['0oaA', '0oaB', '0oaC', '0oaD']) org.addApp(id);
    const members = addGroupMembers(org, '00gENG', 3);
    org.assignGroup('0oaA', '00gENG', (id) => `gh-${id}`);
    org.addUser('00u9'); // not a member: not touched
    const uuid = org.log('group.application_assignment.add', [T.group('00gENG'), T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual(members.map((id) => `upsert ${id} ACTIVE [0oaA:gh-${id}]`));
    expect(changes.every((c) => c.eventIds.length === 1 && c.eventIds[0] === uuid)).toBe(true);
    expect(org.calls('/api/v1/groups/00gENG/users').map((u) => u.searchParams.get('after'))).toEqual([null, listAfter(members[1]!)]);
    // The member list embeds each user: only their apps are read (one request each), plus the app count.
    expect(org.calls(/^\/api\/v1\/users\//)).toHaveLength(0);
    expect(org.calls('/api/v1/apps').filter((u) => u.searchParams.has('filter'))).toHaveLength(3);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('reads the org once instead of many people one by one, and keeps what it read as its store', async () => {
    const { clock, org, provider, since } = setup();
    org.addApp('0oaA');
    const members = addGroupMembers(org, '00gENG', 40);
    org.assignGroup('0oaA', '00gENG', (id) => `gh-${id}`);
    org.log('group.application_assignment.add', [T.group('00gENG'), T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(members);
    // The apps list (read once: to count the apps, then by the full read), and the one app's accounts.
    expect(org.appsBucket().map((u) => u.pathname)).toEqual(['/api/v1/apps', '/api/v1/apps/0oaA/users']);
    const before = org.requests.length;
    expect(await provider.resolveAppUser('0oaA', 'gh-00uM0007')).toMatchObject({ id: '00uM0007' });
    expect(org.requests.length).toBe(before);
    await provider.close();
  });

  it('reads the org whole for a relabelled app after counting its holders, and delivers each holder with the event', async () => {
    const { clock, org, provider, since } = setup();
    const holders = Array.from({ length: 30 }, (_, i) => `00uH${String(i).padStart(4, '0')}`);
    const uuid = relabelled(org, holders, ['0oaA', '0oaB']);
    const changes = await drain(provider, clock, { since });
    // Every person of the org read is delivered; the holders with the relabel's uuid, the other without.
    expect(ids(changes).sort()).toEqual([...holders, '00uZ0001'].sort());
    for (const c of changes) expect(c.eventIds).toEqual(ids([c])[0] === '00uZ0001' ? [] : [uuid]);
    expect(changes.every((c) => c.type === 'upsert' && (c.identity.id === '00uZ0001' || c.identity.accounts[0]?.appLabel === 'Slack (Renamed)'))).toBe(true);
    // The app's users were counted without their users, never listed with them: by the full read,
    // which read the app's one page first (once), before any user, and the other app after it.
    expect(org.calls('/api/v1/apps/0oaA/users').some((u) => u.searchParams.get('expand') === 'user')).toBe(false);
    const read = org.calls(/^\/api\/v1\/(users|apps\/)/).map((u) => u.pathname);
    expect(read.filter((p) => p === '/api/v1/apps/0oaA/users')).toHaveLength(1);
    expect(read[0]).toBe('/api/v1/apps/0oaA/users');
    expect(read).toContain('/api/v1/apps/0oaB/users');
    await provider.close();
  });

  it('stops the full read at the relabelled app when its holders are fewer than the apps, before any user list, and reads them one by one', async () => {
    const { clock, org, provider, since } = setup();
    const uuid = relabelled(org, ['00uH0001', '00uH0002'], ['0oaA', '0oaB', '0oaC']);
    const changes = await drain(provider, clock, { since });
    // Two holders, three apps: reading each holder costs less than a full read.
    expect(ids(changes).sort()).toEqual(['00uH0001', '00uH0002']);
    expect(changes.every((c) => c.type === 'upsert' && c.identity.accounts[0]?.appLabel === 'Slack (Renamed)' && c.eventIds[0] === uuid)).toBe(true);
    // The full read stopped after the app's one page: no user list, no other app's accounts.
    expect(org.calls('/api/v1/users')).toHaveLength(0);
    expect(org.calls(/^\/api\/v1\/apps\/0oa[BC]\/users/)).toHaveLength(0);
    await provider.close();
  });

  it('gives up a full read that costs more than reading the people, and reads them instead', async () => {
    const { clock, org, provider, since } = setup();
    // Three apps of 600 accounts each: a full read takes 1 + 3 × 2 apps-bucket pages.
    for (const appId of ['0oaA', '0oaB', '0oaC']) {
      org.addApp(appId);
      for (let i = 0; i < 600; i++) {
        const id = `00uX${String(i).padStart(4, '0')}`;
        if (!org.hasUser(id)) org.addUser(id);
        org.assign(appId, id);
      }
    }
    for (const id of ['00uX0001', '00uX0002', '00uX0003', '00uX0004']) org.log('user.lifecycle.suspend', [T.user(id)]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(['00uX0001', '00uX0002', '00uX0003', '00uX0004']);
    expect(changes.every((c) => c.type === 'upsert' && c.identity.accounts.length === 3)).toBe(true);
    const appsBucket = org.appsBucket().length;
    // app count (1) + the full read stopped at its budget (≤ 4 + the reads in flight) + 4 people.
    expect(appsBucket).toBeLessThanOrEqual(1 + 4 + 3 + 4);
    expect(org.calls('/api/v1/apps').filter((u) => u.searchParams.has('filter'))).toHaveLength(4);
    await provider.close();
  });

  it('reaches the holders of a deleted app through what it saw when the app was deactivated', async () => {
    const { clock, org, provider, warnings, since } = setup();
    for (const id of ['0oaA', '0oaB', '0oaC', '0oaD']) org.addApp(id);
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
      org.assign('0oaB', id);
    }
    org.setAppStatus('0oaA', 'INACTIVE');
    org.log('application.lifecycle.deactivate', [T.app('0oaA')]);
    const controller = new AbortController();
    clock.onPoll = (n) => {
      if (n === 1) {
        // Okta requires deactivation before deletion; afterwards the app's users cannot be listed.
        org.deleteApp('0oaA');
        org.log('application.lifecycle.delete', [T.app('0oaA')]);
      } else controller.abort();
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    // Deactivating changes no account; the deletion does.
    expect(changes.map(summary)).toEqual(['upsert 00u1 ACTIVE [0oaB:00u1-0oaB]', 'upsert 00u2 ACTIVE [0oaB:00u2-0oaB]']);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('warns incomplete_fanout when nobody knows a deleted app’s holders', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addUser('00u1');
    org.log('application.lifecycle.delete', [T.app('0oaGONE')]);
    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['incomplete_fanout', '/api/v1/apps/0oaGONE/users']]);
    expect(warnings[0]!.message).toContain('listIdentities()');
    await provider.close();
  });

  // A membership event may be the removal, which the app's current holders cannot show;
  // provisioning never removes an Okta assignment.
  it.each([
    ['application.user_membership.remove', ['incomplete_fanout']],
    ['application.provision.user.push', []],
  ])('refreshes the whole app when %s names no person, and warns %j', async (eventType, codes) => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA');
    org.addUser('00u1');
    org.assign('0oaA', '00u1');
    org.log(eventType, [T.appUser('0uaONLY'), T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(['00u1']);
    expect(warnings.map((w) => w.code)).toEqual(codes);
    await provider.close();
  });

  it('skips a group that no longer exists with a not_found warning', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.log('group.application_assignment.remove', [T.app('0oaA'), T.group('00gGONE')]);
    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['not_found', '/api/v1/groups/00gGONE/users']]);
    await provider.close();
  });

  it('never reads anyone for an event that names nobody, and says so', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.log('user.account.lock', [], { actor: null });
    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(org.requests.every((u) => u.pathname === '/api/v1/logs')).toBe(true);
    expect(warnings.map((w) => w.code)).toEqual(['unresolved_event']);
    const { provider: other } = makeProvider(clock);
    await other.close();
    await provider.close();
  });
});
