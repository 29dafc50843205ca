import { describe, expect, it } from '@jest/globals';
import { MAX_TIMER_MS, systemClock } from '../../src/clock.js';
import { OktaError } from '../../src/index.js';

describe('systemClock.sleep', () => {
  it.each([2 ** 31, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY, Number.NaN])('refuses %p ms (beyond a timer’s range, where Node would fire after 1 ms) with a typed error', async (ms) => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const error = await systemClock.sleep(ms).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OktaError);
      expect(error).toMatchObject({ code: 'invalid_argument' });
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('accepts the longest timer (2^31-1 ms) and rejects with the signal’s reason when it aborts (as the Clock contract says)', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(MAX_TIMER_MS, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    const aborted = new AbortController();
    aborted.abort(reason);
    await expect(systemClock.sleep(10, aborted.signal)).rejects.toBe(reason);
  });

  it('returns at once for 0 or a negative wait', async () => {
    await expect(systemClock.sleep(0)).resolves.toBeUndefined();
    await expect(systemClock.sleep(-5)).resolves.toBeUndefined();
  });
});
