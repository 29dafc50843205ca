/**
 * The journal's records: the changes the stream made to the index after a snapshot, recorded as
 * they are made and applied back on top of the snapshot through the store's public API.
 * @module
 */
import type { Identity } from '../../../sdk.js';
import type { GroupMemberships } from '../groups.js';
import type { StoredGroup } from '../../identity.js';
import type { IdentityStore } from '../store.js';
import type { IndexRecord } from './format.js';

/** Applies one record to `store`; throws on a record of no known kind (the file is then corrupt). */
export function applyRecord(store: IdentityStore, record: IndexRecord): void {
  const r = record as Partial<Record<string, unknown>>;
  if ('put' in record) store.put(person(record.put));
  else if ('remove' in record && typeof record.remove === 'string') store.remove(record.remove);
  else if (!store.groups) throw new Error('a group record in an index without groups');
  else if ('group' in record) store.groups.addGroup(record.group);
  else if ('forget' in record) store.groups.forget(record.forget);
  else if ('push' in record) store.groups.setPushMappings(record.push.appId, record.push.read);
  else if ('members' in record) store.groups.setMembersRead(record.members.groupId, record.members.outcome);
  else throw new Error(`an unknown record (${Object.keys(r).join(', ')})`);
}

/** Checks the shape of a person before it enters the index (the checksum catches damage, not a foreign writer). */
function person(value: Identity): Identity {
  if (!value || typeof value.id !== 'string' || typeof value.login !== 'string' || !Array.isArray(value.accounts)) throw new Error('a malformed person');
  return value;
}

/** Whether two records of a group say the same (compared field by field: a put checks one per membership). */
function sameGroup(a: StoredGroup | undefined, b: StoredGroup): boolean {
  if (!a || a === b) return a === b;
  return a.name === b.name && a.type === b.type && a.appId === b.appId && a.pushMappings === b.pushMappings && a.aliases.length === b.aliases.length && a.aliases.every((alias, i) => alias === b.aliases[i]);
}

/**
 * Calls `record` with each change made to the groups table beyond a person's identity (the stream's
 * commits: a group's record, a deleted group forgotten, an app's push mappings, that a group's
 * members could not be read), after it is made. A group record is recorded only when it changes,
 * not at every membership a person's identity adds.
 */
export function observeGroups(table: GroupMemberships, record: (r: IndexRecord) => void): () => void {
  const { addGroup, forget, setPushMappings, setMembersRead } = table;
  table.addGroup = (group) => {
    const before = table.get(group.id);
    const n = addGroup.call(table, group);
    const after = table.get(group.id);
    if (after && !sameGroup(before, after)) record({ group: after });
    return n;
  };
  table.forget = (groupId) => {
    forget.call(table, groupId);
    record({ forget: groupId });
  };
  table.setPushMappings = (appId, read) => {
    setPushMappings.call(table, appId, read);
    record({ push: { appId, read } });
  };
  table.setMembersRead = (groupId, outcome) => {
    setMembersRead.call(table, groupId, outcome);
    record({ members: { groupId, outcome } });
  };
  return () => {
    for (const key of ['addGroup', 'forget', 'setPushMappings', 'setMembersRead'] as const) delete (table as Partial<GroupMemberships>)[key];
  };
}
