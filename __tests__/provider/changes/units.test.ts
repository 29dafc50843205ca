import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { oktaLogEventSchema, type OktaLogEvent } from '../../../src/okta/schemas.js';
import { RecentMap, RecentSet } from '../../../src/util/recent.js';
import { eventEffect, isIdentityEvent } from '../../../src/provider/changes/events.js';
import { decodeCursor, encodeCursor } from '../../../src/provider/changes/cursor.js';
import { hasBit, highestBit, newBitset, setBit } from '../../../src/util/bitset.js';
import { mapOrdered } from '../../../src/util/pool.js';

const ORIGIN = 'https://example.okta.com';

function event(eventType: string, target: Array<[string, string]>, actor?: [string, string]): OktaLogEvent {
  return { uuid: 'u', published: '2026-01-01T00:00:00.000Z', eventType, target: target.map(([type, id]) => ({ type, id })), ...(actor ? { actor: { type: actor[0], id: actor[1] } } : {}) };
}

describe('eventEffect: finding the person in any event shape', () => {
  it('takes people from User targets, then user-id AppUser targets, never a 0ua id', () => {
    expect(eventEffect(event('application.user_membership.add', [['AppUser', '0uaX'], ['AppInstance', '0oa1'], ['User', '00u1']]))).toEqual({ reach: 'account', users: ['00u1'], apps: ['0oa1'] });
    expect(eventEffect(event('application.user_membership.remove', [['AppUser', '00u2'], ['AppInstance', '0oa1']]))).toEqual({ reach: 'account', users: ['00u2'], apps: ['0oa1'] });
  });

  it('takes the actor for user-scoped families without a User target, and only then', () => {
    const self = ['User', '00uSELF'] as [string, string];
    expect(eventEffect(event('user.account.lock', [], self))).toEqual({ reach: 'status', users: ['00uSELF'] });
    expect(eventEffect(event('user.account.update_password', [], self))).toEqual({ reach: 'status', users: ['00uSELF'] });
    expect(eventEffect(event('system.import.user.update', [['User', '00u9']], ['SystemPrincipal', 'system@okta.com']))).toEqual({ reach: 'person', users: ['00u9'] });
    // An admin acting on a user: the target is the person, not the admin.
    expect(eventEffect(event('user.account.unlock_by_admin', [['User', '00u3']], ['User', '00uADMIN']))).toEqual({ reach: 'status', users: ['00u3'] });
    // An app-scoped event's actor is an admin or Okta itself, never the account holder.
    expect(eventEffect(event('application.provision.user.push', [['AppInstance', '0oa1'], ['AppUser', '0uaX']], ['User', '00uADMIN']))).toEqual({ reach: 'app', apps: ['0oa1'], change: 'unnamed-person', groups: [] });
    // A non-user actor is never a person.
    expect(eventEffect(event('user.account.lock', [], ['SystemPrincipal', '00uLOOKALIKE']))).toEqual({ reach: 'unresolved' });
  });

  it('reaches every account holder of the app when an event names only the app and its app user', () => {
    // Provisioning changes the account in the app, never the Okta assignment: no holder was removed.
    for (const type of ['application.provision.user.push', 'application.provision.user.deactivate', 'app.user_management.push_new_user_success']) {
      expect(eventEffect(event(type, [['AppInstance', '0oa1'], ['AppUser', '0uaX']]))).toEqual({ reach: 'app', apps: ['0oa1'], change: 'unnamed-person', groups: [] });
    }
    // A membership event may be the removal: who held the account is then known only to a synced store.
    for (const type of ['application.user_membership.remove', 'application.user_membership.change_username']) {
      expect(eventEffect(event(type, [['AppInstance', '0oa1'], ['AppUser', '0uaX']]))).toEqual({ reach: 'app', apps: ['0oa1'], change: 'unnamed-account', groups: [] });
    }
    // A user-scoped event naming only the directory app: some holder changed, no account was removed.
    expect(eventEffect(event('system.import.user.update', [['AppInstance', '0oa1'], ['AppUser', '0uaX']], ['SystemPrincipal', 'system']))).toEqual({ reach: 'app', apps: ['0oa1'], change: 'unnamed-person', groups: [] });
    expect(eventEffect(event('application.provision.user.push', [['AppUser', '0uaX']]))).toEqual({ reach: 'unresolved' });
  });

  it('reads app-wide changes as such, with the groups of an assignment', () => {
    for (const t of ['add', 'remove', 'update']) {
      expect(eventEffect(event(`group.application_assignment.${t}`, [['UserGroup', '00g1'], ['AppInstance', '0oa1']]))).toEqual({ reach: 'app', apps: ['0oa1'], change: 'assignment', groups: ['00g1'] });
    }
    expect(eventEffect(event('application.lifecycle.update', [['AppInstance', '0oa1']]))).toMatchObject({ reach: 'app', change: 'update' });
    expect(eventEffect(event('application.lifecycle.deactivate', [['AppInstance', '0oa1']]))).toMatchObject({ reach: 'app', change: 'deactivate' });
    expect(eventEffect(event('application.lifecycle.delete', [['AppInstance', '0oa1']]))).toMatchObject({ reach: 'app', change: 'delete' });
    expect(eventEffect(event('user.lifecycle.password_mass_expiry', [], ['User', '00uADMIN']))).toEqual({ reach: 'everyone', users: [] });
  });

  it('does not fan out a group membership event to the whole group', () => {
    expect(eventEffect(event('group.user_membership.remove', [['User', '00u1'], ['UserGroup', '00g1']]))).toEqual({ reach: 'person', users: ['00u1'] });
  });

  it('ignores target ids of another shape', () => {
    expect(eventEffect(event('user.lifecycle.suspend', [['User', '../00u1'], ['User', '00u2']]))).toEqual({ reach: 'person', users: ['00u2'] });
  });

  it('knows the identity families and nothing else', () => {
    for (const t of ['user.lifecycle.delete.completed', 'user.account.update_profile', 'user.account.update_primary_email', 'user.account.lock', 'user.account.lock.limit', 'user.account.unlock_by_admin', 'user.account.update_password', 'application.user_membership.change_username', 'application.provision.user.push', 'system.import.user.update', 'system.import.user_match.confirm', 'group.user_membership.add', 'application.lifecycle.delete']) {
      expect(isIdentityEvent(t)).toBe(true);
    }
    for (const t of ['user.session.start', 'user.account.update_secondary_email', 'user.account.privilege.grant', 'application.user_membership.show_password', 'application.provision.user.push_password', 'group.lifecycle.delete', 'group.application_assignment.skip_assignment_reconcile', 'application.lifecycle.create', 'system.import.complete', 'user.lifecycle', 'application.user_membership', 'user.lifecycles.create']) {
      expect(isIdentityEvent(t)).toBe(false);
    }
  });
});

describe('oktaLogEventSchema: read tolerantly', () => {
  it('drops one odd target or actor, never the whole event', () => {
    const parsed = oktaLogEventSchema.parse({
      eventType: 'user.lifecycle.suspend',
      actor: { id: 7 },
      target: [{ id: '00u1', type: 'User', alternateId: { odd: true } }, { id: '00u2' }, null, 'x', { type: 'User', id: '00u3', displayName: 5 }],
    });
    expect(parsed.actor).toBeNull();
    expect(parsed.target.map((t) => t.id)).toEqual(['00u1', '00u3']);
    expect(parsed.uuid).toBeUndefined();
    expect(eventEffect(parsed)).toEqual({ reach: 'person', users: ['00u1', '00u3'] });
    expect(oktaLogEventSchema.parse({ eventType: 'x', target: 'not a list', uuid: 5, published: {} })).toMatchObject({ target: [], uuid: undefined, published: undefined });
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
