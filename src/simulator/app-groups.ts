/**
 * The profiles of APP_GROUPs: what an app's groups look like once imported into Okta. A group
 * imported from Active Directory (the app named `active_directory`) has the profile of Okta's
 * OktaActiveDirectoryGroupProfile (`samAccountName`, `dn`, `windowsDomainQualifiedName`,
 * `externalId` = the base64 objectGUID, `groupType`, `groupScope`, `objectSid`) and the
 * objectClass `okta:windows_security_principal`; any other app's group has name, description
 * and `externalId`, the app's own id for it, in that app's format, and the objectClass
 * `okta:user_group` (GroupProfile and the `ListGroupsExample` of Okta's Management API).
 * @module
 */
import { BASE62 } from './ids.js';
import type { AppRecord } from './records.js';
import type { Rng } from './prng.js';

/**
 * Profile attributes given for an imported group; they replace the generated ones.
 * @example
 * sim.importAppGroup(adId, 'Engineering', { description: 'All engineers', samAccountName: 'eng' } satisfies AppGroupProfile);
 */
export interface AppGroupProfile {
  description?: string;
  [attribute: string]: string | undefined;
}

/** What an APP_GROUP record is made of. */
export interface AppGroupShape {
  name: string;
  description: string;
  attributes: Record<string, string>;
  objectClass: string;
}

/** Okta's app name of Active Directory, whose groups carry Windows attributes. */
const ACTIVE_DIRECTORY = 'active_directory';

const DIGITS = '0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** The AD domain of the app: its label when it looks like a DNS name, else corp.example.com. */
function domainOf(app: AppRecord): string[] {
  const label = app.label.toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(label) ? label.split('.') : ['corp', 'example', 'com'];
}

function bytes(rng: Rng, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => rng.int(256)));
}

/** The app's own id for one of its groups, in the app's usual format. */
function externalGroupId(app: AppRecord, rng: Rng): string {
  switch (app.name) {
    case 'slack':
      return 'S' + rng.chars(10, UPPER_DIGITS);
    case 'github':
      return String(1_000_000 + rng.int(9_000_000));
    case 'google':
      return '0' + rng.chars(14, LOWER_DIGITS);
    case 'salesforce':
      return '00G' + rng.chars(15, BASE62);
    case 'office365':
      return `${rng.chars(8, HEX)}-${rng.chars(4, HEX)}-4${rng.chars(3, HEX)}-a${rng.chars(3, HEX)}-${rng.chars(12, HEX)}`;
    default:
      return rng.chars(2, DIGITS) + rng.chars(18, BASE62);
  }
}

/**
 * The profile of a group named `name` imported from `app`, generated from `rng` and then
 * overridden by `given`.
 */
export function appGroupProfile(app: AppRecord, name: string, given: AppGroupProfile, rng: Rng): AppGroupShape {
  let attributes: Record<string, string>;
  let objectClass = 'okta:user_group';
  if (app.name === ACTIVE_DIRECTORY) {
    const domain = domainOf(app);
    const sid = `S-1-5-21-${1_000_000_000 + rng.int(2_000_000_000)}-${1_000_000_000 + rng.int(2_000_000_000)}-${1_000_000_000 + rng.int(2_000_000_000)}-${1_100 + rng.int(50_000)}`;
    attributes = {
      groupType: 'Security',
      samAccountName: name,
      objectSid: sid,
      groupScope: 'Global',
      dn: `CN=${name},OU=Groups,${domain.map((d) => `DC=${d}`).join(',')}`,
      windowsDomainQualifiedName: `${(domain[0] as string).toUpperCase()}\\${name}`,
      externalId: bytes(rng, 16).toString('base64'),
    };
    objectClass = 'okta:windows_security_principal';
  } else {
    attributes = { externalId: externalGroupId(app, rng) };
  }
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined || key === 'name' || key === 'description') continue;
    attributes[key] = value;
  }
  return { name, description: given.description ?? '', attributes, objectClass };
}

/**
 * The identifiers an app group may be known by in its app, besides its name:
 * `externalId`, `samAccountName`, `windowsDomainQualifiedName`, `dn`.
 */
export const APP_GROUP_IDENTIFIERS = ['externalId', 'samAccountName', 'windowsDomainQualifiedName', 'dn'] as const;

const APP_GROUP_NAMES = ['Admins', 'Developers', 'Reviewers', 'Support Tier 2', 'Finance Approvers', 'Marketing Ops', 'On-call', 'Read Only', 'Project Atlas', 'Security Champions'] as const;

/** The name of the `index`-th seeded group of an app: unique within the app. */
export function appGroupName(index: number): string {
  const base = APP_GROUP_NAMES[index % APP_GROUP_NAMES.length] as string;
  const round = Math.floor(index / APP_GROUP_NAMES.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}
