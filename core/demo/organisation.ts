/**
 * The synthetic organisation behind the demo dataset: people, offices, home connections, devices, Okta objects
 * (apps, groups, policies, authenticator enrollments) and the AWS account with its IAM users, roles, buckets,
 * functions and trail.
 *
 * Invariants:
 * - A pure function of (seed, users): user i depends only on the seed, i and the users before it (e-mail
 *   collisions), so growing `users` appends people without changing existing ones.
 * - Users 0–2 are the admins (IT manager, head of security, a platform engineer); user 2 always works in
 *   engineering from San Francisco with Okta Verify push and an IAM user, because the attack stories need that
 *   profile (see stories.ts). Everything else about them is drawn from the seed like everyone else.
 * - Every user's addresses are stable: one office egress address, one home address.
 */
import {
  appCatalog,
  departmentWeights,
  engineerBrowsers,
  firstNames,
  groupNames,
  lastNames,
  officeBrowsers,
  officeUplink,
  offices,
  titles,
  type AppSpec,
  type Browser,
  type Department,
  type Office,
  type Place,
  type Provider,
} from './catalog';
import { ALNUM, AWS_ID_ALPHABET, Random } from './random';
import type { TimeZone } from './time-zones';

export const DEMO_EMAIL_DOMAIN = 'acme-demo.test';
export const DEMO_COMPANY = 'Acme Demo Corp';
/** The AWS documentation's example account id: fictitious by construction. */
export const DEMO_AWS_ACCOUNT_ID = '111122223333';
export const DEMO_GITHUB_ORG = 'acme-demo';

/** Where a request comes from, with everything Okta reports about it. */
export interface NetworkOrigin {
  readonly ip: string;
  readonly ipVersion: 'V4' | 'V6';
  readonly place: Place;
  readonly provider: Provider;
  readonly isProxy: boolean;
  /** Okta network zone name, or "null" (Okta's spelling) when the address is in no zone. */
  readonly zone: string;
}

export type MfaFactor = 'OKTA_VERIFY_PUSH' | 'FIDO_WEBAUTHN';

export interface AwsIamUser {
  readonly userName: string;
  /** `AIDA…` unique id. */
  readonly userId: string;
  readonly arn: string;
  /** Long-term access key used by the CLI. */
  readonly accessKeyId: string;
  readonly mfaSerial: string;
  readonly region: string;
  readonly role: AwsRole;
}

export interface DemoUser {
  readonly index: number;
  readonly oktaId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly department: Department;
  readonly title: string;
  readonly office: Office;
  readonly zone: TimeZone;
  readonly remote: boolean;
  /** Weekdays (1 = Monday … 5 = Friday) the user works from the office. */
  readonly officeDays: readonly number[];
  readonly officeOrigin: NetworkOrigin;
  readonly homeOrigin: NetworkOrigin;
  readonly browser: Browser;
  readonly deviceFingerprint: string;
  /** The user's usual local sign-in hour (fractional). */
  readonly startHour: number;
  readonly mfaFactor: MfaFactor;
  /** Okta authenticator enrollment ids. */
  readonly mfaEnrollmentId: string;
  readonly passwordEnrollmentId: string;
  readonly adminRole: 'Super Administrator' | 'Organization Administrator' | null;
  readonly apps: readonly DemoApp[];
  readonly aws: AwsIamUser | null;
}

export interface DemoApp {
  readonly spec: AppSpec;
  readonly id: string;
}

export interface AwsRole {
  readonly name: string;
  readonly roleId: string;
  readonly arn: string;
}

export interface AwsBucket {
  readonly name: string;
  readonly region: string;
  /** Object key prefixes, for plausible keys. */
  readonly prefixes: readonly string[];
  readonly sensitive: boolean;
}

export interface AwsFunction {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
}

export interface DemoAwsAccount {
  readonly accountId: string;
  readonly roles: {
    readonly engineer: AwsRole;
    readonly security: AwsRole;
    readonly ci: AwsRole;
    readonly rollup: AwsRole;
  };
  readonly oidcProviderArn: string;
  readonly trail: { readonly name: string; readonly arn: string; readonly region: string };
  readonly buckets: readonly AwsBucket[];
  readonly functions: readonly AwsFunction[];
  readonly instanceIds: readonly string[];
  readonly repositories: readonly string[];
  readonly tables: readonly string[];
  readonly parameters: readonly string[];
  /** CI runner and Lambda egress addresses (TEST-NET-1). */
  readonly ciRunnerIps: readonly string[];
  readonly lambdaEgressIps: readonly string[];
}

export interface DemoOrganisation {
  readonly seed: number;
  readonly company: string;
  readonly domain: string;
  /** Last three characters every Okta id of this org ends with (Okta ids carry their cell/org suffix). */
  readonly oktaIdSuffix: string;
  readonly users: readonly DemoUser[];
  readonly admins: readonly DemoUser[];
  readonly awsUsers: readonly DemoUser[];
  readonly apps: ReadonlyMap<string, DemoApp>;
  readonly groups: readonly { readonly name: string; readonly id: string }[];
  readonly okta: {
    readonly dashboardAppId: string;
    readonly adminConsoleAppId: string;
    readonly signOnPolicyId: string;
    readonly mfaRuleId: string;
  };
  readonly aws: DemoAwsAccount;
}

/** An Okta object id: three-letter type prefix, 14 random characters, the org suffix (20 characters in all). */
export function oktaId(rng: Random, prefix: string, suffix: string): string {
  return prefix + rng.chars(ALNUM, 14) + suffix;
}

export function awsId(rng: Random, prefix: 'AIDA' | 'AROA' | 'AKIA' | 'ASIA'): string {
  return prefix + rng.chars(AWS_ID_ALPHABET, prefix === 'AIDA' || prefix === 'AROA' ? 17 : 16);
}

const ADMIN_COUNT = 3;

export function buildDemoOrganisation(seed: number, userCount: number): DemoOrganisation {
  const rng = Random.from(seed, 'organisation');
  const oktaIdSuffix = rng.chars('0123456789', 1) + rng.chars('abcdefghijklmnopqrstuvwxyz', 1) + rng.chars('0123456789', 1);
  const id = (prefix: string): string => oktaId(rng, prefix, oktaIdSuffix);

  const apps = new Map<string, DemoApp>();
  for (const spec of appCatalog) apps.set(spec.key, { spec, id: id('0oa') });
  const groups = groupNames.map((name) => ({ name, id: id('00g') }));
  const okta = {
    dashboardAppId: id('0oa'),
    adminConsoleAppId: id('0oa'),
    signOnPolicyId: id('00p'),
    mfaRuleId: id('0pr'),
  };
  const aws = buildAwsAccount(rng);

  const users: DemoUser[] = [];
  const emails = new Set<string>();
  for (let i = 0; i < userCount; i++) {
    const user = buildUser(seed, i, oktaIdSuffix, emails, apps, aws);
    emails.add(user.email);
    users.push(user);
  }
  return {
    seed,
    company: DEMO_COMPANY,
    domain: DEMO_EMAIL_DOMAIN,
    oktaIdSuffix,
    users,
    admins: users.filter((u) => u.adminRole !== null),
    awsUsers: users.filter((u) => u.aws !== null),
    apps,
    groups,
    okta,
    aws,
  };
}

function buildAwsAccount(rng: Random): DemoAwsAccount {
  const accountId = DEMO_AWS_ACCOUNT_ID;
  const role = (name: string, path = ''): AwsRole => ({
    name,
    roleId: awsId(rng, 'AROA'),
    arn: `arn:aws:iam::${accountId}:role/${path}${name}`,
  });
  const fn = (name: string, region: string): AwsFunction => ({
    name,
    region,
    arn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
  });
  return {
    accountId,
    roles: {
      engineer: role('EngineerAccess'),
      security: role('SecurityAudit'),
      ci: role('github-actions-deploy'),
      rollup: role('metrics-rollup-lambda', 'service-role/'),
    },
    oidcProviderArn: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`,
    trail: {
      name: 'acme-demo-account-trail',
      arn: `arn:aws:cloudtrail:us-east-1:${accountId}:trail/acme-demo-account-trail`,
      region: 'us-east-1',
    },
    buckets: [
      { name: 'acme-demo-app-assets', region: 'us-east-1', prefixes: ['static/js/', 'static/css/', 'images/products/'], sensitive: false },
      { name: 'acme-demo-ci-artifacts', region: 'us-east-1', prefixes: ['builds/'], sensitive: false },
      { name: 'acme-demo-data-lake', region: 'us-east-1', prefixes: ['raw/orders/', 'curated/orders_daily/', 'rollups/hourly/'], sensitive: false },
      { name: 'acme-demo-customer-exports', region: 'us-east-1', prefixes: ['exports/customers/', 'exports/invoices/'], sensitive: true },
      { name: 'acme-demo-finance-reports', region: 'us-east-1', prefixes: ['reports/monthly/', 'payroll/'], sensitive: true },
      { name: 'acme-demo-marketing-assets', region: 'us-east-1', prefixes: ['campaigns/', 'press/'], sensitive: false },
      { name: 'acme-demo-logs-archive', region: 'us-east-1', prefixes: ['alb/', 'vpc-flow/'], sensitive: false },
    ],
    functions: [
      fn('orders-api', 'us-east-1'),
      fn('image-resizer', 'us-east-1'),
      fn('billing-sync', 'us-east-1'),
      fn('metrics-rollup', 'us-east-1'),
      fn('orders-api-eu', 'eu-west-2'),
    ],
    instanceIds: Array.from({ length: 10 }, () => `i-0${rng.hex(16)}`),
    repositories: ['orders-api', 'web-frontend', 'billing-service', 'infrastructure', 'image-resizer'].map((r) => `${DEMO_GITHUB_ORG}/${r}`),
    tables: ['orders', 'customers', 'sessions', 'feature-flags'],
    parameters: ['/orders-api/prod/db-host', '/orders-api/prod/feature-flags', '/billing/prod/stripe-webhook-url', '/shared/prod/datadog-site'],
    ciRunnerIps: Array.from({ length: 20 }, (_, i) => `192.0.2.${200 + i}`),
    lambdaEgressIps: ['192.0.2.240', '192.0.2.241', '192.0.2.242'],
  };
}

function buildUser(
  seed: number,
  index: number,
  oktaIdSuffix: string,
  taken: ReadonlySet<string>,
  apps: ReadonlyMap<string, DemoApp>,
  aws: DemoAwsAccount,
): DemoUser {
  const rng = Random.from(seed, 'user', index);
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const email = uniqueEmail(firstName, lastName, taken);

  const isAdmin = index < ADMIN_COUNT;
  const department: Department = index === 0 ? 'it' : index === 1 ? 'security' : index === 2 ? 'engineering' : rng.weighted(departmentWeights);
  const title = index === 0 ? 'IT Manager' : index === 1 ? 'Head of Security' : index === 2 ? 'Platform Engineer' : rng.pick(titles[department]);
  const office = index === 2 ? sanFrancisco() : rng.weighted(offices.map((o) => [o, o.weight] as const));
  const remote = !isAdmin && rng.chance(0.22);
  const officeDays = rng.sample([1, 2, 3, 4, 5], rng.int(2, 4)).sort((a, b) => a - b);

  const officeOrigin: NetworkOrigin = {
    ip: rng.pick(office.egressIps),
    ipVersion: 'V4',
    place: office.place,
    provider: officeUplink,
    isProxy: false,
    zone: office.networkZone,
  };
  const homePlace = jitter(rng.pick(office.homes), rng);
  const homeProvider = rng.pick(office.homeProviders);
  const ipv6 = rng.chance(0.2);
  const homeOrigin: NetworkOrigin = {
    ip: ipv6
      ? `2001:db8:${homeProvider.v6Group.toString(16)}:${rng.int(0x1000, 0xffff).toString(16)}::${rng.int(1, 0xfff).toString(16)}`
      : `${homeProvider.v4Prefix[0]}.${homeProvider.v4Prefix[1]}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    ipVersion: ipv6 ? 'V6' : 'V4',
    place: homePlace,
    provider: homeProvider,
    isProxy: false,
    zone: 'null',
  };

  const engineerLike = department === 'engineering' || department === 'security';
  const browser = rng.weighted(engineerLike ? engineerBrowsers : officeBrowsers);
  const mfaFactor: MfaFactor = index === 2 || !rng.chance(0.22) ? 'OKTA_VERIFY_PUSH' : 'FIDO_WEBAUTHN';
  const userApps = appCatalog
    .filter((spec) => spec.audience === 'all' || spec.audience.includes(department))
    .map((spec) => apps.get(spec.key))
    .filter((app): app is DemoApp => app !== undefined);

  const oktaUserId = oktaId(rng, '00u', oktaIdSuffix);
  const mfaEnrollmentId = oktaId(rng, mfaFactor === 'OKTA_VERIFY_PUSH' ? 'opf' : 'fwf', oktaIdSuffix);
  const passwordEnrollmentId = oktaId(rng, 'lae', oktaIdSuffix);
  const deviceFingerprint = rng.hex(32);
  const startHour = Math.min(10.2, Math.max(7.3, rng.normal(8.7, 0.5)));

  let awsUser: AwsIamUser | null = null;
  if (engineerLike) {
    const userName = email.slice(0, email.indexOf('@'));
    awsUser = {
      userName,
      userId: awsId(rng, 'AIDA'),
      arn: `arn:aws:iam::${aws.accountId}:user/${userName}`,
      accessKeyId: awsId(rng, 'AKIA'),
      mfaSerial: `arn:aws:iam::${aws.accountId}:mfa/${userName}`,
      region: rng.chance(0.6) ? office.awsRegion : 'us-east-1',
      role: department === 'security' ? aws.roles.security : aws.roles.engineer,
    };
  }

  return {
    index,
    oktaId: oktaUserId,
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    email,
    department,
    title,
    office,
    zone: office.zone,
    remote,
    officeDays,
    officeOrigin,
    homeOrigin,
    browser,
    deviceFingerprint,
    startHour,
    mfaFactor,
    mfaEnrollmentId,
    passwordEnrollmentId,
    adminRole: index === 1 ? 'Organization Administrator' : isAdmin ? 'Super Administrator' : null,
    apps: userApps,
    aws: awsUser,
  };
}

function sanFrancisco(): Office {
  const office = offices.find((o) => o.id === 'sf');
  if (!office) throw new Error('the catalog lost its San Francisco office');
  return office;
}

/** first.last@domain, ASCII only, with a numeric suffix when the name is taken. */
function uniqueEmail(first: string, last: string, taken: ReadonlySet<string>): string {
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '');
  let candidate = `${local}@${DEMO_EMAIL_DOMAIN}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${local}${n}@${DEMO_EMAIL_DOMAIN}`;
  return candidate;
}

/** A home a few hundred metres to a couple of kilometres from the neighbourhood centre (4 decimals, like Okta). */
function jitter(place: Place, rng: Random): Place {
  const round = (n: number): number => Math.round(n * 10_000) / 10_000;
  return { ...place, lat: round(place.lat + rng.between(-0.012, 0.012)), lon: round(place.lon + rng.between(-0.015, 0.015)) };
}
