/**
 * The groups part of the synced index (when the connector reads groups): the groups themselves,
 * a few thousand as plain objects, and who is in which, as Int32 rows linked per person and per
 * group (an org of 100,000 people in 20 groups each holds 2,000,000 memberships: about 28 bytes each).
 * @module
 */
import type { IdentityGroup } from '../../sdk.js';
import { checkChains, IntColumn, values } from './columns.js';
import type { StoreImage } from './image.js';
import { PairIndex } from './pairs.js';
import { identityGroups, type StoredGroup } from '../identity.js';

/** One Group Push mapping of an app: `sourceGroupId`'s members are pushed to `targetGroupId`. */
export interface PushMapping {
  appId: string;
  sourceGroupId: string;
  targetGroupId: string;
  status: string;
}

/**
 * Groups by index, and memberships as rows linked both ways: a chain per person (`first`, `next`)
 * and a doubly linked list per group (`head`, `nextInGroup`, `prevInGroup`), so that a person's
 * groups and a group's members are each walked in proportion to their number. A hash of
 * (person, group) pairs finds a membership in constant time. Row r is stored as r + 1; 0 ends a
 * chain. 2,000,000 memberships take 20 bytes each in Int32 columns, plus 4 to 8 in the hash.
 */
export class GroupMemberships {
  private readonly groups: StoredGroup[] = [];
  private readonly byId = new Map<string, number>();
  /** Numbers of deleted groups, whose rows stay until no membership refers to them. */
  private readonly gone = new Set<number>();
  /** Push mappings by target group id, for the apps whose mappings were read. */
  readonly pushTargets = new Map<string, PushMapping>();
  /** The apps whose push mappings were read (an app without any is in it too). */
  readonly pushRead = new Set<string>();
  /** Why an app's push mappings, or a group's members, could not be read (what a fresh resolveAppGroup reports in `missing`). */
  readonly unread = new Map<string, 'forbidden' | 'gone'>();
  /** Per person row: their first membership. */
  private readonly first = new IntColumn();
  /** Per group number: its first membership. */
  private readonly head = new IntColumn();
  /** Per membership: the group number (-1 when free), the person row, and the links. */
  private readonly group = new IntColumn();
  private readonly owner = new IntColumn();
  private readonly next = new IntColumn();
  private readonly nextInGroup = new IntColumn();
  private readonly prevInGroup = new IntColumn();
  private readonly pairs = new PairIndex(
    (m) => this.owner.get(m - 1),
    (m) => this.group.get(m - 1),
  );
  private rows = 0;
  private freeRow = 0;

  /** Adds or updates a group; returns its number. */
  addGroup(group: StoredGroup): number {
    const known = this.byId.get(group.id);
    if (known !== undefined) {
      this.groups[known] = group;
      return known;
    }
    this.byId.set(group.id, this.groups.push(group) - 1);
    return this.groups.length - 1;
  }

  /** The group with this id, if known. */
  get(groupId: string): StoredGroup | undefined {
    const index = this.byId.get(groupId);
    return index === undefined ? undefined : this.groups[index];
  }

  /** Every group the index knows to exist. */
  all(): StoredGroup[] {
    return this.groups.filter((_, index) => !this.gone.has(index));
  }

  /** A group deleted in Okta: no longer found (its memberships end as its members' identities are put). */
  forget(groupId: string): void {
    const index = this.byId.get(groupId);
    if (index === undefined) return;
    this.gone.add(index);
    this.byId.delete(groupId);
  }

  /**
   * Replaces what the index holds of one app's push mappings with a read of them (the full read's
   * and the change stream's): the mappings, or why they could not be read.
   */
  setPushMappings(appId: string, read: PushMapping[] | 'forbidden' | 'gone'): void {
    for (const [target, m] of this.pushTargets) if (m.appId === appId) this.pushTargets.delete(target);
    if (typeof read === 'string') {
      this.pushRead.delete(appId);
      this.unread.set(`app:${appId}`, read);
      return;
    }
    for (const m of read) this.pushTargets.set(m.targetGroupId, m);
    this.pushRead.add(appId);
    this.unread.delete(`app:${appId}`);
  }

  /** Why the app's push mappings could not be read, if they could not. */
  pushUnread(appId: string): 'forbidden' | 'gone' | undefined {
    return this.unread.get(`app:${appId}`) ?? (this.pushRead.has(appId) ? undefined : 'forbidden');
  }

  /** Records how a read of a group's members went: read (undefined), or why not. */
  setMembersRead(groupId: string, outcome: 'read' | 'forbidden' | 'gone'): void {
    if (outcome === 'read') this.unread.delete(`group:${groupId}`);
    else this.unread.set(`group:${groupId}`, outcome);
  }

  /** Why a group's members could not be read, if they could not. */
  membersUnread(groupId: string): 'forbidden' | 'gone' | undefined {
    return this.unread.get(`group:${groupId}`);
  }

  /** Makes person `row` a member of the group (once); a group given whole updates the stored one. */
  add(row: number, group: string | IdentityGroup): void {
    const index = this.record(group);
    if (this.pairs.find(row, index) === 0) this.link(row, index);
  }

  /** Makes person `row`'s groups `groups` (each given whole, as to add()): memberships no longer listed end, new ones begin, the others stay. */
  replace(row: number, groups: IdentityGroup[]): void {
    const wanted = new Set<number>();
    for (const group of groups) wanted.add(this.record(group));
    let before = 0;
    for (let m = this.first.get(row); m !== 0; ) {
      const next = this.next.get(m - 1);
      if (wanted.delete(this.group.get(m - 1))) before = m;
      else {
        if (before === 0) this.first.set(row, next);
        else this.next.set(before - 1, next);
        this.release(m);
      }
      m = next;
    }
    for (const index of wanted) this.link(row, index);
  }

  /** The number of a group named by id (an Okta group until read), or given whole (its record updated unless it says the same). */
  private record(group: string | IdentityGroup): number {
    if (typeof group === 'string') return this.byId.get(group) ?? this.addGroup({ id: group, name: group, type: 'OKTA_GROUP', aliases: [] });
    const known = this.get(group.id);
    const same = known && known.name === group.name && known.type === group.type && known.appId === group.appId && known.pushMappings === (group as Partial<StoredGroup>).pushMappings;
    return same ? this.byId.get(group.id)! : this.addGroup({ ...group, aliases: known?.aliases ?? [] });
  }

  /** A new membership of person `row` in group number `index`. */
  private link(row: number, index: number): void {
    let slot = this.freeRow;
    if (slot === 0) slot = ++this.rows;
    else this.freeRow = this.next.get(slot - 1);
    this.group.set(slot - 1, index);
    this.owner.set(slot - 1, row);
    this.next.set(slot - 1, this.first.get(row));
    this.first.set(row, slot);
    const after = this.head.get(index);
    this.nextInGroup.set(slot - 1, after);
    this.prevInGroup.set(slot - 1, 0);
    if (after !== 0) this.prevInGroup.set(after - 1, slot);
    this.head.set(index, slot);
    this.pairs.add(slot);
  }

  /** The groups of person `row`, sorted by id. */
  of(row: number): IdentityGroup[] {
    const out: StoredGroup[] = [];
    for (let m = this.first.get(row); m !== 0; m = this.next.get(m - 1)) out.push(this.groups[this.group.get(m - 1)]!);
    return identityGroups(out);
  }

  /** Ends every membership of person `row`. */
  clear(row: number): void {
    for (let m = this.first.get(row); m !== 0; ) {
      const next = this.next.get(m - 1);
      this.release(m);
      m = next;
    }
    this.first.set(row, 0);
  }

  /** Frees membership `m`, taken out of its group's list (the caller unlinks it from its person's chain). */
  private release(m: number): void {
    this.pairs.delete(m);
    const before = this.prevInGroup.get(m - 1);
    const after = this.nextInGroup.get(m - 1);
    if (before === 0) this.head.set(this.group.get(m - 1), after);
    else this.nextInGroup.set(before - 1, after);
    if (after !== 0) this.prevInGroup.set(after - 1, before);
    this.group.set(m - 1, -1);
    this.next.set(m - 1, this.freeRow);
    this.freeRow = m;
  }

  save(image: StoreImage, name: string): void {
    for (const [key, column] of Object.entries(this.columns())) column.save(image, `${name}.${key}`);
    this.pairs.save(image, `${name}.pairs`);
    image.set(name, {
      groups: [...this.groups],
      gone: [...this.gone],
      pushTargets: [...this.pushTargets.values()],
      pushRead: [...this.pushRead],
      unread: [...this.unread],
      rows: this.rows,
      freeRow: this.freeRow,
    });
  }

  load(image: StoreImage, name: string): void {
    for (const [key, column] of Object.entries(this.columns())) column.load(image, `${name}.${key}`);
    this.pairs.load(image, `${name}.pairs`);
    const saved = image.value<{ groups: StoredGroup[]; gone: number[]; pushTargets: PushMapping[]; pushRead: string[]; unread: Array<[string, 'forbidden' | 'gone']>; rows: number; freeRow: number }>(name);
    const arrays = [saved.groups, saved.gone, saved.pushTargets, saved.pushRead, saved.unread];
    if (!arrays.every(Array.isArray) || !saved.groups.every((g) => g && typeof g.id === 'string' && Array.isArray(g.aliases)) || !Number.isInteger(saved.rows) || !Number.isInteger(saved.freeRow)) throw new Error(`the index's ${name} is malformed`);
    for (const index of saved.gone) this.gone.add(index);
    saved.groups.forEach((group, index) => {
      this.groups.push(group);
      if (!this.gone.has(index)) this.byId.set(group.id, index);
    });
    for (const m of saved.pushTargets) this.pushTargets.set(m.targetGroupId, m);
    for (const appId of saved.pushRead) this.pushRead.add(appId);
    for (const [key, reason] of saved.unread) this.unread.set(key, reason);
    this.rows = saved.rows;
    this.freeRow = saved.freeRow;
    checkChains(values(this.first, this.freeRow), this.next, this.rows, `${name}' person chains`);
    checkChains(values(this.head), this.nextInGroup, this.rows, `${name}' member lists`);
  }

  private columns(): Record<string, IntColumn> {
    return { first: this.first, head: this.head, group: this.group, owner: this.owner, next: this.next, nextInGroup: this.nextInGroup, prevInGroup: this.prevInGroup };
  }

  /** The person rows in a group (a walk of the group's own list). */
  members(groupId: string): number[] {
    const index = this.byId.get(groupId);
    if (index === undefined) return [];
    const rows: number[] = [];
    for (let m = this.head.get(index); m !== 0; m = this.nextInGroup.get(m - 1)) rows.push(this.owner.get(m - 1));
    return rows;
  }
}
