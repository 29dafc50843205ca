/**
 * The index as records, and records back into an index, through the store's public API only (its
 * columns may change shape without changing the file). A snapshot lists the apps, the groups whole
 * (with the identifiers resolveAppGroup matches), the people with their accounts and group ids (put
 * back as a full read puts them), the push mappings and what could not be read; the journal adds
 * the changes the stream made.
 * @module
 */
import type { Identity } from '../../../sdk.js';
import type { GroupMemberships, PushMapping } from '../groups.js';
import type { StoredGroup } from '../../identity.js';
import type { IdentityStore } from '../store.js';
import type { IndexRecord, PersonRow } from './format.js';

/** Every record of a snapshot of `store`, built one at a time. */
export function* storeRecords(store: IdentityStore): Generator<IndexRecord> {
  for (const app of store.allApps()) yield { app };
  const table = store.groups;
  for (const group of table?.all() ?? []) yield { group };
  for (const i of store.identities()) {
    const accounts = i.accounts.map((a): PersonRow[5][number] => [a.appId, a.userName, a.externalId, a.scope, a.status]);
    yield { p: [i.id, i.login, i.email, i.displayName, i.status, accounts, (i.groups ?? []).map((g) => g.id)] };
  }
  if (!table) return;
  const byApp = new Map<string, PushMapping[]>();
  for (const m of table.pushTargets.values()) byApp.set(m.appId, [...(byApp.get(m.appId) ?? []), m]);
  for (const appId of table.pushRead) yield { push: { appId, read: byApp.get(appId) ?? [] } };
  for (const [key, reason] of [...table.unread]) {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'app') yield { push: { appId: id, read: reason } };
    else yield { members: { groupId: id, outcome: reason } };
  }
}

/** Applies one record to `store`; throws on a record of no known kind (the file is then corrupt). */
export function applyRecord(store: IdentityStore, record: IndexRecord): void {
  const r = record as Partial<Record<string, unknown>>;
  if ('p' in record) putRow(store, record.p);
  else if ('put' in record) store.put(person(record.put));
  else if ('remove' in record && typeof record.remove === 'string') store.remove(record.remove);
  else if ('app' in record) store.addApp(record.app);
  else if (!store.groups) throw new Error('a group record in an index without groups');
  else if ('group' in record) store.groups.addGroup(record.group);
  else if ('forget' in record) store.groups.forget(record.forget);
  else if ('push' in record) store.groups.setPushMappings(record.push.appId, record.push.read);
  else if ('members' in record) store.groups.setMembersRead(record.members.groupId, record.members.outcome);
  else throw new Error(`an unknown record (${Object.keys(r).join(', ')})`);
}

/** Puts a snapshot's person back as a full read does (a group record, read before, is left as it is). */
function putRow(store: IdentityStore, row: PersonRow): void {
  const [id, login, email, displayName, status, accounts, groups] = row;
  if (typeof id !== 'string' || typeof login !== 'string' || !Array.isArray(accounts) || !Array.isArray(groups)) throw new Error('a malformed person');
  store.addPerson({ id, login, email, displayName, status });
  for (const [appId, userName, externalId, scope, accountStatus] of accounts) {
    const app = store.app(appId);
    if (!app) throw new Error(`an account in app ${appId}, which the file does not list`);
    store.addAccount(id, { appId, appName: app.name, appLabel: app.label, userName, externalId, scope, status: accountStatus });
  }
  for (const groupId of groups) store.addMembership(id, groupId);
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
