import { describe, expect, it, jest } from '@jest/globals';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { applyChange } from '../../../src/provider/changes/apply.js';
import { StreamMemory } from '../../../src/provider/changes/memory.js';
import { refreshPerson } from '../../../src/provider/changes/refresh.js';
import { tailWork } from '../../../src/provider/changes/builder.js';
import { planWork, type PlacedEffect } from '../../../src/provider/changes/work.js';
import { decodeCursor, encodeCursor, PageCursors, type CursorState } from '../../../src/provider/changes/cursor.js';
import { IdentityStore } from '../../../src/provider/store/store.js';
import type { Identity } from '../../../src/sdk.js';
import { newBitset, setBit } from '../../../src/util/bitset.js';

/**
 * Issue 18, item 2: delivering a change of 100,000 people makes per person no more than it must.
 * Each distinct cursor is encoded once (not once per person), and an identity the index already
 * holds as delivered is not written into it again.
 */
const ORIGIN = 'https://example.okta.com';
const page: CursorState = { position: '/api/v1/logs?since=x', time: 1_700_000_000_000, firstUuid: 'uuid-0', origin: ORIGIN };

describe('PageCursors: one encoding per distinct page progress', () => {
  it('encodes a mid-page cursor again only when the delivered bits change, and the page-end cursor once', () => {
    const encode = jest.fn(encodeCursor);
    const cursors = new PageCursors(encode);
    const done = newBitset(3);
    const first = cursors.within(page, done);
    for (let i = 0; i < 1000; i++) expect(cursors.within(page, done)).toBe(first);
    expect(encode).toHaveBeenCalledTimes(1);
    setBit(done, 1);
    const second = cursors.within(page, done);
    expect(encode).toHaveBeenCalledTimes(2);
    expect(second).not.toBe(first);
    // The cursor holds the progress it was made with, not the bitset as it changes later.
    setBit(done, 2);
    expect(Array.from(decodeCursor(second, ORIGIN).delivered!)).toEqual([0b010]);
    expect(decodeCursor(first, ORIGIN)).toMatchObject({ position: page.position, firstUuid: 'uuid-0' });
    const next = { position: '/api/v1/logs?after=y', time: page.time + 1, origin: ORIGIN };
    expect(cursors.after(next)).toBe(cursors.after(next));
    expect(encode).toHaveBeenCalledTimes(3);
    expect(decodeCursor(cursors.after(next), ORIGIN)).toEqual(next);
  });
});

describe('applyChange: the index is written only where a delivered identity differs', () => {
  const identity = (label: string, status = 'ACTIVE'): Identity => ({
    id: '00u1',
    login: 'ada@example.com',
    email: 'ada@example.com',
    displayName: 'Ada',
    status,
    accounts: [{ appId: '0oaA', appName: 'app_a', appLabel: label, userName: 'ada', externalId: null, scope: 'USER', status: 'ACTIVE' }],
  });

  it('skips the put of an identity the index holds as it is (a holder of a relabelled app once the app record has the new label), yet counts it delivered', () => {
    const store = new IdentityStore();
    store.put(identity('Old'));
    store.addApp({ id: '0oaA', name: 'app_a', label: 'New' });
    const undelivered = store.markUndelivered();
    expect(undelivered.size).toBe(1);
    const put = jest.spyOn(store, 'put');
    applyChange(store, { type: 'upsert', identity: identity('New'), cursor: 'c', eventIds: [] });
    expect(put).not.toHaveBeenCalled();
    expect(undelivered.size).toBe(0);
    expect(store.identity('00u1')).toEqual(identity('New'));
  });

  it('takes what the stream found the same store to hold, without reading the person from it again', () => {
    const store = new IdentityStore();
    store.put(identity('Old'));
    const put = jest.spyOn(store, 'put');
    const read = jest.spyOn(store, 'identity');
    applyChange(store, { type: 'upsert', identity: identity('Old'), cursor: 'c', eventIds: [] }, { store, same: true });
    expect(put).not.toHaveBeenCalled();
    applyChange(store, { type: 'upsert', identity: identity('Old', 'LOCKED_OUT'), cursor: 'c', eventIds: [] }, { store, same: false });
    expect(put).toHaveBeenCalledTimes(1);
    expect(read).not.toHaveBeenCalled();
    // What another store (one a re-sync replaced) held says nothing about this one: it is compared.
    applyChange(store, { type: 'upsert', identity: identity('Old', 'ACTIVE'), cursor: 'c', eventIds: [] }, { store: new IdentityStore(), same: true });
    expect(read).toHaveBeenCalledTimes(1);
    expect(put).toHaveBeenCalledTimes(2);
    expect(store.identity('00u1')!.status).toBe('ACTIVE');
  });

  it('puts an identity that differs, and removes a deleted one', () => {
    const store = new IdentityStore();
    store.put(identity('Old'));
    const put = jest.spyOn(store, 'put');
    applyChange(store, { type: 'upsert', identity: identity('Old', 'PASSWORD_EXPIRED'), cursor: 'c', eventIds: [] });
    expect(put).toHaveBeenCalledTimes(1);
    expect(store.identity('00u1')!.status).toBe('PASSWORD_EXPIRED');
    applyChange(store, { type: 'upsert', identity: { ...identity('Old'), id: '00u2', login: 'bob@example.com' }, cursor: 'c', eventIds: [] });
    expect(store.identity('00u2')!.login).toBe('bob@example.com');
    applyChange(store, { type: 'delete', id: '00u1', cursor: 'c', eventIds: [] });
    expect(store.identity('00u1')).toBeUndefined();
  });
});

describe('the plan of a change every member or holder shares', () => {
  const ctx = { client: new OktaClient(resolveConfig({ hostname: 'example.okta.com', token: 'x'.repeat(40), groups: true })), warn: () => undefined };
  const effect = (e: PlacedEffect['effect'], index = 0): PlacedEffect => ({ index, published: Number.NaN, effect: e });

  function store(): IdentityStore {
    const s = new IdentityStore({ groups: true });
    s.groups!.addGroup({ id: '00gBig', name: 'Big', type: 'OKTA_GROUP', aliases: [] });
    s.groups!.addGroup({ id: '00gOther', name: 'Other', type: 'OKTA_GROUP', aliases: [] });
    for (let n = 0; n < 50; n++) {
      s.addPerson({ id: `00u${n}`, login: `u${n}@example.com`, email: `u${n}@example.com`, displayName: `U ${n}`, status: 'ACTIVE' });
      s.addAccount(`00u${n}`, { appId: '0oaA', appName: 'app_a', appLabel: 'A', userName: `u${n}`, externalId: null, scope: 'USER', status: 'ACTIVE' });
      s.addMembership(`00u${n}`, '00gBig');
      if (n < 2) s.addMembership(`00u${n}`, '00gOther');
    }
    return s;
  }

  it('plans the members of a deleted group by id alone (a tail sharing one plan of it), and with the rest a member whose groups change otherwise', async () => {
    const s = store();
    const env = { store: () => s, fullRead: () => Promise.resolve(undefined), memory: new StreamMemory() };
    const plan = await planWork(ctx, [effect({ reach: 'group', groups: ['00gBig'], apps: [], change: 'delete' }), effect({ reach: 'group', groups: ['00gOther'], apps: [], change: 'delete' }, 1)], env);
    // The two members of both groups have a plan (and a map) of their own.
    expect(plan.people.map((p) => p.id).sort()).toEqual(['00u0', '00u1']);
    for (const p of plan.people) {
      expect([...p.groups].sort()).toEqual([['00gBig', null], ['00gOther', null]]);
      expect(p.events).toEqual([0, 1]);
    }
    expect(plan.tail!.ids.size).toBe(48);
    expect(plan.tail!.events).toEqual([0]);
    const tail = [...tailWork(plan.tail!)];
    expect(new Set(tail.map((p) => p.groups)).size).toBe(1);
    expect([...tail[0]!.groups]).toEqual([['00gBig', null]]);
    for (const person of [plan.people[0]!, tail[0]!]) {
      expect(await refreshPerson(ctx, person, s, new Map())).toMatchObject({ kind: 'found', identity: { id: person.id, groups: [] } });
    }
  });

  it('gives the holders of a deleted app one shared plan of it', async () => {
    const s = store();
    const env = { store: () => s, fullRead: () => Promise.resolve(undefined), memory: new StreamMemory() };
    const plan = await planWork(ctx, [effect({ reach: 'app', apps: ['0oaA'], change: 'delete', groups: [] })], env);
    expect(plan.people).toHaveLength(50);
    expect(new Set(plan.people.map((p) => p.accounts)).size).toBe(1);
    expect([...plan.people[0]!.accounts]).toEqual([['0oaA', null]]);
    const refreshed = await refreshPerson(ctx, plan.people[0]!, s, new Map());
    expect(refreshed).toMatchObject({ kind: 'found', identity: { accounts: [] } });
  });
});
