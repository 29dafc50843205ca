import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { OktaLogEvent } from '../../src/okta/schemas.js';
import { RecentMap, RecentSet } from '../../src/provider/change-dedup.js';
import { eventEffect, isIdentityEvent } from '../../src/provider/change-events.js';
import { mapOrdered } from '../../src/provider/change-ordered.js';
import { decodeCursor, encodeCursor, hasBit, highestBit, newBitset, setBit } from '../../src/provider/cursor.js';

const ORIGIN = 'https://example.okta.com';

function event(eventType: string, target: Array<[string, string]>): OktaLogEvent {
  return { uuid: 'u', published: '2026-01-01T00:00:00.000Z', eventType, target: target.map(([type, id]) => ({ type, id })) };
}

describe('eventEffect', () => {
  it('takes people from User targets and user-id AppUser targets, never the actor or a 0ua id', () => {
    expect(eventEffect(event('application.user_membership.add', [['AppUser', '0uaX'], ['AppInstance', '0oa1'], ['User', '00u1']]))).toEqual({ users: ['00u1'], groups: [], apps: [] });
    expect(eventEffect(event('application.user_membership.remove', [['AppUser', '00u2'], ['AppInstance', '0oa1']]))).toEqual({ users: ['00u2'], groups: [], apps: [] });
    expect(eventEffect({ ...event('user.lifecycle.create', [['User', '00u3']]), actor: { id: '00uADMIN', type: 'User' } })?.users).toEqual(['00u3']);
  });

  it('fans out group app assignments to the group and app lifecycle to the app', () => {
    for (const t of ['add', 'remove', 'update']) {
      expect(eventEffect(event(`group.application_assignment.${t}`, [['AppInstance', '0oa1'], ['UserGroup', '00g1']]))).toEqual({ users: [], groups: ['00g1'], apps: [] });
    }
    expect(eventEffect(event('application.lifecycle.update', [['AppInstance', '0oa1']]))?.apps).toEqual([{ id: '0oa1', fanout: 'list' }]);
    expect(eventEffect(event('application.lifecycle.deactivate', [['AppInstance', '0oa1']]))?.apps).toEqual([{ id: '0oa1', fanout: 'remember' }]);
    expect(eventEffect(event('application.lifecycle.delete', [['AppInstance', '0oa1']]))?.apps).toEqual([{ id: '0oa1', fanout: 'gone' }]);
    expect(eventEffect(event('application.user_membership.add', [['AppUser', '0uaX'], ['AppInstance', '0oa1']]))?.apps).toEqual([{ id: '0oa1', fanout: 'list+known' }]);
  });

  it('does not fan out a group membership event to the whole group', () => {
    expect(eventEffect(event('group.user_membership.remove', [['User', '00u1'], ['UserGroup', '00g1']]))).toEqual({ users: ['00u1'], groups: [], apps: [] });
  });

  it('knows the identity families and nothing else', () => {
    for (const t of ['user.lifecycle.delete.completed', 'user.account.update_profile', 'user.account.update_primary_email', 'application.user_membership.change_username', 'group.user_membership.add', 'application.lifecycle.create']) {
      expect(isIdentityEvent(t)).toBe(true);
    }
    for (const t of ['user.session.start', 'user.account.update_password', 'group.lifecycle.delete', 'group.application_assignment.skip', 'user.lifecycle', 'application.user_membership']) {
      expect(isIdentityEvent(t)).toBe(false);
    }
  });
});

describe('RecentSet and RecentMap', () => {
  it('hold at most their capacity, evicting the least recently seen', () => {
    const seen = new RecentSet(3);
    for (const k of ['a', 'b', 'c']) seen.add(k);
    seen.add('a'); // seen again: now the newest
    seen.add('d');
    expect(['a', 'b', 'c', 'd'].map((k) => seen.has(k))).toEqual([true, false, true, true]);
    expect(seen.size).toBe(3);
    const map = new RecentMap<string, number>(2);
    map.set('x', 1);
    map.set('y', 2);
    map.set('z', 3);
    expect([map.get('x'), map.get('y'), map.get('z')]).toEqual([undefined, 2, 3]);
  });

  it('stays bounded over a long run', () => {
    const seen = new RecentSet(10_000);
    for (let i = 0; i < 50_000; i++) seen.add(`uuid-${i}`);
    expect(seen.size).toBe(10_000);
    expect(seen.has('uuid-39999')).toBe(false);
    expect(seen.has('uuid-40000')).toBe(true);
  });
});

describe('mapOrdered', () => {
  it('yields in input order with bounded concurrency', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const v of mapOrdered([50, 10, 30, 0, 20], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms;
    })) {
      out.push(v);
    }
    expect(out).toEqual([50, 10, 30, 0, 20]);
    expect(peak).toBe(2);
  });

  it('leaves no unhandled rejection when the consumer stops early', async () => {
    const gen = mapOrdered([1, 2, 3], 3, async (n) => {
      if (n > 1) throw new Error(`fail ${n}`);
      return n;
    });
    expect(await gen.next()).toEqual({ done: false, value: 1 });
    await gen.return(undefined);
    await new Promise((r) => setTimeout(r, 10));
  });
});

describe('cursor encoding', () => {
  it('round-trips positions and page progress', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 4e12 }), fc.uniqueArray(fc.integer({ min: 0, max: 999 })), (after, time, bits) => {
        const delivered = newBitset(1000);
        for (const b of bits) setBit(delivered, b);
        const position = `/api/v1/logs?after=${encodeURIComponent(after)}&limit=1000`;
        const decoded = decodeCursor(encodeCursor({ position, time, firstUuid: 'e1', delivered }), ORIGIN);
        expect(decoded.position).toBe(position);
        expect(decoded.time).toBe(time);
        expect(decoded.firstUuid).toBe('e1');
        for (let i = 0; i < 1000; i++) expect(hasBit(decoded.delivered!, i)).toBe(bits.includes(i));
      }),
      { numRuns: 50 },
    );
  });

  it('finds the highest bit', () => {
    const bits = newBitset(20);
    expect(highestBit(bits)).toBe(-1);
    setBit(bits, 3);
    setBit(bits, 17);
    expect(highestBit(bits)).toBe(17);
  });
});
