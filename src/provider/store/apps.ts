import type { AppRef } from '../identity.js';
import type { StoreImage } from './image.js';

/**
 * The apps of the synced index, by number (accounts refer to their app by number): one name and
 * label per app, which every account in it shows.
 */
export class StoreApps {
  private readonly apps: AppRef[] = [];
  private readonly byId = new Map<string, number>();

  /** Registers an app, or updates its name and label; returns its number. */
  add(app: AppRef): number {
    return this.number(app.id, app.name, app.label);
  }

  /** The number of app `id`, registered with this name and label (updated when they changed; no object built when not). */
  number(id: string, name: string, label: string): number {
    const known = this.byId.get(id);
    if (known !== undefined) {
      const ref = this.apps[known]!;
      if (ref.name !== name || ref.label !== label) this.apps[known] = { id, name, label };
      return known;
    }
    this.byId.set(id, this.apps.push({ id, name, label }) - 1);
    return this.apps.length - 1;
  }

  /** The number of an app, if registered. */
  numberOf(appId: string): number | undefined {
    return this.byId.get(appId);
  }

  /** The app with this number. */
  at(index: number): AppRef {
    return this.apps[index]!;
  }

  /** The app with this id, if registered. */
  get(appId: string): AppRef | undefined {
    const index = this.byId.get(appId);
    return index === undefined ? undefined : this.apps[index];
  }

  /** The instances with this id, else this name (several instances may share one), else this label (case-insensitively). */
  matching(app: string): AppRef[] {
    const byId = this.get(app);
    if (byId) return [byId];
    const byName = this.apps.filter((a) => a.name === app);
    return byName.length > 0 ? byName : this.apps.filter((a) => a.label.toLowerCase() === app.toLowerCase());
  }

  save(image: StoreImage, name: string): void {
    image.set(name, [...this.apps]);
  }

  load(image: StoreImage, name: string): void {
    const apps = image.value<AppRef[]>(name);
    if (!Array.isArray(apps) || !apps.every((a) => a && typeof a.id === 'string' && typeof a.name === 'string' && typeof a.label === 'string')) throw new Error(`the index's ${name} is malformed`);
    for (const app of apps) this.add(app);
  }
}
