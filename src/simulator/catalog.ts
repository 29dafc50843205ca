/**
 * The names, apps and groups a seeded org is made of.
 * @module
 */
import type { AppSpec } from './factory.js';

/** First names of generated users. */
export const FIRST_NAMES = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'John', 'Radia', 'Tim', 'Hedy',
  'Donald', 'Katherine', 'Edsger', 'Joan', 'Niklaus', 'Sophie', 'Guido', 'Anita', 'Bjarne', 'Karen', 'James', 'Shafi',
  'Leslie', 'Lynn', 'Robin', 'Mary', 'Vint', 'Adele', 'Whitfield', 'Jean', 'Tony', 'Evelyn', 'Ivan', 'Elizabeth',
  'Yukihiro', 'Carol', 'Brian', 'Ruth', 'Andrew', 'Susan', 'Peter', 'Monica', 'Ravi', 'Priya', 'Wei', 'Mei', 'Omar',
  'Fatima', 'Kwame', 'Amara', 'Diego', 'Lucia', 'Hiro', 'Aiko', 'Lars', 'Ingrid', 'Noah', 'Zoe', 'Mateo', 'Chloé',
  'José', 'Björn', "O'Neil", 'Anne-Marie',
] as const;

/** Last names of generated users. */
export const LAST_NAMES = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'McCarthy',
  'Perlman', 'Berners-Lee', 'Lamarr', 'Knuth', 'Johnson', 'Dijkstra', 'Clarke', 'Wirth', 'Wilson', 'van Rossum', 'Borg',
  'Stroustrup', 'Jones', 'Gosling', 'Goldwasser', 'Lamport', 'Conway', 'Milner', 'Keller', 'Cerf', 'Goldberg', 'Diffie',
  'Sammet', 'Hoare', 'Berezin', 'Sutherland', 'Feinler', 'Matsumoto', 'Shaw', 'Kernighan', 'Teitelman', 'Tanenbaum',
  'Kare', 'Naur', 'Nguyen', 'Patel', 'Sharma', 'Zhang', 'Chen', 'Haddad', 'Mensah', 'Okafor', 'García', 'Rossi',
  'Tanaka', 'Sato', 'Larsen', 'Andersson', "O'Brien", 'Müller', 'Dubois', 'Kowalski',
] as const;

/** Departments and titles set on some profiles. */
export const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Legal', 'Design', 'Operations'] as const;
/** Job titles set on some profiles. */
export const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Director', 'Analyst', 'Designer', 'Specialist'] as const;

/**
 * App instances in seed order. The first two share the catalog name `slack` (two instances
 * with different labels), one provisioned and one not.
 */
const APP_CATALOG: readonly AppSpec[] = [
  { name: 'slack', label: 'Slack (Engineering)', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'login' },
  { name: 'slack', label: 'Slack (Sales)', signOnMode: 'SAML_2_0', provisioned: false, userNameStyle: 'login', externalIdStyle: 'null' },
  { name: 'github', label: 'GitHub Enterprise', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'handle' },
  { name: 'google', label: 'Google Workspace', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'email' },
  { name: 'zendesk', label: 'Zendesk', signOnMode: 'SAML_2_0', provisioned: false, userNameStyle: 'email', externalIdStyle: 'absent' },
  { name: 'salesforce', label: 'Salesforce', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'login' },
  { name: 'workday', label: 'Workday', signOnMode: 'SAML_2_0', provisioned: false, userNameStyle: 'employeeId' },
  { name: 'office365', label: 'Microsoft Office 365', signOnMode: 'WS_FEDERATION', provisioned: true, userNameStyle: 'login' },
  { name: 'zoomus', label: 'Zoom', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'email' },
  { name: 'atlassian', label: 'Atlassian Cloud', signOnMode: 'SAML_2_0', provisioned: false, userNameStyle: 'emailPrefix' },
  { name: 'boxnet', label: 'Box', signOnMode: 'SAML_2_0', provisioned: false, userNameStyle: 'email' },
  { name: 'dropbox_for_business', label: 'Dropbox Business', signOnMode: 'SAML_2_0', provisioned: true, userNameStyle: 'email' },
];

/** The spec of the `index`-th seeded app: the catalog, then custom SAML apps. */
export function appSpec(index: number): AppSpec {
  const known = APP_CATALOG[index];
  if (known) return known;
  return {
    name: `example_customsaml_${index}`,
    label: `Custom SAML App ${index}`,
    signOnMode: 'SAML_2_0',
    provisioned: index % 2 === 0,
    userNameStyle: index % 3 === 0 ? 'emailPrefix' : 'login',
  };
}

/** Group names of the seeded org, then `Team <n>`. */
const GROUP_NAMES = [
  'Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Legal', 'Design', 'Operations', 'Contractors', 'Leadership',
  'IT Admins', 'Security',
] as const;

/** The name of the `index`-th seeded group. */
export function groupName(index: number): string {
  return GROUP_NAMES[index] ?? `Team ${index}`;
}
