import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OktaIdentityProvider, type ConnectorWarning, type Identity, type IdentityChange, type OktaConfig } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import type { Clock } from '../../src/clock.js';
import { simulatorHandler } from '../helpers/msw-simulator.js';
import { TOKEN, useMswServer } from '../helpers/msw.js';
import { applyChange, byId, POLL_MS } from './support.js';

/**
 * A host restarts with `indexPath` after a group and an app were deleted while it was down (the
 * case of issue 20: without the file, 28 of 510 people kept a deleted group, and the only signal
 * was `incomplete_fanout`). The new process answers resolveAppUser from the file with no request,
 * and its stream, resumed from the host's cursor, takes the group and the app off every former
 * holder, each with a change, without a full read.
 */
const server = useMswServer();
const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };

/** Sleeps take no time; a poll sleep (caught up) ends the stream. */
class StopClock implements Clock {
  stop: (() => void) | undefined;
  constructor(public current: number) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.current += Math.max(1, ms);
    if (ms === POLL_MS) this.stop?.();
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-restart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('restart with indexPath after deletions while down', () => {
  it.each([[true], [false]])('groups %s: the deleted group and app leave every former holder, with a change each, no full read and no incomplete_fanout', async (groups) => {
    const clock = new StopClock(Date.UTC(2026, 10, 28, 12));
    const sim = new OktaSimulator({ seed: 11, users: 60, apps: 5, groups: 4, appGroupsPerApp: 0, pushMappings: 0, token: TOKEN, rateLimits: UNLIMITED, now: () => clock.current });
    const requests: URL[] = [];
    server.use(simulatorHandler(sim, { seen: (r) => { requests.push(new URL(r.url)); clock.current += 1; } }));
    const warnings: ConnectorWarning[] = [];
    const config: OktaConfig = { hostname: 'example.okta.com', token: TOKEN, groups, pollIntervalMs: POLL_MS, indexPath: join(dir, 'index'), onWarning: (w) => warnings.push(w) };
    const stream = async (provider: OktaIdentityProvider, options: { cursor?: string; since?: Date }, snapshot: Map<string, Identity>): Promise<{ changes: IdentityChange[]; cursor: string | undefined }> => {
      const controller = new AbortController();
      clock.stop = () => controller.abort();
      const changes: IdentityChange[] = [];
      let cursor = options.cursor;
      for await (const change of provider.changes({ ...options, signal: controller.signal })) {
        applyChange(snapshot, change);
        changes.push(change);
        cursor = change.cursor;
      }
      return { changes, cursor };
    };

    const first = new OktaIdentityProvider(config, { clock });
    const snapshot = new Map<string, Identity>();
    for await (const identity of first.listIdentities()) snapshot.set(identity.id, identity);
    const since = new Date(clock.current);
    // The host streams a while and saves its cursor.
    const someone = sim.org.users.find((u) => u.status === 'ACTIVE')!;
    sim.updateProfile(someone.id, { lastName: 'Before' });
    clock.current += 1_000;
    const before = await stream(first, { since }, snapshot);
    expect(before.changes.length).toBeGreaterThan(0);
    await first.close();

    // While the host is down: a group with members and an app with holders are deleted, someone changes.
    const group = sim.org.groups.filter((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 0).sort((a, b) => b.memberIds.length - a.memberIds.length)[0]!;
    const app = sim.org.apps.filter((a) => sim.org.appUsers(a.id).length > 0).sort((a, b) => sim.org.appUsers(b.id).length - sim.org.appUsers(a.id).length)[0]!;
    const groupMembers = [...group.memberIds];
    const appHolders = sim.org.appUsers(app.id).map((au) => au.userId);
    clock.current += 1_000;
    if (groups) sim.deleteGroup(group.id);
    sim.deactivateApp(app.id);
    sim.deleteApp(app.id);
    sim.updateProfile(someone.id, { lastName: 'After' });
    clock.current += 1_000;

    const second = new OktaIdentityProvider(config, { clock });
    const holder = snapshot.get(appHolders[0]!)!;
    const account = holder.accounts.find((a) => a.appId === app.id)!;
    requests.length = 0;
    // Warm: answered from the file (as of the host's last stream), with no request.
    expect((await second.resolveAppUser(app.id, account.userName))?.id).toBe(holder.id);
    expect(requests).toEqual([]);

    const after = await stream(second, { cursor: before.cursor! }, snapshot);
    const changed = new Set(after.changes.map((c) => (c.type === 'upsert' ? c.identity.id : c.id)));
    for (const id of appHolders) expect(changed.has(id)).toBe(true);
    if (groups) for (const id of groupMembers) expect(changed.has(id)).toBe(true);
    expect(changed.has(someone.id)).toBe(true);
    expect(warnings.filter((w) => w.code === 'incomplete_fanout' || w.code.startsWith('index_'))).toEqual([]);
    // Catching up read the log and what changed, not the org: no user list, no app list.
    const wholeList = (u: URL): boolean => ['/api/v1/users', '/api/v1/apps', '/api/v1/groups'].includes(u.pathname) && !/^user\.id eq /.test(u.searchParams.get('filter') ?? '');
    expect(requests.filter(wholeList).map(String)).toEqual([]);
    expect(requests.some((u) => u.pathname === '/api/v1/logs')).toBe(true);
    expect(byId(snapshot.values())).toEqual(sim.expectedIdentities({ groups }));
    // And the index answers as the org now is: the deleted app's accounts are gone.
    requests.length = 0;
    expect(await second.resolveAppUser(app.id, account.userName)).toBeNull();
    expect(requests).toEqual([]);
    await second.close();
  });
});
