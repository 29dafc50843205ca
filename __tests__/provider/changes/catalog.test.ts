import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { FAMILY_RULES, GROUP_FILTER_PREFIXES, LOG_FILTER_PREFIXES, ruleFor } from '../../../src/provider/changes/families.js';
import { isIdentityEvent } from '../../../src/provider/changes/events.js';

/**
 * Okta's System Log event catalog (okta/okta-developer-docs, data/event-types.json, release
 * 2026.08.1, Apache-2.0), trimmed to the event type ids.
 */
const catalog = (JSON.parse(readFileSync(new URL('../../fixtures/okta-event-types.json', import.meta.url), 'utf8')) as { eventTypes: string[] }).eventTypes;

/** The namespaces where events about users, apps and their accounts live. */
const WATCHED = /^(user\.(lifecycle|account)\.|application\.(user_membership|provision|lifecycle)\.|app\.user_management|group\.|system\.import\.)/;

describe('the event families, against Okta’s catalog', () => {
  it('decides every catalog event type in the watched namespaces by a rule', () => {
    const watched = catalog.filter((t) => WATCHED.test(t));
    expect(watched.length).toBeGreaterThan(140);
    expect(watched.filter((t) => ruleFor(t) === undefined || ruleFor(t, true) === undefined)).toEqual([]);
  });

  it('keeps the families the issue names and leaves out password and summary events', () => {
    const kept = catalog.filter((t) => isIdentityEvent(t));
    for (const t of ['user.account.lock', 'user.account.unlock', 'user.account.unlock_by_admin', 'user.account.expire_password', 'user.account.reset_password', 'user.account.update_password', 'application.provision.user.push', 'app.user_management.push_new_user_success', 'system.import.user.create', 'system.import.user.update', 'system.import.user.suspend', 'system.import.user.unsuspend', 'system.import.user.delete', 'system.import.user.update_user_lifecycle_from_master', 'system.import.user_match.confirm', 'user.lifecycle.password_mass_expiry']) {
      expect(kept).toContain(t);
    }
    for (const t of ['application.user_membership.show_password', 'application.user_membership.change_password', 'application.user_membership.restore_password', 'application.provision.user.push_password', 'system.import.complete', 'user.account.update_secondary_email']) {
      expect(catalog).toContain(t);
      expect(kept).not.toContain(t);
    }
  });

  it('names only catalog event types in its exact rules, and every rule says why', () => {
    for (const rule of FAMILY_RULES) {
      expect(rule.why.length).toBeGreaterThan(10);
      if (!rule.type.endsWith('.')) expect(catalog.some((t) => t === rule.type || t.startsWith(`${rule.type}.`))).toBe(true);
    }
  });

  it('lets every kept event type through the server-side log filter', () => {
    const passes = (t: string, groups: boolean): boolean => [...LOG_FILTER_PREFIXES, ...(groups ? GROUP_FILTER_PREFIXES : [])].some((p) => t.startsWith(p));
    for (const groups of [false, true]) expect(catalog.filter((t) => isIdentityEvent(t, groups) && !passes(t, groups))).toEqual([]);
  });

  it('keeps group events only when the connector reads groups', () => {
    for (const t of ['group.profile.update', 'group.lifecycle.delete', 'application.provision.group_push.mapping.created', 'application.provision.group_push.deactivate_mapping', 'app.user_management', 'system.import.group.update']) {
      expect(catalog).toContain(t);
      expect(isIdentityEvent(t)).toBe(false);
      expect(isIdentityEvent(t, true)).toBe(true);
    }
    for (const t of ['group.lifecycle.create', 'group.privilege.grant', 'app.user_management.import.csv.line.error', 'application.provision.group.add']) {
      expect(isIdentityEvent(t, true)).toBe(false);
    }
  });
});
