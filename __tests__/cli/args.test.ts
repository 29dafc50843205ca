import { describe, expect, it } from '@jest/globals';
import { parseCommandLine, SIMULATOR_BOUNDS, USAGE } from '../../src/cli/args.js';
import { CliError } from '../../src/cli/errors.js';

/** The command line as parsed: `simulate`'s sizes are bounded to what the simulator can serve. */
function refusal(argv: string[]): string {
  try {
    parseCommandLine(argv, {});
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as CliError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('simulate sizes', () => {
  it('accepts sizes within the bounds', () => {
    expect(parseCommandLine(['simulate', '--users', '50000', '--apps', '0', '--seed', '7'], {})).toEqual({ kind: 'simulate', org: { users: 50_000, apps: 0, seed: 7 } });
    expect(parseCommandLine(['simulate', '--users', '1', '--apps', '100'], {})).toEqual({ kind: 'simulate', org: { users: 1, apps: 100 } });
  });

  it.each([
    [['--users', '0', '--apps', '999999'], "--users must be a whole number from 1 to 50000, not '0'"],
    [['--users', '200', '--apps', '999999'], "--apps must be a whole number from 0 to 100, not '999999'"],
    [['--users', '50001'], "--users must be a whole number from 1 to 50000, not '50001'"],
    [['--users', '-5'], "--users must be a whole number from 1 to 50000, not '-5'"],
    [['--users=-5'], "--users must be a whole number from 1 to 50000, not '-5'"],
    [['--apps', '-1'], "--apps must be a whole number from 0 to 100, not '-1'"],
    [['--users', 'many'], "--users must be a whole number from 1 to 50000, not 'many'"],
  ])('refuses %j with one clean line', (args, message) => {
    expect(refusal(['simulate', ...args])).toBe(`${message} (see okta-identity-provider --help)`);
  });

  it('--help states the bounds, with a blank line before Options:', () => {
    expect(USAGE).toContain(`--users       the simulated org's people, 1 to ${SIMULATOR_BOUNDS.users[1]}`);
    expect(USAGE).toContain(`--apps        its apps, 0 to ${SIMULATOR_BOUNDS.apps[1]}`);
    expect(USAGE).toMatch(/\n\nOptions:\n/);
  });
});
