import { OktaSimulator } from '../../src/simulator/index.js';
import { TOKEN } from './msw.js';
import { editedJson, simulatorHandler, type RecordedRequest } from './msw-simulator.js';

export type { RecordedRequest } from './msw-simulator.js';

/**
 * A small org with the ids, names and timestamps a provider unit test chooses, held by the
 * simulator and served through msw at https://example.okta.com (`sim.fetch`): Okta's semantics
 * (paging, DEPROVISIONED only through filter or search, expressions, 403s) are the simulator's.
 */
export interface MiniUser {
  id: string;
  login: string;
  email?: string | null;
  firstName?: string;
  lastName?: string;
  /** ACTIVE (default), SUSPENDED, DEPROVISIONED, STAGED, LOCKED_OUT or PASSWORD_EXPIRED. */
  status?: string;
  /** When the user last changed (default 2025-01-01T00:00:00.000Z). */
  lastUpdated?: string;
}
export interface MiniApp {
  id: string;
  name: string;
  label: string;
  /** An account with `status: 'PROVISIONED'` makes the app one with provisioning. */
  users: { userId: string; userName: string; externalId?: string; scope?: 'USER' | 'GROUP'; status?: 'ACTIVE' | 'PROVISIONED' }[];
}
export interface MiniOrgOptions {
  users: MiniUser[];
  apps: MiniApp[];
  /** Path prefixes answered 403 E0000006. */
  forbidden?: string[];
  /** Send `self` and `next` in one comma-joined Link header instead of two. */
  joinedLinks?: boolean;
}

const UNLIMITED = { limits: { apps: 1e9, users: 1e9, user: 1e9, groups: 1e9, logs: 1e9, default: 1e9 } };

/** Makes `user` (just created ACTIVE) reach its status the way an admin would. */
function setStatus(sim: OktaSimulator, user: MiniUser): void {
  switch (user.status ?? 'ACTIVE') {
    case 'ACTIVE':
    case 'STAGED':
      return;
    case 'SUSPENDED':
      sim.suspendUser(user.id);
      return;
    case 'DEPROVISIONED':
      sim.deactivateUser(user.id);
      return;
    case 'LOCKED_OUT':
      sim.lockUser(user.id);
      return;
    case 'PASSWORD_EXPIRED':
      sim.expirePassword(user.id);
      return;
    default:
      throw new Error(`miniOrg: no way to make a user ${user.status}`);
  }
}

/** Builds the org in the simulator; each user is created at its `lastUpdated`, so it keeps it. */
function build(options: MiniOrgOptions): OktaSimulator {
  let now = 0;
  const sim = new OktaSimulator({ users: 0, apps: 0, groups: 0, token: TOKEN, forbidden: options.forbidden ?? [], linkStyle: options.joinedLinks ? 'joined' : 'separate', rateLimits: UNLIMITED, now: () => now });
  sim.silently(() => {
    const byTime = options.users.map((u) => ({ u, at: Date.parse(u.lastUpdated ?? '2025-01-01T00:00:00.000Z') })).sort((a, b) => a.at - b.at);
    for (const { u, at } of byTime) {
      now = at;
      sim.createUser({ login: u.login, email: u.email === undefined ? u.login : u.email, firstName: u.firstName ?? 'First', lastName: u.lastName ?? 'Last' }, { id: u.id, activate: u.status !== 'STAGED' });
      setStatus(sim, u);
    }
    for (const app of options.apps) {
      sim.createApp({ id: app.id, name: app.name, label: app.label, provisioned: app.users.some((a) => a.status === 'PROVISIONED') });
      for (const a of app.users) {
        const account = a.externalId === undefined ? { userName: a.userName } : { userName: a.userName, externalId: a.externalId };
        if (a.scope !== 'GROUP') {
          sim.assignUserToApp(app.id, a.userId, account);
          continue;
        }
        // Scope GROUP: the account comes from a group assigned to the app.
        const group = `00g${app.id}`;
        if (!sim.org.group(group)) {
          sim.createGroup(`${app.label} users`, '', { id: group });
          sim.assignGroupToApp(app.id, group);
        }
        sim.addUserToGroup(group, a.userId);
        sim.renameAppUser(app.id, a.userId, a.userName);
        if (a.externalId !== undefined) sim.provisionAppUser(app.id, a.userId, { externalId: a.externalId });
      }
    }
  });
  return sim;
}

/**
 * The org, its msw handlers and the requests it was sent. `edits` change the JSON the simulator
 * serves at a path, for items Okta should never send (an invalid status, a hostile id).
 */
export function miniOrg(options: MiniOrgOptions, edits: Record<string, (body: unknown) => unknown> = {}) {
  const requests: RecordedRequest[] = [];
  const sim = build(options);
  const seen = (request: Request): void => void requests.push({ method: request.method, url: new URL(request.url), authorization: request.headers.get('authorization') });
  const handlers = [...Object.entries(edits).map(([path, edit]) => editedJson(sim, path, edit, seen)), simulatorHandler(sim, { seen })];
  return { handlers, requests, sim };
}
