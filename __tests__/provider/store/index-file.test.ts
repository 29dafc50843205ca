import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorWarning, Identity } from '../../../src/index.js';
import { IdentityStore } from '../../../src/provider/store/store.js';
import { IndexFile, SNAPSHOT_INTERVAL_MS, type IndexFileOptions } from '../../../src/provider/store/persist/index-file.js';
import { decodeLine } from '../../../src/provider/store/persist/format.js';

let dir: string;
let path: string;
let now: number;
let warnings: ConnectorWarning[];
const options = (): IndexFileOptions => ({ path, origin: 'https://example.okta.com', groups: true, warn: (w) => warnings.push(w), now: () => now, retentionMs: 90 * 86_400_000 });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-indexfile-'));
  path = join(dir, 'index');
  now = Date.UTC(2026, 11, 1);
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function person(k: number, name = `P ${k}`): Identity {
  return {
    id: `00u${String(k).padStart(17, '0')}`,
    login: `p${k}@example.com`,
    email: `p${k}@example.com`,
    displayName: name,
    status: 'ACTIVE',
    accounts: [{ appId: '0oa00000000000000001', appName: 'github', appLabel: 'GitHub', userName: `p${k}`, externalId: null, scope: 'USER', status: 'ACTIVE' }],
    groups: [{ id: '00g00000000000000001', name: 'Eng', type: 'OKTA_GROUP' }],
  };
}

function synced(people: number): IdentityStore {
  const store = new IdentityStore({ groups: true });
  for (let k = 0; k < people; k++) store.put(person(k));
  store.groups!.addGroup({ id: '00g00000000000000001', name: 'Eng', type: 'OKTA_GROUP', aliases: [], pushMappings: 2 });
  store.groups!.setPushMappings('0oa00000000000000001', 'forbidden');
  return store;
}

const snapshotId = (): string => (decodeLine(readFileSync(path, 'utf8').split('\n')[0]!) as { id: string }).id;

describe('IndexFile', () => {
  it('writes a snapshot per full read, journals each change, and snapshots again only after a minute and 1,000 changes', async () => {
    const index = IndexFile.open(options())!;
    const store = synced(10);
    index.replace(store, { cursor: 'c0', time: now }, true);
    await index.settled();
    const first = snapshotId();
    for (let i = 0; i < 1_500; i++) {
      const identity = person(i % 10, `P ${i}`);
      store.put(identity);
      index.record({ type: 'upsert', identity, cursor: `c${i + 1}`, eventIds: [] }, now);
    }
    await index.settled();
    // Within the minute: no snapshot, however many changes; the journal holds them.
    expect(snapshotId()).toBe(first);
    expect(readFileSync(`${path}.journal`, 'utf8').split('\n').length).toBeGreaterThan(1_500);
    now += SNAPSHOT_INTERVAL_MS;
    const identity = person(0, 'Last');
    store.put(identity);
    index.record({ type: 'upsert', identity, cursor: 'last', eventIds: [] }, now);
    await index.settled();
    expect(snapshotId()).not.toBe(first);
    expect(readFileSync(`${path}.journal`, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    await index.close();

    const again = IndexFile.open(options())!;
    const loaded = (await again.load())!;
    expect(loaded.position.cursor).toBe('last');
    expect([...loaded.store.identities()]).toEqual([...store.identities()]);
    // The group record (with its count of push mappings) and what could not be read come back whole.
    expect(loaded.store.groups!.get('00g00000000000000001')).toEqual(store.groups!.get('00g00000000000000001'));
    expect(loaded.store.groups!.pushUnread('0oa00000000000000001')).toBe('forbidden');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await again.close();
  });

  it("journals the stream's commits to the groups table: a group forgotten, push mappings, members unread", async () => {
    const index = IndexFile.open(options())!;
    const store = synced(3);
    store.groups!.addGroup({ id: '00g00000000000000002', name: 'Gone', type: 'OKTA_GROUP', aliases: [] });
    index.replace(store, { cursor: 'c0', time: now }, true);
    await index.settled();
    store.groups!.forget('00g00000000000000002');
    store.groups!.setPushMappings('0oa00000000000000001', [{ appId: '0oa00000000000000001', sourceGroupId: '00g00000000000000001', targetGroupId: '00g00000000000000009', status: 'ACTIVE' }]);
    store.groups!.setMembersRead('00g00000000000000001', 'forbidden');
    store.groups!.addGroup({ id: '00g00000000000000001', name: 'Engineering', type: 'OKTA_GROUP', aliases: ['eng'] });
    await index.close();
    const loaded = (await IndexFile.open(options())!.load())!;
    expect(loaded.store.groups!.get('00g00000000000000002')).toBeUndefined();
    expect(loaded.store.groups!.pushUnread('0oa00000000000000001')).toBeUndefined();
    expect([...loaded.store.groups!.pushTargets.keys()]).toEqual(['00g00000000000000009']);
    expect(loaded.store.groups!.membersUnread('00g00000000000000001')).toBe('forbidden');
    expect(loaded.store.groups!.get('00g00000000000000001')?.aliases).toEqual(['eng']);
  });

  it('a torn last journal line is dropped; what came before stands', async () => {
    const index = IndexFile.open(options())!;
    const store = synced(3);
    index.replace(store, { cursor: 'c0', time: now }, true);
    await index.settled();
    for (const [i, name] of ['One', 'Two'].entries()) {
      const identity = person(i, name);
      store.put(identity);
      index.record({ type: 'upsert', identity, cursor: `c${i + 1}`, eventIds: [] }, now);
    }
    await index.close();
    const text = readFileSync(`${path}.journal`, 'utf8');
    // A kill mid-append: the last line cut in two.
    rmSync(`${path}.journal`);
    appendFileSync(`${path}.journal`, text.slice(0, text.length - 20));
    const loaded = (await IndexFile.open(options())!.load())!;
    expect(warnings).toEqual([]);
    expect(loaded.store.identity(person(0).id)?.displayName).toBe('One');
    expect(loaded.store.identity(person(1).id)?.displayName).toBe('P 1');
    expect(loaded.position.cursor).toBe('c1');
  });

  it('a kill between the snapshot rename and its journal rename: the new journal (.journal.next) is found', async () => {
    const index = IndexFile.open(options())!;
    const store = synced(3);
    index.replace(store, { cursor: 'c0', time: now }, true);
    await index.settled();
    const identity = person(2, 'Changed');
    store.put(identity);
    index.record({ type: 'upsert', identity, cursor: 'c1', eventIds: [] }, now);
    await index.close();
    // The state right before the journal's rename: the journal under its temporary name, an older one in place.
    renameSync(`${path}.journal`, `${path}.journal.next`);
    copyFileSync(`${path}.journal.next`, `${path}.journal`);
    appendFileSync(`${path}.journal`, '');
    const stale = readFileSync(`${path}.journal`, 'utf8').replace(/"snapshot":"[0-9a-f]+"/, '"snapshot":"0000"');
    rmSync(`${path}.journal`);
    appendFileSync(`${path}.journal`, stale);
    const loaded = (await IndexFile.open(options())!.load())!;
    expect(warnings).toEqual([]);
    expect(loaded.store.identity(person(2).id)?.displayName).toBe('Changed');
    expect(existsSync(`${path}.journal`)).toBe(true);
  });
});
