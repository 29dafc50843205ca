/**
 * The provider's index on disk (`indexPath`): loaded at start, replaced by each full read, kept
 * current by a journal of the stream's changes, and compacted into a new snapshot at most once a
 * minute. Every file is mode 0600; none holds a credential. What cannot be read back as it was
 * written (damaged, truncated, another org, another version, too old) is discarded with an
 * `index_discarded` warning, and the provider goes on without it.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConnectorWarning, IdentityChange } from '../../../sdk.js';
import type { IdentityStore } from '../store.js';
import { observeGroups } from './codec.js';
import { StoreImage } from '../image.js';
import { cursorKey, INDEX_FORMAT, INDEX_FORMAT_VERSION, type IndexPosition, type IndexRecord, type SnapshotHeader, type TailEntry } from './format.js';
import { Journal } from './journal.js';
import { readIndex, type ReadIndex } from './load.js';
import { IndexLock } from './lock.js';
import { encodeImage, syncDirectory, writeSnapshot } from './snapshot.js';

/** Shortest time between two snapshots written while the stream runs. */
export const SNAPSHOT_INTERVAL_MS = 60_000;
/** Journal records before a snapshot is worth writing. */
const SNAPSHOT_AFTER_RECORDS = 1_000;
/** Delivered changes remembered, to deliver again to a host that resumes from before them. */
export const TAIL_MAX = 10_000;
/** Longest a journal append waits before it is fsynced. */
const SYNC_DELAY_MS = 1_000;

export interface IndexFileOptions {
  path: string;
  origin: string;
  groups: boolean;
  warn: (warning: ConnectorWarning) => void;
  now: () => number;
  /** How old a position may be (Okta keeps its log 90 days). */
  retentionMs: number;
}

/** What a valid file held. */
export interface LoadedIndex {
  store: IdentityStore;
  position: IndexPosition;
  tail: TailEntry[];
}

export class IndexFile {
  readonly #options: IndexFileOptions;
  readonly #lock: IndexLock;
  #store: IdentityStore | undefined;
  #unobserve: (() => void) | undefined;
  #journal: Journal | undefined;
  #next: Journal | undefined;
  #position: IndexPosition | undefined;
  #tail: TailEntry[] = [];
  #writing: Promise<void> | undefined;
  #again = false;
  #lastSnapshot = Number.NEGATIVE_INFINITY;
  #syncTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Discards so far: a snapshot written across one is removed. */
  #discards = 0;

  private constructor(options: IndexFileOptions, lock: IndexLock) {
    this.#options = options;
    this.#lock = lock;
  }

  /** Takes the file's lock; when another live provider holds it, warns (`index_locked`) and returns undefined. */
  static open(options: IndexFileOptions): IndexFile | undefined {
    const unusable = (why: string): undefined => {
      options.warn({ code: 'index_discarded', path: options.path, message: `The index file is not used: ${why}. This provider works without it (no warm start, nothing persisted).` });
      return undefined;
    };
    if (!existsSync(dirname(options.path))) return unusable('its directory does not exist');
    let lock: IndexLock | string;
    try {
      lock = IndexLock.take(options.path);
    } catch (error) {
      return unusable(`its lock file cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (typeof lock === 'string') {
      options.warn({ code: 'index_locked', path: options.path, message: `The index file is not used: ${lock}. This provider works without it (no warm start, nothing persisted).` });
      return undefined;
    }
    return new IndexFile(options, lock);
  }

  /** The position the index reflects, and the last changes delivered (oldest first). */
  get position(): IndexPosition | undefined {
    return this.#store ? this.#position : undefined;
  }

  get tail(): readonly TailEntry[] {
    return this.#tail.length > TAIL_MAX ? this.#tail.slice(-TAIL_MAX) : this.#tail;
  }

  /** Loads the file, or discards it (warned) when it is not valid for this org and version, or too old. */
  async load(): Promise<LoadedIndex | undefined> {
    const { path, origin, groups } = this.#options;
    let read: ReadIndex | undefined;
    try {
      read = await readIndex(path, { origin, groups });
      if (!read) return undefined;
      this.#position = read.header.position;
      this.#tail = read.header.tail;
      for (const record of read.records) this.#track(record);
      const age = this.#options.now() - this.#position.time;
      if (age > this.#options.retentionMs) throw new Error(`its position is from ${new Date(this.#position.time).toISOString()}, beyond the System Log's 90 days`);
      // A fresh journal for the loaded snapshot: what was read (without a torn last line), then what comes.
      this.#journal = this.#newJournal(read.header.id, `${path}.journal`, read.records);
      this.#lastSnapshot = read.header.written;
    } catch (error) {
      this.discard(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    this.#attach(read.store);
    return { store: read.store, position: this.#position, tail: [...this.tail] };
  }

  /** A full read's index replaces the file (`position`: the log position it reflects); `consumed`: the host read it whole, so the tail starts over. */
  replace(store: IdentityStore, position: IndexPosition, consumed: boolean): void {
    if (this.#closed) return;
    // The journals of the index it replaces end here: a change of the new index in them would be
    // replayed onto the old one. Until the new snapshot is on the disk, the file is the old index.
    for (const journal of [this.#journal, this.#next]) journal?.close();
    this.#journal = this.#next = undefined;
    this.#attach(store);
    this.#position = position;
    if (consumed) this.#tail = [];
    this.#snapshot(true);
  }

  /** Journals a change the stream delivered (`time`: its cursor's time); applied to the index already. */
  record(change: IdentityChange, time: number): void {
    if (!this.#store) return;
    const cursor = change.cursor;
    this.#append(change.type === 'upsert' ? { put: change.identity, cursor, time } : { remove: change.id, cursor, time });
    this.#remember(cursor, change.type === 'upsert' ? change.identity.id : change.id);
    this.#position = { cursor, time };
    const records = this.#journal?.records ?? 0;
    if (records >= SNAPSHOT_AFTER_RECORDS && this.#options.now() - this.#lastSnapshot >= SNAPSHOT_INTERVAL_MS) this.#snapshot(false);
  }

  /** Deletes the files and stops persisting until the next full read; warns why. */
  discard(reason: string): void {
    this.#options.warn({ code: 'index_discarded', path: this.#options.path, message: `The index file was discarded: ${reason}. The provider works without it until the next full listIdentities().` });
    this.#discards++;
    this.#detach();
    this.#journal?.close();
    this.#next?.close();
    this.#journal = this.#next = undefined;
    try {
      for (const suffix of ['', '.journal', '.journal.next']) rmSync(`${this.#options.path}${suffix}`, { force: true });
    } catch {
      // Cannot be deleted (permissions): it is not used, and the next full read tries to replace it.
    }
  }

  /** Resolves once no snapshot is being written (the last one asked for is on the disk). */
  async settled(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  /** Waits for a snapshot being written, puts the journal on the disk, and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#again = false;
    await this.#writing;
    this.#detach();
    clearTimeout(this.#syncTimer);
    this.#journal?.close();
    this.#next?.close();
    this.#lock.release();
  }

  #attach(store: IdentityStore): void {
    this.#detach();
    this.#store = store;
    if (store.groups) this.#unobserve = observeGroups(store.groups, (record) => this.#append(record));
  }

  #detach(): void {
    this.#unobserve?.();
    this.#unobserve = undefined;
    this.#store = undefined;
  }

  #track(record: IndexRecord): void {
    if (!('cursor' in record)) return;
    this.#position = { cursor: record.cursor, time: record.time };
    this.#remember(record.cursor, 'put' in record ? record.put.id : record.remove);
  }

  /** Adds a change to the tail, which keeps the last TAIL_MAX (trimmed in batches, not one shift per change). */
  #remember(cursor: string, id: string): void {
    if (this.#tail.push({ key: cursorKey(cursor), id }) >= 2 * TAIL_MAX) this.#tail = this.#tail.slice(-TAIL_MAX);
  }

  #append(record: IndexRecord): void {
    try {
      this.#journal?.append(record);
      this.#next?.append(record);
    } catch (error) {
      this.#failed(error);
      return;
    }
    this.#syncTimer ??= setTimeout(() => {
      this.#syncTimer = undefined;
      try {
        this.#journal?.sync();
        this.#next?.sync();
      } catch (error) {
        this.#failed(error);
      }
    }, SYNC_DELAY_MS).unref();
  }

  #failed(error: unknown): void {
    this.discard(`it could not be written (${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'error')})`);
  }

  #newJournal(snapshot: string, final: string | undefined, records: IndexRecord[] = []): Journal {
    const journal = new Journal(`${this.#options.path}.journal.next`, { format: INDEX_FORMAT, version: INDEX_FORMAT_VERSION, snapshot });
    for (const record of records) journal.append(record);
    journal.sync();
    if (final) {
      renameSync(journal.path, final);
      journal.path = final;
    }
    return journal;
  }

  /** Starts writing a snapshot (one at a time; `force`: one more after the running one). */
  #snapshot(force: boolean): void {
    if (this.#writing) {
      this.#again ||= force;
      return;
    }
    this.#writing = this.#writeSnapshot()
      .catch((error: unknown) => this.#failed(error))
      .finally(() => {
        this.#writing = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.#snapshot(false);
        }
      });
  }

  async #writeSnapshot(): Promise<void> {
    const store = this.#store;
    const position = this.#position;
    if (!store || !position) return;
    const { path, origin, groups } = this.#options;
    const id = randomBytes(12).toString('hex');
    const discards = this.#discards;
    // Every change from now on goes to the new snapshot's journal too.
    const next = this.#newJournal(id, undefined);
    this.#next = next;
    this.#lastSnapshot = this.#options.now();
    const header: SnapshotHeader = { format: INDEX_FORMAT, version: INDEX_FORMAT_VERSION, origin, groups, id, position, tail: this.#tail.slice(-TAIL_MAX), written: this.#lastSnapshot };
    // The index as it is at this instant (shared copy-on-write): what changes from now on is in the new journal.
    const image = new StoreImage();
    store.save(image);
    const body = encodeImage(image);
    try {
      await writeSnapshot(path, header, body);
    } catch (error) {
      next.close();
      if (this.#next === next) this.#next = undefined;
      rmSync(`${path}.journal.next`, { force: true });
      throw error;
    }
    if (this.#discards !== discards) {
      // Discarded while it was written: it goes too.
      next.close();
      for (const suffix of ['', '.journal.next']) rmSync(`${path}${suffix}`, { force: true });
      return;
    }
    // The snapshot and its journal (closed already when a full read replaced the index meanwhile).
    next.sync();
    renameSync(next.path, `${path}.journal`);
    next.path = `${path}.journal`;
    if (this.#next === next) {
      this.#journal?.close();
      this.#journal = next;
      this.#next = undefined;
    }
    await syncDirectory(path);
  }
}
