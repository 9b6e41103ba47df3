/**
 * Static reference data the demo organisation is drawn from: names, departments, offices and homes, internet
 * providers, browsers and the SaaS applications behind Okta.
 *
 * Invariants:
 * - Nothing here points at a real organisation's infrastructure by design: e-mail domains end in `.test`
 *   (RFC 6761), provider domains in `.example` (RFC 2606), autonomous system numbers are from the documentation
 *   ranges 64496–64511 and 65536–65551 (RFC 5398), office and CI egress addresses are in TEST-NET-1
 *   (192.0.2.0/24, RFC 5737), and IPv6 home addresses are in 2001:db8::/32 (RFC 3849). The home-broadband
 *   IPv4 prefixes are syntactically valid public /16s picked arbitrarily; the geolocation in each event comes
 *   from this file, not from any registry, so they must not be read as attributions.
 * - City coordinates are real (to about 100 m) so maps and distance-based detections behave.
 * - Order of every list is part of the output: append, never reorder, or seeds produce different data.
 */
import { timeZones, type TimeZone } from './time-zones';

export const departments = ['engineering', 'sales', 'marketing', 'finance', 'it', 'hr', 'security', 'support'] as const;
export type Department = (typeof departments)[number];

export const departmentWeights: readonly (readonly [Department, number])[] = [
  ['engineering', 34],
  ['sales', 18],
  ['marketing', 9],
  ['finance', 8],
  ['it', 6],
  ['hr', 5],
  ['security', 6],
  ['support', 14],
];

export const titles: Record<Department, readonly string[]> = {
  engineering: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Site Reliability Engineer', 'Engineering Manager', 'Data Engineer', 'Platform Engineer'],
  sales: ['Account Executive', 'Sales Development Representative', 'Regional Sales Director', 'Solutions Engineer'],
  marketing: ['Product Marketing Manager', 'Content Strategist', 'Growth Marketing Manager', 'Designer'],
  finance: ['Financial Analyst', 'Controller', 'Accounts Payable Specialist', 'FP&A Manager'],
  it: ['IT Support Engineer', 'Systems Administrator', 'IT Manager'],
  hr: ['People Partner', 'Recruiter', 'Head of People'],
  security: ['Security Engineer', 'Detection Engineer', 'Security Analyst', 'Head of Security'],
  support: ['Customer Support Specialist', 'Support Engineer', 'Customer Success Manager'],
};

export const firstNames: readonly string[] = [
  'Ava', 'Liam', 'Olivia', 'Noah', 'Emma', 'Mateo', 'Sophia', 'Lucas', 'Isabella', 'Ethan',
  'Mia', 'Aarav', 'Amelia', 'Kenji', 'Harper', 'Diego', 'Evelyn', 'Omar', 'Abigail', 'Chen',
  'Emily', 'Rafael', 'Ella', 'Arjun', 'Elizabeth', 'Yusuf', 'Camila', 'Jonas', 'Luna', 'Malik',
  'Sofia', 'Hiroshi', 'Avery', 'Tomasz', 'Scarlett', 'Kwame', 'Grace', 'Ivan', 'Chloe', 'Priya',
  'Victoria', 'Andrei', 'Riley', 'Sanjay', 'Aria', 'Felix', 'Lily', 'Tariq', 'Aurora', 'Lars',
  'Zoe', 'Jamal', 'Nora', 'Mei', 'Hannah', 'Pedro', 'Leah', 'Anders', 'Stella', 'Ravi',
  'Hazel', 'Nikolai', 'Ellie', 'Dmitri', 'Paisley', 'Kofi', 'Audrey', 'Emre', 'Skylar', 'Yuki',
  'Violet', 'Bruno', 'Claire', 'Ali', 'Bella', 'Sven', 'Lucy', 'Tendai', 'Anna', 'Marco',
  'Samantha', 'Javier', 'Caroline', 'Farid', 'Naomi', 'Henrik', 'Maya', 'Chidi', 'Ruby', 'Pablo',
  'Alice', 'Jun', 'Sarah', 'Oskar', 'Madison', 'Hamid', 'Ingrid', 'Kai', 'Fatima', 'Leon',
];

export const lastNames: readonly string[] = [
  'Smith', 'Garcia', 'Nguyen', 'Patel', 'Johnson', 'Kim', 'Williams', 'Rodriguez', 'Chen', 'Brown',
  'Martinez', 'Singh', 'Jones', 'Lopez', 'Tanaka', 'Miller', 'Hernandez', 'Okafor', 'Davis', 'Gonzalez',
  'Müller', 'Wilson', 'Perez', 'Kowalski', 'Anderson', 'Sato', 'Taylor', 'Ivanova', 'Thomas', 'Haddad',
  'Moore', 'Rossi', 'Jackson', 'Dubois', 'Martin', 'Lee', 'Thompson', 'Khan', 'White', 'Silva',
  'Harris', 'Yamamoto', 'Clark', 'Novak', 'Lewis', 'Mensah', 'Robinson', 'Schmidt', 'Walker', 'Ali',
  'Young', 'Andersson', 'Allen', 'Sharma', 'King', 'Nakamura', 'Wright', 'Fischer', 'Scott', 'Costa',
  'Torres', 'Hall', 'Reyes', 'Green', 'Adeyemi', 'Adams', 'Baker', 'Popescu', 'Nelson', 'Hill',
  'Ramirez', 'Campbell', 'Mitchell', 'Larsen', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Diaz',
  'Parker', 'Cruz', 'Edwards', 'Collins', 'Reddy', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers',
  'Morgan', 'Peterson', 'Cooper', 'Wang', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward',
];

/** Where an address is, as Okta's `geographicalContext` has it (`country` is the English name). */
export interface Place {
  readonly city: string;
  readonly state: string;
  readonly country: string;
  readonly postalCode: string;
  readonly lat: number;
  readonly lon: number;
}

/** An internet provider as Okta's `securityContext` describes it (lower-case names, like Okta's). */
export interface Provider {
  readonly asNumber: number;
  readonly asOrg: string;
  readonly isp: string;
  readonly domain: string;
  /** First two octets of the provider's (made-up) IPv4 /16. */
  readonly v4Prefix: readonly [number, number];
  /** Third group of the provider's IPv6 prefix under 2001:db8::/32. */
  readonly v6Group: number;
}

const provider = (
  asNumber: number,
  name: string,
  domain: string,
  v4Prefix: readonly [number, number],
  v6Group: number,
): Provider => ({ asNumber, asOrg: name, isp: name, domain, v4Prefix, v6Group });

export const providers = {
  bayline: provider(64496, 'bayline broadband llc', 'bayline.example', [67, 180], 0x0101),
  hudson: provider(64497, 'hudson cable communications', 'hudsoncable.example', [72, 229], 0x0102),
  lakeshore: provider(64498, 'lakeshore fiber inc.', 'lakeshore.example', [98, 226], 0x0103),
  maple: provider(64499, 'maple fibre networks', 'maplefibre.example', [142, 118], 0x0104),
  albion: provider(64500, 'albion fibre ltd', 'albionfibre.example', [86, 150], 0x0105),
  spree: provider(64501, 'spreenet gmbh', 'spreenet.example', [91, 64], 0x0106),
  deccan: provider(64502, 'deccan telecom pvt ltd', 'deccantel.example', [49, 207], 0x0107),
  harbour: provider(64503, 'harbour broadband pty ltd', 'harbourbb.example', [121, 200], 0x0108),
} as const satisfies Record<string, Provider>;

/** The offices' shared uplink (their egress addresses are in TEST-NET-1). */
export const officeUplink: Provider = provider(64506, 'metro transit networks inc', 'metrotransit.example', [192, 0], 0x0100);

export interface Office {
  readonly id: string;
  readonly place: Place;
  readonly zone: TimeZone;
  /** AWS region the office's engineers default to. */
  readonly awsRegion: string;
  /** Okta network zone the office egress addresses belong to. */
  readonly networkZone: string;
  /** NAT egress addresses (TEST-NET-1). */
  readonly egressIps: readonly string[];
  readonly homes: readonly Place[];
  readonly homeProviders: readonly Provider[];
  readonly weight: number;
}

const place = (city: string, state: string, country: string, postalCode: string, lat: number, lon: number): Place => ({
  city,
  state,
  country,
  postalCode,
  lat,
  lon,
});

const egress = (base: number): string[] => [0, 1, 2, 3].map((i) => `192.0.2.${base + i}`);

export const offices: readonly Office[] = [
  {
    id: 'sf',
    place: place('San Francisco', 'California', 'United States', '94105', 37.7897, -122.3942),
    zone: timeZones.losAngeles,
    awsRegion: 'us-west-2',
    networkZone: 'Acme Offices',
    egressIps: egress(10),
    homes: [
      place('San Francisco', 'California', 'United States', '94110', 37.7486, -122.4184),
      place('Oakland', 'California', 'United States', '94610', 37.812, -122.243),
      place('San Mateo', 'California', 'United States', '94401', 37.563, -122.3255),
      place('Berkeley', 'California', 'United States', '94703', 37.8637, -122.2805),
    ],
    homeProviders: [providers.bayline, providers.hudson],
    weight: 30,
  },
  {
    id: 'nyc',
    place: place('New York', 'New York', 'United States', '10001', 40.7506, -73.9972),
    zone: timeZones.newYork,
    awsRegion: 'us-east-1',
    networkZone: 'Acme Offices',
    egressIps: egress(20),
    homes: [
      place('Brooklyn', 'New York', 'United States', '11215', 40.6681, -73.9806),
      place('New York', 'New York', 'United States', '10025', 40.799, -73.9682),
      place('Jersey City', 'New Jersey', 'United States', '07302', 40.7217, -74.0467),
      place('Hoboken', 'New Jersey', 'United States', '07030', 40.744, -74.0324),
    ],
    homeProviders: [providers.hudson, providers.lakeshore],
    weight: 18,
  },
  {
    id: 'austin',
    place: place('Austin', 'Texas', 'United States', '78701', 30.2672, -97.7431),
    zone: timeZones.chicago,
    awsRegion: 'us-east-1',
    networkZone: 'Acme Offices',
    egressIps: egress(30),
    homes: [
      place('Austin', 'Texas', 'United States', '78704', 30.243, -97.7695),
      place('Round Rock', 'Texas', 'United States', '78664', 30.5083, -97.6789),
      place('Austin', 'Texas', 'United States', '78751', 30.3096, -97.7236),
    ],
    homeProviders: [providers.lakeshore],
    weight: 10,
  },
  {
    id: 'toronto',
    place: place('Toronto', 'Ontario', 'Canada', 'M5V 2T6', 43.6426, -79.3871),
    zone: timeZones.toronto,
    awsRegion: 'ca-central-1',
    networkZone: 'Acme Offices',
    egressIps: egress(40),
    homes: [
      place('Toronto', 'Ontario', 'Canada', 'M6J 1H4', 43.648, -79.4202),
      place('Mississauga', 'Ontario', 'Canada', 'L5B 3C2', 43.589, -79.6441),
    ],
    homeProviders: [providers.maple],
    weight: 6,
  },
  {
    id: 'london',
    place: place('London', 'England', 'United Kingdom', 'EC2A 2BB', 51.5226, -0.085),
    zone: timeZones.london,
    awsRegion: 'eu-west-2',
    networkZone: 'Acme Offices',
    egressIps: egress(50),
    homes: [
      place('London', 'England', 'United Kingdom', 'E8 3DL', 51.5432, -0.0557),
      place('London', 'England', 'United Kingdom', 'SW11 5TN', 51.4646, -0.163),
      place('Croydon', 'England', 'United Kingdom', 'CR0 1LF', 51.3762, -0.0982),
    ],
    homeProviders: [providers.albion],
    weight: 12,
  },
  {
    id: 'berlin',
    place: place('Berlin', 'Land Berlin', 'Germany', '10117', 52.52, 13.388),
    zone: timeZones.berlin,
    awsRegion: 'eu-central-1',
    networkZone: 'Acme Offices',
    egressIps: egress(60),
    homes: [
      place('Berlin', 'Land Berlin', 'Germany', '10437', 52.5413, 13.4132),
      place('Berlin', 'Land Berlin', 'Germany', '12047', 52.4895, 13.4252),
      place('Potsdam', 'Brandenburg', 'Germany', '14467', 52.4009, 13.0591),
    ],
    homeProviders: [providers.spree],
    weight: 8,
  },
  {
    id: 'bengaluru',
    place: place('Bengaluru', 'Karnataka', 'India', '560001', 12.9719, 77.5937),
    zone: timeZones.kolkata,
    awsRegion: 'ap-south-1',
    networkZone: 'Acme Offices',
    egressIps: egress(70),
    homes: [
      place('Bengaluru', 'Karnataka', 'India', '560034', 12.9352, 77.6245),
      place('Bengaluru', 'Karnataka', 'India', '560066', 12.9698, 77.75),
    ],
    homeProviders: [providers.deccan],
    weight: 10,
  },
  {
    id: 'sydney',
    place: place('Sydney', 'New South Wales', 'Australia', '2000', -33.8678, 151.2073),
    zone: timeZones.sydney,
    awsRegion: 'ap-southeast-2',
    networkZone: 'Acme Offices',
    egressIps: egress(80),
    homes: [
      place('Sydney', 'New South Wales', 'Australia', '2010', -33.8832, 151.217),
      place('Parramatta', 'New South Wales', 'Australia', '2150', -33.815, 151.0011),
    ],
    homeProviders: [providers.harbour],
    weight: 6,
  },
];

/** A browser on a computer, as Okta reports it in `client.userAgent`. */
export interface Browser {
  readonly id: string;
  readonly os: string;
  readonly browser: string;
  readonly rawUserAgent: string;
  /** `os/…` and `md/arch#…` parts of the AWS CLI user agent on the same machine. */
  readonly cliPlatform: string;
}

const macCli = 'os/macos#24.6.0 md/arch#arm64';
const winCli = 'os/windows#10 md/arch#amd64';
const linuxCli = 'os/linux#6.8.0-85-generic md/arch#x86_64';

export const browsers = {
  macChrome: {
    id: 'mac-chrome',
    os: 'Mac OS X',
    browser: 'CHROME',
    rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    cliPlatform: macCli,
  },
  macSafari: {
    id: 'mac-safari',
    os: 'Mac OS X',
    browser: 'SAFARI',
    rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15',
    cliPlatform: macCli,
  },
  macFirefox: {
    id: 'mac-firefox',
    os: 'Mac OS X',
    browser: 'FIREFOX',
    rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:144.0) Gecko/20100101 Firefox/144.0',
    cliPlatform: macCli,
  },
  winEdge: {
    id: 'win-edge',
    os: 'Windows 10',
    browser: 'EDGE',
    rawUserAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0',
    cliPlatform: winCli,
  },
  winChrome: {
    id: 'win-chrome',
    os: 'Windows 10',
    browser: 'CHROME',
    rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    cliPlatform: winCli,
  },
  winFirefox: {
    id: 'win-firefox',
    os: 'Windows 10',
    browser: 'FIREFOX',
    rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0',
    cliPlatform: winCli,
  },
  linuxFirefox: {
    id: 'linux-firefox',
    os: 'Linux',
    browser: 'FIREFOX',
    rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0',
    cliPlatform: linuxCli,
  },
  linuxChrome: {
    id: 'linux-chrome',
    os: 'Linux',
    browser: 'CHROME',
    rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    cliPlatform: linuxCli,
  },
} as const satisfies Record<string, Browser>;

export const engineerBrowsers: readonly (readonly [Browser, number])[] = [
  [browsers.macChrome, 45],
  [browsers.macFirefox, 12],
  [browsers.linuxFirefox, 14],
  [browsers.linuxChrome, 10],
  [browsers.macSafari, 6],
  [browsers.winChrome, 13],
];

export const officeBrowsers: readonly (readonly [Browser, number])[] = [
  [browsers.macChrome, 35],
  [browsers.winEdge, 25],
  [browsers.winChrome, 25],
  [browsers.macSafari, 15],
];

/** A SaaS application users reach through Okta single sign-on. */
export interface AppSpec {
  readonly key: string;
  /** Okta's catalog name (`target[].displayName` of the AppInstance). */
  readonly name: string;
  /** The instance label the org gave it (`target[].alternateId`). */
  readonly label: string;
  readonly signOnMode: 'SAML_2_0' | 'OPENID_CONNECT';
  /** Path segment of the SSO URL, as Okta builds it. */
  readonly slug: string;
  readonly audience: 'all' | readonly Department[];
  /** How likely a user with access opens it on a working day. */
  readonly dailyUse: number;
}

export const appCatalog: readonly AppSpec[] = [
  { key: 'slack', name: 'Slack', label: 'Slack', signOnMode: 'SAML_2_0', slug: 'slack', audience: 'all', dailyUse: 0.97 },
  { key: 'google', name: 'Google Workspace', label: 'Google Workspace', signOnMode: 'SAML_2_0', slug: 'google', audience: 'all', dailyUse: 0.9 },
  { key: 'zoom', name: 'Zoom', label: 'Zoom', signOnMode: 'SAML_2_0', slug: 'zoomus', audience: 'all', dailyUse: 0.45 },
  { key: 'workday', name: 'Workday', label: 'Workday', signOnMode: 'SAML_2_0', slug: 'workday', audience: 'all', dailyUse: 0.06 },
  { key: 'github', name: 'GitHub Enterprise Cloud - Organization', label: 'GitHub', signOnMode: 'SAML_2_0', slug: 'githubcloud', audience: ['engineering', 'security'], dailyUse: 0.85 },
  { key: 'jira', name: 'Jira Software Cloud', label: 'Jira', signOnMode: 'SAML_2_0', slug: 'atlassian', audience: ['engineering', 'security', 'support', 'it'], dailyUse: 0.6 },
  { key: 'aws', name: 'AWS Account Federation', label: 'AWS Sandbox', signOnMode: 'SAML_2_0', slug: 'amazon_aws', audience: ['engineering', 'security'], dailyUse: 0.25 },
  { key: 'datadog', name: 'Datadog', label: 'Datadog', signOnMode: 'SAML_2_0', slug: 'datadog', audience: ['engineering', 'security'], dailyUse: 0.3 },
  { key: 'salesforce', name: 'Salesforce.com', label: 'Salesforce', signOnMode: 'SAML_2_0', slug: 'salesforce', audience: ['sales', 'finance', 'support'], dailyUse: 0.8 },
  { key: 'hubspot', name: 'HubSpot', label: 'HubSpot', signOnMode: 'SAML_2_0', slug: 'hubspot', audience: ['marketing', 'sales'], dailyUse: 0.5 },
  { key: 'figma', name: 'Figma', label: 'Figma', signOnMode: 'SAML_2_0', slug: 'figma', audience: ['marketing', 'engineering'], dailyUse: 0.2 },
  { key: 'netsuite', name: 'NetSuite', label: 'NetSuite', signOnMode: 'SAML_2_0', slug: 'netsuite', audience: ['finance'], dailyUse: 0.85 },
  { key: 'zendesk', name: 'Zendesk', label: 'Zendesk', signOnMode: 'SAML_2_0', slug: 'zendesk', audience: ['support'], dailyUse: 0.95 },
  { key: 'greenhouse', name: 'Greenhouse', label: 'Greenhouse', signOnMode: 'SAML_2_0', slug: 'greenhouse', audience: ['hr'], dailyUse: 0.7 },
  { key: 'jamf', name: 'Jamf Pro', label: 'Jamf Pro', signOnMode: 'SAML_2_0', slug: 'jamfsoftwareserver', audience: ['it'], dailyUse: 0.7 },
  { key: 'crowdstrike', name: 'CrowdStrike Falcon', label: 'CrowdStrike Falcon', signOnMode: 'SAML_2_0', slug: 'crowdstrike', audience: ['security', 'it'], dailyUse: 0.6 },
];

/** Okta groups the admins move people in and out of. */
export const groupNames: readonly string[] = [
  'Everyone-Engineering',
  'Everyone-Sales',
  'AWS-ReadOnly',
  'AWS-Engineers',
  'GitHub-Maintainers',
  'Salesforce-Admins',
  'VPN-Users',
  'Contractors',
  'On-Call',
  'Finance-Approvers',
];
