import { describe, expect, it } from '@jest/globals';
import { http } from 'msw';
import { ORIGIN, useMswServer } from '../../helpers/msw.js';
import { drain, setupLogOrg, summary, T } from '../../helpers/log-org.js';

const server = useMswServer();

const setup = () => setupLogOrg(server);

describe('changes(): each event family', () => {
  it('turns user, account, app-membership and group-membership events into the right upserts and deletes', async () => {
    const { clock, org, provider, warnings, since } = setup();
    org.addApp('0oaA', 'slack', 'Slack');
    for (const id of ['00u1', '00u4', '00u5', '00u6', '00u7', '00u8']) org.addUser(id);
    org.addUser('00u2', 'SUSPENDED');
    org.assign('0oaA', '00u1', 'ada');
    org.assign('0oaA', '00u6', 'renamed');
    org.addGroup('00gENG', ['00u8']);
    org.assignGroup('0oaA', '00gENG', () => 'via-group');

    const created = org.log('user.lifecycle.create', [T.user('00u1')]);
    const suspended = org.log('user.lifecycle.suspend', [T.user('00u2')]);
    const initiated = org.log('user.lifecycle.delete.initiated', [T.user('00u3')]);
    const completed = org.log('user.lifecycle.delete.completed', [T.user('00u3')]);
    const profile = org.log('user.account.update_profile', [T.user('00u4')]);
    const email = org.log('user.account.update_primary_email', [T.user('00u5')]);
    // Okta's shape: the AppUser target is the 0ua... assignment, the person is a separate User target.
    const added = org.log('application.user_membership.add', [T.appUser('0uaASSIGN1'), T.app('0oaA'), T.user('00u6')]);
    // The simulator's other shape: the AppUser target id is the user id, no User target.
    const removed = org.log('application.user_membership.remove', [T.appUser('00u7'), T.app('0oaA')]);
    const joined = org.log('group.user_membership.add', [T.user('00u8'), T.group('00gENG')]);
    const renamed = org.log('application.user_membership.change_username', [T.appUser('0uaASSIGN1'), T.app('0oaA'), T.user('00u6')]);

    const changes = await drain(provider, clock, { since });
    expect(changes.map(summary)).toEqual([
      'upsert 00u1 ACTIVE [0oaA:ada]',
      'upsert 00u2 SUSPENDED []',
      'delete 00u3',
      'upsert 00u4 ACTIVE []',
      'upsert 00u5 ACTIVE []',
      'upsert 00u6 ACTIVE [0oaA:renamed]',
      'upsert 00u7 ACTIVE []',
      'upsert 00u8 ACTIVE [0oaA:via-group]',
    ]);
    expect(changes.map((c) => c.eventIds)).toEqual([[created], [suspended], [initiated, completed], [profile], [email], [added, renamed], [removed], [joined]]);
    const u1 = changes[0]!;
    expect(u1.type === 'upsert' && u1.identity).toEqual({
      id: '00u1',
      login: '00u1@example.com',
      email: '00u1@example.com',
      displayName: 'First 00u1',
      status: 'ACTIVE',
      accounts: [{ appId: '0oaA', appName: 'slack', appLabel: 'Slack', userName: 'ada', externalId: null, scope: 'USER', status: 'ACTIVE' }],
    });
    expect(warnings).toEqual([]);
    await provider.close();
  });

  it('covers every user.lifecycle and application.* sub-type, including ones not listed by name', async () => {
    const { clock, org, provider, since } = setup();
    const types = ['user.lifecycle.activate', 'user.lifecycle.reactivate', 'user.lifecycle.deactivate', 'user.lifecycle.unsuspend', 'application.user_membership.update', 'application.user_membership.provision', 'application.user_membership.deprovision', 'application.user_membership.restore'];
    types.forEach((type, i) => {
      org.addUser(`00uT${i}`);
      org.log(type, [T.user(`00uT${i}`)]);
    });
    const changes = await drain(provider, clock, { since });
    expect(changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id))).toEqual(types.map((_, i) => `00uT${i}`));
    await provider.close();
  });

  it('ignores events that do not change identities, without reading anyone', async () => {
    const { clock, org, provider, since } = setup();
    org.addUser('00u9');
    org.log('user.session.start', [T.user('00u9')]);
    org.log('user.authentication.sso', [T.user('00u9'), T.app('0oaA')]);
    org.log('application.user_membership.show_password', [T.user('00u9'), T.app('0oaA')]);
    org.log('user.account.update_secondary_email', [T.user('00u9')]);
    org.log('policy.evaluate_sign_on', [T.user('00u9')]);
    org.log('group.lifecycle.create', [T.group('00gNEW')]);
    org.log('group.profile.update', [T.group('00gNEW')]);
    // A lookalike of a real family, to check prefixes are matched whole.
    org.log('user.lifecycles.create', [T.user('00u9')]);
    // Okta's own filter on the event type would drop most of these: serve them all, so it is the
    // connector's check that ignores them.
    server.use(
      http.get(`${ORIGIN}/api/v1/logs`, ({ request }) => {
        const unfiltered = new URL(request.url);
        unfiltered.searchParams.delete('filter');
        org.requests.push(unfiltered);
        return org.sim.fetch(new Request(unfiltered, { headers: request.headers }));
      }),
    );
    const changes = await drain(provider, clock, { since });
    expect(changes).toEqual([]);
    expect(org.requests.every((u) => u.pathname === '/api/v1/logs')).toBe(true);
    await provider.close();
  });

  it('reads each person with two requests: the user, and their apps with each app user embedded', async () => {
    const { clock, org, provider, since } = setup();
    org.addUser('00u1');
    org.addApp('0oaA');
    org.assign('0oaA', '00u1');
    org.log('user.account.update_profile', [T.user('00u1')]);
    await drain(provider, clock, { since });
    const reads = org.requests.filter((u) => u.pathname !== '/api/v1/logs');
    expect(reads.map((u) => u.pathname).sort()).toEqual(['/api/v1/apps', '/api/v1/users/00u1']);
    const apps = reads.find((u) => u.pathname === '/api/v1/apps')!;
    expect(apps.searchParams.get('filter')).toBe('user.id eq "00u1"');
    expect(apps.searchParams.get('expand')).toBe('user/00u1');
    await provider.close();
  });

  it('polls with a server-side filter on the identity event types, a since and no until', async () => {
    const { clock, org, provider, since } = setup();
    await drain(provider, clock, { since });
    const first = org.calls('/api/v1/logs')[0]!;
    expect(first.searchParams.get('since')).toBe(since.toISOString());
    expect(first.searchParams.has('until')).toBe(false);
    expect(first.searchParams.get('sortOrder')).toBe('ASCENDING');
    expect(first.searchParams.get('limit')).toBe('1000');
    const filter = first.searchParams.get('filter')!;
    for (const prefix of ['user.lifecycle.', 'user.account.', 'system.import.', 'group.user_membership.', 'group.application_assignment.', 'application.user_membership.', 'application.provision.user.', 'application.lifecycle.']) {
      expect(filter).toContain(`(eventType sw "${prefix}")`);
    }
    expect(filter).toContain('(eventType sw "app.user_management.push_new_user_success")');
    expect(filter).toContain('(eventType sw "application.provision.field_mapping_rule.change")');
    expect(filter.split(') or (')).toHaveLength(10);
    await provider.close();
  });
});
