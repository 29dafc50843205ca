/**
 * The random changes Okta and the people make: lockouts and passwords, provisioning pushes and
 * imports, app groups from apps, Group Push.
 * @module
 */
import { DOMAIN } from './factory.js';
import { EXPIRABLE, LOCKABLE, RESETTABLE } from './mutations-account.js';
import type { AppRecord } from './records.js';
import { freeGroups, imported, inStatus, logged, onMapping, onUser, type Attempt } from './random-picker.js';

/** Lockouts and passwords (`mutations-account.ts`). */
export const ACCOUNT = {
  lockUser: { weight: 3, attempt: onUser(inStatus(...LOCKABLE), (m, id) => m.account.lockUser(id)) },
  unlockUser: { weight: 3, attempt: onUser(inStatus('LOCKED_OUT'), (m, id, pick) => m.account.unlockUser(id, pick.rng.chance(0.5) ? 'auto' : 'admin')) },
  expirePassword: { weight: 2, attempt: onUser(inStatus(...EXPIRABLE), (m, id) => m.account.expirePassword(id)) },
  resetPassword: { weight: 2, attempt: onUser(inStatus(...RESETTABLE), (m, id) => m.account.resetPassword(id)) },
  changePassword: { weight: 3, attempt: onUser(inStatus('PASSWORD_EXPIRED', 'RECOVERY'), (m, id) => m.account.changePassword(id)) },
} satisfies Record<string, { weight: number; attempt: Attempt }>;

/** Provisioning pushes and imports (`mutations-sync.ts`). */
export const SYNC = {
  provisionAppUser: {
    weight: 6,
    attempt: (m, pick) => {
      const staged = (a: AppRecord) => (id: string): boolean => a.appUsers.get(id)?.status === 'STAGED';
      const app = pick.app((a) => a.provisioned && a.status === 'ACTIVE' && a.appUserIds.some(staged(a)));
      return app ? m.sync.provisionAppUser(app.id, pick.rng.pick(app.appUserIds.filter(staged(app)))) : null;
    },
  },
  importUserUpdate: {
    weight: 4,
    attempt: (m, pick) => {
      const r = pick.rng;
      const user = pick.user((u) => u.status !== 'DEPROVISIONED');
      if (!user) return null;
      const which = r.int(3);
      if (which === 0) return m.sync.importUserUpdate(user.id, { lastName: r.pick(['Moreau', 'Novak', 'Okafor', 'Park']) });
      if (which === 1) return m.sync.importUserUpdate(user.id, { email: `${r.chars(6, 'abcdefghijklmnop')}@hr.${DOMAIN}` });
      return m.sync.importUserUpdate(user.id, { department: r.pick(['Finance', 'Legal', 'Sales', 'Support']) });
    },
  },
  importUserSuspend: { weight: 1, attempt: onUser(inStatus('ACTIVE'), (m, id) => m.sync.importUserSuspend(id)) },
  importUserUnsuspend: { weight: 1, attempt: onUser(inStatus('SUSPENDED'), (m, id) => m.sync.importUserUnsuspend(id)) },
} satisfies Record<string, { weight: number; attempt: Attempt }>;

/** App groups imported from apps, renames and deletions (`mutations-groups.ts`). */
export const GROUPS = {
  importAppGroup: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.provisioned && a.status === 'ACTIVE');
      if (!app) return null;
      return logged(m, () => m.groups.importAppGroup(app.id, `${pick.rng.pick(['Admins', 'Editors', 'Viewers', 'Oncall', 'Approvers'])} ${pick.rng.chars(3, '0123456789')}`));
    },
  },
  addAppGroupMember: {
    weight: 3,
    attempt: (m, pick, org) => {
      const candidates = freeGroups(org, imported);
      if (candidates.length === 0) return null;
      const group = pick.rng.pick(candidates);
      const app = org.app(group.sourceAppId as string);
      // Members are typically people with an account in the app.
      for (let i = 0; i < 30 && app.appUserIds.length > 0; i++) {
        const id = pick.rng.pick(app.appUserIds);
        if (!group.members.has(id)) return m.groups.addAppGroupMember(group.id, id);
      }
      const user = pick.user((u) => !group.members.has(u.id));
      return user ? m.groups.addAppGroupMember(group.id, user.id) : null;
    },
  },
  removeAppGroupMember: {
    weight: 2,
    attempt: (m, pick, org) => {
      const candidates = freeGroups(org, (g) => imported(g) && g.memberIds.length > 0);
      if (candidates.length === 0) return null;
      const group = pick.rng.pick(candidates);
      return m.groups.removeAppGroupMember(group.id, pick.rng.pick(group.memberIds));
    },
  },
  renameGroup: {
    weight: 1,
    attempt: (m, pick, org) => {
      const candidates = freeGroups(org, (g) => g.type === 'OKTA_GROUP' || imported(g));
      if (candidates.length === 0) return null;
      const group = pick.rng.pick(candidates);
      return m.groups.renameGroup(group.id, `${group.name.replace(/ v\d+$/, '')} v${1 + pick.rng.int(99)}`);
    },
  },
  deleteGroup: {
    weight: 1,
    attempt: (m, pick, org) => {
      const candidates = freeGroups(org, (g) => g.type === 'OKTA_GROUP' || imported(g));
      if (org.groupIds.length < 4 || candidates.length === 0) return null;
      return m.groups.deleteGroup(pick.rng.pick(candidates).id);
    },
  },
} satisfies Record<string, { weight: number; attempt: Attempt }>;

/** Group Push mappings (`mutations-push.ts`). */
export const PUSH = {
  createPushMapping: {
    weight: 1,
    attempt: (m, pick, org) => {
      const app = pick.app((a) => a.provisioned && a.status === 'ACTIVE');
      if (!app) return null;
      const pushed = new Set(app.pushMappingIds.map((id) => app.pushMappings.get(id)?.sourceGroupId));
      const sources = org.groupIds.filter((id) => org.group(id).type === 'OKTA_GROUP' && !pushed.has(id));
      if (sources.length === 0) return null;
      return logged(m, () => m.push.createPushMapping(app.id, pick.rng.pick(sources), { status: pick.rng.chance(0.75) ? 'ACTIVE' : 'INACTIVE' }));
    },
  },
  activatePushMapping: { weight: 1, attempt: onMapping('INACTIVE', (m, mapping) => m.push.setPushMappingStatus(mapping.appId, mapping.id, 'ACTIVE')) },
  deactivatePushMapping: { weight: 1, attempt: onMapping('ACTIVE', (m, mapping) => m.push.setPushMappingStatus(mapping.appId, mapping.id, 'INACTIVE')) },
  deletePushMapping: {
    weight: 1,
    attempt: onMapping('INACTIVE', (m, mapping, pick) => m.push.deletePushMapping(mapping.appId, mapping.id, { deleteTargetGroup: pick.rng.chance(0.5) })),
  },
} satisfies Record<string, { weight: number; attempt: Attempt }>;
