/**
 * The snapshot file: the index's memory image ({@link StoreImage}) written whole to a temporary
 * file beside it (mode 0600), fsynced, renamed over the previous one and the directory fsynced, so
 * a kill at any instant leaves the previous file or the new one. Its layout:
 *
 * - the header: a checksummed JSON line ({@link SnapshotHeader});
 * - the manifest: a JSON line (`{"endian","values","arrays":[[name, "i32" | "u8", bytes], ...]}`),
 *   padded with spaces so that the arrays start at a multiple of 8 bytes into the file;
 * - the arrays' bytes, each padded to a multiple of 8;
 * - the trailer: `{"end":<arrays>,"sum":<sha-256 of the manifest and the arrays>}` and a newline.
 *
 * It is read back in one read, the sum checked before anything in it is used, and its Int32
 * columns taken as views of the bytes read (no copy, no per-row work).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { StoreImage } from '../image.js';
import { decodeLine, encodeLine, type SnapshotHeader } from './format.js';

const ALIGN = 8;
const padding = (n: number): number => (ALIGN - (n % ALIGN)) % ALIGN;

/** A snapshot's body, encoded at the instant it is taken (the index may change while it is written). */
export interface EncodedImage {
  /** The manifest's JSON (unpadded). */
  manifest: string;
  arrays: Uint8Array[];
}

/** Encodes `image` (its JSON values now, its arrays as they are: the image's own copies). */
export function encodeImage(image: StoreImage): EncodedImage {
  const entries = [...image.arrays];
  const arrays = entries.map(([, data]) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const manifest = JSON.stringify({ endian: endianness(), values: image.values, arrays: entries.map(([name, data]) => [name, data instanceof Int32Array ? 'i32' : 'u8', data.byteLength]) });
  return { manifest, arrays };
}

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

/** Writes a snapshot of `header` and `body` (see the module comment). */
export async function writeSnapshot(path: string, header: SnapshotHeader, body: EncodedImage): Promise<void> {
  const headerLine = encodeLine(header);
  const lines = Buffer.byteLength(headerLine) + Buffer.byteLength(body.manifest) + 1;
  const manifest = Buffer.from(`${body.manifest}${' '.repeat(padding(lines))}\n`);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  const sum = createHash('sha256');
  const zeros = Buffer.alloc(ALIGN);
  try {
    await handle.write(headerLine);
    sum.update(manifest);
    await handle.write(manifest);
    for (const array of body.arrays) {
      const pad = zeros.subarray(0, padding(array.byteLength));
      sum.update(array).update(pad);
      await handle.write(array);
      await handle.write(pad);
    }
    await handle.write(`${JSON.stringify({ end: body.arrays.length, sum: sum.digest('hex') })}\n`);
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
 * Reads a snapshot: calls `onHeader` with its header (which throws to refuse it) and returns its
 * image. Throws an Error saying why when the header, the manifest or the trailer is damaged or
 * missing (a truncated file) or the sum does not match; nothing of such a file is used.
 */
export async function readSnapshot(path: string, onHeader: (header: unknown) => void): Promise<StoreImage> {
  const file = await readFile(path);
  if (file.length === 0) throw new Error('the file is empty');
  const headerEnd = file.indexOf(10);
  const header = headerEnd < 0 ? undefined : decodeLine(file.toString('utf8', 0, headerEnd));
  if (header === undefined) throw new Error('the file has no valid header (truncated or corrupt)');
  onHeader(header);
  const manifestEnd = file.indexOf(10, headerEnd + 1);
  let manifest: { endian?: unknown; values?: unknown; arrays?: unknown };
  try {
    if (manifestEnd < 0) throw new Error('no manifest');
    manifest = JSON.parse(file.toString('utf8', headerEnd + 1, manifestEnd)) as typeof manifest;
  } catch {
    throw new Error('its manifest is damaged (truncated or corrupt)');
  }
  const arrays = manifest.arrays;
  const start = manifestEnd + 1;
  if (!Array.isArray(arrays) || !manifest.values || typeof manifest.values !== 'object') throw new Error('its manifest is damaged (corrupt)');
  if (manifest.endian !== endianness()) throw new Error(`it was written on a ${String(manifest.endian)} machine, this one is ${endianness()}`);
  let end = start;
  for (const entry of arrays as unknown[]) {
    const [, kind, bytes] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if ((kind !== 'i32' && kind !== 'u8') || !Number.isInteger(bytes) || (bytes as number) < 0 || (kind === 'i32' && (bytes as number) % 4 !== 0)) throw new Error('its manifest is damaged (corrupt)');
    end += (bytes as number) + padding(bytes as number);
  }
  if (end >= file.length || file[file.length - 1] !== 10) throw new Error('the file is truncated (it has no end)');
  let trailer: { end?: unknown; sum?: unknown };
  try {
    trailer = JSON.parse(file.toString('utf8', end)) as typeof trailer;
  } catch {
    throw new Error('the file is truncated or corrupt (its end is damaged)');
  }
  const sum = createHash('sha256').update(file.subarray(headerEnd + 1, end)).digest('hex');
  if (trailer.end !== arrays.length || trailer.sum !== sum) throw new Error('the file is corrupt (its sum does not match)');
  const image = new StoreImage();
  for (const [name, value] of Object.entries(manifest.values)) image.set(name, value);
  let at = start;
  for (const [name, kind, bytes] of arrays as Array<[string, 'i32' | 'u8', number]>) {
    const view = file.subarray(at, at + bytes);
    if (kind === 'u8') image.setBytes(name, view);
    // An Int32Array needs 4-byte alignment: the writer aligns the arrays in the file; where they are not, they are copied.
    else image.setInts(name, view.byteOffset % 4 === 0 ? new Int32Array(view.buffer, view.byteOffset, bytes / 4) : new Int32Array(new Uint8Array(view).buffer));
    at += bytes + padding(bytes);
  }
  return image;
}
