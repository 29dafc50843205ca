import { describe, expect, it } from '@jest/globals';
import { useMswServer } from '../../helpers/msw.js';
import { drain, LogOrg, makeProvider, PollClock, T } from '../../helpers/log-org.js';

const server = useMswServer();

describe('changes() keeps a synced provider current', () => {
  it('answers resolveAppUser from streamed changes with no request', async () => {
    const clock = new PollClock(5_000);
    const org = new LogOrg(clock);
    server.use(...org.handlers());
    org.addApp('0oaGH', 'github', 'GitHub');
    for (const id of ['00u1', '00u2', '00u3']) org.addUser(id);
    org.assign('0oaGH', '00u1', 'ada-old');
    org.assign('0oaGH', '00u2', 'bob');
    org.assign('0oaGH', '00u3', 'cy');
    const { provider } = makeProvider(clock);
    for await (const identity of provider.listIdentities()) void identity;
    const since = new Date(clock.now());
    expect((await provider.resolveAppUser('github', 'ada-old'))?.id).toBe('00u1');

    org.assign('0oaGH', '00u1', 'ada-new');
    org.log('application.user_membership.change_username', [T.appUser('0uaX'), T.app('0oaGH'), T.user('00u1')]);
    org.unassign('0oaGH', '00u2');
    org.log('application.user_membership.remove', [T.appUser('0uaY'), T.app('0oaGH'), T.user('00u2')]);
    org.deleteUser('00u3');
    org.log('user.lifecycle.delete.completed', [T.user('00u3')]);
    expect(await drain(provider, clock, { since })).toHaveLength(3);

    const before = org.requests.length;
    expect((await provider.resolveAppUser('github', 'ada-new'))?.accounts.map((a) => a.userName)).toEqual(['ada-new']);
    expect(await provider.resolveAppUser('github', 'ada-old')).toBeNull();
    expect(await provider.resolveAppUser('github', 'bob')).toBeNull();
    expect(await provider.resolveAppUser('github', 'cy')).toBeNull();
    expect(await provider.resolveAppUser('okta', '00u3@example.com')).toBeNull();
    expect(org.requests.length).toBe(before);
    await provider.close();
  });
});
