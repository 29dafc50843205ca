/**
 * An admin's changes to app instances: creation, deactivation and activation, relabelling and
 * deletion, with the `application.lifecycle.*` events Okta logs for them.
 * @module
 */
import { appTarget, type LogEvent } from './log-events.js';
import type { Emit, MutatorDeps } from './mutation-context.js';
import type { GroupMutations } from './mutations-groups.js';
import type { AppRecord, UserNameStyle } from './records.js';

/**
 * A new app instance.
 * @example
 * const spec: NewApp = { name: 'slack', label: 'Slack (Support)', provisioned: true };
 */
export interface NewApp {
  name: string;
  label: string;
  /** Default false. */
  provisioned?: boolean;
  /** Default `login`. */
  userNameStyle?: UserNameStyle;
  /** Default `SAML_2_0`. */
  signOnMode?: string;
  /** The app's id instead of a generated one. */
  id?: string;
}

/** Applies app lifecycle changes and logs them. */
export class AppMutations {
  readonly #d: MutatorDeps;
  readonly #emit: Emit;
  readonly #groups: GroupMutations;

  constructor(deps: MutatorDeps, emit: Emit, groups: GroupMutations) {
    this.#d = deps;
    this.#emit = emit;
    this.#groups = groups;
  }

  /**
   * Creates an active app without users: `application.lifecycle.create` then `application.lifecycle.activate`.
   * @throws RangeError when the id is taken.
   */
  createApp(spec: NewApp): AppRecord {
    const { org, factory, clock } = this.#d;
    const app = factory.app(
      { name: spec.name, label: spec.label, provisioned: spec.provisioned ?? false, userNameStyle: spec.userNameStyle ?? 'login', signOnMode: spec.signOnMode ?? 'SAML_2_0' },
      clock.now(),
      org.appIds.length,
      spec.id,
    );
    org.addApp(app);
    this.#emit([
      { eventType: 'application.lifecycle.create', target: [appTarget(app)], requestUri: '/api/v1/apps' },
      { eventType: 'application.lifecycle.activate', target: [appTarget(app)], requestUri: `/api/v1/apps/${app.id}/lifecycle/activate` },
    ]);
    return app;
  }

  #status(appId: string, to: 'ACTIVE' | 'INACTIVE', eventType: string, op: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (app.status === to) throw new RangeError(`${op}: app ${appId} is already ${to}`);
    app.status = to;
    app.lastUpdated = this.#d.clock.now();
    return this.#emit([{ eventType, target: [appTarget(app)], requestUri: `/api/v1/apps/${appId}/lifecycle/${op}` }]);
  }

  /** Deactivates an app (status INACTIVE): `application.lifecycle.deactivate`. Its app users stay and it is still listed. */
  deactivateApp(appId: string): LogEvent[] {
    return this.#status(appId, 'INACTIVE', 'application.lifecycle.deactivate', 'deactivate');
  }

  /** Activates an INACTIVE app again: `application.lifecycle.activate`. */
  activateApp(appId: string): LogEvent[] {
    return this.#status(appId, 'ACTIVE', 'application.lifecycle.activate', 'activate');
  }

  /**
   * Changes an app's label (every account in it shows the new label):
   * `application.lifecycle.update`, targeting the AppInstance with its new label.
   */
  renameApp(appId: string, label: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (label === '') throw new RangeError('renameApp: the label cannot be empty');
    app.label = label;
    app.lastUpdated = this.#d.clock.now();
    return this.#emit([{ eventType: 'application.lifecycle.update', target: [appTarget(app)], requestUri: `/api/v1/apps/${appId}` }]);
  }

  /**
   * Deletes an app with its app users, push mappings and app groups: `application.lifecycle.delete`
   * (then, per app group, `group.lifecycle.delete` as `deleteGroup` logs it, by Okta System).
   * @throws RangeError unless the app is INACTIVE (Okta deletes only deactivated apps).
   */
  deleteApp(appId: string): LogEvent[] {
    const app = this.#d.org.app(appId);
    if (app.status !== 'INACTIVE') throw new RangeError(`deleteApp: app ${appId} is ACTIVE; deactivate it first`);
    const target = [appTarget(app)];
    this.#d.org.removeApp(appId);
    return this.#emit([{ eventType: 'application.lifecycle.delete', target, requestUri: `/api/v1/apps/${appId}` }, ...this.#groups.removeAppGroupsOf(appId)]);
  }
}
