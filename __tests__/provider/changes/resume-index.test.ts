import { describe, expect, it } from '@jest/globals';
import type { Identity, IdentityChange } from '../../../src/index.js';
import { resolveConfig } from '../../../src/config/config.js';
import { OktaClient } from '../../../src/http/client.js';
import { encodeCursor } from '../../../src/provider/changes/cursor.js';
import { firstPosition } from '../../../src/provider/changes/log.js';
import { planResume } from '../../../src/provider/changes/resume.js';
import type { ProviderContext } from '../../../src/provider/context.js';
import { cursorKey } from '../../../src/provider/store/persist/format.js';
import { IdentityStore } from '../../../src/provider/store/store.js';
import { ORIGIN, TOKEN } from '../../helpers/msw.js';

/** Where a stream starts against an index at a known position (resume.ts), case by case. */
const ctx: ProviderContext = { client: new OktaClient(resolveConfig({ hostname: 'example.okta.com', token: TOKEN })), warn: () => undefined };
const T0 = Date.UTC(2026, 10, 1);
const cursorAt = (minutes: number): string => encodeCursor({ position: firstPosition(ctx, new Date(T0 + minutes * 60_000)), time: T0 + minutes * 60_000, origin: ORIGIN });
const person = (id: string): Identity => ({ id, login: `${id}@x.com`, email: null, displayName: id, status: 'ACTIVE', accounts: [] });

function index(): Parameters<typeof planResume>[2] {
  const store = new IdentityStore();
  store.put(person('00ua'));
  store.put(person('00ub'));
  // The index took changes at minutes 10 (a), 11 (b), 12 (gone c), its position is minute 12's.
  const tail = [
    { key: cursorKey(cursorAt(10)), id: '00ua' },
    { key: cursorKey(cursorAt(11)), id: '00ub' },
    { key: cursorKey(cursorAt(12)), id: '00uc' },
  ];
  return { store, position: { cursor: cursorAt(12), time: T0 + 12 * 60_000 }, tail };
}
const ids = (changes: IdentityChange[]): string[] => changes.map((c) => `${c.type} ${c.type === 'upsert' ? c.identity.id : c.id}`);

describe('planResume', () => {
  it('without an index: the options as given', () => {
    const options = { cursor: cursorAt(1) };
    expect(planResume(ctx, options, undefined, T0).options).toBe(options);
  });

  it("the host's cursor is the index's position: on from it, nothing again", () => {
    const plan = planResume(ctx, { cursor: cursorAt(12) }, index(), T0);
    expect(plan.options.cursor).toBe(cursorAt(12));
    expect([...plan.replay()]).toEqual([]);
  });

  it("the host's cursor is a change the index took: the people of the later ones again (as the index has them, with the host's cursor), then on from the index's position", () => {
    const plan = planResume(ctx, { cursor: cursorAt(10) }, index(), T0);
    expect(plan.options.cursor).toBe(cursorAt(12));
    const replay = [...plan.replay()];
    expect(ids(replay)).toEqual(['upsert 00ub', 'delete 00uc']);
    expect(replay.every((c) => c.cursor === cursorAt(10))).toBe(true);
  });

  it('the host is ahead of the index (a later cursor or since): from the index position, so the events between reach the index', () => {
    for (const options of [{ cursor: cursorAt(30) }, { since: new Date(T0 + 30 * 60_000) }]) {
      const plan = planResume(ctx, options, index(), T0 + 60 * 60_000);
      expect(plan.options.cursor).toBe(cursorAt(12));
      expect(plan.options).not.toHaveProperty('since');
      expect([...plan.replay()]).toEqual([]);
    }
  });

  it('the host is behind the index beyond its changes: every person the index changed again, then from the host', () => {
    const plan = planResume(ctx, { cursor: cursorAt(5) }, index(), T0);
    expect(plan.options.cursor).toBe(cursorAt(5));
    expect(ids([...plan.replay()])).toEqual(['upsert 00ua', 'upsert 00ub', 'delete 00uc']);
  });

  it('an invalid cursor is left for the stream to refuse', () => {
    const options = { cursor: 'not a cursor' };
    expect(planResume(ctx, options, index(), T0).options).toBe(options);
  });
});
