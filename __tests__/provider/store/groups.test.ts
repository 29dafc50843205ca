import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { IntColumn } from '../../../src/provider/store/columns.js';
import { GroupMemberships } from '../../../src/provider/store/groups.js';
import { PairIndex } from '../../../src/provider/store/pairs.js';
import { StoreImage } from '../../../src/provider/store/image.js';

const gid = (n: number): string => `00g${String(n).padStart(6, '0')}`;

/** Reads of Int32 columns made by `run`: the work a method does, whatever the machine's speed. */
function columnReads(run: () => void): number {
  const spy = jest.spyOn(IntColumn.prototype, 'get');
  try {
    run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('GroupMemberships', () => {
  it('answers both ways like a map of sets after any sequence of adds and clears (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), row: fc.nat(12), group: fc.nat(8) }),
      fc.record({ kind: fc.constant('clear' as const), row: fc.nat(12) }),
      // An upsert: the person's groups become exactly these, in place.
      fc.record({ kind: fc.constant('replace' as const), row: fc.nat(12), groups: fc.array(fc.nat(8), { maxLength: 5 }) }),
      // A warm start: saved to an image and loaded back into a new table, which later adds and clears must keep right.
      fc.record({ kind: fc.constant('reload' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        let table = new GroupMemberships();
        const model = new Map<number, Set<string>>();
        for (const o of ops) {
          if (o.kind === 'reload') {
            const image = new StoreImage();
            table.save(image, 'groups');
            table = new GroupMemberships();
            table.load(image, 'groups');
          } else if (o.kind === 'replace') {
            table.replace(
              o.row,
              o.groups.map((g) => ({ id: gid(g), name: gid(g), type: 'OKTA_GROUP' })),
            );
            model.set(o.row, new Set(o.groups.map(gid)));
          } else if (o.kind === 'add') {
            table.add(o.row, gid(o.group));
            model.set(o.row, (model.get(o.row) ?? new Set()).add(gid(o.group)));
          } else {
            table.clear(o.row);
            model.delete(o.row);
          }
        }
        for (let row = 0; row <= 12; row++) expect(table.of(row).map((g) => g.id)).toEqual([...(model.get(row) ?? [])].sort());
        for (let g = 0; g <= 8; g++) {
          const expected = [...model].filter(([, groups]) => groups.has(gid(g))).map(([row]) => row);
          expect(table.members(gid(g)).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        }
      }),
    );
  });

  it("answers a group's members by walking that group alone, not every membership", () => {
    const table = new GroupMemberships();
    for (let row = 0; row < 5000; row++) for (let g = 1; g <= 4; g++) table.add(row, gid(g));
    for (const row of [7, 8, 9]) table.add(row, gid(99));
    let members: number[] = [];
    const reads = columnReads(() => (members = table.members(gid(99))));
    expect(members.sort((a, b) => a - b)).toEqual([7, 8, 9]);
    // 20,003 memberships; a scan would read each at least once.
    expect(reads).toBeLessThan(20);
  });

  it("adds a membership in constant time, however many groups the person is in", () => {
    const table = new GroupMemberships();
    for (let g = 0; g < 3000; g++) table.add(1, gid(g));
    const newOne = columnReads(() => table.add(1, gid(5000)));
    const repeated = columnReads(() => table.add(1, gid(10)));
    // A walk of the person's chain would read 3,000 rows.
    expect(newOne).toBeLessThan(50);
    expect(repeated).toBeLessThan(50);
    expect(table.of(1)).toHaveLength(3001);
  });
});

describe('PairIndex', () => {
  it('finds every stored pair and none deleted, under any sequence of adds and deletes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(40), fc.nat(40)), { maxLength: 2000 }), (ops) => {
        const first: number[] = [0];
        const second: number[] = [0];
        const index = new PairIndex(
          (row) => first[row]!,
          (row) => second[row]!,
        );
        const model = new Map<string, number>();
        for (const [add, a, b] of ops) {
          const key = `${a},${b}`;
          const row = model.get(key);
          if (add && row === undefined) {
            first.push(a);
            second.push(b);
            index.add(first.length - 1);
            model.set(key, first.length - 1);
          } else if (!add && row !== undefined) {
            index.delete(row);
            model.delete(key);
          }
        }
        for (let a = 0; a <= 40; a += 3) for (let b = 0; b <= 40; b++) expect(index.find(a, b)).toBe(model.get(`${a},${b}`) ?? 0);
      }),
      { numRuns: 50 },
    );
  });
});
