import type { AppAccount, Identity } from '../../sdk.js';
import { sortAccounts, type AppRef, type Person } from '../identity.js';
import { NO_STRING, StringArena } from './arena.js';
import { IdIndex, IntColumn, Interned } from './columns.js';
import { StoreAccounts } from './accounts.js';
import { GroupMemberships } from './groups.js';
import { StoreApps } from './apps.js';
import type { SavedPart, StoreImage } from './image.js';
import { PeopleLookup } from './people-lookup.js';
import { Undelivered } from './undelivered.js';

/** The handle of an email or display name that equals the login (stored once). */
const SAME = -2;

/**
 * The compact index a full sync builds: people, apps and who has which account. A sync of a large org holds
 * hundreds of thousands of accounts, so nothing is kept per person or account as a JS object or string (see
 * columns.ts): people are rows (id, login, email, display name in a string arena; status interned), and each
 * person's accounts a chain through the account rows (app, scope, status, userName unless it is the login or
 * email, externalId). Removed rows are reused and the arena compacted. Identities are built from it one at a
 * time when streamed or resolved; after a complete sync the provider keeps it to answer resolveAppUser with no
 * request, and the change stream keeps it current. resolveAppUser's lookups are hash tables of rows (accounts by
 * app and userName or externalId, people by login and email), built on first use and then kept current with
 * every change. The whole of it saves to a {@link StoreImage} and loads back from one without per-row work (the
 * index file's warm start).
 */
export class IdentityStore {
  /** Groups and memberships, when the connector reads groups (identities then carry `groups`). */
  readonly groups: GroupMemberships | undefined;
  private readonly strings = new StringArena();
  private readonly statuses = new Interned();
  private readonly apps = new StoreApps();
  private readonly accounts = new StoreAccounts(this.strings, this.statuses, this.apps, (row) => this.person(row));

  /** Person rows, by Okta user id: people, and owners of accounts whose person is not listed yet. */
  private readonly rows = new IdIndex((row) => this.strings.get(this.personId.get(row)));
  private personRows = 0;
  private readonly freeRows: number[] = [];
  private readonly personId = new IntColumn();
  /** NO_STRING while the person is not listed (only accounts are known). */
  private readonly login = new IntColumn();
  /** NO_STRING for none, SAME when it equals the login. */
  private readonly email = new IntColumn();
  /** SAME when it equals the login. */
  private readonly displayName = new IntColumn();
  private readonly status = new IntColumn();
  private readonly byOkta = new PeopleLookup((row) => this.person(row), () => this.personRows);
  private listed = 0;
  /** People whose identity the host may not have (the change stream read the org itself, see {@link markUndelivered}); each leaves when delivered (put or remove). */
  undelivered: Undelivered | undefined;

  constructor(options: { groups?: boolean } = {}) {
    this.groups = options.groups ? new GroupMemberships() : undefined;
  }

  /** Number of people. */
  get size(): number {
    return this.listed;
  }

  /** Bytes of strings held outside the V8 heap. */
  get storedBytes(): number {
    return this.strings.bytes;
  }

  /** Registers an app (or updates its name and label). */
  addApp(app: AppRef): void {
    this.apps.add(app);
  }

  /** The app instances with this id, else this name (several instances may share one), else this label (case-insensitively). */
  appsMatching(app: string): AppRef[] {
    return this.apps.matching(app);
  }

  /** The app with this id, when an account or the app list named it. */
  app(appId: string): AppRef | undefined {
    return this.apps.get(appId);
  }

  /** Marks every person as one the host may not have (see {@link undelivered}). */
  markUndelivered(): Undelivered {
    return (this.undelivered = new Undelivered(this.personRows, (row) => this.login.get(row) !== NO_STRING, (id) => this.rows.get(id), (row) => this.idOf(row)));
  }

  /** Every person's id, one at a time (nothing else of them is built). */
  *personIds(): Generator<string> {
    for (let row = 0; row < this.personRows; row++) if (this.login.get(row) !== NO_STRING) yield this.idOf(row);
  }

  /** Ids of the people with an account in `appId`. */
  appHolders(appId: string): string[] {
    const app = this.apps.numberOf(appId);
    return app === undefined ? [] : this.accounts.holders(app).map((row) => this.idOf(row));
  }

  /** Whether this person has an account in `appId`; with `account`, that one as it is (its app's name and label aside). Nothing is built. */
  hasAccount(userId: string, appId: string, account?: AppAccount): boolean {
    const row = this.rows.get(userId);
    const app = this.apps.numberOf(appId);
    if (row === undefined || app === undefined) return false;
    return account ? this.accounts.holds(row, app, account) : this.accounts.has(row, app);
  }

  /** Adds one account during a sync (the person may not be listed yet); a second account in the same app replaces the first. */
  addAccount(userId: string, account: AppAccount): void {
    const row = this.row(userId);
    this.accounts.set(row, account, this.person(row));
  }

  /** Adds one membership during a sync (the person may not be listed yet). */
  addMembership(userId: string, groupId: string): void {
    this.groups?.add(this.row(userId), groupId);
  }

  /** Whether this person is listed. */
  hasPerson(userId: string): boolean {
    const row = this.rows.get(userId);
    return row !== undefined && this.login.get(row) !== NO_STRING;
  }

  /** Adds or replaces a person during a sync. */
  addPerson(person: Person): void {
    this.writePerson(this.row(person.id), person);
    this.compactIfWasteful();
  }

  /** Replaces everything known about one person (the change stream's upsert), in place: what is unchanged is not written again. */
  put(identity: Identity): void {
    this.undelivered?.delete(identity.id);
    const row = this.row(identity.id);
    const person: Person = { id: identity.id, login: identity.login, email: identity.email, displayName: identity.displayName, status: identity.status };
    this.writePerson(row, person);
    this.accounts.replace(row, identity.accounts, person);
    this.groups?.replace(row, identity.groups ?? []);
    this.compactIfWasteful();
  }

  /** Forgets one person (the change stream's delete). */
  remove(userId: string): void {
    this.undelivered?.delete(userId);
    const row = this.rows.get(userId);
    if (row === undefined) return;
    this.accounts.clear(row);
    this.groups?.clear(row);
    const person = this.person(row);
    if (person) {
      this.byOkta.remove(row, person);
      this.listed--;
    }
    this.rows.delete(userId);
    for (const column of [this.personId, this.login, this.email, this.displayName]) {
      this.strings.free(column.get(row));
      column.set(row, NO_STRING);
    }
    this.freeRows.push(row);
    this.compactIfWasteful();
  }

  /** One person's fields (not their accounts and groups), when listed. */
  personOf(userId: string): Person | undefined {
    const row = this.rows.get(userId);
    return row === undefined ? undefined : this.person(row);
  }

  /** One person's full identity. */
  identity(userId: string): Identity | undefined {
    const row = this.rows.get(userId);
    return row === undefined ? undefined : this.build(row);
  }

  /** Every person's identity, built one at a time. */
  *identities(): Generator<Identity> {
    for (let row = 0; row < this.personRows; row++) if (this.login.get(row) !== NO_STRING) yield this.build(row)!;
  }

  /** Ids of the people who own `account` in one of `apps`: userName case-insensitively, externalId exactly. */
  findByAccount(apps: AppRef[], account: string): string[] {
    const rows = apps.flatMap((app) => {
      const n = this.apps.numberOf(app.id);
      return n === undefined ? [] : this.accounts.owners(n, account);
    });
    return this.idsOf(rows.filter((row) => this.login.get(row) !== NO_STRING));
  }

  /** Ids of the people whose Okta login or primary email is `value` (case-insensitively). */
  findByOkta(value: string): string[] {
    return this.idsOf(this.byOkta.find(value));
  }

  /** Gives `image` the whole index as it is now (its arrays shared copy-on-write: later changes do not reach the image). */
  save(image: StoreImage): void {
    for (const [name, part] of this.parts()) part.save(image, name);
    image.set('people', { rows: this.personRows, free: [...this.freeRows], listed: this.listed });
  }

  /** An index loaded from `image` (its arrays are taken as they are, not copied). Throws when the image is not a whole index. */
  static load(image: StoreImage, options: { groups?: boolean } = {}): IdentityStore {
    const store = new IdentityStore(options);
    for (const [name, part] of store.parts()) part.load(image, name);
    const { rows, free, listed } = image.value<{ rows: number; free: number[]; listed: number }>('people');
    if (!Number.isInteger(rows) || !Number.isInteger(listed) || !Array.isArray(free) || !free.every((row) => Number.isInteger(row) && row >= 0 && row < rows)) throw new Error("the index's people are malformed");
    store.personRows = rows;
    store.freeRows.push(...free);
    store.listed = listed;
    return store;
  }

  /**
   * Ids of the people in a group; with `accountIn`, only those with an account in that app (each
   * member's own accounts are looked at: the cost follows the group, not the app).
   */
  groupMembers(groupId: string, accountIn?: string): string[] {
    const app = accountIn === undefined ? undefined : this.apps.numberOf(accountIn);
    if (accountIn !== undefined && app === undefined) return [];
    return (this.groups?.members(groupId) ?? []).filter((row) => this.login.get(row) !== NO_STRING && (app === undefined || this.accounts.has(row, app))).map((row) => this.idOf(row));
  }

  /** The row of `userId`, allocated on first sight. */
  private row(userId: string): number {
    const known = this.rows.get(userId);
    if (known !== undefined) return known;
    const row = this.freeRows.pop() ?? this.personRows++;
    this.personId.set(row, this.strings.add(userId));
    for (const column of [this.login, this.email, this.displayName]) column.set(row, NO_STRING);
    this.rows.set(userId, row);
    return row;
  }

  private idOf(row: number): string {
    return this.strings.get(this.personId.get(row))!;
  }

  /** The ids of `rows`, each once, sorted. */
  private idsOf(rows: number[]): string[] {
    return [...new Set(rows)].map((row) => this.idOf(row)).sort();
  }

  /** Every part of the index, by the name it is saved under. */
  private parts(): Array<[string, SavedPart]> {
    const { personId, login, email, displayName, status, strings, statuses, apps, accounts, rows, byOkta, groups } = this;
    const parts: Record<string, SavedPart | undefined> = { 'people.personId': personId, 'people.login': login, 'people.email': email, 'people.displayName': displayName, 'people.status': status, strings, statuses, apps, accounts, 'people.byId': rows, people: byOkta, groups };
    return Object.entries(parts).filter((entry): entry is [string, SavedPart] => entry[1] !== undefined);
  }

  /** Writes a person's fields into `row`, and re-stores their accounts' userNames against the new login and email. */
  private writePerson(row: number, person: Person): void {
    const before = this.person(row);
    if (before && before.login === person.login && before.email === person.email && before.displayName === person.displayName) {
      this.status.set(row, this.statuses.numberOf(person.status));
      return;
    }
    if (!before) this.listed++;
    else this.byOkta.remove(row, before);
    for (const column of [this.login, this.email, this.displayName]) this.strings.free(column.get(row));
    this.login.set(row, this.strings.add(person.login));
    this.email.set(row, person.email === null ? NO_STRING : person.email === person.login ? SAME : this.strings.add(person.email));
    this.displayName.set(row, person.displayName === person.login ? SAME : this.strings.add(person.displayName));
    this.status.set(row, this.statuses.numberOf(person.status));
    this.byOkta.add(row, person);
    this.accounts.repack(row, before, person);
  }

  /** The person of `row`, or undefined when not listed. */
  private person(row: number): Person | undefined {
    const loginHandle = this.login.get(row);
    if (loginHandle === NO_STRING) return undefined;
    const login = this.strings.get(loginHandle)!;
    const email = this.email.get(row);
    const displayName = this.displayName.get(row);
    return {
      id: this.idOf(row),
      login,
      email: email === SAME ? login : this.strings.get(email),
      displayName: displayName === SAME ? login : this.strings.get(displayName)!,
      status: this.statuses.valueOf(this.status.get(row)),
    };
  }

  private build(row: number): Identity | undefined {
    const person = this.person(row);
    if (!person) return undefined;
    const { id, login, email, displayName, status } = person;
    const accounts = sortAccounts(this.accounts.of(row, person));
    // Literals, not spreads: a spread's copy is garbage V8 promotes to the old space (see BENCHMARKS.md, issue 18c).
    return this.groups ? { id, login, email, displayName, status, accounts, groups: this.groups.of(row) } : { id, login, email, displayName, status, accounts };
  }

  /** Rewrites every string handle into a fresh arena when most of its bytes are dead. */
  private compactIfWasteful(): void {
    if (!this.strings.wasteful) return;
    this.strings.compact((move) => {
      for (const column of [this.personId, this.login, this.email, this.displayName]) {
        for (let row = 0; row < this.personRows; row++) if (column.get(row) >= 0) column.set(row, move(column.get(row)));
      }
      this.accounts.compact(move);
    });
  }
}
