import type { AppAccount, Identity } from '../sdk.js';
import type { AppRef, Person } from './identity.js';
import { sortAccounts } from './identity.js';
import { IdIndex, IntColumn, NO_STRING, StringArena } from './columns.js';
import { GroupMemberships } from './store-groups.js';

/** userName handles that stand for the owner's login or email (stored once, with the person). */
const LOGIN = -2;
const EMAIL = -3;
/** End of an account chain. */
const NONE = -1;
/** Account info: app number << 1 | group assignment. */
const GROUP = 1;
/** The account info of a free account row. */
const FREE = -1;

/**
 * The compact index a full sync builds: people, apps and who has which account. A sync of a
 * large org holds hundreds of thousands of accounts, so nothing is kept per person or account
 * as a JS object or string (see columns.ts): people are rows (id, login, email, display name
 * in a string arena; status interned), and each person's accounts a chain through the
 * account rows (app, scope, status, userName unless it is the login or email, externalId).
 * Removed rows are reused and the arena compacted. Identities are built from it one at a time
 * when streamed or resolved; after a complete sync the provider keeps it to answer
 * resolveAppUser with no request, and the change stream keeps it current. Lookup maps for
 * resolve are built on first use and then maintained.
 */
export class IdentityStore {
  /** Groups and memberships, when the connector reads groups (identities then carry `groups`). */
  readonly groups: GroupMemberships | undefined;

  constructor(options: { groups?: boolean } = {}) {
    this.groups = options.groups ? new GroupMemberships() : undefined;
  }

  private readonly apps: AppRef[] = [];
  private readonly appIndex = new Map<string, number>();
  private readonly statuses: string[] = [];
  private readonly statusIndex = new Map<string, number>();
  private readonly strings = new StringArena();

  /** Person rows, by Okta user id: people, and owners of accounts whose person is not listed yet. */
  private readonly rows = new IdIndex((row) => this.strings.get(this.personId.get(row)));
  private personRows = 0;
  private readonly freeRows: number[] = [];
  private readonly personId = new IntColumn();
  /** NO_STRING while the person is not listed (only accounts are known). */
  private readonly login = new IntColumn();
  /** NO_STRING for none, LOGIN when it equals the login. */
  private readonly email = new IntColumn();
  private readonly displayName = new IntColumn();
  private readonly status = new IntColumn();
  private readonly firstAccount = new IntColumn();

  private accountRows = 0;
  private freeAccount = NONE;
  private readonly nextAccount = new IntColumn();
  /** The person row of each account row (for app-wide queries). */
  private readonly accountOwner = new IntColumn();
  /** app number << 1 | GROUP; FREE for a free account row. */
  private readonly accountInfo = new IntColumn();
  private readonly accountStatus = new IntColumn();
  /** A string handle, or LOGIN or EMAIL. */
  private readonly userName = new IntColumn();
  private readonly externalId = new IntColumn();

  private byAccount: Map<string, Set<string>> | undefined;
  private byOkta: Map<string, Set<string>> | undefined;
  private listed = 0;

  /** Number of people. */
  get size(): number {
    return this.listed;
  }

  /** Bytes of strings held outside the V8 heap. */
  get storedBytes(): number {
    return this.strings.bytes;
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

  /** The app instances with this id, else this name (several instances may share one), else this label (case-insensitively). */
  appsMatching(app: string): AppRef[] {
    const byId = this.appIndex.get(app);
    if (byId !== undefined) return [this.apps[byId]!];
    const byName = this.apps.filter((a) => a.name === app);
    return byName.length > 0 ? byName : this.apps.filter((a) => a.label.toLowerCase() === app.toLowerCase());
  }

  /** The app with this id, when an account or the app list named it. */
  app(appId: string): AppRef | undefined {
    const index = this.appIndex.get(appId);
    return index === undefined ? undefined : this.apps[index];
  }

  /** Ids of the people with an account in `appId` (one pass over the account rows). */
  appHolders(appId: string): string[] {
    const app = this.appIndex.get(appId);
    if (app === undefined) return [];
    const ids: string[] = [];
    for (let a = 0; a < this.accountRows; a++) {
      const info = this.accountInfo.get(a);
      if (info !== FREE && info >>> 1 === app) ids.push(this.strings.get(this.personId.get(this.accountOwner.get(a)))!);
    }
    return ids;
  }

  /** Adds one account during a sync (the person may not be listed yet); a second account in the same app replaces the first. */
  addAccount(userId: string, account: AppAccount): void {
    this.link(this.row(userId), account);
    this.byAccount = undefined;
  }

  /** Whether this person is listed. */
  hasPerson(userId: string): boolean {
    const row = this.rows.get(userId);
    return row !== undefined && this.login.get(row) !== NO_STRING;
  }

  /** Adds or replaces a person during a sync. */
  addPerson(person: Person): void {
    this.writePerson(this.row(person.id), person);
    this.byOkta = undefined;
    this.byAccount = undefined;
    this.compactIfWasteful();
  }

  /** Replaces everything known about one person (the change stream's upsert). */
  put(identity: Identity): void {
    this.remove(identity.id);
    const { accounts, groups, ...person } = identity;
    const row = this.row(person.id);
    this.writePerson(row, person);
    for (const a of accounts) this.link(row, a);
    for (const g of groups ?? []) this.groups?.add(row, g);
    this.index(person.id);
    this.compactIfWasteful();
  }

  /** Writes a person's fields into `row`. */
  private writePerson(row: number, person: Person): void {
    // The person's accounts are re-packed against the new login and email: those that arrived
    // before the person hold their userName in full, and "the login" must survive a change of login.
    const names: Array<[number, string]> = [];
    for (let a = this.firstAccount.get(row); a !== NONE; a = this.nextAccount.get(a)) names.push([a, this.accountUserName(a, row)]);
    if (this.login.get(row) === NO_STRING) this.listed++;
    for (const column of [this.login, this.email, this.displayName]) this.strings.free(column.get(row));
    this.login.set(row, this.strings.add(person.login));
    this.email.set(row, person.email === null ? NO_STRING : person.email === person.login ? LOGIN : this.strings.add(person.email));
    this.displayName.set(row, person.displayName === person.login ? LOGIN : this.strings.add(person.displayName));
    this.status.set(row, this.intern(person.status));
    for (const [a, name] of names) this.setUserName(a, name, person);
  }

  /** Forgets one person (the change stream's delete). */
  remove(userId: string): void {
    const row = this.rows.get(userId);
    if (row === undefined) return;
    if (this.byAccount || this.byOkta) this.unindex(userId);
    for (let a = this.firstAccount.get(row); a !== NONE; ) {
      const next = this.nextAccount.get(a);
      this.strings.free(this.userName.get(a));
      this.strings.free(this.externalId.get(a));
      this.userName.set(a, NO_STRING);
      this.externalId.set(a, NO_STRING);
      this.accountInfo.set(a, FREE);
      this.nextAccount.set(a, this.freeAccount);
      this.freeAccount = a;
      a = next;
    }
    this.groups?.clear(row);
    if (this.login.get(row) !== NO_STRING) this.listed--;
    this.rows.delete(userId);
    for (const column of [this.personId, this.login, this.email, this.displayName]) this.strings.free(column.get(row));
    for (const column of [this.personId, this.login, this.email, this.displayName]) column.set(row, NO_STRING);
    this.freeRows.push(row);
    this.compactIfWasteful();
  }

  /** One person's full identity. */
  identity(userId: string): Identity | undefined {
    const row = this.rows.get(userId);
    return row === undefined ? undefined : this.build(row);
  }

  /** Every person's identity, built one at a time. */
  *identities(): Generator<Identity> {
    for (let row = 0; row < this.personRows; row++) {
      const identity = this.build(row);
      if (identity) yield identity;
    }
  }

  /** Ids of the people who own `account` in one of `apps`: userName case-insensitively, externalId exactly. */
  findByAccount(apps: AppRef[], account: string): string[] {
    this.byAccount ??= this.buildAccountIndex();
    const found = new Set<string>();
    for (const app of apps) {
      for (const key of [accountKey(app.id, 'u', account.toLowerCase()), accountKey(app.id, 'x', account)]) {
        for (const id of this.byAccount.get(key) ?? []) if (this.hasPerson(id)) found.add(id);
      }
    }
    return [...found];
  }

  /** Ids of the people whose Okta login or primary email is `value` (case-insensitively). */
  findByOkta(value: string): string[] {
    this.byOkta ??= this.buildOktaIndex();
    return [...(this.byOkta.get(value.toLowerCase()) ?? [])];
  }

  /** The row of `userId`, allocated on first sight. */
  private row(userId: string): number {
    const known = this.rows.get(userId);
    if (known !== undefined) return known;
    const row = this.freeRows.pop() ?? this.personRows++;
    this.personId.set(row, this.strings.add(userId));
    for (const column of [this.login, this.email, this.displayName]) column.set(row, NO_STRING);
    this.firstAccount.set(row, NONE);
    this.rows.set(userId, row);
    return row;
  }

  /** The number of a status value (a handful of values are shared by everyone). */
  private intern(status: string): number {
    let i = this.statusIndex.get(status);
    if (i === undefined) {
      i = this.statuses.push(status) - 1;
      this.statusIndex.set(status, i);
    }
    return i;
  }

  /**
   * Stores `a` for person `row`: in the row of their account in the same app when there is one
   * (Okta has one app user per user and app, so a repeated item replaces), else in a free row.
   */
  private link(row: number, a: AppAccount): void {
    const app = this.addApp({ id: a.appId, name: a.appName, label: a.appLabel });
    let slot = this.firstAccount.get(row);
    while (slot !== NONE && this.accountInfo.get(slot) >>> 1 !== app) slot = this.nextAccount.get(slot);
    if (slot === NONE) {
      slot = this.freeAccount;
      if (slot === NONE) slot = this.accountRows++;
      else this.freeAccount = this.nextAccount.get(slot);
      this.nextAccount.set(slot, this.firstAccount.get(row));
      this.firstAccount.set(row, slot);
      this.accountOwner.set(slot, row);
      this.userName.set(slot, NO_STRING);
      this.externalId.set(slot, NO_STRING);
    }
    this.accountInfo.set(slot, (app << 1) | (a.scope === 'GROUP' ? GROUP : 0));
    this.accountStatus.set(slot, this.intern(a.status));
    this.setUserName(slot, a.userName, this.person(row));
    this.strings.free(this.externalId.get(slot));
    this.externalId.set(slot, a.externalId === null ? NO_STRING : this.strings.add(a.externalId));
  }

  /** Stores an account's userName: LOGIN or EMAIL when it is the owner's, else the string. */
  private setUserName(slot: number, name: string, person: Person | undefined): void {
    const handle = this.userName.get(slot);
    const same = person === undefined ? NONE : name === person.login ? LOGIN : name === person.email ? EMAIL : NONE;
    if (same !== NONE) {
      this.strings.free(handle);
      this.userName.set(slot, same);
    } else if (handle < 0 || this.strings.get(handle) !== name) {
      this.strings.free(handle);
      this.userName.set(slot, this.strings.add(name));
    }
  }

  private accountUserName(slot: number, row: number): string {
    const handle = this.userName.get(slot);
    if (handle === LOGIN) return this.strings.get(this.login.get(row))!;
    if (handle === EMAIL) return this.strings.get(this.email.get(row) === LOGIN ? this.login.get(row) : this.email.get(row)) ?? '';
    return this.strings.get(handle)!;
  }

  /** The person of `row`, or undefined when not listed. */
  private person(row: number): Person | undefined {
    const loginHandle = this.login.get(row);
    if (loginHandle === NO_STRING) return undefined;
    const login = this.strings.get(loginHandle)!;
    const email = this.email.get(row);
    const displayName = this.displayName.get(row);
    return {
      id: this.strings.get(this.personId.get(row))!,
      login,
      email: email === LOGIN ? login : this.strings.get(email),
      displayName: displayName === LOGIN ? login : this.strings.get(displayName)!,
      status: this.statuses[this.status.get(row)]!,
    };
  }

  private build(row: number): Identity | undefined {
    const person = this.person(row);
    if (!person) return undefined;
    const accounts: AppAccount[] = [];
    for (let a = this.firstAccount.get(row); a !== NONE; a = this.nextAccount.get(a)) {
      const info = this.accountInfo.get(a);
      const app = this.apps[info >>> 1]!;
      const userName = this.userName.get(a);
      accounts.push({
        appId: app.id,
        appName: app.name,
        appLabel: app.label,
        userName: userName === LOGIN ? person.login : userName === EMAIL ? (person.email ?? '') : this.strings.get(userName)!,
        externalId: this.strings.get(this.externalId.get(a)),
        scope: info & GROUP ? 'GROUP' : 'USER',
        status: this.statuses[this.accountStatus.get(a)]!,
      });
    }
    return this.groups ? { ...person, accounts: sortAccounts(accounts), groups: this.groups.of(row) } : { ...person, accounts: sortAccounts(accounts) };
  }

  /** Adds one membership during a sync (the person may not be listed yet). */
  addMembership(userId: string, groupId: string): void {
    this.groups?.add(this.row(userId), groupId);
  }

  /** Ids of the people in a group. */
  groupMembers(groupId: string): string[] {
    return (this.groups?.members(groupId) ?? []).filter((row) => this.login.get(row) !== NO_STRING).map((row) => this.strings.get(this.personId.get(row))!);
  }

  /** Rewrites every string handle into a fresh arena when most of its bytes are dead. */
  private compactIfWasteful(): void {
    if (!this.strings.wasteful) return;
    this.strings.compact((move) => {
      const moveColumn = (column: IntColumn, rows: number): void => {
        for (let row = 0; row < rows; row++) if (column.get(row) >= 0) column.set(row, move(column.get(row)));
      };
      for (const column of [this.personId, this.login, this.email, this.displayName]) moveColumn(column, this.personRows);
      for (const column of [this.userName, this.externalId]) moveColumn(column, this.accountRows);
    });
  }

  private buildAccountIndex(): Map<string, Set<string>> {
    this.byAccount = new Map();
    for (const identity of this.identities()) this.indexAccounts(identity.id);
    return this.byAccount;
  }

  private buildOktaIndex(): Map<string, Set<string>> {
    this.byOkta = new Map();
    for (const identity of this.identities()) this.indexPerson(identity.id);
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
    for (const a of this.identity(userId)?.accounts ?? []) {
      keys.push(accountKey(a.appId, 'u', a.userName.toLowerCase()));
      if (a.externalId !== null) keys.push(accountKey(a.appId, 'x', a.externalId));
    }
    return keys;
  }

  private oktaKeys(userId: string): string[] {
    const person = this.identity(userId);
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
