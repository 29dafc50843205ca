/**
 * The journal: the changes the stream made to the index since a snapshot, one checksummed line
 * each, appended as they are made (a write per change, no rewrite of the index). Appends are
 * written at once (a kill of the process loses none); they reach the disk at each snapshot, at
 * close, and at most a second after they are made. A torn last line ends the journal when it is read.
 * @module
 */
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { decodeLine, encodeLine, headerProblem, type IndexRecord, type JournalHeader } from './format.js';

/** Bytes read at once. */
const CHUNK = 4 << 20;

/**
 * Calls `onLine` with each line of a file (its bytes, newline included; the last one may lack it),
 * reading large chunks.
 */
async function readLines(path: string, onLine: (line: Buffer) => void): Promise<void> {
  // The start of a line the last chunk did not end (copied: the chunk itself is let go).
  let rest: Buffer | undefined;
  for await (const read of createReadStream(path, { highWaterMark: CHUNK })) {
    const chunk = read as Buffer;
    let start = 0;
    if (rest) {
      const end = chunk.indexOf(10);
      if (end < 0) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      onLine(Buffer.concat([rest, chunk.subarray(0, end + 1)]));
      rest = undefined;
      start = end + 1;
    }
    for (let end = chunk.indexOf(10, start); end >= 0; end = chunk.indexOf(10, start)) {
      onLine(chunk.subarray(start, end + 1));
      start = end + 1;
    }
    if (start < chunk.length) rest = Buffer.from(chunk.subarray(start));
  }
  if (rest) onLine(rest);
}

/** An open journal file. */
export class Journal {
  private fd: number | undefined;
  records = 0;
  private dirty = false;

  /** Creates (or truncates) the journal at `path` for snapshot `snapshot`, header fsynced. */
  constructor(
    public path: string,
    header: JournalHeader,
  ) {
    this.fd = openSync(path, 'w', 0o600);
    writeSync(this.fd, encodeLine(header));
    fsyncSync(this.fd);
  }

  /** Appends one record. */
  append(record: IndexRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, encodeLine(record));
    this.records++;
    this.dirty = true;
  }

  /** Puts what was appended on the disk. */
  sync(): void {
    if (this.fd === undefined || !this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The records of the journal at `path` when it follows snapshot `snapshot`, up to its first damaged
 * line (a kill mid-append tears only the last one); null when there is no such journal.
 */
export async function readJournal(path: string, snapshot: string): Promise<IndexRecord[] | null> {
  if (!existsSync(path)) return null;
  const records: IndexRecord[] = [];
  let state = 'header' as 'header' | 'records' | 'torn' | 'foreign';
  await readLines(path, (line) => {
    if (state === 'torn' || state === 'foreign') return;
    const value = line[line.length - 1] === 10 ? decodeLine(line.toString('utf8', 0, line.length - 1)) : undefined;
    if (state === 'header') {
      state = headerProblem(value, 'journal', { origin: '', groups: false }) === null && (value as JournalHeader).snapshot === snapshot ? 'records' : 'foreign';
    } else if (value === undefined) state = 'torn';
    else records.push(value as IndexRecord);
  });
  return state === 'records' || state === 'torn' ? records : null;
}
