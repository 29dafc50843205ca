import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { IdSet } from '../../../src/provider/store/id-set.js';
import { IdentityStore } from '../../../src/provider/store/store.js';

/**
 * Issue 18: the ids a change of many people plans by id alone (IdSet), and the people a stream
 * that read the org has not delivered yet (the store's Undelivered, a bit per row), behave as
 * the Sets of strings they replace.
 */
describe('IdSet', () => {
  it('behaves as a Set of strings under any sequence of adds, deletes and iterations that delete as they go', () => {
    const id = fc.oneof(fc.constantFrom('00u1', '00u2', '00u3', '0oa1', ''), fc.string({ maxLength: 24 }), fc.string({ minLength: 128, maxLength: 140 }));
    const op = fc.oneof(fc.tuple(fc.constant('add' as const), id), fc.tuple(fc.constant('delete' as const), id), fc.tuple(fc.constant('sweep' as const), fc.nat(3)));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ids = new IdSet();
        const model = new Set<string>();
        for (const [kind, arg] of ops) {
          if (kind === 'add') ids.add(arg);
          if (kind === 'add') model.add(arg);
          if (kind === 'delete') expect(ids.delete(arg)).toBe(model.delete(arg));
          if (kind === 'sweep') {
            // Deleting every nth id met while iterating (as a plan's merge does) neither skips nor repeats one.
            let n = 0;
            const met: string[] = [];
            for (const x of ids) {
              met.push(x);
              if (n++ % (arg + 1) === 0) ids.delete(x);
            }
            expect(met).toEqual([...model]);
            n = 0;
            for (const x of met) if (n++ % (arg + 1) === 0) model.delete(x);
          }
          expect(ids.size).toBe(model.size);
        }
        expect([...ids]).toEqual([...model]);
        for (const x of model) expect(ids.has(x)).toBe(true);
      }),
    );
  });
});

describe('the store’s undelivered people', () => {
  const person = (n: number) => ({ id: `00u${n}`, login: `u${n}@example.com`, email: null, displayName: `User ${n}`, status: 'ACTIVE' });

  it('are every listed person when marked; each leaves when put or removed, and a row reused by someone new is not among them', () => {
    const store = new IdentityStore();
    for (let n = 0; n < 20; n++) store.addPerson(person(n));
    // An account whose person is not listed: not a person the host could be given.
    store.addAccount('00uOrphan', { appId: '0oaA', appName: 'a', appLabel: 'A', userName: 'x', externalId: null, scope: 'USER', status: 'ACTIVE' });
    const undelivered = store.markUndelivered();
    expect(store.undelivered).toBe(undelivered);
    expect(undelivered.size).toBe(20);
    store.put({ ...person(3), accounts: [] });
    store.remove('00u4');
    expect(undelivered.delete('00u5')).toBe(true);
    expect(undelivered.delete('00u5')).toBe(false);
    expect(undelivered.delete('00uNobody')).toBe(false);
    // The freed row of 00u4 is reused by a person added after the mark.
    store.addPerson(person(99));
    expect([...undelivered].sort()).toEqual(Array.from({ length: 20 }, (_, n) => `00u${n}`).filter((id) => !['00u3', '00u4', '00u5'].includes(id)).sort());
    expect(undelivered.size).toBe(17);
  });
});
