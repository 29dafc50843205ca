import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Identity } from '../../src/sdk.js';
import { assignmentId } from '../../src/simulator/ids.js';
import { OktaSimulator } from '../../src/simulator/index.js';
import { readIdentities } from './helpers.js';

describe('served org and ground truth', () => {
  const unlimited = { users: 1e6, user: 1e6, apps: 1e6, groups: 1e6, logs: 1e6 };
  const sim = new OktaSimulator({ seed: 11, users: 150, apps: 7, groups: 5, rateLimits: { limits: unlimited } });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('serves exactly the expected identities, before and after random mutations', async () => {
    expect(await readIdentities(sim, 37)).toEqual(sim.expectedIdentities());
    for (let i = 0; i < 300; i++) sim.randomMutation();
    expect(await readIdentities(sim, 37)).toEqual(sim.expectedIdentities());
  });

  it('announces every identity change with an event that names the user: a User target or actor, or their app assignment', () => {
    const index = (ids: Identity[]) => new Map(ids.map((i) => [i.id, JSON.stringify(i)]));
    // Whose account each `0ua...` app assignment id is (an assignment an event names only by
    // its id still exists after the event).
    const owners = () => {
      const out = new Map<string, string>();
      for (const app of sim.org.apps) for (const au of sim.org.appUsers(app.id)) out.set(assignmentId(sim.options.seed, au.assignmentSeq), au.userId);
      return out;
    };
    const kinds = new Set<string>();
    let withoutUserTarget = 0;
    for (let i = 0; i < 400; i++) {
      const before = index(sim.expectedIdentities());
      const appEvents = new Set<string>();
      const { kind, events } = sim.randomMutation();
      kinds.add(kind);
      const assignments = events.some((e) => e.target.some((t) => t.type === 'AppUser')) ? owners() : new Map<string, string>();
      for (const e of events) if (e.eventType.startsWith('application.lifecycle.')) appEvents.add(e.target[0]!.id);
      const after = index(sim.expectedIdentities());
      // Self-service events (a lockout, the user's own password change) name the person only as
      // the actor; provisioning pushes and app imports may name only the app assignment.
      const targeted = new Set(events.flatMap((e) => e.target.filter((t) => t.type === 'User').map((t) => t.id)));
      const announced = new Set(
        events.flatMap((e) => [
          ...targeted,
          ...(e.actor.type === 'User' ? [e.actor.id] : []),
          ...e.target.filter((t) => t.type === 'AppUser').flatMap((t) => assignments.get(t.id) ?? []),
        ]),
      );
      for (const id of new Set([...before.keys(), ...after.keys()])) {
        if (before.get(id) !== after.get(id) && announced.has(id) && !targeted.has(id)) withoutUserTarget++;
        if (before.get(id) === after.get(id) || announced.has(id)) continue;
        // Renaming or deleting an app announces only the app (an AppInstance target): every
        // account in it changes, and a connector must fan out to the app's account holders.
        const was = JSON.parse(before.get(id) ?? 'null') as Identity | null;
        expect(was?.accounts.some((a) => appEvents.has(a.appId))).toBe(true);
      }
    }
    expect(kinds.size).toBeGreaterThan(12);
    expect(withoutUserTarget).toBeGreaterThan(0);
  });
});
