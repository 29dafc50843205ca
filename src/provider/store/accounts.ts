/**
 * The account rows of the synced index: one per app user, chained per person (the chain head is
 * kept per person row; 0 ends a chain, account row r is stored as r + 1). A userName equal to its
 * owner's login or email is kept as a flag, so that it follows a change of login.
 * @module
 */
import type { AppAccount } from '../../sdk.js';
import { IntColumn, NO_STRING, type Interned, type StringArena } from './columns.js';
import type { Person } from '../identity.js';
import type { StoreApps } from './apps.js';

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
  private rows = 0;
  private free = 0;

  constructor(
    private readonly strings: StringArena,
    private readonly statuses: Interned,
    private readonly apps: StoreApps,
  ) {}

  /**
   * Stores `a` for person `row`: in the row of their account in the same app when there is one
   * (Okta has one app user per user and app, so a repeated item replaces), else in a free row.
   */
  set(row: number, a: AppAccount, person: Person | undefined): void {
    const app = this.apps.add({ id: a.appId, name: a.appName, label: a.appLabel });
    let slot = this.first.get(row);
    while (slot !== 0 && this.info.get(slot - 1) >>> 1 !== app) slot = this.next.get(slot - 1);
    if (slot === 0) {
      slot = this.free;
      if (slot === 0) slot = ++this.rows;
      else this.free = this.next.get(slot - 1);
      this.next.set(slot - 1, this.first.get(row));
      this.first.set(row, slot);
      this.owner.set(slot - 1, row);
      this.userName.set(slot - 1, NO_STRING);
      this.externalId.set(slot - 1, NO_STRING);
    }
    const r = slot - 1;
    this.info.set(r, (app << 1) | (a.scope === 'GROUP' ? GROUP : 0));
    this.status.set(r, this.statuses.numberOf(a.status));
    this.setUserName(r, a.userName, person);
    this.strings.free(this.externalId.get(r));
    this.externalId.set(r, a.externalId === null ? NO_STRING : this.strings.add(a.externalId));
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
      const r = s - 1;
      const next = this.next.get(r);
      this.strings.free(this.userName.get(r));
      this.strings.free(this.externalId.get(r));
      this.userName.set(r, NO_STRING);
      this.externalId.set(r, NO_STRING);
      this.info.set(r, FREE);
      this.next.set(r, this.free);
      this.free = s;
      s = next;
    }
    this.first.set(row, 0);
  }

  /** Whether person `row` has an account in app number `app` (a walk of their chain). */
  has(row: number, app: number): boolean {
    for (let s = this.first.get(row); s !== 0; s = this.next.get(s - 1)) if (this.info.get(s - 1) >>> 1 === app) return true;
    return false;
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

  private userNameOf(r: number, person: Person | undefined): string {
    const handle = this.userName.get(r);
    if (handle === LOGIN) return person?.login ?? '';
    if (handle === EMAIL) return person?.email ?? '';
    return this.strings.get(handle)!;
  }
}
