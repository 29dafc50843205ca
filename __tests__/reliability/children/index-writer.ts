/**
 * A child process that writes the index file without end, for index-kill.test.ts to SIGKILL at a
 * random instant: generation after generation, a whole new index (every person's displayName
 * names the generation) replaces the file, then the first people are changed one by one through
 * the journal (their displayName then also names their number). After each generation's
 * snapshot is on the disk it prints `done <generation>`.
 *
 * Usage: `node --import tsx index-writer.ts <indexPath> <people>`.
 */
import { IdentityStore } from '../../../src/provider/store/store.js';
import { IndexFile } from '../../../src/provider/store/persist/index-file.js';
import type { Identity } from '../../../src/index.js';

const [path, peopleArg] = process.argv.slice(2) as [string, string];
const people = Number(peopleArg);
export const ORIGIN = 'https://example.okta.com';

function person(k: number, generation: number, change?: number): Identity {
  const id = `00u${String(k).padStart(17, '0')}`;
  return {
    id,
    login: `user${k}@example.com`,
    email: `user${k}@example.com`,
    displayName: change === undefined ? `p${k} g${generation}` : `p${k} g${generation} c${change}`,
    status: 'ACTIVE',
    accounts: [{ appId: '0oa00000000000000001', appName: 'github', appLabel: 'GitHub', userName: `u${k}`, externalId: null, scope: 'USER', status: 'ACTIVE' }],
    groups: [{ id: '00g00000000000000001', name: `Group g${generation}`, type: 'OKTA_GROUP' }],
  };
}

const index = IndexFile.open({ path, origin: ORIGIN, groups: true, warn: (w) => process.stderr.write(`${w.code}: ${w.message}\n`), now: Date.now, retentionMs: 90 * 86_400_000 });
if (!index) process.exit(2);
for (let generation = 1; ; generation++) {
  const store = new IdentityStore({ groups: true });
  for (let k = 0; k < people; k++) store.put(person(k, generation));
  index.replace(store, { cursor: `g${generation}`, time: Date.now() }, true);
  for (let k = 0; k < 50; k++) {
    const identity = person(k, generation, k);
    store.put(identity);
    index.record({ type: 'upsert', identity, cursor: `g${generation}c${k}`, eventIds: [] }, Date.now());
  }
  await index.settled();
  process.stdout.write(`done ${generation}\n`);
}
