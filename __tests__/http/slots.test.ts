import { describe, expect, it } from '@jest/globals';
import { setImmediate as turn } from 'node:timers/promises';
import { CONTINUATION_SHARE, pickWaiter, Slots } from '../../src/http/slots.js';

const waiting = (...pagesRead: number[]) => pagesRead.map((n) => ({ ticket: { pagesRead: n } }));

describe('pickWaiter', () => {
  it('gives the slot to a continuation before a first page asked earlier', () => {
    expect(pickWaiter(waiting(0, 0, 3), 0, 4)).toBe(2);
  });

  it('among continuations, to the list with the fewest pages read, then the earliest asked', () => {
    expect(pickWaiter(waiting(5, 2, 9, 2), 0, 4)).toBe(1);
  });

  it('gives a list known to be long (pagesLeft, from the last sync) the slot first, its first page included, the longest rest first', () => {
    const hinted = (pagesRead: number, pagesLeft?: number) => ({ ticket: { pagesRead, pagesLeft } });
    expect(pickWaiter([hinted(3), hinted(0, 12), hinted(1)], 0, 4)).toBe(1);
    expect(pickWaiter([hinted(2, 5), hinted(5, 9)], 0, 4)).toBe(1);
    // A list the hint says is ending (or past its hint) is a plain continuation again.
    expect(pickWaiter([hinted(6, 1), hinted(2)], 0, 4)).toBe(1);
    expect(pickWaiter([hinted(0, 1), hinted(0)], 0, 4)).toBe(0);
  });

  it('takes first pages in the order they were asked', () => {
    expect(pickWaiter(waiting(0, 0, 0), 3, 4)).toBe(0);
  });

  it(`keeps a share of the slots for first pages while some wait: continuations hold at most ${CONTINUATION_SHARE} of them`, () => {
    // 12 slots: continuations may hold 9.
    expect(pickWaiter(waiting(0, 1), 8, 12)).toBe(1);
    expect(pickWaiter(waiting(0, 1), 9, 12)).toBe(0);
    // No first page waits: continuations take every slot.
    expect(pickWaiter(waiting(1, 4), 11, 12)).toBe(0);
    // One or two slots: continuations may take them all (a long list is never held back).
    expect(pickWaiter(waiting(0, 1), 1, 2)).toBe(1);
    expect(pickWaiter(waiting(0, 1), 0, 1)).toBe(1);
  });
});

describe('Slots', () => {
  /** A request that holds its slot until `release` is called; `started` tells when it got one. */
  function request(slots: Slots, pagesRead: number, order: string[], name: string) {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const done = slots.run({ pagesRead }, async () => {
      order.push(name);
      await held;
    });
    return { release, done };
  }

  it('never runs more than its size at once, and hands a freed slot to the continuation asked in the same turn', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const a = request(slots, 0, order, 'a#1');
    const b = request(slots, 0, order, 'b#1');
    await turn();
    expect(order).toEqual(['a#1']);
    // a's page is answered; in the same turn, a asks for its next page (as paginate does).
    a.release();
    await a.done;
    const a2 = request(slots, 1, order, 'a#2');
    await turn();
    await turn();
    expect(order).toEqual(['a#1', 'a#2']);
    a2.release();
    await a2.done;
    await turn();
    expect(order).toEqual(['a#1', 'a#2', 'b#1']);
    b.release();
    await b.done;
  });

  it('frees the slot when the request fails', async () => {
    const slots = new Slots(1);
    await expect(slots.run({ pagesRead: 0 }, () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    await expect(slots.run({ pagesRead: 0 }, () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('stop() drops the waiting requests with OktaClosedError and refuses new ones', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const a = request(slots, 0, order, 'a');
    const b = request(slots, 0, order, 'b');
    await turn();
    slots.stop();
    await expect(b.done).rejects.toMatchObject({ name: 'OktaClosedError' });
    await expect(slots.run({ pagesRead: 0 }, () => Promise.resolve())).rejects.toMatchObject({ name: 'OktaClosedError' });
    a.release();
    await a.done;
    expect(order).toEqual(['a']);
  });
});
