import type { AppAccount, Identity } from '../sdk.js';
import type { AppRef, Person } from './identity.js';
import { sortAccounts } from './identity.js';

/**
 * One account, packed: the app is an index into the store's app table, status strings are
 * shared. A full sync of a large org holds hundreds of thousands of these, so they stay small.
 */
interface PackedAccount {
  app: number;
  userName: string;
  externalId: string | null;
  group: boolean;
  status: string;
}

/**
 * The compact index a full sync builds: people, apps and who has which account. Identities
 * are built from it one at a time when streamed or resolved; after a complete sync the
 * provider keeps it to answer resolveAppUser with no request, and the change stream keeps
 * it current. Lookup maps for resolve are built on first use and then maintained.
 */
export class IdentityStore {
  private readonly apps: AppRef[] = [];
  private readonly appIndex = new Map<string, number>();
  private readonly people = new Map<string, Person>();
  private readonly accounts = new Map<string, PackedAccount[]>();
  private readonly statuses = new Map<string, string>();
  private byAccount: Map<string, Set<string>> | undefined;
  private byOkta: Map<string, Set<string>> | undefined;

  /** Number of people. */
  get size(): number {
    return this.people.size;
  }

  /** Registers an app (or updates its name and label); returns its index. */
  addApp(app: AppRef): number {
    const known = this.appIndex.get(app.id);
    if (known !== undefined) {
      this.apps[known] = { id: app.id, name: app.name, label: app.label };
      return known;
    }
    this.apps.push({ id: app.id, name: app.name, label: app.label });
    this.appIndex.set(app.id, this.apps.length - 1);
    return this.apps.length - 1;
  }

  /** The app instances with this id, or with this name (several instances may share a name). */
  appsMatching(app: string): AppRef[] {
    const byId = this.appIndex.get(app);
    if (byId !== undefined) return [this.apps[byId]!];
    return this.apps.filter((a) => a.name === app);
  }

  /** Adds one account during a sync (the person may not be known yet). */
  addAccount(userId: string, account: AppAccount): void {
    const packed = this.pack(account);
    const list = this.accounts.get(userId);
    if (list) list.push(packed);
    else this.accounts.set(userId, [packed]);
    this.byAccount = undefined;
  }

  /** Whether this person is known. */
  hasPerson(userId: string): boolean {
    return this.people.has(userId);
  }

  /** Adds or replaces a person during a sync. */
  addPerson(person: Person): void {
    this.people.set(person.id, person);
    this.byOkta = undefined;
  }

  /** Replaces everything known about one person (the change stream's upsert). */
  put(identity: Identity): void {
    this.remove(identity.id);
    const { accounts, ...person } = identity;
    this.people.set(person.id, person);
    for (const a of accounts) this.addApp({ id: a.appId, name: a.appName, label: a.appLabel });
    this.accounts.set(person.id, accounts.map((a) => this.pack(a)));
    this.index(person.id);
  }

  /** Forgets one person (the change stream's delete). */
  remove(userId: string): void {
    if (this.byAccount || this.byOkta) this.unindex(userId);
    this.people.delete(userId);
    this.accounts.delete(userId);
  }

  /** One person's full identity. */
  identity(userId: string): Identity | undefined {
    const person = this.people.get(userId);
    if (!person) return undefined;
    const accounts = (this.accounts.get(userId) ?? []).map((p) => this.unpack(p));
    return { ...person, accounts: sortAccounts(accounts) };
  }

  /** Every person's identity, built one at a time. */
  *identities(): Generator<Identity> {
    for (const id of this.people.keys()) yield this.identity(id)!;
  }

  /** Ids of the people who own `account` in one of `apps`: userName case-insensitively, externalId exactly. */
  findByAccount(apps: AppRef[], account: string): string[] {
    this.byAccount ??= this.buildAccountIndex();
    const found = new Set<string>();
    for (const app of apps) {
      for (const key of [accountKey(app.id, 'u', account.toLowerCase()), accountKey(app.id, 'x', account)]) {
        for (const id of this.byAccount.get(key) ?? []) if (this.people.has(id)) found.add(id);
      }
    }
    return [...found];
  }

  /** Ids of the people whose Okta login or primary email is `value` (case-insensitively). */
  findByOkta(value: string): string[] {
    this.byOkta ??= this.buildOktaIndex();
    return [...(this.byOkta.get(value.toLowerCase()) ?? [])];
  }

  private pack(a: AppAccount): PackedAccount {
    const app = this.addApp({ id: a.appId, name: a.appName, label: a.appLabel });
    let status = this.statuses.get(a.status);
    if (status === undefined) {
      status = a.status;
      this.statuses.set(status, status);
    }
    return { app, userName: a.userName, externalId: a.externalId, group: a.scope === 'GROUP', status };
  }

  private unpack(p: PackedAccount): AppAccount {
    const app = this.apps[p.app]!;
    return { appId: app.id, appName: app.name, appLabel: app.label, userName: p.userName, externalId: p.externalId, scope: p.group ? 'GROUP' : 'USER', status: p.status };
  }

  private buildAccountIndex(): Map<string, Set<string>> {
    this.byAccount = new Map();
    for (const userId of this.accounts.keys()) this.indexAccounts(userId);
    return this.byAccount;
  }

  private buildOktaIndex(): Map<string, Set<string>> {
    this.byOkta = new Map();
    for (const userId of this.people.keys()) this.indexPerson(userId);
    return this.byOkta;
  }

  private index(userId: string): void {
    if (this.byAccount) this.indexAccounts(userId);
    if (this.byOkta) this.indexPerson(userId);
  }

  private indexAccounts(userId: string): void {
    for (const key of this.accountKeys(userId)) addTo(this.byAccount!, key, userId);
  }

  private indexPerson(userId: string): void {
    for (const key of this.oktaKeys(userId)) addTo(this.byOkta!, key, userId);
  }

  private unindex(userId: string): void {
    if (this.byAccount) for (const key of this.accountKeys(userId)) this.byAccount.get(key)?.delete(userId);
    if (this.byOkta) for (const key of this.oktaKeys(userId)) this.byOkta.get(key)?.delete(userId);
  }

  private accountKeys(userId: string): string[] {
    const keys: string[] = [];
    for (const p of this.accounts.get(userId) ?? []) {
      const appId = this.apps[p.app]!.id;
      keys.push(accountKey(appId, 'u', p.userName.toLowerCase()));
      if (p.externalId !== null) keys.push(accountKey(appId, 'x', p.externalId));
    }
    return keys;
  }

  private oktaKeys(userId: string): string[] {
    const person = this.people.get(userId);
    if (!person) return [];
    const keys = [person.login.toLowerCase()];
    if (person.email) keys.push(person.email.toLowerCase());
    return keys;
  }
}

function accountKey(appId: string, kind: 'u' | 'x', value: string): string {
  return `${appId}\u0000${kind}\u0000${value}`;
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}
