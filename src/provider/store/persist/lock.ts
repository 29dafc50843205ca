/**
 * One live provider per index file: a lock file beside it (`indexPath` + `.lock`), created
 * exclusively, naming the process that holds it. A lock left by a process that is gone (same host,
 * no such process; or this process's own pid from an earlier life, as in a container restarted
 * as pid 1) is taken over; a lock held by a live process, here or on another host, is not.
 * @module
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Index files locked by providers of this process. */
const heldHere = new Set<string>();

interface LockContent {
  pid: number;
  host: string;
  token: string;
}

/** Whether the process that wrote `content` may still be alive. */
function alive(content: LockContent): boolean {
  if (content.host !== hostname()) return true;
  if (content.pid === process.pid) return false;
  try {
    process.kill(content.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A held lock; {@link IndexLock.release} removes it. */
export class IndexLock {
  private constructor(
    private readonly path: string,
    private readonly indexPath: string,
    private readonly token: string,
  ) {}

  /** Takes the lock of `indexPath`, or returns a sentence saying who holds it. */
  static take(indexPath: string): IndexLock | string {
    const path = `${indexPath}.lock`;
    if (heldHere.has(indexPath)) return 'another provider of this process uses it';
    const token = randomBytes(8).toString('hex');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), token } satisfies LockContent));
        closeSync(fd);
        heldHere.add(indexPath);
        return new IndexLock(path, indexPath, token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `its lock file cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      }
      let content: LockContent | undefined;
      try {
        content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
      } catch {
        // Empty or torn: its writer died between creating and writing it.
      }
      if (content && alive(content)) return `process ${content.pid} on ${content.host} holds its lock (${path})`;
      rmSync(path, { force: true });
    }
    return `its lock file (${path}) is being taken by another process`;
  }

  /** Removes the lock, if it is still this one's. */
  release(): void {
    heldHere.delete(this.indexPath);
    try {
      const content = JSON.parse(readFileSync(this.path, 'utf8')) as LockContent;
      if (content.token === this.token) rmSync(this.path, { force: true });
    } catch {
      // Gone already.
    }
  }
}
