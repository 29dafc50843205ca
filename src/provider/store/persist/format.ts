/**
 * The on-disk format of the index file (`indexPath`).
 *
 * - The snapshot (`indexPath`): a header line ({@link SnapshotHeader}, checksummed as below), then
 *   the index's memory image and a trailer with the SHA-256 of it (see snapshot.ts). It is written
 *   to a temporary file, fsynced and renamed over the previous one.
 * - The journal (`indexPath` + `.journal`): a header naming the snapshot it follows, then one
 *   record per change the stream made to the index since that snapshot. A torn last line (a kill
 *   mid-append) ends it; what came before stands.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Identity } from '../../../sdk.js';
import type { StoredGroup } from '../../identity.js';
import type { PushMapping } from '../groups.js';

/**
 * The format this code writes and reads; a file of another version is discarded. Version 2 holds
 * the index's columns as they are in memory: a change to their layout is a new version.
 */
export const INDEX_FORMAT_VERSION = 2;

/** What the file says it is, so a file of another kind is refused. */
export const INDEX_FORMAT = 'okta-identity-provider-index';

/** A position of the System Log the index reflects: a change-stream cursor and its time. */
export interface IndexPosition {
  cursor: string;
  /** Epoch ms (the cursor's time), for the 90-day check before the cursor is even decoded. */
  time: number;
}

/** A change the stream delivered: a key of its cursor ({@link cursorKey}) and whom it was about (to deliver again to a host that resumes from before it). */
export interface TailEntry {
  key: string;
  id: string;
}

/** A short key for a cursor (the tail holds thousands; a cursor is hundreds of characters). */
export function cursorKey(cursor: string): string {
  return createHash('sha256').update(cursor).digest('base64url').slice(0, 16);
}

export interface SnapshotHeader {
  format: typeof INDEX_FORMAT;
  version: number;
  /** The org's origin: a file of another org is refused. */
  origin: string;
  /** Whether the index holds groups (it must match the `groups` option). */
  groups: boolean;
  /** Random id: the journal names the snapshot it follows. */
  id: string;
  position: IndexPosition;
  /** The last changes delivered before the snapshot, oldest first. */
  tail: TailEntry[];
  /** When it was written (epoch ms). */
  written: number;
}

/** One record of the journal: a change the stream made to the index. */
export type IndexRecord =
  | { group: StoredGroup }
  | { forget: string }
  | { push: { appId: string; read: PushMapping[] | 'forbidden' | 'gone' } }
  | { members: { groupId: string; outcome: 'read' | 'forbidden' | 'gone' } }
  | { put: Identity; cursor: string; time: number }
  | { remove: string; cursor: string; time: number };

export interface JournalHeader {
  format: typeof INDEX_FORMAT;
  version: number;
  /** The snapshot this journal follows. */
  snapshot: string;
}

/** A line: JSON, a tab, and the first 16 hex digits of its SHA-256 (JSON.stringify escapes every tab inside). */
export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${json}\t${lineSum(json)}\n`;
}

/** The value of a line written by {@link encodeLine}, or undefined when it is torn or altered. */
export function decodeLine(line: string): unknown {
  const tab = line.lastIndexOf('\t');
  if (tab < 0) return undefined;
  const json = line.slice(0, tab);
  if (lineSum(json) !== line.slice(tab + 1)) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function lineSum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** Why a header is not one this code reads for `origin` and `groups`, or null. */
export function headerProblem(header: unknown, kind: 'snapshot' | 'journal', expect: { origin: string; groups: boolean }): string | null {
  if (!header || typeof header !== 'object') return `the ${kind} has no valid header (truncated or corrupt)`;
  const h = header as Partial<SnapshotHeader & JournalHeader>;
  if (h.format !== INDEX_FORMAT) return `the file is not an index file of this connector`;
  if (h.version !== INDEX_FORMAT_VERSION) return `the file is format version ${JSON.stringify(h.version)}, this connector reads version ${INDEX_FORMAT_VERSION}`;
  if (kind === 'journal') return typeof h.snapshot === 'string' ? null : 'the journal has no valid header';
  if (h.origin !== expect.origin) return 'the file belongs to another Okta org';
  if (h.groups !== expect.groups) return `the file was written ${h.groups ? 'with' : 'without'} the groups option, which is now ${expect.groups ? 'on' : 'off'}`;
  const p = h.position;
  if (typeof h.id !== 'string' || !p || typeof p.cursor !== 'string' || typeof p.time !== 'number' || !Array.isArray(h.tail)) return 'the snapshot header is incomplete';
  return null;
}
