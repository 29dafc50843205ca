/**
 * One measured job of the same full sync written with `@okta/okta-sdk-nodejs` 8.x, the way its
 * users write it: list users (limit 200) and the DEPROVISIONED ones, list apps, list each
 * app's users (limit 500), join them into identities in memory. Fresh process; usage:
 * `node --import tsx bench/job-sdk.ts '{"baseUrl":...,"token":...}'`. Prints one JSON line
 * { wallMs, startedAt, identities, accounts, cpuMs, peakRssMb }.
 */
import okta from '@okta/okta-sdk-nodejs';
import type { AppAccount, Identity } from '../src/index.js';
import { peakRssMb } from './rss.js';

const args = JSON.parse(process.argv[2] ?? '{}') as { baseUrl: string; token: string };

// SDK 8.x accepts an http:// loopback orgUrl as is. Its request executor retries a 429 after
// X-Rate-Limit-Reset (+1 s), but only twice by default: a competent user raises that.
const client = new okta.Client({ orgUrl: args.baseUrl, token: args.token, requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 10, requestTimeout: 0 }) });

const startedAt = Date.now();
const cpu = process.cpuUsage();
const people = new Map<string, Identity>();
const addUser = (user: okta.User): void => {
  const p = user.profile!;
  const name = `${p.firstName ?? ''} ${p.lastName ?? ''}`.trim();
  const displayName = typeof p.displayName === 'string' && p.displayName !== '' ? p.displayName : name || p.login!;
  people.set(user.id!, { id: user.id!, login: p.login!, email: p.email ?? null, displayName, status: String(user.status), accounts: [] });
};
for await (const user of await client.userApi.listUsers({ limit: 200 })) addUser(user!);
for await (const user of await client.userApi.listUsers({ limit: 200, filter: 'status eq "DEPROVISIONED"' })) addUser(user!);

let accounts = 0;
const apps: okta.Application[] = [];
for await (const app of await client.applicationApi.listApplications({ limit: 200 })) apps.push(app!);
for (const app of apps) {
  for await (const appUser of await client.applicationApi.listApplicationUsers({ appId: app.id!, limit: 500 })) {
    const person = people.get(appUser!.id!);
    if (!person) continue;
    const account: AppAccount = {
      appId: app.id!,
      appName: (app as okta.Application & { name?: string }).name ?? '',
      appLabel: app.label!,
      userName: appUser!.credentials?.userName ?? '',
      externalId: appUser!.externalId ?? null,
      scope: appUser!.scope === 'GROUP' ? 'GROUP' : 'USER',
      status: String(appUser!.status),
    };
    person.accounts.push(account);
    accounts++;
  }
}
const wallMs = Date.now() - startedAt;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ wallMs, startedAt, identities: people.size, accounts, cpuMs: Math.round((user + system) / 1000), peakRssMb: peakRssMb() })}\n`);
