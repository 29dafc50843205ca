import { http, HttpResponse } from 'msw';
import { parseStringLiteral } from '../../src/okta/query.js';
import { example, errorBody } from './fixtures.js';
import { okHeaders, ORIGIN, TOKEN } from './msw.js';

/**
 * A tiny Okta org served through msw, for unit tests of the provider: enough of Okta's list
 * semantics (limit/after paging by Link, DEPROVISIONED only through filter/search, the filters
 * the connector sends) to check what the connector asks and what it makes of the answers.
 * The end-to-end tests use the full simulator instead.
 */
export interface MiniUser {
  id: string;
  login: string;
  email?: string | null;
  firstName?: string;
  lastName?: string;
  status?: string;
  lastUpdated?: string;
}
export interface MiniApp {
  id: string;
  name: string;
  label: string;
  users: { userId: string; userName: string; externalId?: string; scope?: 'USER' | 'GROUP'; status?: string }[];
}
export interface MiniOrgOptions {
  users: MiniUser[];
  apps: MiniApp[];
  /** Path prefixes answered 403 E0000006. */
  forbidden?: string[];
  /** Send `self` and `next` in one comma-joined Link header instead of two. */
  joinedLinks?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
}

const userTemplate = example<Record<string, unknown>[]>('/api/v1/users', 'ListUsers')[0]!;
const appTemplate = example<Record<string, unknown>[]>('/api/v1/apps', 'ResponseExample1')[0]!;
const appUserTemplate = example<Record<string, unknown>[]>('/api/v1/apps/{appId}/users', 'ListAppUsersExample')[0]!;

function userBody(u: MiniUser): Record<string, unknown> {
  return {
    ...userTemplate,
    id: u.id,
    status: u.status ?? 'ACTIVE',
    lastUpdated: u.lastUpdated ?? '2025-01-01T00:00:00.000Z',
    profile: { ...(userTemplate.profile as object), login: u.login, email: u.email === undefined ? u.login : u.email, firstName: u.firstName ?? 'First', lastName: u.lastName ?? 'Last' },
  };
}

function appUserBody(a: MiniApp['users'][number]): Record<string, unknown> {
  const body: Record<string, unknown> = { ...appUserTemplate, id: a.userId, scope: a.scope ?? 'USER', status: a.status ?? 'ACTIVE', credentials: { userName: a.userName } };
  if (a.externalId === undefined) delete body.externalId;
  else body.externalId = a.externalId;
  delete body._embedded;
  return body;
}

/** Evaluates the handful of filter shapes the connector sends: `attr op "literal"` joined by and/or. */
function matches(expr: string, value: (attr: string) => string | null | undefined, caseInsensitive: boolean): boolean {
  const terms: { attr: string; op: string; literal: string }[] = [];
  const joins: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const m = /^\s*\(?\s*([\w.]+)\s+(eq|sw|gt|ge|lt|le)\s+/.exec(expr.slice(i));
    if (!m) throw new Error(`unsupported filter: ${expr}`);
    i += m[0].length;
    const { value: literal, end } = parseStringLiteral(expr, i);
    terms.push({ attr: m[1]!, op: m[2]!, literal });
    i = end;
    const j = /^\s*\)?\s*(and|or)?\s*/.exec(expr.slice(i))!;
    if (j[1]) joins.push(j[1]);
    i += j[0].length;
  }
  const test = (t: (typeof terms)[number]): boolean => {
    let v = value(t.attr) ?? '';
    let l = t.literal;
    if (caseInsensitive) [v, l] = [v.toLowerCase(), l.toLowerCase()];
    return { eq: v === l, sw: v.startsWith(l), gt: v > l, ge: v >= l, lt: v < l, le: v <= l }[t.op as 'eq']!;
  };
  // Left to right, `and` binding tighter than `or`.
  let result = false;
  let group = test(terms[0]!);
  joins.forEach((op, k) => {
    if (op === 'and') group = group && test(terms[k + 1]!);
    else {
      result = result || group;
      group = test(terms[k + 1]!);
    }
  });
  return result || group;
}

export function miniOrg(options: MiniOrgOptions) {
  const requests: RecordedRequest[] = [];
  const forbidden = options.forbidden ?? [];

  const page = (request: Request, items: unknown[], max: number) => {
    const url = new URL(request.url);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? max), max);
    const offset = Number(url.searchParams.get('after') ?? 0);
    const slice = items.slice(offset, offset + limit);
    const headers = new Headers(okHeaders());
    const self = `<${url.href}>; rel="self"`;
    let next: string | undefined;
    if (offset + limit < items.length) {
      const n = new URL(url);
      n.searchParams.set('after', String(offset + limit));
      next = `<${n.href}>; rel="next"`;
    }
    if (options.joinedLinks) headers.set('link', [self, next].filter(Boolean).join(', '));
    else {
      headers.append('link', self);
      if (next) headers.append('link', next);
    }
    return HttpResponse.json(slice, { headers });
  };

  const guard = (request: Request): Response | undefined => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url, authorization: request.headers.get('authorization') });
    if (request.headers.get('authorization') !== `SSWS ${TOKEN}`) return HttpResponse.json(errorBody('ErrorInvalidTokenProvided'), { status: 401, headers: okHeaders() });
    if (forbidden.some((p) => url.pathname.startsWith(p))) return HttpResponse.json(errorBody('ErrorAccessDenied'), { status: 403, headers: okHeaders() });
    return undefined;
  };

  const userAttr = (u: MiniUser) => (attr: string) =>
    ({ id: u.id, status: u.status ?? 'ACTIVE', lastUpdated: u.lastUpdated ?? '2025-01-01T00:00:00.000Z', 'profile.login': u.login, 'profile.email': u.email ?? u.login })[attr];
  const sortedUsers = [...options.users].sort((a, b) => (a.id < b.id ? -1 : 1));

  const handlers = [
    http.get(`${ORIGIN}/api/v1/users`, ({ request }) => {
      const denied = guard(request);
      if (denied) return denied;
      const url = new URL(request.url);
      const filter = url.searchParams.get('filter');
      const search = url.searchParams.get('search');
      let users = sortedUsers;
      if (filter) users = users.filter((u) => matches(filter, userAttr(u), false));
      else if (search) users = users.filter((u) => matches(search, userAttr(u), true));
      else users = users.filter((u) => u.status !== 'DEPROVISIONED');
      return page(request, users.map(userBody), 200);
    }),
    http.get(`${ORIGIN}/api/v1/users/:id`, ({ request, params }) => {
      const denied = guard(request);
      if (denied) return denied;
      const user = options.users.find((u) => u.id === params.id);
      return user ? HttpResponse.json(userBody(user), { headers: okHeaders() }) : HttpResponse.json(errorBody('ErrorResourceNotFound'), { status: 404, headers: okHeaders() });
    }),
    http.get(`${ORIGIN}/api/v1/apps`, ({ request }) => {
      const denied = guard(request);
      if (denied) return denied;
      const url = new URL(request.url);
      const filter = url.searchParams.get('filter') ?? '';
      const userId = /^user\.id eq "(.*)"$/.exec(filter)?.[1];
      const name = /^name eq "(.*)"$/.exec(filter)?.[1];
      let apps = options.apps;
      if (userId) apps = apps.filter((a) => a.users.some((u) => u.userId === userId));
      if (name) apps = apps.filter((a) => a.name === name);
      const expand = url.searchParams.get('expand');
      return page(
        request,
        apps.map((a) => {
          const body: Record<string, unknown> = { ...appTemplate, id: a.id, name: a.name, label: a.label, status: 'ACTIVE' };
          const assigned = userId && expand === `user/${userId}` ? a.users.find((u) => u.userId === userId) : undefined;
          if (assigned) body._embedded = { user: appUserBody(assigned) };
          return body;
        }),
        200,
      );
    }),
    http.get(`${ORIGIN}/api/v1/apps/:appId/users`, ({ request, params }) => {
      const denied = guard(request);
      if (denied) return denied;
      const app = options.apps.find((a) => a.id === params.appId);
      if (!app) return HttpResponse.json(errorBody('ErrorResourceNotFound'), { status: 404, headers: okHeaders() });
      const url = new URL(request.url);
      const q = url.searchParams.get('q')?.toLowerCase();
      const expand = url.searchParams.get('expand') === 'user';
      const items = [...app.users]
        .sort((a, b) => (a.userId < b.userId ? -1 : 1))
        .filter((u) => q === undefined || u.userName.toLowerCase().startsWith(q))
        .map((u) => {
          const body = appUserBody(u);
          const user = options.users.find((x) => x.id === u.userId);
          if (expand && user) body._embedded = { user: userBody(user) };
          return body;
        });
      return page(request, items, 500);
    }),
  ];
  return { handlers, requests };
}
