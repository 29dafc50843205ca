import { describe, expect, it } from '@jest/globals';
import { AmbiguousAccountError, OktaIdentityProvider, type ConnectorWarning } from '../../src/index.js';
import { HOSTNAME, TOKEN, useMswServer } from '../helpers/msw.js';
import { miniOrg, type MiniOrgOptions } from '../helpers/msw-org.js';

const server = useMswServer();

const org: MiniOrgOptions = {
  users: [
    { id: '00u1', login: 'ada@example.com', email: 'ada.l@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    { id: '00u2', login: 'bob@example.com' },
    { id: '00u3', login: 'cy@example.com', status: 'DEPROVISIONED' },
  ],
  apps: [
    { id: '0oaSlackA', name: 'slack', label: 'Slack (Eng)', users: [{ userId: '00u1', userName: 'U01ADA' }, { userId: '00u3', userName: 'shared' }] },
    { id: '0oaSlackB', name: 'slack', label: 'Slack (Sales)', users: [{ userId: '00u2', userName: 'U02BOB' }, { userId: '00u1', userName: 'SHARED' }] },
    { id: '0oaGithub', name: 'github', label: 'GitHub', users: [{ userId: '00u1', userName: 'ada-gh', externalId: '9001' }, { userId: '00u2', userName: 'ada-gh-bot', externalId: '9002' }] },
  ],
};

function setup(options: MiniOrgOptions = org) {
  const { handlers, requests } = miniOrg(options);
  server.use(...handlers);
  const warnings: ConnectorWarning[] = [];
  const provider = new OktaIdentityProvider({ hostname: HOSTNAME, token: TOKEN, retryBaseDelayMs: 1, onWarning: (w) => warnings.push(w) });
  return { provider, requests, warnings };
}

describe('resolveAppUser on a fresh provider', () => {
  it('finds the owner by app name and userName, case-insensitively, with one request per instance plus two', async () => {
    const { provider, requests } = setup();
    const identity = await provider.resolveAppUser('slack', 'u01ada');
    expect(identity?.id).toBe('00u1');
    expect(identity?.accounts.map((a) => [a.appId, a.userName])).toEqual([
      ['0oaGithub', 'ada-gh'],
      ['0oaSlackA', 'U01ADA'],
      ['0oaSlackB', 'SHARED'],
    ]);
    expect(identity?.displayName).toBe('Ada Lovelace');
    // apps?filter=name eq "slack", then each of the 2 instances' q search, then the person's accounts.
    expect(requests.map((r) => r.url.pathname)).toEqual(['/api/v1/apps', '/api/v1/apps/0oaSlackA/users', '/api/v1/apps/0oaSlackB/users', '/api/v1/apps']);
    expect(requests[0]!.url.searchParams.get('filter')).toBe('name eq "slack"');
    expect(requests[1]!.url.searchParams.get('q')).toBe('u01ada');
    await provider.close();
  });

  it('finds the owner by app instance id in 2 requests', async () => {
    const { provider, requests } = setup();
    expect((await provider.resolveAppUser('0oaGithub', 'ADA-GH'))?.id).toBe('00u1');
    expect(requests).toHaveLength(2);
    await provider.close();
  });

  it('matches externalId exactly when no userName matches', async () => {
    const { provider } = setup();
    expect((await provider.resolveAppUser('github', '9002'))?.id).toBe('00u2');
    await provider.close();
  });

  it('resolves app "okta" by login or primary email, case-insensitively', async () => {
    const { provider, requests } = setup();
    expect((await provider.resolveAppUser('okta', 'BOB@example.com'))?.id).toBe('00u2');
    expect(requests[0]!.url.searchParams.get('search')).toBe('(profile.login eq "BOB@example.com") or (profile.email eq "BOB@example.com")');
    expect((await provider.resolveAppUser('okta', 'ada.l@example.com'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('okta', 'cy@example.com'))?.status).toBe('DEPROVISIONED');
    await provider.close();
  });

  it('returns null when nobody owns the account', async () => {
    const { provider } = setup();
    expect(await provider.resolveAppUser('slack', 'U404')).toBeNull();
    expect(await provider.resolveAppUser('zoom', 'anyone')).toBeNull();
    expect(await provider.resolveAppUser('okta', 'nobody@example.com')).toBeNull();
    await provider.close();
  });

  it('refuses to guess when two people own the account in instances sharing a name', async () => {
    const { provider } = setup();
    const error = await provider.resolveAppUser('slack', 'shared').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousAccountError);
    expect((error as AmbiguousAccountError).userIds.sort()).toEqual(['00u1', '00u3']);
    await provider.close();
  });

  it('does not let a hostile account widen the Okta search', async () => {
    const { provider, requests } = setup();
    expect(await provider.resolveAppUser('okta', 'x" or profile.login sw "')).toBeNull();
    expect(requests[0]!.url.searchParams.get('search')).toBe('(profile.login eq "x\\" or profile.login sw \\"") or (profile.email eq "x\\" or profile.login sw \\"")');
    await provider.close();
  });
});

describe('resolveAppUser after a sync', () => {
  it('answers from what the sync saw, with no request', async () => {
    const { provider, requests } = setup();
    for await (const _ of provider.listIdentities()) void _;
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'u02bob'))?.id).toBe('00u2');
    expect((await provider.resolveAppUser('github', '9001'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('0oaSlackA', 'U01ADA'))?.id).toBe('00u1');
    expect((await provider.resolveAppUser('okta', 'ADA.L@example.com'))?.id).toBe('00u1');
    expect(await provider.resolveAppUser('slack', 'nobody')).toBeNull();
    await expect(provider.resolveAppUser('slack', 'shared')).rejects.toBeInstanceOf(AmbiguousAccountError);
    expect(requests.length).toBe(before);
    await provider.close();
  });

  it('does not trust a sync whose reads did not complete', async () => {
    const { provider, requests } = setup();
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(provider.listIdentities({ signal: controller.signal }).next()).rejects.toThrow('stopped');
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'U02BOB'))?.id).toBe('00u2');
    expect(requests.length).toBeGreaterThan(before);
    await provider.close();
  });

  it('keeps a sync whose reads completed, even when the consumer stops after the first identity', async () => {
    const { provider, requests } = setup();
    for await (const _ of provider.listIdentities()) break;
    const before = requests.length;
    expect((await provider.resolveAppUser('slack', 'U02BOB'))?.id).toBe('00u2');
    expect(requests.length).toBe(before);
    await provider.close();
  });
});
