/**
 * The random changes an admin makes: users, assignments and memberships, apps, groups (and the
 * sign-ins that fill a log in between).
 * @module
 */
import { appSpec } from './catalog.js';
import { DOMAIN } from './factory.js';
import { inStatus, logged, onUser, type Attempt } from './random-picker.js';
import { slug } from './seed.js';

/** An admin's changes to users (`mutations-users.ts`). */
export const USERS = {
  createUser: {
    weight: 10,
    attempt: (m, pick) => {
      const r = pick.rng;
      const first = r.pick(['Quinn', 'Riley', 'Sasha', 'Toni', 'Uma', 'Vic', 'Wren', 'Xiu', 'Yael', 'Zeno']);
      const last = r.pick(['Abe', 'Bose', 'Cruz', 'Dahl', 'Eze', 'Fox', 'Gray', 'Hale']);
      const login = pick.newLogin();
      return logged(m, () => m.users.createUser({ firstName: first, lastName: last, login, email: login }, { activate: r.chance(0.9) }));
    },
  },
  updateProfile: {
    weight: 12,
    attempt: (m, pick) => {
      const r = pick.rng;
      const user = pick.user(() => true);
      if (!user) return null;
      const which = r.int(5);
      if (which === 0) return m.users.updateProfile(user.id, { email: `${slug(String(user.profile.firstName ?? 'x'))}.${r.chars(5, 'abcdefghij')}@corp.${DOMAIN}` });
      if (which === 1) return m.users.updateProfile(user.id, { login: pick.newLogin() });
      if (which === 2) return m.users.updateProfile(user.id, { lastName: r.pick(['Ivers', 'Jonas', 'Kaur', 'Lund']) });
      if (which === 3) return m.users.updateProfile(user.id, { displayName: r.chance(0.5) ? `${user.profile.firstName ?? ''} the ${r.pick(['Great', 'Brave'])}` : '' });
      return m.users.updateProfile(user.id, { title: r.pick(['Engineer', 'Manager', 'Director', 'Principal']) });
    },
  },
  deactivateUser: { weight: 4, attempt: onUser((u) => u.status !== 'DEPROVISIONED', (m, id) => m.users.deactivateUser(id)) },
  suspendUser: { weight: 3, attempt: onUser(inStatus('ACTIVE'), (m, id) => m.users.suspendUser(id)) },
  unsuspendUser: { weight: 3, attempt: onUser(inStatus('SUSPENDED'), (m, id) => m.users.unsuspendUser(id)) },
  reactivateUser: { weight: 2, attempt: onUser(inStatus('DEPROVISIONED'), (m, id) => m.users.reactivateUser(id)) },
  deleteUser: { weight: 2, attempt: onUser(inStatus('DEPROVISIONED'), (m, id) => m.users.deleteUser(id)) },
} satisfies Record<string, { weight: number; attempt: Attempt }>;

/** Assignments and memberships (`mutations-assignments.ts`). */
export const ASSIGNMENTS = {
  assignUserToApp: {
    weight: 12,
    attempt: (m, pick) => {
      const app = pick.app();
      const user = app && pick.user((u) => !app.appUsers.get(u.id)?.direct);
      return app && user ? m.assignments.assignUserToApp(app.id, user.id) : null;
    },
  },
  unassignUserFromApp: {
    weight: 6,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.appUserIds.length > 0);
      if (!app) return null;
      for (let i = 0; i < 30; i++) {
        const userId = pick.rng.pick(app.appUserIds);
        if (app.appUsers.get(userId)?.direct) return m.assignments.unassignUserFromApp(app.id, userId);
      }
      return null;
    },
  },
  renameAppUser: {
    weight: 6,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.appUserIds.length > 0);
      if (!app) return null;
      const userId = pick.rng.pick(app.appUserIds);
      return m.assignments.renameAppUser(app.id, userId, `${app.appUsers.get(userId)?.userName ?? 'user'}-${pick.rng.chars(3, 'abcdefghij')}`);
    },
  },
  addUserToGroup: {
    weight: 10,
    attempt: (m, pick) => {
      const group = pick.group((g) => g.type === 'OKTA_GROUP');
      const user = group && pick.user((u) => !group.members.has(u.id));
      return group && user ? m.assignments.addUserToGroup(group.id, user.id) : null;
    },
  },
  removeUserFromGroup: {
    weight: 6,
    attempt: (m, pick) => {
      const group = pick.group((g) => g.type === 'OKTA_GROUP' && g.memberIds.length > 0);
      return group ? m.assignments.removeUserFromGroup(group.id, pick.rng.pick(group.memberIds)) : null;
    },
  },
  assignGroupToApp: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app();
      const group = app && pick.group((g) => !app.groups.has(g.id));
      return app && group ? m.assignments.assignGroupToApp(app.id, group.id) : null;
    },
  },
  unassignGroupFromApp: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.groupIds.length > 0);
      return app ? m.assignments.unassignGroupFromApp(app.id, pick.rng.pick(app.groupIds)) : null;
    },
  },
} satisfies Record<string, { weight: number; attempt: Attempt }>;

/** App lifecycle (`mutations-apps.ts`), group creation and noise. */
export const APPS = {
  deactivateApp: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.status === 'ACTIVE');
      return app ? m.apps.deactivateApp(app.id) : null;
    },
  },
  activateApp: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app((a) => a.status === 'INACTIVE');
      return app ? m.apps.activateApp(app.id) : null;
    },
  },
  renameApp: {
    weight: 1,
    attempt: (m, pick) => {
      const app = pick.app();
      return app ? m.apps.renameApp(app.id, `${app.label.replace(/ #\d+$/, '')} #${pick.rng.int(100)}`) : null;
    },
  },
  deleteApp: {
    weight: 1,
    attempt: (m, pick, org) => {
      // Keep a few apps: an org whose apps all went would leave most kinds nothing to do.
      if (org.appIds.length < 4) return null;
      const app = pick.app((a) => a.status === 'INACTIVE');
      return app ? m.apps.deleteApp(app.id) : null;
    },
  },
  createGroup: { weight: 1, attempt: (m, pick) => logged(m, () => m.groups.createGroup(`Project ${pick.rng.chars(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}`, 'Created by a random mutation')) },
  createApp: {
    weight: 1,
    attempt: (m, pick) => {
      const spec = appSpec(pick.rng.int(12));
      return logged(m, () => m.apps.createApp({ name: spec.name, label: `${spec.label} ${pick.rng.chars(3, '0123456789')}`, provisioned: spec.provisioned, userNameStyle: spec.userNameStyle }));
    },
  },
  noise: { weight: 10, attempt: (m, pick) => m.noise(1 + pick.rng.int(3)) },
} satisfies Record<string, { weight: number; attempt: Attempt }>;
