/**
 * The account rows of the synced index: one per app user, chained per person (the chain head is
 * kept per person row; 0 ends a chain, account row r is stored as r + 1). A userName equal to its
 * owner's login or email is kept as a flag, so that it follows a change of login. Two hash tables
 * find an account by (app, userName case-insensitively) and by (app, externalId): resolveAppUser's
 * lookups, built on first use (a sync does not pay for them), then kept current as accounts are set
 * and cleared, and saved with the index.
 * @module
 */
import type { AppAccount } from '../../sdk.js';
import { NO_STRING, type StringArena } from './arena.js';
import { checkChains, IntColumn, values, type Interned } from './columns.js';
import type { Person } from '../identity.js';
import type { StoreApps } from './apps.js';
import type { StoreImage } from './image.js';
import { RowHash, textHash } from './row-hash.js';

/** userName handles that stand for the owner's login or email. */
const LOGIN = -2;
const EMAIL = -3;
/** Account info: app number << 1 | group assignment; FREE for a free row. */
const GROUP = 1;
const FREE = -1;

export class StoreAccounts {
  private readonly first = new IntColumn();
  private readonly next = new IntColumn();
  private readonly owner = new IntColumn();
  private readonly info = new IntColumn();
  private readonly status = new IntColumn();
  /** A string handle, or LOGIN or EMAIL. */
  private readonly userName = new IntColumn();
  private readonly externalId = new IntColumn();
  /** Per account row: the hash of (app, lowercased userName), and of (app, externalId). */
  private readonly nameHash = new IntColumn();
  private readonly idHash = new IntColumn();
  /** Account rows (+ 1) by (app, lowercased userName) and by (app, externalId). */
  private readonly byName = new RowHash((s) => this.nameHash.get(s - 1));
  private readonly byExternalId = new RowHash((s) => this.idHash.get(s - 1));
  /** Whether the lookup tables are built (every change then keeps them current). */
  private indexed = false;
  private rows = 0;
  private free = 0;

  /** `personOf`: the person of a row, when listed (whose login or email a flagged userName is). */
  constructor(
    private readonly strings: StringArena,
    private readonly statuses: Interned,
    private readonly apps: StoreApps,
    private readonly personOf: (row: number) => Person | undefined,
  ) {}

  /**
   * Stores `a` for person `row`: in the row of their account in the same app when there is one
   * (Okta has one app user per user and app, so a repeated item replaces), else in a free row.
   */
  set(row: number, a: AppAccount, person: Person | undefined): void {
    const app = this.apps.number(a.appId, a.appName, a.appLabel);
    let slot = this.slotOf(row, app);
    // What the lookup tables file the account under changes (a new row always does).
    let renamed = true;
    if (slot === 0) {
      slot = this.free;
      if (slot === 0) slot = ++this.rows;
      else this.free = this.next.get(slot - 1);
      this.next.set(slot - 1, this.first.get(row));
      this.first.set(row, slot);
      this.owner.set(slot - 1, row);
      this.userName.set(slot - 1, NO_STRING);
      this.externalId.set(slot - 1, NO_STRING);
    } else {
      renamed = this.userNameOf(slot - 1, person) !== a.userName || this.strings.get(this.externalId.get(slot - 1)) !== a.externalId;
      if (renamed && this.indexed) this.unindex(slot);
    }
    const r = slot - 1;
    this.info.set(r, (app << 1) | (a.scope === 'GROUP' ? GROUP : 0));
    this.status.set(r, this.statuses.numberOf(a.status));
    if (!renamed) return;
    this.setUserName(r, a.userName, person);
    this.strings.free(this.externalId.get(r));
    this.externalId.set(r, a.externalId === null ? NO_STRING : this.strings.add(a.externalId));
    if (this.indexed) this.index(slot, a.userName, a.externalId);
  }

  /** Makes person `row`'s accounts `accounts`: the rows of apps no longer listed are freed, the others set in place. */
  replace(row: number, accounts: AppAccount[], person: Person): void {
    let before = 0;
    for (let s = this.first.get(row); s !== 0; ) {
      const next = this.next.get(s - 1);
      const appId = this.apps.at(this.info.get(s - 1) >>> 1).id;
      if (accounts.some((a) => a.appId === appId)) before = s;
      else {
        if (before === 0) this.first.set(row, next);
        else this.next.set(before - 1, next);
        this.release(s);
      }
      s = next;
    }
    for (const a of accounts) this.set(row, a, person);
  }

  /** The person rows with an account in app number `app` whose userName is `account` (case-insensitively) or whose externalId is `account`. */
  owners(app: number, account: string): number[] {
    this.buildIndex();
    const rows: number[] = [];
    const needle = account.toLowerCase();
    this.byName.each(textHash(app, needle), (s) => {
      if (this.info.get(s - 1) >>> 1 === app && this.userNameOf(s - 1, undefined).toLowerCase() === needle) rows.push(this.owner.get(s - 1));
    });
    this.byExternalId.each(textHash(app, account), (s) => {
      if (this.info.get(s - 1) >>> 1 === app && this.strings.get(this.externalId.get(s - 1)) === account) rows.push(this.owner.get(s - 1));
    });
    return rows;
  }

  /** Re-stores every userName of person `row` against the person's new login and email (`before`: as it was). */
  repack(row: number, before: Person | undefined, after: Person): void {
    const names: Array<[number, string]> = [];
    for (let s = this.first.get(row); s !== 0; s = this.next.get(s - 1)) names.push([s - 1, this.userNameOf(s - 1, before)]);
    for (const [r, name] of names) this.setUserName(r, name, after);
  }

  /** The accounts of person `row`, unsorted. */
  of(row: number, person: Person): AppAccount[] {
    const accounts: AppAccount[] = [];
    for (let s = this.first.get(row); s !== 0; s = this.next.get(s - 1)) {
      const r = s - 1;
      const info = this.info.get(r);
      const app = this.apps.at(info >>> 1);
      accounts.push({
        appId: app.id,
        appName: app.name,
        appLabel: app.label,
        userName: this.userNameOf(r, person),
        externalId: this.strings.get(this.externalId.get(r)),
        scope: info & GROUP ? 'GROUP' : 'USER',
        status: this.statuses.valueOf(this.status.get(r)),
      });
    }
    return accounts;
  }

  /** Frees every account of person `row`. */
  clear(row: number): void {
    for (let s = this.first.get(row); s !== 0; ) {
      const next = this.next.get(s - 1);
      this.release(s);
      s = next;
    }
    this.first.set(row, 0);
  }

  /** Frees account row `s` (+ 1), unlinked from its person's chain by the caller. */
  private release(s: number): void {
    const r = s - 1;
    if (this.indexed) this.unindex(s);
    this.strings.free(this.userName.get(r));
    this.strings.free(this.externalId.get(r));
    this.userName.set(r, NO_STRING);
    this.externalId.set(r, NO_STRING);
    this.info.set(r, FREE);
    this.next.set(r, this.free);
    this.free = s;
  }

  /** Whether person `row`'s account in app number `app` is `a` (userName, externalId, scope, status: not the app's name and label), building nothing else of them. */
  holds(row: number, app: number, a: AppAccount): boolean {
    const s = this.slotOf(row, app);
    if (s === 0) return false;
    const r = s - 1;
    if ((this.info.get(r) & GROUP ? 'GROUP' : 'USER') !== a.scope || this.statuses.valueOf(this.status.get(r)) !== a.status) return false;
    return this.strings.get(this.externalId.get(r)) === a.externalId && this.userNameOf(r, undefined) === a.userName;
  }

  /** Whether person `row` has an account in app number `app` (a walk of their chain). */
  has(row: number, app: number): boolean {
    return this.slotOf(row, app) !== 0;
  }

  /** The account row (+ 1) of person `row` in app number `app`, or 0 (a walk of their chain). */
  private slotOf(row: number, app: number): number {
    let s = this.first.get(row);
    while (s !== 0 && this.info.get(s - 1) >>> 1 !== app) s = this.next.get(s - 1);
    return s;
  }

  /** The person rows with an account in app number `app` (one pass over the account rows). */
  holders(app: number): number[] {
    const rows: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      const info = this.info.get(r);
      if (info !== FREE && info >>> 1 === app) rows.push(this.owner.get(r));
    }
    return rows;
  }

  /** Moves every string handle (the arena is compacting). */
  compact(move: (handle: number) => number): void {
    for (const column of [this.userName, this.externalId]) for (let r = 0; r < this.rows; r++) if (column.get(r) >= 0) column.set(r, move(column.get(r)));
  }

  save(image: StoreImage, name: string): void {
    this.buildIndex();
    for (const [key, column] of Object.entries(this.columns())) column.save(image, `${name}.${key}`);
    this.byName.save(image, `${name}.byName`);
    this.byExternalId.save(image, `${name}.byExternalId`);
    image.set(name, { rows: this.rows, free: this.free });
  }

  load(image: StoreImage, name: string): void {
    for (const [key, column] of Object.entries(this.columns())) column.load(image, `${name}.${key}`);
    this.byName.load(image, `${name}.byName`);
    this.byExternalId.load(image, `${name}.byExternalId`);
    const { rows, free } = image.value<{ rows: number; free: number }>(name);
    if (!Number.isInteger(rows) || !Number.isInteger(free) || free < 0 || free > rows) throw new Error(`the index's ${name} is malformed`);
    this.rows = rows;
    this.free = free;
    this.indexed = true;
    checkChains(values(this.first, free), this.next, rows, `${name} chains`);
  }

  private columns(): Record<string, IntColumn> {
    return { first: this.first, next: this.next, owner: this.owner, info: this.info, status: this.status, userName: this.userName, externalId: this.externalId, nameHash: this.nameHash, idHash: this.idHash };
  }

  private buildIndex(): void {
    if (this.indexed) return;
    this.indexed = true;
    for (let r = 0; r < this.rows; r++) if (this.info.get(r) !== FREE) this.index(r + 1, this.userNameOf(r, undefined), this.strings.get(this.externalId.get(r)));
  }

  /** Puts account row `slot` (+ 1) into the lookup tables, under its userName and externalId. */
  private index(slot: number, userName: string, externalId: string | null): void {
    const app = this.info.get(slot - 1) >>> 1;
    this.nameHash.set(slot - 1, textHash(app, userName.toLowerCase()));
    this.byName.add(slot);
    if (externalId === null) return;
    this.idHash.set(slot - 1, textHash(app, externalId));
    this.byExternalId.add(slot);
  }

  /** Takes account row `slot` (+ 1) out of the lookup tables (before it changes or is freed). */
  private unindex(slot: number): void {
    this.byName.delete(slot);
    if (this.externalId.get(slot - 1) !== NO_STRING) this.byExternalId.delete(slot);
  }

  private setUserName(r: number, name: string, person: Person | undefined): void {
    const handle = this.userName.get(r);
    const same = person === undefined ? 0 : name === person.login ? LOGIN : name === person.email ? EMAIL : 0;
    if (same !== 0) {
      this.strings.free(handle);
      this.userName.set(r, same);
    } else if (handle < 0 || this.strings.get(handle) !== name) {
      this.strings.free(handle);
      this.userName.set(r, this.strings.add(name));
    }
  }

  /** The userName of account row `r`; `person`: its owner, when the caller has it built. */
  private userNameOf(r: number, person: Person | undefined): string {
    const handle = this.userName.get(r);
    if (handle >= 0) return this.strings.get(handle)!;
    person ??= this.personOf(this.owner.get(r));
    return (handle === LOGIN ? person?.login : person?.email) ?? '';
  }
}
