/**
 * People by their Okta login and primary email (case-insensitively): resolveAppUser's lookup for
 * the `okta` app, as hash tables of person rows. Built on first use (a sync does not pay for them),
 * then kept current as people are written and removed.
 * @module
 */
import type { Person } from '../identity.js';
import { IntColumn } from './columns.js';
import type { StoreImage } from './image.js';
import { RowHash, textHash } from './row-hash.js';

export class PeopleLookup {
  /** Per listed person row: the hash of their lowercased login, and of their lowercased email. */
  private readonly loginHash = new IntColumn();
  private readonly emailHash = new IntColumn();
  /** Person rows (+ 1) by lowercased login, and by lowercased email. */
  private readonly byLogin = new RowHash((key) => this.loginHash.get(key - 1));
  private readonly byEmail = new RowHash((key) => this.emailHash.get(key - 1));

  private built = false;

  /** `personOf`: the person of a row, when listed; `rows`: how many rows there are. */
  constructor(
    private readonly personOf: (row: number) => Person | undefined,
    private readonly rows: () => number,
  ) {}

  /** Adds person `row` as `person` says (its earlier entries removed first). */
  add(row: number, person: Person): void {
    if (!this.built) return;
    this.loginHash.set(row, textHash(0, person.login.toLowerCase()));
    this.byLogin.add(row + 1);
    this.emailHash.set(row, person.email === null ? 0 : textHash(0, person.email.toLowerCase()));
    if (person.email !== null) this.byEmail.add(row + 1);
  }

  /** Takes person `row` out, before their fields change or go (`person`: as they are until then). */
  remove(row: number, person: Person): void {
    if (!this.built) return;
    this.byLogin.delete(row + 1);
    if (person.email !== null) this.byEmail.delete(row + 1);
  }

  /** The rows of the people whose login or email is `value` (case-insensitively); a row may come twice. */
  find(value: string): number[] {
    this.build();
    const needle = value.toLowerCase();
    const h = textHash(0, needle);
    const rows: number[] = [];
    this.byLogin.each(h, (key) => {
      if (this.personOf(key - 1)?.login.toLowerCase() === needle) rows.push(key - 1);
    });
    this.byEmail.each(h, (key) => {
      if (this.personOf(key - 1)?.email?.toLowerCase() === needle) rows.push(key - 1);
    });
    return rows;
  }

  save(image: StoreImage, name: string): void {
    this.build();
    this.loginHash.save(image, `${name}.loginHash`);
    this.emailHash.save(image, `${name}.emailHash`);
    this.byLogin.save(image, `${name}.byLogin`);
    this.byEmail.save(image, `${name}.byEmail`);
  }

  load(image: StoreImage, name: string): void {
    this.loginHash.load(image, `${name}.loginHash`);
    this.emailHash.load(image, `${name}.emailHash`);
    this.byLogin.load(image, `${name}.byLogin`);
    this.byEmail.load(image, `${name}.byEmail`);
    this.built = true;
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    for (let row = 0; row < this.rows(); row++) {
      const person = this.personOf(row);
      if (person) this.add(row, person);
    }
  }
}
