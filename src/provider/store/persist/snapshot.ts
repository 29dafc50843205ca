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
import { createInterface } from 'node:readline';
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
 * Writes a snapshot: the header, `records`, and the trailer. `records` is walked as the writes go
 * (the index may change meanwhile: the journal started before holds every change after it).
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
      const line = encodeLine(record);
      buffer.push(line);
      size += line.length;
      count++;
      if (size >= CHUNK) await flush();
    }
    await flush();
    await handle.write(encodeLine({ end: count, sum: sum.digest('hex') }));
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

/** The lines of a file, each with its newline, as read. */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/**
 * Reads a snapshot: calls `onHeader` with its header (which throws to refuse it), then `onRecord`
 * per record. Throws an Error saying why when a line is damaged, the trailer is missing (a
 * truncated file) or the sum does not match; the caller discards what it built.
 */
export async function readSnapshot(path: string, onHeader: (header: unknown) => void, onRecord: (record: IndexRecord) => void): Promise<void> {
  const sum = createHash('sha256');
  let count = 0;
  let first = true;
  let trailer: { end?: unknown; sum?: unknown } | undefined;
  for await (const line of fileLines(path)) {
    if (trailer) throw new Error('the file goes on past its end (corrupt)');
    const value = decodeLine(line);
    if (value === undefined) throw new Error(first ? 'the file has no valid header (truncated or corrupt)' : `line ${count + 2} is damaged (a checksum does not match)`);
    if (first) {
      onHeader(value);
      first = false;
    } else if (value && typeof value === 'object' && 'end' in value) {
      trailer = value as { end?: unknown; sum?: unknown };
      continue;
    } else {
      onRecord(value as IndexRecord);
      count++;
    }
    sum.update(`${line}\n`);
  }
  if (first) throw new Error('the file is empty');
  if (!trailer) throw new Error('the file is truncated (it has no end)');
  if (trailer.end !== count || trailer.sum !== sum.digest('hex')) throw new Error('the file is corrupt (its sum does not match)');
}
