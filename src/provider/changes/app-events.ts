/**
 * A page's effects on apps, gathered per app (which events, what changed, which groups), for the
 * planners with and without an index.
 * @module
 */
import type { AppChange } from './families.js';
import type { PlacedEffect } from './work.js';

export interface AppEvents {
  indices: number[];
  changes: Set<AppChange | 'unnamed-person' | 'unnamed-account'>;
  groups: Set<string>;
}

/** The page's app effects, by app. */
export function appEventsOf(effects: readonly PlacedEffect[]): Map<string, AppEvents> {
  const apps = new Map<string, AppEvents>();
  for (const { index, effect } of effects) {
    if (effect.reach !== 'app') continue;
    for (const appId of effect.apps) {
      let entry = apps.get(appId);
      if (!entry) apps.set(appId, (entry = { indices: [], changes: new Set(), groups: new Set() }));
      entry.indices.push(index);
      entry.changes.add(effect.change);
      for (const g of effect.groups) entry.groups.add(g);
    }
  }
  return apps;
}
