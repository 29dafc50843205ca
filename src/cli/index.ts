#!/usr/bin/env node
/**
 * The admin's command line: `check` verifies a hostname and token before they are handed over;
 * `sync` writes every identity as JSON Lines to stdout with progress on stderr.
 * The token comes from OKTA_TOKEN or a hidden prompt, never a flag (flags end up in shell history).
 */
import { parseArgs } from 'node:util';
import { OktaConfigError } from '../config.js';
import { OktaError } from '../http/errors.js';
import { OktaIdentityProvider } from '../provider/provider.js';
import { formatAccessReport } from './format.js';
import { readToken } from './token.js';

const USAGE = `Usage:
  okta-identity-provider check --hostname example.okta.com
  okta-identity-provider sync  --hostname example.okta.com > identities.jsonl

The API token is read from the OKTA_TOKEN environment variable, or asked for (hidden) when unset.
Options:
  --hostname   the Okta org host (or OKTA_HOSTNAME)
  --base-url   replaces https://<hostname> (test servers, the simulator)
  --help       this text
Exit codes: 0 ok; 1 a permission is missing or the sync failed; 2 usage or configuration error.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { hostname: { type: 'string' }, 'base-url': { type: 'string' }, help: { type: 'boolean' }, token: { type: 'string' } },
  });
  const command = positionals[0];
  if (values.help || (command !== 'check' && command !== 'sync')) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (values.token !== undefined) {
    process.stderr.write('Refusing --token: it would be saved in your shell history. Set OKTA_TOKEN or answer the prompt.\n');
    return 2;
  }
  const hostname = typeof values.hostname === 'string' ? values.hostname : process.env.OKTA_HOSTNAME;
  if (!hostname) {
    process.stderr.write(`--hostname is required.\n${USAGE}\n`);
    return 2;
  }
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  let provider: OktaIdentityProvider;
  try {
    const token = await readToken();
    provider = new OktaIdentityProvider({
      hostname,
      token,
      ...(baseUrl ? { baseUrl } : {}),
      onWarning: (w) => process.stderr.write(`warning: ${w.code} ${w.path}: ${w.message}\n`),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof OktaConfigError || error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  try {
    if (command === 'check') {
      const report = await provider.checkAccess({ signal: controller.signal });
      process.stdout.write(formatAccessReport(report));
      return report.ok ? 0 : 1;
    }
    let count = 0;
    const progress = setInterval(() => {
      const s = provider.stats;
      process.stderr.write(`\rpeople ${s.sync.people}  apps ${s.sync.appsRead}/${s.sync.apps}  accounts ${s.sync.accounts}  requests ${s.requests}  rate-limit waits ${s.rateLimitWaits}   `);
    }, 500);
    try {
      for await (const identity of provider.listIdentities({ signal: controller.signal })) {
        count++;
        if (!process.stdout.write(`${JSON.stringify(identity)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
      }
    } finally {
      clearInterval(progress);
    }
    process.stderr.write(`\n${count} identities, ${provider.stats.requests} requests\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`\n${error instanceof OktaError ? `${error.code}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await provider.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
