import { describe, expect, it } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { readAppAccounts } from '../../../src/provider/reads/apps.js';
import { readGroupMembers } from '../../../src/provider/reads/groups.js';
import { readEveryone } from '../../../src/provider/reads/users.js';
import { FakeClock } from '../../helpers/clock.js';
import { HOSTNAME, okHeaders, ORIGIN, TOKEN, useMswServer } from '../../helpers/msw.js';

/**
 * The change stream's reads of many people keep what an identity is built from, as the full
 * sync's do: an app-wide change must not hold the whole app as Okta sent it.
 */
const server = useMswServer();

const user = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `00u${n}`,
  status: 'ACTIVE',
  created: '2020-01-01T00:00:00.000Z',
  lastUpdated: '2024-01-01T00:00:00.000Z',
  profile: { login: `u${n}@example.com`, email: `u${n}@example.com`, firstName: ` Ada${n} `, lastName: 'Lovelace', mobilePhone: '555', costCenter: 'x'.repeat(500) },
  credentials: { provider: { type: 'OKTA' } },
  _links: { self: { href: `${ORIGIN}/api/v1/users/00u${n}` } },
  ...extra,
});

function ctx() {
  const client = new OktaClient(resolveConfig({ hostname: HOSTNAME, token: TOKEN }), { clock: new FakeClock(), random: () => 0.5 });
  return { client, warn: () => undefined };
}

const kept = (n: number) => ({ id: `00u${n}`, status: 'ACTIVE', profile: { login: `u${n}@example.com`, email: `u${n}@example.com`, displayName: `Ada${n} Lovelace` } });

describe('reads of many people keep only what identities are built from', () => {
  it("an app's users: the account fields and the embedded user's person fields; another user's embedded user is dropped", async () => {
    const appUser = (n: number, embedded = user(n)) => ({
      id: `00u${n}`,
      scope: 'USER',
      status: 'ACTIVE',
      externalId: `ext${n}`,
      credentials: { userName: `name${n}`, password: {} },
      profile: { role: 'admin', big: 'y'.repeat(500) },
      _links: { app: { href: `${ORIGIN}/api/v1/apps/0oaA` } },
      _embedded: { user: embedded },
    });
    server.use(http.get(`${ORIGIN}/api/v1/apps/0oaA/users`, () => HttpResponse.json([appUser(1), appUser(2, user(3))], { headers: okHeaders() })));
    const c = ctx();
    const read = await readAppAccounts(c, '0oaA');
    await c.client.close();
    if (typeof read === 'string') throw new Error(read);
    expect(read.holders.get('00u1')).toEqual({ id: '00u1', scope: 'USER', status: 'ACTIVE', externalId: 'ext1', credentials: { userName: 'name1' }, _embedded: { user: kept(1) } });
    expect(read.holders.get('00u2')).toEqual({ id: '00u2', scope: 'USER', status: 'ACTIVE', externalId: 'ext2', credentials: { userName: 'name2' } });
  });

  it("a group's members and every user: the person fields alone", async () => {
    server.use(
      http.get(`${ORIGIN}/api/v1/groups/00gA/users`, () => HttpResponse.json([user(1), user(2)], { headers: okHeaders() })),
      http.get(`${ORIGIN}/api/v1/users`, () => HttpResponse.json([user(1)], { headers: okHeaders() })),
    );
    const c = ctx();
    const members: unknown[] = [];
    await readGroupMembers(c, '00gA', undefined, (m) => members.push(m));
    const everyone = await readEveryone(c);
    await c.client.close();
    expect(members).toEqual([kept(1), kept(2)]);
    expect(everyone).toEqual([kept(1)]);
  });
});
