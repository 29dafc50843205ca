import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type OktaConfig } from '../../../src/index.js';
import { OktaSimulator } from '../../../src/simulator/index.js';
import { decodeLine, encodeLine } from '../../../src/provider/store/persist/format.js';
import { simulatorHandler } from '../../helpers/msw-simulator.js';
import { TOKEN, useMswServer } from '../../helpers/msw.js';

const server = useMswServer();
const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-index-'));
  path = join(dir, 'index');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(groups = true): { sim: OktaSimulator; requests: () => number; make: (extra?: Partial<OktaConfig>) => { provider: OktaIdentityProvider; warnings: ConnectorWarning[] } } {
  const sim = new OktaSimulator({ seed: 7, users: 30, apps: 3, groups: 4, appGroupsPerApp: 1, pushMappings: 1, token: TOKEN, rateLimits: UNLIMITED });
  let count = 0;
  server.use(simulatorHandler(sim, { seen: () => count++ }));
  const make = (extra: Partial<OktaConfig> = {}): { provider: OktaIdentityProvider; warnings: ConnectorWarning[] } => {
    const warnings: ConnectorWarning[] = [];
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', token: TOKEN, groups, indexPath: path, onWarning: (w) => warnings.push(w), ...extra });
    return { provider, warnings };
  };
  return { sim, requests: () => count, make };
}

async function all(provider: OktaIdentityProvider): Promise<Identity[]> {
  const out: Identity[] = [];
  for await (const identity of provider.listIdentities()) out.push(identity);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** An account of the org to resolve: its app id and userName, and who owns it. */
function someAccount(identities: Identity[]): { app: string; userName: string; id: string } {
  const owner = identities.find((i) => i.accounts.length > 0)!;
  return { app: owner.accounts[0]!.appId, userName: owner.accounts[0]!.userName, id: owner.id };
}

describe('indexPath: the index on disk', () => {
  it('a full read writes the file (mode 0600, no credential); a new provider answers from it with no request', async () => {
    const { requests, make } = setup();
    const first = make();
    const identities = await all(first.provider);
    await first.provider.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}.journal`).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain(TOKEN);
    expect(existsSync(`${path}.lock`)).toBe(false);

    const second = make();
    const account = someAccount(identities);
    const before = requests();
    expect((await second.provider.resolveAppUser(account.app, account.userName))?.id).toBe(account.id);
    expect(requests()).toBe(before);
    expect(second.warnings).toEqual([]);
    await second.provider.close();
  });

  it.each([
    ['truncated', (file: Buffer) => file.subarray(0, Math.floor(file.length / 2)), /truncated/],
    ['corrupt (one byte of the index changed)', (file: Buffer) => flip(file, Math.floor(file.length / 2)), /corrupt \(its sum does not match\)/],
    ['corrupt (one byte of the manifest changed)', (file: Buffer) => flip(file, file.indexOf('"values"') + 3), /corrupt/],
    ['corrupt (its manifest cut short)', (file: Buffer) => Buffer.concat([file.subarray(0, file.indexOf('"arrays"')), Buffer.from('\n'), file.subarray(file.indexOf('"arrays"'))]), /manifest is damaged/],
    ['without its end', (file: Buffer) => file.subarray(0, file.lastIndexOf('{"end"')), /truncated/],
    ['empty', () => Buffer.alloc(0), /empty/],
    ['not an index file', () => Buffer.from('hello\n'), /no valid header/],
    ['of another org', (file: Buffer) => rewriteHeader(file, (h) => ({ ...h, origin: 'https://other.okta.com' })), /another Okta org/],
    ['of another format version', (file: Buffer) => rewriteHeader(file, (h) => ({ ...h, version: 99 })), /version 99/],
    ['of format version 1 (JSON lines)', (file: Buffer) => rewriteHeader(file, (h) => ({ ...h, version: 1 })), /version 1, this connector reads version 2/],
    ['written without groups', (file: Buffer) => rewriteHeader(file, (h) => ({ ...h, groups: false })), /groups option/],
    ['expired (its position is beyond 90 days)', (file: Buffer) => rewriteHeader(file, (h) => ({ ...h, position: { ...(h.position as object), time: Date.now() - 91 * 86_400_000 } })), /90 days/],
  ])('a file %s is discarded with index_discarded, and the provider works as without one', async (_kind, damage, why) => {
    const { requests, make } = setup();
    const first = make();
    const identities = await all(first.provider);
    await first.provider.close();
    rmSync(`${path}.journal`);
    writeFileSync(path, damage(readFileSync(path)));

    const second = make();
    const account = someAccount(identities);
    const before = requests();
    expect((await second.provider.resolveAppUser(account.app, account.userName))?.id).toBe(account.id);
    expect(requests()).toBeGreaterThan(before);
    expect(second.warnings.map((w) => w.code)).toEqual(['index_discarded']);
    expect(second.warnings[0]!.message).toMatch(why);
    expect(existsSync(path)).toBe(false);
    // It works on as without a file, and its next full read writes a valid one.
    expect(await all(second.provider)).toEqual(identities);
    await second.provider.close();
    const third = make();
    const at = requests();
    expect((await third.provider.resolveAppUser(account.app, account.userName))?.id).toBe(account.id);
    expect(requests()).toBe(at);
    await third.provider.close();
  });

  it('listIdentities() on a loaded provider stays a full read and replaces the file', async () => {
    const { sim, requests, make } = setup();
    const first = make();
    const identities = await all(first.provider);
    await first.provider.close();
    const someone = identities.find((i) => i.status === 'ACTIVE')!;
    sim.updateProfile(someone.id, { login: 'renamed.person@example.com' });
    const second = make();
    expect((await second.provider.resolveAppUser('okta', someone.login))?.id).toBe(someone.id);
    const before = requests();
    const fresh = await all(second.provider);
    expect(requests()).toBeGreaterThan(before + 2);
    expect(fresh.find((i) => i.id === someone.id)?.login).toBe('renamed.person@example.com');
    await second.provider.close();
    const third = make();
    const at = requests();
    expect((await third.provider.resolveAppUser('okta', 'renamed.person@example.com'))?.id).toBe(someone.id);
    expect(requests()).toBe(at);
    await third.provider.close();
  });

  it('close() leaves the file current: a change the stream applied is in the next warm start', async () => {
    const { sim, requests, make } = setup(false);
    const first = make({ pollIntervalMs: 1 });
    const identities = await all(first.provider);
    const someone = identities.find((i) => i.status === 'ACTIVE')!;
    const since = new Date(Date.now() - 1_000);
    sim.updateProfile(someone.id, { login: 'streamed.login@example.com' });
    const controller = new AbortController();
    for await (const change of first.provider.changes({ since, signal: controller.signal })) {
      if (change.type === 'upsert' && change.identity.login === 'streamed.login@example.com') controller.abort();
    }
    await first.provider.close();
    const second = make();
    const at = requests();
    expect((await second.provider.resolveAppUser('okta', 'streamed.login@example.com'))?.id).toBe(someone.id);
    expect(requests()).toBe(at);
    await second.provider.close();
  });

  it('a second live provider on the same path is warned (index_locked) and works without the file; the first keeps it', async () => {
    const { make } = setup();
    const first = make();
    await all(first.provider);
    const second = make();
    expect(second.warnings.map((w) => w.code)).toEqual(['index_locked']);
    await all(second.provider);
    await second.provider.close();
    expect(existsSync(`${path}.lock`)).toBe(true);
    await first.provider.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a path in a directory that does not exist: warned once, and the provider works without a file', async () => {
    const { make } = setup();
    const { provider, warnings } = make({ indexPath: join(dir, 'missing', 'index') });
    expect(warnings.map((w) => [w.code, w.message])).toEqual([['index_discarded', expect.stringMatching(/directory does not exist/)]]);
    expect((await all(provider)).length).toBeGreaterThan(0);
    await provider.close();
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const { make } = setup();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 12_345, host: (await import('node:os')).hostname(), token: 'x' }));
    const first = make();
    expect(first.warnings).toEqual([]);
    await all(first.provider);
    await first.provider.close();
    expect(existsSync(path)).toBe(true);
  });
});

/** The file with its header edited (its line checksum made right: only the header check can then refuse it). */
function rewriteHeader(file: Buffer, edit: (header: Record<string, unknown>) => Record<string, unknown>): Buffer {
  const end = file.indexOf(10);
  const header = encodeLine(edit(decodeLine(file.toString('utf8', 0, end)) as Record<string, unknown>));
  return Buffer.concat([Buffer.from(header), file.subarray(end + 1)]);
}

/** The file with the byte at `at` changed. */
function flip(file: Buffer, at: number): Buffer {
  const copy = Buffer.from(file);
  copy[at] = copy[at]! ^ 0x55;
  return copy;
}
