import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { StringArena } from '../../../src/provider/store/arena.js';
import { IdIndex } from '../../../src/provider/store/columns.js';
import type { Person } from '../../../src/provider/identity.js';
import { IdentityStore } from '../../../src/provider/store/store.js';
import { StoreImage } from '../../../src/provider/store/image.js';
import type { AppAccount, Identity } from '../../../src/sdk.js';

const APPS = [
  { id: '0oa1slack', name: 'slack', label: 'Slack' },
  { id: '0oa2github', name: 'github', label: 'GitHub' },
  { id: '0oa3google', name: 'google', label: 'Google' },
  { id: '0oa4slack', name: 'slack', label: 'Slack (Sales)' },
];
const ids = fc.constantFrom('00u1', '00u2', '00u3', '00u4', '00u5', '00u6');
const text = fc.oneof(fc.constantFrom('alice@example.com', 'bob@example.com', 'Zoë Ñandú 日本', ''), fc.string({ maxLength: 8 }), fc.string({ minLength: 130, maxLength: 200 }));
const personArb = fc.record({ id: ids, login: fc.constantFrom('alice@example.com', 'bob@example.com', 'carol@example.com'), email: fc.option(text), displayName: text, status: fc.constantFrom('ACTIVE', 'DEPROVISIONED', 'SUSPENDED') });
const accountArb = fc.record({
  app: fc.constantFrom(...APPS),
  userName: fc.oneof(fc.constant('$login'), fc.constant('$email'), text),
  externalId: fc.option(text),
  scope: fc.constantFrom<'USER' | 'GROUP'>('USER', 'GROUP'),
  status: fc.constantFrom('ACTIVE', 'PROVISIONED', 'STAGED'),
});
type AccountSpec = typeof accountArb extends fc.Arbitrary<infer T> ? T : never;

function account(spec: AccountSpec, person: Person | undefined): AppAccount {
  const userName = spec.userName === '$login' ? (person?.login ?? 'nobody') : spec.userName === '$email' ? (person?.email ?? 'none') : spec.userName;
  return { appId: spec.app.id, appName: spec.app.name, appLabel: spec.app.label, userName, externalId: spec.externalId, scope: spec.scope, status: spec.status };
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('person' as const), person: personArb }),
  fc.record({ kind: fc.constant('account' as const), id: ids, account: accountArb }),
  fc.record({ kind: fc.constant('put' as const), person: personArb, accounts: fc.uniqueArray(accountArb, { selector: (a) => a.app.id, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('remove' as const), id: ids }),
  // A warm start: the store saved to an image and loaded back (its lookups included), which later changes must keep current.
  fc.record({ kind: fc.constant('reload' as const) }),
  // A snapshot taken (its arrays shared with the store, copy on write), checked at the end against the store as it was.
  fc.record({ kind: fc.constant('snapshot' as const) }),
);

/** The plain model: what the store must answer. */
interface Entry {
  person: Person | undefined;
  accounts: AppAccount[];
}

/** `store` saved to an image and loaded back from it, the image's arrays copied as a file would be. */
function reloaded(store: IdentityStore): IdentityStore {
  const image = new StoreImage();
  store.save(image);
  return loaded(image);
}

/** A store loaded from a copy of `image` (as a file would give it back). */
function loaded(image: StoreImage): IdentityStore {
  const copy = new StoreImage();
  for (const [name, data] of image.arrays) {
    if (data instanceof Int32Array) copy.setInts(name, data.slice());
    else copy.setBytes(name, Buffer.from(data));
  }
  for (const [name, value] of Object.entries(JSON.parse(JSON.stringify(image.values)) as Record<string, unknown>)) copy.set(name, value);
  return IdentityStore.load(copy);
}

const byApp = (a: AppAccount, b: AppAccount): number => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0);

describe('IdentityStore', () => {
  it('answers like a plain map of people and accounts after any sequence of sync adds, upserts and deletes (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let store = new IdentityStore();
        const model = new Map<string, Entry>();
        const snapshots: Array<{ image: StoreImage; identities: Identity[] }> = [];
        for (const o of ops) {
          if (o.kind === 'person') {
            const entry = model.get(o.person.id) ?? { person: undefined, accounts: [] };
            entry.person = o.person;
            model.set(o.person.id, entry);
            store.addPerson(o.person);
          } else if (o.kind === 'account') {
            const entry = model.get(o.id) ?? { person: undefined, accounts: [] };
            // A sync lists one account per person and app.
            if (entry.accounts.some((a) => a.appId === o.account.app.id)) continue;
            const a = account(o.account, entry.person);
            entry.accounts.push(a);
            model.set(o.id, entry);
            store.addAccount(o.id, a);
          } else if (o.kind === 'put') {
            const accounts = o.accounts.map((a) => account(a, o.person));
            model.set(o.person.id, { person: o.person, accounts });
            store.put({ ...o.person, accounts });
          } else if (o.kind === 'remove') {
            model.delete(o.id);
            store.remove(o.id);
          } else if (o.kind === 'reload') store = reloaded(store);
          else {
            const image = new StoreImage();
            store.save(image);
            snapshots.push({ image, identities: [...store.identities()] });
          }
        }
        const expected = [...model.values()].filter((e) => e.person).map((e): Identity => ({ ...e.person!, accounts: [...e.accounts].sort(byApp) }));
        const byId = (a: Identity, b: Identity): number => (a.id < b.id ? -1 : 1);
        expect([...store.identities()].sort(byId)).toEqual(expected.sort(byId));
        expect(store.size).toBe(expected.length);
        for (const snapshot of snapshots) {
          const then = loaded(snapshot.image);
          expect([...then.identities()]).toEqual(snapshot.identities);
          for (const i of snapshot.identities) {
            expect(then.identity(i.id)).toEqual(i);
            expect(then.findByOkta(i.login)).toContain(i.id);
            for (const a of i.accounts) expect(then.findByAccount(then.appsMatching(a.appId), a.userName)).toContain(i.id);
          }
        }
        for (const [id, entry] of model) {
          expect(store.hasPerson(id)).toBe(entry.person !== undefined);
          if (entry.person) {
            expect(store.identity(id)).toEqual({ ...entry.person, accounts: [...entry.accounts].sort(byApp) });
            expect(store.findByOkta(entry.person.login.toUpperCase())).toContain(id);
            for (const a of entry.accounts) expect(store.findByAccount(store.appsMatching(a.appId), a.userName.toUpperCase())).toContain(id);
          } else expect(store.identity(id)).toBeUndefined();
        }
        // Nobody is found by a login or account they no longer have.
        for (const login of ['alice@example.com', 'bob@example.com', 'carol@example.com']) {
          const owners = [...model].filter(([, e]) => e.person && (e.person.login === login || e.person.email?.toLowerCase() === login)).map(([id]) => id);
          expect(store.findByOkta(login).sort()).toEqual(owners.sort());
        }
        for (const app of APPS) {
          for (const name of ['alice@example.com', 'bob@example.com']) {
            const owners = [...model].filter(([, e]) => e.person && e.accounts.some((a) => a.appId === app.id && (a.userName.toLowerCase() === name || a.externalId === name))).map(([id]) => id);
            expect(store.findByAccount([app], name).sort()).toEqual(owners.sort());
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('saves nothing of a forgotten person, and no byte of a string chunk past its last string', () => {
    const store = new IdentityStore();
    store.put({ id: '00u1', login: 'alice@example.com', email: null, displayName: 'Alice', status: 'ACTIVE', accounts: [] });
    store.put({ id: '00u2', login: 'bob.secret@example.com', email: 'bob.private@example.net', displayName: 'Bob Hidden', status: 'ACTIVE', accounts: [{ appId: '0oa1', appName: 'a', appLabel: 'A', userName: 'bob-slack-handle', externalId: 'bob-external', scope: 'USER', status: 'ACTIVE' }] });
    store.remove('00u2');
    const image = new StoreImage();
    store.save(image);
    const bytes = Buffer.concat([...image.arrays.values()].filter((data) => Buffer.isBuffer(data)));
    for (const gone of ['bob.secret', 'bob.private', 'Bob Hidden', 'bob-slack-handle', 'bob-external', '00u2']) expect(bytes.includes(gone)).toBe(false);
    expect(bytes.includes('alice@example.com')).toBe(true);
    // One chunk of 1 MB holds the strings; only the bytes up to its last string are saved.
    expect(bytes.length).toBeLessThan(200);
    expect(IdentityStore.load(image).identity('00u1')?.login).toBe('alice@example.com');
  });

  it.each([
    ['an account chain that loops', 'accounts.next', (data: Int32Array) => (data[0] = 1)],
    ['a membership chain that loops', 'groups.next', (data: Int32Array) => (data[1] = 1)],
    ["a group's member list that loops", 'groups.nextInGroup', (data: Int32Array) => (data[0] = 1)],
    ['a chain that leaves its rows', 'accounts.first', (data: Int32Array) => (data[0] = 99)],
    ['a lookup table with no empty slot', 'accounts.byName', (data: Int32Array) => data.fill(1)],
    ['an id table with no empty slot', 'people.byId', (data: Int32Array) => data.fill(1)],
  ])('refuses an image with %s (no walk of a forged file can run forever)', (_kind, name, forge) => {
    const store = new IdentityStore({ groups: true });
    for (const n of [1, 2]) store.put({ id: `00u${n}`, login: `p${n}@example.com`, email: null, displayName: `P${n}`, status: 'ACTIVE', accounts: [{ appId: '0oa1', appName: 'a', appLabel: 'A', userName: `u${n}`, externalId: null, scope: 'USER', status: 'ACTIVE' }], groups: [{ id: '00g1', name: 'G', type: 'OKTA_GROUP' }] });
    const image = new StoreImage();
    store.save(image);
    expect(IdentityStore.load(image, { groups: true }).identity('00u1')?.login).toBe('p1@example.com');
    const forged = new StoreImage();
    for (const [key, data] of image.arrays) forged.arrays.set(key, data instanceof Int32Array ? data.slice() : data);
    Object.assign(forged.values, image.values);
    forge(forged.ints(name));
    expect(() => IdentityStore.load(forged, { groups: true })).toThrow(/malformed/);
  });

  it('an upsert writes only what changed: a status change or an app relabelled stores no string again', () => {
    const store = new IdentityStore({ groups: true });
    const account = { appId: '0oa1', appName: 'slack', appLabel: 'Slack', userName: 'ada', externalId: 'U123', scope: 'USER' as const, status: 'ACTIVE' };
    const ada: Identity = { id: '00u1', login: 'ada@example.com', email: 'ada@example.net', displayName: 'Ada', status: 'ACTIVE', accounts: [account, { ...account, appId: '0oa2', userName: 'ada-gh', externalId: null }], groups: [{ id: '00g1', name: 'Eng', type: 'OKTA_GROUP' }] };
    store.put(ada);
    const adds = jest.spyOn(StringArena.prototype, 'add');
    try {
      store.put({ ...ada, status: 'SUSPENDED', accounts: [{ ...account, appLabel: 'Slack (renamed)', status: 'INACTIVE' }, ada.accounts[1]!] });
      expect(adds).not.toHaveBeenCalled();
    } finally {
      adds.mockRestore();
    }
    expect(store.identity('00u1')).toEqual({ ...ada, status: 'SUSPENDED', accounts: [{ ...account, appLabel: 'Slack (renamed)', status: 'INACTIVE' }, ada.accounts[1]] });
    store.put({ ...ada, accounts: [ada.accounts[1]!], groups: [] });
    expect(store.identity('00u1')).toEqual({ ...ada, accounts: [ada.accounts[1]], groups: [] });
    expect(store.findByAccount(store.appsMatching('0oa1'), 'ada')).toEqual([]);
    expect(store.findByAccount(store.appsMatching('0oa2'), 'ADA-GH')).toEqual(['00u1']);
  });

  it('keeps an account userName that was the login when the login changes', () => {
    const store = new IdentityStore();
    const alice = { id: '00u1', login: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice', status: 'ACTIVE' };
    store.addPerson(alice);
    store.addAccount('00u1', { appId: '0oa1', appName: 'slack', appLabel: 'Slack', userName: 'alice@example.com', externalId: null, scope: 'USER', status: 'ACTIVE' });
    store.addPerson({ ...alice, login: 'alice.smith@example.com', email: 'alice.smith@example.com' });
    expect(store.identity('00u1')!.accounts[0]!.userName).toBe('alice@example.com');
  });

  it('reuses the space of replaced people: repeated upserts do not grow it', () => {
    const store = new IdentityStore();
    const big = 'x'.repeat(10_000);
    const upsert = (i: number): void => store.put({ id: '00u1', login: `${i}@example.com`, email: null, displayName: big, status: 'ACTIVE', accounts: [{ appId: '0oa1', appName: 'a', appLabel: 'A', userName: `${big}${i}`, externalId: big, scope: 'USER', status: 'ACTIVE' }] });
    for (let i = 0; i < 2000; i++) upsert(i);
    // 2,000 upserts wrote 60 MB of strings; compaction keeps the arena at a few chunks.
    expect(store.storedBytes).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(store.identity('00u1')!.login).toBe('1999@example.com');
    expect(store.size).toBe(1);
  });
});

describe('StringArena', () => {
  it('stores short, long and multi-byte strings, and strings longer than a chunk', () => {
    const arena = new StringArena();
    const values = ['', 'a', 'é', 'x'.repeat(127), 'y'.repeat(128), '日本'.repeat(100), 'z'.repeat(3 * 2 ** 20), 'after'];
    const handles = values.map((v) => arena.add(v));
    values.forEach((v, i) => expect(arena.get(handles[i]!)).toBe(v));
  });

  it('compacts to the live strings, handing every handle over', () => {
    const arena = new StringArena();
    const live = new Map<number, string>();
    for (let i = 0; i < 3000; i++) {
      const value = `${i}:${'v'.repeat(1000)}`;
      const handle = arena.add(value);
      if (i % 10 === 0) live.set(handle, value);
      else arena.free(handle);
    }
    expect(arena.wasteful).toBe(true);
    const moved = new Map<number, string>();
    arena.compact((move) => {
      for (const [handle, value] of live) moved.set(move(handle), value);
    });
    expect(arena.wasteful).toBe(false);
    expect(arena.bytes).toBe(2 ** 20);
    for (const [handle, value] of moved) expect(arena.get(handle)).toBe(value);
  });
});

describe('IdIndex', () => {
  it('behaves like a Map from ids to rows under any sequence of sets and deletes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 }))), (ops) => {
        const idOfRow: string[] = [];
        const index = new IdIndex((row) => idOfRow[row] ?? null);
        const model = new Map<string, number>();
        for (const [add, n] of ops) {
          const id = `00u${n}`;
          if (add && !model.has(id)) {
            idOfRow.push(id);
            index.set(id, idOfRow.length - 1);
            model.set(id, idOfRow.length - 1);
          } else if (!add) {
            index.delete(id);
            model.delete(id);
          }
        }
        expect(index.size).toBe(model.size);
        for (let n = 0; n <= 3000; n += 7) expect(index.get(`00u${n}`)).toBe(model.get(`00u${n}`));
        for (const [id, row] of model) expect(index.get(id)).toBe(row);
      }),
      { numRuns: 80 },
    );
  });
});
