import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OktaIdentityProvider, type Identity } from '../../src/index.js';
import { OktaSimulator } from '../../src/simulator/index.js';

/**
 * A person's display name: the profile's displayName when it is not blank (whitespace only
 * counts as absent), else first and last name (each trimmed, one space between), else the login; trimmed. The simulator's ground
 * truth states the rule on its own, so it can catch the connector drifting from it.
 */
describe('display names in the ground truth', () => {
  const sim = new OktaSimulator({ users: 0, apps: 0, groups: 0 });
  const cases: Array<[string, Record<string, string | null>, string]> = [
    ['a padded displayName, trimmed', { login: 'ada@example.com', firstName: 'Augusta', lastName: 'King', displayName: '  Ada Lovelace \t' }, 'Ada Lovelace'],
    ['a whitespace-only displayName, as if absent', { login: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', displayName: ' \t\n ' }, 'Grace Hopper'],
    ['an empty displayName, as if absent', { login: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', displayName: '' }, 'Alan Turing'],
    ['only a last name', { login: 'turing@example.com', firstName: '   ', lastName: 'Turing' }, 'Turing'],
    ['only a first name, padded', { login: 'edsger@example.com', firstName: ' Edsger ', lastName: null }, 'Edsger'],
    ['first and last name, each padded: one space between', { login: 'barbara@example.com', firstName: 'Barbara ', lastName: '  Liskov' }, 'Barbara Liskov'],
    ['no name at all: the login', { login: 'svc-build@example.com', firstName: null, lastName: null, displayName: '  ' }, 'svc-build@example.com'],
  ];
  const ids = cases.map(([, profile]) => sim.createUser(profile).id);
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it.each(cases.map(([what, , expected], i) => [what, i, expected] as const))('%s', (_what, i, expected) => {
    expect(sim.identity(ids[i]!)!.displayName).toBe(expected);
  });

  it('is what the connector reads', async () => {
    const provider = new OktaIdentityProvider({ hostname: 'example.okta.com', baseUrl: sim.baseUrl, token: sim.token });
    const read: Identity[] = [];
    for await (const identity of provider.listIdentities()) read.push(identity);
    await provider.close();
    expect(read.sort((a, b) => (a.id < b.id ? -1 : 1)).map((i) => i.displayName)).toEqual(sim.expectedIdentities().map((i) => i.displayName));
  });
});
