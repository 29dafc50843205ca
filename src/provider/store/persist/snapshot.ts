/**
 * The snapshot file: written whole to a temporary file beside it (mode 0600), fsynced, renamed over
 * the previous one and the directory fsynced, so a kill at any instant leaves the previous file or
 * the new one. Read back line by line, each line's checksum and the trailer's sum of every line
 * checked before anything read is used.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeLine, encodeLine, type IndexRecord, type SnapshotHeader } from './format.js';

/** Bytes gathered before each write. */
const CHUNK = 1 << 20;

/** fsyncs a directory, so a rename in it survives a power loss (not supported everywhere: then skipped). */
export async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(dirname(path), 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory: the rename is as durable as the platform makes it.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a snapshot: the header (a checksummed line), `records` (one JSON line each: the trailer's
 * sum covers them), and the trailer. `records` is walked as the writes go (the index may change
 * meanwhile: the journal started before holds every change after it).
 */
export async function writeSnapshot(path: string, header: SnapshotHeader, records: Iterable<IndexRecord>): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  const sum = createHash('sha256');
  let count = 0;
  let buffer: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const text = buffer.join('');
    buffer = [];
    size = 0;
    sum.update(text);
    await handle.write(text);
  };
  try {
    buffer.push(encodeLine(header));
    for (const record of records) {
      const line = `${JSON.stringify(record)}\n`;
      buffer.push(line);
      size += line.length;
      count++;
      if (size >= CHUNK) await flush();
    }
    await flush();
    await handle.write(`${JSON.stringify({ end: count, sum: sum.digest('hex') })}\n`);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path);
}

/**
 * Calls `onLine` with each line of a file (its bytes, newline included; the last one may lack it),
 * reading large chunks: a 100,000-person snapshot is read in a few dozen reads.
 */
export async function readLines(path: string, onLine: (line: Buffer) => void): Promise<void> {
  // The start of a line the last chunk did not end (copied: the chunk itself is let go).
  let rest: Buffer | undefined;
  for await (const read of createReadStream(path, { highWaterMark: 4 * CHUNK })) {
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

/**
 * Reads a snapshot: calls `onHeader` with its header (which throws to refuse it), then `onRecord`
 * per record. Throws an Error saying why when the header or a line is damaged, the trailer is
 * missing (a truncated file) or the sum of the lines does not match; the caller discards what it built.
 */
export async function readSnapshot(path: string, onHeader: (header: unknown) => void, onRecord: (record: IndexRecord) => void): Promise<void> {
  const sum = createHash('sha256');
  let count = 0;
  let first = true;
  let trailer: { end?: unknown; sum?: unknown } | undefined;
  await readLines(path, (line) => {
    if (trailer) throw new Error('the file goes on past its end (corrupt)');
    if (first) {
      const header = line[line.length - 1] === 10 ? decodeLine(line.toString('utf8', 0, line.length - 1)) : undefined;
      if (header === undefined) throw new Error('the file has no valid header (truncated or corrupt)');
      onHeader(header);
      first = false;
      sum.update(line);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      throw new Error(`line ${count + 2} is damaged (truncated or corrupt)`);
    }
    if (value && typeof value === 'object' && 'end' in value) {
      trailer = value as { end?: unknown; sum?: unknown };
      return;
    }
    sum.update(line);
    onRecord(value as IndexRecord);
    count++;
  });
  if (first) throw new Error('the file is empty');
  if (!trailer) throw new Error('the file is truncated (it has no end)');
  if (trailer.end !== count || trailer.sum !== sum.digest('hex')) throw new Error('the file is corrupt (its sum does not match)');
}
