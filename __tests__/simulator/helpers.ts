/**
 * Shared helpers of the simulator tests: authenticated fetches, Link parsing, page walking and
 * a minimal reader that rebuilds identities over HTTP (to check the served org against
 * `expectedIdentities()`).
 */
import { request } from 'node:http';
import type { AppAccount, Identity } from '../../src/sdk.js';
import type { OktaSimulator } from '../../src/simulator/index.js';

/** GET `path` (or an absolute URL) with the simulator's token. */
export function get(sim: OktaSimulator, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = path.startsWith('http') ? path : `${sim.baseUrl}${path}`;
  return fetch(url, { headers: { Authorization: `SSWS ${sim.token}`, ...headers } });
}

/** GET and parse JSON, asserting a 200. */
export async function getJson<T = unknown>(sim: OktaSimulator, path: string): Promise<{ body: T; res: Response }> {
  const res = await get(sim, path);
  if (res.status !== 200) throw new Error(`GET ${path} -> ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as T, res };
}

/** The URL of the `rel="next"` link of a response, or null. */
export function nextLink(res: Response): string | null {
  const header = res.headers.get('link') ?? '';
  const m = /<([^>]+)>;\s*rel="next"/.exec(header);
  return m ? (m[1] as string) : null;
}

/** The URL of the `rel="self"` link of a response, or null. */
export function selfLink(res: Response): string | null {
  const m = /<([^>]+)>;\s*rel="self"/.exec(res.headers.get('link') ?? '');
  return m ? (m[1] as string) : null;
}

/** Follows next links from `path`, returning every page. */
export async function pages<T = Record<string, unknown>>(sim: OktaSimulator, path: string, max = 10_000): Promise<Array<{ items: T[]; res: Response }>> {
  const out: Array<{ items: T[]; res: Response }> = [];
  let url: string | null = path;
  while (url !== null && out.length < max) {
    const { body, res }: { body: T[]; res: Response } = await getJson<T[]>(sim, url);
    out.push({ items: body, res });
    url = nextLink(res);
  }
  return out;
}

/** Every item of a paged list. */
export async function all<T = Record<string, unknown>>(sim: OktaSimulator, path: string): Promise<T[]> {
  return (await pages<T>(sim, path)).flatMap((p) => p.items);
}

/** A raw GET with node:http, to see headers exactly as sent (fetch merges repeated ones). */
export function rawGet(sim: OktaSimulator, path: string): Promise<{ status: number; rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.baseUrl}${path}`, { headers: { Authorization: `SSWS ${sim.token}` }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface U {
  id: string;
  status: string;
  profile: Record<string, string | null>;
}
interface A {
  id: string;
  name: string;
  label: string;
}
interface AU {
  id: string;
  scope: 'USER' | 'GROUP';
  status: string;
  externalId?: string | null;
  credentials: { userName: string };
}

/** Rebuilds every identity through the HTTP API only, the way a connector would. */
export async function readIdentities(sim: OktaSimulator, limit = 200): Promise<Identity[]> {
  const users = [
    ...(await all<U>(sim, `/api/v1/users?limit=${limit}`)),
    ...(await all<U>(sim, `/api/v1/users?limit=${limit}&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`)),
  ].sort((a, b) => (a.id < b.id ? -1 : 1));
  const apps = await all<A>(sim, '/api/v1/apps?limit=200');
  const accounts = new Map<string, AppAccount[]>();
  for (const app of apps.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const res = await get(sim, `/api/v1/apps/${app.id}/users?limit=500`);
    if (res.status === 403) continue;
    await res.body?.cancel();
    for (const au of await all<AU>(sim, `/api/v1/apps/${app.id}/users?limit=500`)) {
      const list = accounts.get(au.id) ?? [];
      list.push({ appId: app.id, appName: app.name, appLabel: app.label, userName: au.credentials.userName, externalId: au.externalId ?? null, scope: au.scope, status: au.status });
      accounts.set(au.id, list);
    }
  }
  return users.map((u) => {
    const p = u.profile;
    const full = [p.firstName, p.lastName].filter((s) => s).join(' ').trim();
    return {
      id: u.id,
      login: String(p.login),
      email: p.email ?? null,
      displayName: p.displayName?.trim() || full || String(p.login),
      status: u.status,
      accounts: accounts.get(u.id) ?? [],
    };
  });
}

/** The expression as a query parameter value. */
export const q = (expr: string): string => encodeURIComponent(expr);
