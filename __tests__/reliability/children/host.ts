/**
 * A host process for host-kill.test.ts, which SIGKILLs it at random instants: it keeps its own
 * view (a full read, then the changes it consumed, each appended as one line to `host.jsonl`,
 * cursor included) and a provider with `indexPath`. When it has no full read yet it runs
 * `listIdentities()`; then it streams from its last saved cursor (or from when its read began).
 * It prints `syncing` when it starts a full read, `synced`, then `change` per change; with `final` it exits once the stream has caught up.
 *
 * Usage: `node --import tsx host.ts <baseUrl> <token> <stateDir> [final]`.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../../src/clock.js';
import { OktaIdentityProvider, type IdentityChange } from '../../../src/index.js';

const [baseUrl, token, dir, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const POLL_MS = 40;
const controller = new AbortController();
/** The real clock; a poll sleep (the stream caught up) ends a final run. */
const clock: Clock = {
  now: () => systemClock.now(),
  sleep: async (ms, signal) => {
    if (ms === POLL_MS && mode === 'final') controller.abort();
    await systemClock.sleep(ms, signal);
  },
};
const provider = new OktaIdentityProvider(
  { hostname: 'example.okta.com', baseUrl, token, groups: true, pollIntervalMs: POLL_MS, retries: 2, retryBaseDelayMs: 1, indexPath: join(dir, 'index'), onWarning: (w) => process.stderr.write(`warning ${w.code}: ${w.message}\n`) },
  { clock },
);

const snapshotPath = join(dir, 'snapshot.json');
const changesPath = join(dir, 'host.jsonl');
if (!existsSync(snapshotPath)) {
  process.stdout.write('syncing\n');
  const since = new Date().toISOString();
  const identities = [];
  for await (const identity of provider.listIdentities()) identities.push(identity);
  writeFileSync(`${snapshotPath}.tmp`, JSON.stringify({ since, identities }));
  renameSync(`${snapshotPath}.tmp`, snapshotPath);
  writeFileSync(changesPath, '');
}
process.stdout.write('synced\n');
const { since } = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { since: string };
// The cursor of the last whole line (a kill may tear the last one).
let cursor: string | undefined;
for (const line of readFileSync(changesPath, 'utf8').split('\n')) {
  try {
    cursor = (JSON.parse(line) as IdentityChange).cursor;
  } catch {
    // The torn last line: its change comes again.
  }
}
const fd = openSync(changesPath, 'a');
for await (const change of provider.changes({ ...(cursor ? { cursor } : { since }), signal: controller.signal })) {
  writeSync(fd, `${JSON.stringify(change)}\n`);
  process.stdout.write('change\n');
}
closeSync(fd);
await provider.close();
