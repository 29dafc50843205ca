import { describe, expect, it } from '@jest/globals';
import type { IdentityChange } from '../../src/index.js';
import { useMswServer } from '../helpers/msw.js';
import { drain, makeProvider, setupLogOrg, summary, T } from './log-org.js';

const server = useMswServer();

const setup = () => setupLogOrg(server);

const ids = (changes: IdentityChange[]): string[] => changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id));

describe('changes(): events that touch many people', () => {
  it('refreshes every member of a group assigned to an app, paging the member list by its next links', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA', 'github', 'GitHub');
    const members = ['00u1', '00u2', '00u3', '00u4', '00u5'];
    for (const id of members) {
      org.addUser(id);
      org.assign('0oaA', id, `gh-${id}`, 'GROUP');
    }
    org.addUser('00u9'); // not a member: not touched
    org.groups.set('00gENG', new Set(members));
    org.groupPageSize = 2;
    const uuid = org.log('group.application_assignment.add', [T.app('0oaA'), T.group('00gENG')]);

    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual(members.map((id) => `upsert ${id} ACTIVE [0oaA:gh-${id}]`));
    expect(changes.every((c) => c.eventIds.length === 1 && c.eventIds[0] === uuid)).toBe(true);
    const memberPages = org.calls('/api/v1/groups/00gENG/users');
    expect(memberPages.map((u) => u.searchParams.get('after'))).toEqual([null, '2', '4']);
    expect(memberPages[0]!.searchParams.get('limit')).toBe('1000');
    // The member list embeds each user: only their apps are read, never the user again.
    expect(org.calls(/^\/api\/v1\/users\//)).toHaveLength(0);
    expect(org.calls('/api/v1/apps')).toHaveLength(5);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('refreshes every account holder of an app whose label changed', async () => {
    const { clock, org, provider, since } = setup();
    const app = org.addApp('0oaA', 'slack', 'Slack');
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
    }
    org.addUser('00u3');
    app.label = 'Slack (Renamed)';
    org.log('application.lifecycle.update', [T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(['00u1', '00u2']);
    expect(changes.every((c) => c.type === 'upsert' && c.identity.accounts[0]?.appLabel === 'Slack (Renamed)')).toBe(true);
    expect(org.calls('/api/v1/apps/0oaA/users')[0]!.searchParams.get('limit')).toBe('500');
    await provider.close();
  });

  it('reaches the members of a deleted app through what it saw when the app was deactivated', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA');
    org.addApp('0oaB');
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
      org.assign('0oaB', id);
    }
    org.apps.get('0oaA')!.status = 'INACTIVE';
    org.log('application.lifecycle.deactivate', [T.app('0oaA')]);
    const controller = new AbortController();
    clock.onPoll = (n) => {
      if (n === 1) {
        // Okta requires deactivation before deletion; afterwards the app's users cannot be listed.
        org.apps.delete('0oaA');
        org.log('application.lifecycle.delete', [T.app('0oaA')]);
      } else controller.abort();
    };
    const changes: IdentityChange[] = [];
    for await (const change of provider.changes({ since, signal: controller.signal })) changes.push(change);
    expect(changes.map(summary)).toEqual([
      'upsert 00u1 ACTIVE [0oaA:00u1-0oaA,0oaB:00u1-0oaB]',
      'upsert 00u2 ACTIVE [0oaA:00u2-0oaA,0oaB:00u2-0oaB]',
      'upsert 00u1 ACTIVE [0oaB:00u1-0oaB]',
      'upsert 00u2 ACTIVE [0oaB:00u2-0oaB]',
    ]);
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('warns incomplete_fanout when nobody knows a deleted app’s members, and uses the synced store when there is one', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA');
    for (const id of ['00u1', '00u2']) {
      org.addUser(id);
      org.assign('0oaA', id);
    }
    org.addUser('00u3');
    org.apps.delete('0oaA');
    org.log('application.lifecycle.delete', [T.app('0oaA')]);

    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['incomplete_fanout', '/api/v1/apps/0oaA/users']]);
    expect(warnings[0]!.message).toContain('listIdentities()');

    // A provider that synced before the app was deleted knows who had accounts in it.
    org.addApp('0oaA');
    for (const id of ['00u1', '00u2']) org.assign('0oaA', id);
    const synced = makeProvider(clock);
    for await (const identity of synced.provider.listIdentities()) void identity;
    org.apps.delete('0oaA');
    const changes = await drain(synced.provider, clock, { since });
    expect(changes.map(summary)).toEqual(['upsert 00u1 ACTIVE []', 'upsert 00u2 ACTIVE []']);
    expect(synced.warnings).toEqual([]);
    await Promise.all([provider.close(), synced.provider.close()]);
  });

  it('refreshes the whole app when an assignment event names no person, and says a removal may be missed', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA');
    org.addUser('00u1');
    org.assign('0oaA', '00u1');
    org.log('application.user_membership.remove', [T.appUser('0uaONLY'), T.app('0oaA')]);
    const changes = await drain(provider, clock, { since });
    expect(ids(changes)).toEqual(['00u1']);
    expect(warnings.map((w) => w.code)).toEqual(['incomplete_fanout']);
    await provider.close();
  });

  it('warns when a group that was assigned no longer exists', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.log('group.application_assignment.remove', [T.app('0oaA'), T.group('00gGONE')]);
    expect(await drain(provider, clock, { since })).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['incomplete_fanout', '/api/v1/groups/00gGONE/users']]);
    await provider.close();
  });
});
