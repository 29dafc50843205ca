/**
 * Generates the deterministic org a seed describes. One pass over the users decides each
 * user's groups and app users, appending to the sorted id arrays in order, so 100,000 users
 * with 300,000 app users take well under a few seconds.
 * @module
 */
import { appSpec, DEPARTMENTS, FIRST_NAMES, groupName, LAST_NAMES, TITLES } from './catalog.js';
import { DOMAIN, RecordFactory } from './factory.js';
import { Org } from './org.js';
import type { AppRecord, GroupRecord, UserProfile, UserRecord, UserStatus } from './records.js';
import { Rng, streamSeed } from './prng.js';

/** Seeded data is dated before this instant (2024-01-01), whatever the clock says, so a seed always gives the same org. */
export const SEED_EPOCH = Date.UTC(2024, 0, 1);

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** What {@link seedOrg} needs. */
export interface SeedSpec {
  seed: number;
  users: number;
  apps: number;
  groups: number;
  appUsersPerApp: number;
}

/** The seeded org and the factory that continues its id sequences. */
export interface SeededOrg {
  org: Org;
  factory: RecordFactory;
}

/** A login-safe form of a name: ASCII letters and digits only. */
export function slug(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

const FIRST_SLUGS = FIRST_NAMES.map(slug);
const LAST_SLUGS = LAST_NAMES.map(slug);

function pickStatus(rng: Rng, index: number, total: number): UserStatus {
  if (total >= 10) {
    // A few fixed positions guarantee every interesting status in any org of 10 or more users.
    if (index === 3) return 'DEPROVISIONED';
    if (index === 5) return 'SUSPENDED';
    if (index === 7) return 'STAGED';
  }
  const r = rng.float();
  if (r < 0.02) return 'DEPROVISIONED';
  if (r < 0.04) return 'SUSPENDED';
  if (r < 0.06) return 'STAGED';
  if (r < 0.07) return 'PROVISIONED';
  if (r < 0.075) return 'LOCKED_OUT';
  if (r < 0.08) return 'PASSWORD_EXPIRED';
  return 'ACTIVE';
}

function makeProfile(rng: Rng, index: number, taken: Map<string, number>): UserProfile {
  if (index % 97 === 41) {
    // A service account: no first or last name, so its display name falls back to the login.
    const login = `svc-${index}@${DOMAIN}`;
    return { firstName: '', lastName: '', mobilePhone: null, secondEmail: null, login, email: login };
  }
  const fi = rng.int(FIRST_NAMES.length);
  const li = rng.int(LAST_NAMES.length);
  const firstName = FIRST_NAMES[fi] as string;
  const lastName = LAST_NAMES[li] as string;
  const base = `${FIRST_SLUGS[fi]}.${LAST_SLUGS[li]}`;
  const n = (taken.get(base) ?? 0) + 1;
  taken.set(base, n);
  const local = n === 1 ? base : `${base}${n}`;
  const login = `${local}@${DOMAIN}`;
  const r = rng.float();
  const email = r < 0.05 ? `${local}@corp.${DOMAIN}` : login;
  const profile: UserProfile = {
    firstName,
    lastName,
    mobilePhone: rng.chance(0.3) ? `+1-555-${String(rng.int(10_000_000)).padStart(7, '0')}` : null,
    secondEmail: null,
    login,
    email,
  };
  const d = rng.float();
  if (d < 0.1) profile.displayName = `${firstName.charAt(0)}. ${lastName}`;
  else if (d < 0.13) profile.displayName = '';
  if (rng.chance(0.6)) {
    profile.department = rng.pick(DEPARTMENTS);
    profile.title = rng.pick(TITLES);
  }
  return profile;
}

function makeUser(factory: RecordFactory, rng: Rng, index: number, total: number, taken: Map<string, number>): UserRecord {
  const profile = makeProfile(rng, index, taken);
  const status = pickStatus(rng, index, total);
  const created = SEED_EPOCH - 3 * YEAR + Math.floor(rng.float() * 3 * YEAR) - DAY;
  const user = factory.user(profile, status, created, true);
  if (status !== 'STAGED') {
    const activated = created + 1_000 + rng.int(60_000);
    user.activated = activated;
    user.passwordChanged = status === 'PROVISIONED' ? null : activated;
    user.statusChanged = status === 'ACTIVE' || status === 'PROVISIONED' ? activated : activated + rng.int(Math.max(1, SEED_EPOCH - DAY - activated));
    user.lastLogin = status !== 'PROVISIONED' && rng.chance(0.7) ? SEED_EPOCH - rng.int(30 * DAY) : null;
  }
  user.lastUpdated = Math.max(user.created, user.statusChanged ?? 0, user.passwordChanged ?? 0) + rng.int(DAY);
  return user;
}

/**
 * Builds the org for `spec`. Same spec, same org: ids, names, memberships, account names and
 * timestamps.
 */
export function seedOrg(spec: SeedSpec): SeededOrg {
  const rng = new Rng(streamSeed(spec.seed, 'org'));
  const factory = new RecordFactory(rng);
  const org = new Org();
  const start = SEED_EPOCH - 4 * YEAR;

  const groups: GroupRecord[] = [];
  const memberP: number[] = [];
  for (let g = 0; g < spec.groups; g++) {
    const name = groupName(g);
    const group = factory.group(name, `All members of ${name}`, start + g * 3_600_000);
    org.addGroup(group);
    groups.push(group);
    memberP.push(0.05 + 0.25 * rng.float());
  }

  const apps: AppRecord[] = [];
  const directP: number[] = [];
  /** Per app, the indices (in `groups`) of its assigned groups. */
  const appGroups: number[][] = [];
  const n = spec.users;
  for (let a = 0; a < spec.apps; a++) {
    const app = factory.app(appSpec(a), start + a * DAY, a);
    org.addApp(app);
    apps.push(app);
    // Every third app (0, 3, 6...) is assigned to one or two groups; the others only directly.
    let pNone = 1;
    const assignedIdx: number[] = [];
    appGroups.push(assignedIdx);
    if (spec.groups > 0 && a % 3 === 0) {
      const first = groups[Math.floor(a / 3) % spec.groups] as GroupRecord;
      const picked = [first];
      if (a % 6 === 0 && spec.groups > 1) picked.push(groups[(Math.floor(a / 3) + 1) % spec.groups] as GroupRecord);
      for (const group of picked) {
        app.groups.set(group.id, { groupId: group.id, priority: app.groups.size, lastUpdated: app.created + DAY });
        app.groupIds.push(group.id);
        assignedIdx.push(groups.indexOf(group));
        pNone *= 1 - (memberP[groups.indexOf(group)] as number);
      }
      app.groupIds.sort();
    }
    const viaGroups = n * (1 - pNone);
    const wanted = spec.appUsersPerApp;
    let p = n - viaGroups > 0 ? (wanted - viaGroups) / (n - viaGroups) : 0;
    // Group-assigned apps always get some direct assignments too, some of them to members
    // (who then have scope USER although a group also assigns them).
    if (app.groups.size > 0) p = Math.max(p, 0.03);
    directP.push(Math.min(1, Math.max(0, p)));
  }

  const taken = new Map<string, number>();
  const memberOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const user = makeUser(factory, rng, i, n, taken);
    org.addUser(user);
    let mine: string[] | undefined;
    memberOf.length = 0;
    for (let g = 0; g < groups.length; g++) {
      if (!rng.chance(memberP[g] as number)) continue;
      const group = groups[g] as GroupRecord;
      group.members.add(user.id);
      group.memberIds.push(user.id);
      (mine ??= []).push(group.id);
      memberOf.push(g);
    }
    if (mine) org.userGroups.set(user.id, mine);
    for (let a = 0; a < apps.length; a++) {
      const app = apps[a] as AppRecord;
      const direct = rng.chance(directP[a] as number);
      let groupCount = 0;
      const assigned = appGroups[a] as number[];
      for (let k = 0; k < memberOf.length; k++) if (assigned.includes(memberOf[k] as number)) groupCount++;
      if (!direct && groupCount === 0) continue;
      const when = Math.min(SEED_EPOCH - 1_000, Math.max(user.created, app.created) + rng.int(30 * DAY));
      const appUser = factory.appUser(app, user, direct, when);
      appUser.groupCount = groupCount;
      appUser.lastUpdated = when + rng.int(DAY);
      app.appUsers.set(user.id, appUser);
      app.appUserIds.push(user.id);
    }
  }
  return { org, factory };
}
