import { describe, expect, it } from '@jest/globals';
import { ProgressLine } from '../../src/cli/progress.js';
import { sync } from '../../src/cli/sync.js';
import { OktaIdentityProvider, OktaNetworkError } from '../../src/index.js';
import { closedPort } from '../e2e/cli-process.js';

/** `sync` against an org that does not answer: it says so on stderr while it retries. */
describe('sync against an unreachable host', () => {
  it.each([
    ['to a pipe or file', false],
    ['on a terminal', true],
  ])('%s: a "cannot reach ...; retrying" line comes long before the retries run out', async (_name, isTTY) => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: origin, token: 'token-0123456789abcdef', retries: 4, retryBaseDelayMs: 40, maxRetryDelayMs: 40 });
    const written: string[] = [];
    const progress = new ProgressLine({ isTTY, write: (text: string) => written.push(text) }, () => 'people 0');
    await expect(sync(provider, progress, new AbortController().signal, { origin, checkMs: 5 })).rejects.toBeInstanceOf(OktaNetworkError);
    await provider.close();
    const lines = written.join('').replaceAll('\x1b[K', '').split(/[\r\n]/).filter((l) => l.includes('retrying'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(new RegExp(`^cannot reach ${origin.replace(/[.]/g, '\\.')}: connection refused \\(ECONNREFUSED\\); retrying \\(\\d+ retr(y|ies) so far\\)$`));
    // Said while retries remained, not after the budget was spent.
    expect(Number(/\((\d+) retr/.exec(lines[0]!)![1])).toBeLessThan(4);
  });
});
