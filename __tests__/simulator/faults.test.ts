import { afterEach, describe, expect, it } from '@jest/globals';
import { FAULT_KINDS, OktaSimulator, type FaultKind } from '../../src/simulator/index.js';
import { get } from './helpers.js';

describe('fault injection', () => {
  let sim: OktaSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  async function only(kind: FaultKind, slowMs?: number): Promise<OktaSimulator> {
    sim = new OktaSimulator({ users: 30, faults: { rate: 1, kinds: [kind], ...(slowMs === undefined ? {} : { slowMs }) } });
    await sim.start();
    return sim;
  }

  it('500: Okta’s internal error body', async () => {
    const s = await only('500');
    const res = await get(s, '/api/v1/users');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000009');
    expect(s.stats.faults['500']).toBe(1);
  });

  it('503: service unavailable', async () => {
    const s = await only('503');
    const res = await get(s, '/api/v1/users');
    expect(res.status).toBe(503);
    await res.arrayBuffer();
  });

  it('drop: the connection closes before any response', async () => {
    const s = await only('drop');
    await expect(get(s, '/api/v1/users')).rejects.toThrow();
    expect(s.stats.faults.drop).toBe(1);
  });

  it('drop-mid-body: headers and half the body arrive, then the connection closes', async () => {
    const s = await only('drop-mid-body');
    const res = await get(s, '/api/v1/users?limit=50');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
    await expect(res.text()).rejects.toThrow();
  });

  it('slow: the response comes after slowMs, so a client timeout fires first', async () => {
    const s = await only('slow', 5_000);
    const t0 = performance.now();
    await expect(fetch(`${s.baseUrl}/api/v1/users`, { headers: { Authorization: `SSWS ${s.token}` }, signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(2_000);
    // stop() must not wait for the pending 5 s response (afterEach would time out the test).
  });

  it('slow: a short slowMs still answers', async () => {
    const s = await only('slow', 40);
    const t0 = performance.now();
    const res = await get(s, '/api/v1/users?limit=1');
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    expect(((await res.json()) as unknown[]).length).toBe(1);
  });

  it('html: 200 with an HTML page', async () => {
    const s = await only('html');
    const res = await get(s, '/api/v1/users');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toMatch(/^<!DOCTYPE html>/);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('truncated: 200 with a JSON content-type and half a body', async () => {
    const s = await only('truncated');
    const res = await get(s, '/api/v1/users?limit=20');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(Number(res.headers.get('content-length')));
    expect(() => JSON.parse(text)).toThrow();
  });

  it('checks authentication before injecting faults', async () => {
    const s = await only('500');
    const res = await fetch(`${s.baseUrl}/api/v1/users`, { headers: { Authorization: 'SSWS wrong' } });
    expect(res.status).toBe(401);
    expect(s.stats.faults['500']).toBe(0);
  });

  it('chooses faults reproducibly from the seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const s = new OktaSimulator({ seed, users: 10, faults: { rate: 0.5, kinds: ['500', '503', 'html', 'truncated'] } });
      await s.start();
      const out: string[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await get(s, '/api/v1/users?limit=1');
        const text = await res.text();
        let json = true;
        try {
          JSON.parse(text);
        } catch {
          json = false;
        }
        out.push(res.status === 200 && json ? 'ok' : `${res.status} ${res.headers.get('content-type')} ${json ? 'json' : 'not-json'}`);
      }
      const injected = Object.values(s.stats.faults).reduce((a, b) => a + b, 0);
      await s.stop();
      expect(injected).toBe(out.filter((o) => o !== 'ok').length);
      return out;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
    expect(new Set(a.filter((x) => x !== 'ok')).size).toBeGreaterThanOrEqual(3);
    expect(a.filter((x) => x === 'ok').length).toBeGreaterThan(5);
  });

  it('knows every documented kind', () => {
    expect([...FAULT_KINDS].sort()).toEqual(['500', '503', 'drop', 'drop-mid-body', 'html', 'slow', 'truncated']);
  });
});
