/**
 * Reading the index file back: the snapshot (refused unless it is whole and for this org, format
 * version and `groups` setting) mapped back into an index, then the journal that follows it, up to
 * a torn last line, applied on top.
 * @module
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IdentityStore } from '../store.js';
import { applyRecord } from './codec.js';
import { headerProblem, type IndexRecord, type SnapshotHeader } from './format.js';
import { readJournal } from './journal.js';
import { readSnapshot } from './snapshot.js';

/** What a file holds: its index, its snapshot's header, and the journal records applied on top. */
export interface ReadIndex {
  store: IdentityStore;
  header: SnapshotHeader;
  records: IndexRecord[];
}

/**
 * Reads the index at `path`; undefined when there is none. Throws an Error saying why it is
 * refused. Removes the temporary files of snapshots a kill interrupted (the caller holds the lock).
 */
export async function readIndex(path: string, expect: { origin: string; groups: boolean }): Promise<ReadIndex | undefined> {
  for (const name of readdirSync(dirname(path))) if (name.startsWith(`${basename(path)}.`) && name.endsWith('.tmp')) rmSync(join(dirname(path), name), { force: true });
  if (!existsSync(path)) return undefined;
  let header: SnapshotHeader | undefined;
  const image = await readSnapshot(path, (h) => {
    const problem = headerProblem(h, 'snapshot', expect);
    if (problem) throw new Error(problem);
    header = h as SnapshotHeader;
  });
  const store = IdentityStore.load(image, { groups: expect.groups });
  // A kill between the snapshot's rename and its journal's leaves the journal under its temporary name.
  let records: IndexRecord[] = [];
  for (const candidate of [`${path}.journal`, `${path}.journal.next`]) {
    const read = await readJournal(candidate, header!.id);
    if (read) {
      records = read;
      break;
    }
  }
  for (const record of records) applyRecord(store, record);
  return { store, header: header!, records };
}
