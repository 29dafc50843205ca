/**
 * Builds new records: users, apps, groups and app users with Okta-looking ids, account names
 * and external ids. Both the seeded org and the mutations use it, so a user created by a
 * mutation looks like one from the seed.
 * @module
 */
import type { AppGroupShape } from './app-groups.js';
import { BASE62, IdFactory } from './ids.js';
import type { AppRecord, AppUserRecord, GroupRecord, UserNameStyle, UserProfile, UserRecord, UserStatus } from './records.js';
import type { Rng } from './prng.js';

/** The email domain of generated users. */
export const DOMAIN = 'example.com';

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

/** What {@link RecordFactory.app} needs to know about a new app. */
export interface AppSpec {
  name: string;
  label: string;
  signOnMode: string;
  provisioned: boolean;
  userNameStyle: UserNameStyle;
  externalIdStyle?: 'null' | 'absent';
}

/**
 * Options of a new app user.
 * @example
 * factory.appUser(app, user, true, now, { userName: 'octo-cat', externalId: '583231' });
 */
export interface AppUserOptions {
  /** `credentials.userName`; default from the app's user-name style. */
  userName?: string;
  /**
   * The app's own id for the account. Default: null, and for a provisioning app a generated
   * one once the account is provisioned. Given for a provisioning app, the account is
   * assigned already provisioned.
   */
  externalId?: string | null;
}

/** The counter encoded in an id's characters 3..8 (see {@link IdFactory}). */
function counterOf(id: string): number {
  let n = 0;
  for (let i = 3; i < 9; i++) n = n * 62 + BASE62.indexOf(id[i] ?? '0');
  return n;
}

/** Creates records. */
export class RecordFactory {
  readonly ids: IdFactory;
  readonly #rng: Rng;
  /** The user type id every user shares. */
  readonly userTypeId: string;
  #assignmentSeq = 0;

  constructor(rng: Rng) {
    this.#rng = rng;
    this.ids = new IdFactory(rng);
    this.userTypeId = this.ids.next('oty');
  }

  /**
   * A new user; `profile` must hold `login`. A `trusted` profile (the seed's) is already in
   * Okta's order and kept as is. `id` replaces the generated one.
   */
  user(profile: UserProfile, status: UserStatus, now: number, trusted = false, id?: string): UserRecord {
    const active = status !== 'STAGED';
    return {
      id: id === undefined ? this.ids.next('00u') : chosenId(id),
      status,
      created: now,
      activated: active ? now : null,
      statusChanged: active ? now : null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: active ? now : null,
      typeId: this.userTypeId,
      profile: trusted ? profile : normaliseProfile(profile),
    };
  }

  /** A new app without users; `id` replaces the generated one. */
  app(spec: AppSpec, now: number, index: number, id?: string): AppRecord {
    return {
      id: id === undefined ? this.ids.next('0oa') : chosenId(id),
      name: spec.name,
      label: spec.label,
      status: 'ACTIVE',
      created: now,
      lastUpdated: now,
      signOnMode: spec.signOnMode,
      provisioned: spec.provisioned,
      externalIdStyle: spec.externalIdStyle ?? (index % 2 === 0 ? 'null' : 'absent'),
      userNameStyle: spec.userNameStyle,
      appUsers: new Map(),
      appUserIds: [],
      groups: new Map(),
      groupIds: [],
      pushMappings: new Map(),
      pushMappingIds: [],
    };
  }

  /** A new OKTA_GROUP without members; `id` replaces the generated one. */
  group(name: string, description: string, now: number, id?: string): GroupRecord {
    return {
      id: id === undefined ? this.ids.next('00g') : chosenId(id),
      name,
      description,
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      memberIds: [],
      members: new Set(),
      type: 'OKTA_GROUP',
      sourceAppId: null,
      attributes: {},
      objectClass: 'okta:user_group',
    };
  }

  /** A new APP_GROUP of `app` without members; `profile` as {@link appGroupProfile} makes it. */
  appGroup(app: AppRecord, profile: AppGroupShape, now: number): GroupRecord {
    return { ...this.group(profile.name, profile.description, now), type: 'APP_GROUP', sourceAppId: app.id, attributes: profile.attributes, objectClass: profile.objectClass };
  }

  /**
   * A new app user (not yet in the org). With `staged`, an app user of a provisioning app
   * without a given `externalId` starts STAGED with no externalId, as Okta's does until its
   * background push completes (AppUserStatus in Okta's Management API); else it is
   * PROVISIONED at once (the seeded org).
   */
  appUser(app: AppRecord, user: UserRecord, direct: boolean, now: number, options: AppUserOptions = {}, staged = false): AppUserRecord {
    const pending = staged && app.provisioned && options.externalId === undefined;
    return {
      appId: app.id,
      userId: user.id,
      assignmentSeq: ++this.#assignmentSeq,
      direct,
      groupCount: 0,
      userName: options.userName ?? this.userNameFor(app, user),
      externalId: options.externalId !== undefined ? options.externalId : app.provisioned && !pending ? this.externalIdFor(app) : null,
      status: !app.provisioned ? 'ACTIVE' : pending ? 'STAGED' : 'PROVISIONED',
      created: now,
      lastUpdated: now,
      statusChanged: now,
    };
  }

  /** The account name the app's template gives this user. */
  userNameFor(app: AppRecord, user: UserRecord): string {
    const login = String(user.profile.login);
    switch (app.userNameStyle) {
      case 'login':
        return login;
      case 'email':
        return user.profile.email ?? login;
      case 'emailPrefix':
        return login.split('@')[0] ?? login;
      case 'handle': {
        const slug = `${user.profile.firstName ?? ''}${user.profile.lastName ?? ''}`.toLowerCase().replace(/[^a-z0-9]/g, '') || 'user';
        return `${slug}-${counterOf(user.id).toString(36)}`;
      }
      case 'employeeId':
        return `E${String(counterOf(user.id)).padStart(6, '0')}`;
    }
  }

  /** `n` base62 characters, five per draw (62^5 < 2^32). */
  #b62(n: number): string {
    let out = '';
    while (out.length < n) {
      let v = Math.floor(this.#rng.float() * 916_132_832);
      for (let i = 0; i < 5 && out.length < n; i++) {
        out += BASE62[v % 62];
        v = Math.floor(v / 62);
      }
    }
    return out;
  }

  /** An id the app itself might have given the account, in the app's usual format. */
  externalIdFor(app: AppRecord): string {
    const r = this.#rng;
    switch (app.name) {
      case 'slack':
        return 'U' + r.chars(10, UPPER_DIGITS);
      case 'github':
        return String(1_000_000 + r.int(90_000_000));
      case 'google':
        return '1' + r.chars(20, DIGITS);
      case 'salesforce':
        return '005' + this.#b62(15);
      case 'office365':
        return `${r.chars(8, HEX)}-${r.chars(4, HEX)}-4${r.chars(3, HEX)}-a${r.chars(3, HEX)}-${r.chars(12, HEX)}`;
      default:
        return this.#b62(22);
    }
  }
}

/**
 * An id a test chose. It must stay one path segment, as Okta's ids (letters and digits) do.
 * @throws RangeError otherwise.
 */
function chosenId(id: string): string {
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new RangeError(`an id must be letters and digits, as Okta's are: ${JSON.stringify(id)}`);
  return id;
}

/**
 * A profile with Okta's base attributes first, in the order Okta sends them, `mobilePhone` and
 * `secondEmail` defaulting to null.
 */
function normaliseProfile(profile: UserProfile): UserProfile {
  const { firstName = null, lastName = null, mobilePhone = null, secondEmail = null, login, email = null, ...rest } = profile;
  if (typeof login !== 'string' || login === '') throw new RangeError('a user profile needs a non-empty login');
  const out: UserProfile = { firstName, lastName, mobilePhone, secondEmail, login, email };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== null && typeof value !== 'string') throw new TypeError(`profile.${key} must be a string or null`);
    out[key] = value;
  }
  return out;
}
