/** The demo's summary of a full sync: counts, a sample of people with their accounts, accounts per app. */
import type { Identity } from '@atolio/okta-identity-provider';
import { clip, table } from './format.js';

/** How many accounts of one person the sample table shows. */
const ACCOUNTS_SHOWN = 3;

/** The sample table's rows: a few people, each with their first accounts and a count of the rest. */
export function accountRows(identities: Identity[], people = 6): string[][] {
  const first = identities.filter((i) => i.accounts.length > 0).slice(0, people);
  return first.flatMap((i) => {
    const rows = i.accounts.slice(0, ACCOUNTS_SHOWN).map((a, k) => [k === 0 ? clip(i.displayName, 22) : '', k === 0 ? i.status : '', clip(a.appLabel, 22), clip(a.userName, 30), a.externalId ?? '-', a.scope]);
    const rest = i.accounts.length - ACCOUNTS_SHOWN;
    return rest > 0 ? [...rows, ['', '', `… and ${rest} more`, '', '', '']] : rows;
  });
}

/** The whole summary, as printed. */
export function summary(identities: Identity[]): string {
  const statuses = new Map<string, number>();
  const perApp = new Map<string, { label: string; name: string; accounts: number; group: number }>();
  for (const identity of identities) {
    statuses.set(identity.status, (statuses.get(identity.status) ?? 0) + 1);
    for (const a of identity.accounts) {
      const entry = perApp.get(a.appId) ?? { label: a.appLabel, name: a.appName, accounts: 0, group: 0 };
      entry.accounts++;
      if (a.scope === 'GROUP') entry.group++;
      perApp.set(a.appId, entry);
    }
  }
  const accounts = identities.reduce((n, i) => n + i.accounts.length, 0);
  return [
    `\n${identities.length} people (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}), ${accounts} app accounts\n`,
    table(['person', 'status', 'app', 'account (userName)', 'externalId', 'scope'], accountRows(identities)),
    '\nAccounts per app:\n',
    table(['app', 'name', 'accounts', 'via group'], [...perApp.values()].sort((a, b) => b.accounts - a.accounts).map((a) => [clip(a.label, 28), a.name, String(a.accounts), String(a.group)])),
  ].join('\n');
}
