import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from '../../../src/http/oauth/single-flight.js';

describe('SingleFlight', () => {
  it('shares one run among concurrent callers and starts a new one afterwards', async () => {
    let runs = 0;
    const flight = new SingleFlight(async () => ++runs);
    expect(await Promise.all([flight.run(), flight.run(), flight.run()])).toEqual([1, 1, 1]);
    expect(await flight.run()).toBe(2);
  });

  it('lets one caller abort its wait without cancelling the others', async () => {
    let release: (v: string) => void = () => undefined;
    let taskSignal: AbortSignal | undefined;
    const flight = new SingleFlight((signal) => {
      taskSignal = signal;
      return new Promise<string>((resolve) => (release = resolve));
    });
    const controller = new AbortController();
    const leaving = flight.run(controller.signal);
    const staying = flight.run();
    controller.abort(new Error('gone'));
    await expect(leaving).rejects.toThrow('gone');
    expect(taskSignal?.aborted).toBe(false);
    release('token');
    await expect(staying).resolves.toBe('token');
  });

  it('aborts the task when every waiter has left', async () => {
    let taskSignal: AbortSignal | undefined;
    const flight = new SingleFlight((signal) => {
      taskSignal = signal;
      return new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });
    const controller = new AbortController();
    const only = flight.run(controller.signal);
    controller.abort(new Error('closed'));
    await expect(only).rejects.toThrow('closed');
    expect(taskSignal?.aborted).toBe(true);
    expect(flight.running).toBe(false);
  });
});
