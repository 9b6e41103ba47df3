/**
 * The attack stories woven into the demo window, each with stable markers (addresses, names) that tests,
 * detections and the README can point at:
 *
 *  (a) password spray → MFA push fatigue → admin privilege grant (Okta), from 203.0.113.45;
 *  (b) the same engineer's AWS credentials used from that address: console sign-in without MFA, a backdoor IAM
 *      user with an access key and AdministratorAccess, CloudTrail StopLogging, bucket listing and bulk
 *      GetObject (CloudTrail);
 *  (c) impossible travel: a sign-in at home, then 40 minutes later from Singapore (198.51.100.99);
 *  (d) the root user signs in to the console without MFA from 198.51.100.66 and makes a bucket public;
 *  (e) dormant account reactivation: a person on leave signs in on the window's second day, then nothing, until
 *      1 day back someone signs in to the account from 198.51.100.23 (Amsterdam, a hosting network, another
 *      browser) — about `days − 3` days of silence (11 for the default 14);
 *  (f) session hijack: 2 days back a person signs in at home as usual, and about 1–2 hours later the same Okta
 *      session (the stolen session cookie) opens apps from 198.51.100.77 — a hosting network in the person's own
 *      city, another browser — while the person carries on at home.
 *
 * Story days count back from the last UTC midnight before `end`: (a)+(b) 3 days back, (c) half the window
 * back, (d) `days − 2` back, (e) last genuine sign-in `days − 2` back and the reactivation 1 day back, (f) 2
 * days back, so every story is inside [end − days, end) for any `days ≥ 4`.
 *
 * Invariants:
 * - The cast (who is attacked) and every time are pure functions of (seed, users, days, end).
 * - The victim of (a)/(b) is always user 2 (a San Francisco platform engineer with Okta Verify push, an IAM
 *   user and a Super Administrator role — see organisation.ts); the others are drawn from the seed.
 * - Story events use only the marker addresses below for the attacker side.
 * - Stories (e) and (f) draw their cast from their own random stream, so adding them changed no event of (a)–(d).
 */
import { browsers, type Place, type Provider } from './catalog';
import { recordCall, recordConsoleLogin, s3Call, s3Key, type CallShape } from './aws-activity';
import {
  cloudTrailDate,
  cloudTrailRecord,
  iamUserIdentity,
  rootIdentity,
  s3AdditionalData,
  s3BucketResources,
} from './cloudtrail-events';
import { browserClient, type OktaClient } from './okta-events';
import {
  recordAdminConsoleAccess,
  recordMfaSuccess,
  recordPasswordFailure,
  recordPolicyChallenge,
  recordPrivilegeGrant,
  recordPushDenied,
  recordPushSent,
  recordSessionStart,
  recordSignIn,
  recordSso,
  recordThreatDetected,
  type SignInRisk,
} from './okta-flows';
import { awsId, type AwsBucket, type DemoApp, type DemoOrganisation, type DemoUser, type NetworkOrigin } from './organisation';
import { Random } from './random';
import { Plan, type StepSink } from './timeline';
import { DAY_MS, HOUR_MS, localDayOf, localTimeToUtc } from './time-zones';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The stable markers of the stories, for tests, detections and documentation. */
export const demoStoryMarkers = {
  /** Password spray, MFA fatigue, Okta privilege grant and the AWS takeover all come from here. */
  attackerIp: '203.0.113.45',
  attackerCity: 'Bucharest',
  attackerAsn: 64511,
  sprayUserAgent: 'python-requests/2.32.3',
  /** The impossible-travel sign-in. */
  impossibleTravelIp: '198.51.100.99',
  impossibleTravelCity: 'Singapore',
  /** Root console sign-in without MFA. */
  rootConsoleIp: '198.51.100.66',
  backdoorIamUser: 'svc-backup-sync',
  stoppedTrail: 'acme-demo-account-trail',
  exfiltratedBuckets: ['acme-demo-customer-exports', 'acme-demo-finance-reports'],
  exposedBucket: 'acme-demo-marketing-assets',
  grantedRole: 'Super Administrator',
  /** Dormant account reactivation: the sign-in after weeks of silence. */
  dormantAccountIp: '198.51.100.23',
  dormantAccountCity: 'Amsterdam',
  dormantAccountAsn: 65540,
  /** Session hijack: the stolen Okta session replayed from a hosting network in the victim's city. */
  sessionHijackIp: '198.51.100.77',
  sessionHijackAsn: 65541,
} as const;

const attackerProvider: Provider = {
  asNumber: demoStoryMarkers.attackerAsn,
  asOrg: 'bitvps hosting srl',
  isp: 'bitvps hosting srl',
  domain: 'bitvps.example',
  v4Prefix: [203, 0],
  v6Group: 0,
};

const attackerOrigin: NetworkOrigin = {
  ip: demoStoryMarkers.attackerIp,
  ipVersion: 'V4',
  place: { city: demoStoryMarkers.attackerCity, state: 'Bucuresti', country: 'Romania', postalCode: '030167', lat: 44.4268, lon: 26.1025 },
  provider: attackerProvider,
  isProxy: true,
  zone: 'null',
};

const singaporePlace: Place = {
  city: demoStoryMarkers.impossibleTravelCity,
  state: 'Central Singapore',
  country: 'Singapore',
  postalCode: '018989',
  lat: 1.2789,
  lon: 103.8536,
};

const travelOrigin: NetworkOrigin = {
  ip: demoStoryMarkers.impossibleTravelIp,
  ipVersion: 'V4',
  place: singaporePlace,
  provider: { asNumber: 65536, asOrg: 'lion city telecom pte ltd', isp: 'lion city telecom pte ltd', domain: 'lioncity.example', v4Prefix: [198, 51], v6Group: 0 },
  isProxy: false,
  zone: 'null',
};

const dormantOrigin: NetworkOrigin = {
  ip: demoStoryMarkers.dormantAccountIp,
  ipVersion: 'V4',
  place: { city: demoStoryMarkers.dormantAccountCity, state: 'North Holland', country: 'Netherlands', postalCode: '1012', lat: 52.3676, lon: 4.9041 },
  provider: { asNumber: demoStoryMarkers.dormantAccountAsn, asOrg: 'northgate hosting bv', isp: 'northgate hosting bv', domain: 'northgate.example', v4Prefix: [198, 51], v6Group: 0 },
  isProxy: false,
  zone: 'null',
};

/** The session thief's machine: a hosting network in the victim's own city (so no travel gives it away). */
function hijackOrigin(victim: DemoUser): NetworkOrigin {
  return {
    ip: demoStoryMarkers.sessionHijackIp,
    ipVersion: 'V4',
    place: victim.homeOrigin.place,
    provider: { asNumber: demoStoryMarkers.sessionHijackAsn, asOrg: 'quickhost cloud llc', isp: 'quickhost cloud llc', domain: 'quickhost.example', v4Prefix: [198, 51], v6Group: 0 },
    isProxy: false,
    zone: 'null',
  };
}

/** A browser the person does not use. */
const otherBrowser = (user: DemoUser) => (user.browser.id === 'win-firefox' ? browsers.macChrome : browsers.winFirefox);

const sprayClient: OktaClient = {
  origin: attackerOrigin,
  userAgent: { rawUserAgent: demoStoryMarkers.sprayUserAgent, os: 'Unknown', browser: 'UNKNOWN' },
  device: 'Unknown',
};
const attackerBrowser: OktaClient = { origin: attackerOrigin, userAgent: browsers.winFirefox, device: 'Computer' };
const ATTACKER_CLI_AGENT = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/';
const ANOMALOUS: SignInRisk = { anomalous: true, threatSuspected: true };

/** Who is involved and when: everything a test or a reader needs to find each story. */
export interface DemoStoryCast {
  readonly passwordSpray: {
    readonly attackerIp: string;
    readonly victim: string;
    readonly targets: readonly string[];
    readonly startedAt: string;
    readonly passwordAcceptedAt: string;
    readonly pushesSent: number;
    readonly pushesDenied: number;
    readonly sessionStartedAt: string;
    readonly privilegeGrantedAt: string;
    readonly privilegeGrantedTo: string;
  };
  readonly cloudTakeover: {
    readonly attackerIp: string;
    readonly iamUser: string;
    readonly consoleLoginAt: string;
    readonly backdoorIamUser: string;
    readonly stopLoggingAt: string;
    readonly trail: string;
    readonly objectsRead: number;
  };
  readonly impossibleTravel: {
    readonly user: string;
    readonly homeIp: string;
    readonly homeCity: string;
    readonly homeSignInAt: string;
    readonly foreignIp: string;
    readonly foreignCity: string;
    readonly foreignSignInAt: string;
  };
  readonly rootBucketExposure: {
    readonly sourceIp: string;
    readonly consoleLoginAt: string;
    readonly bucket: string;
    readonly policyChangedAt: string;
  };
  readonly dormantAccount: {
    readonly user: string;
    /** The person's last genuine sign-in (session start), from home. */
    readonly lastActiveAt: string;
    readonly signInAt: string;
    /** Whole days between the two. */
    readonly inactiveDays: number;
    readonly sourceIp: string;
    readonly sourceCity: string;
  };
  readonly sessionHijack: {
    readonly user: string;
    /** The Okta session (externalSessionId) that is stolen. */
    readonly sessionId: string;
    readonly signInAt: string;
    readonly homeIp: string;
    readonly hijackIp: string;
    /** First event of the stolen session from the thief's address. */
    readonly firstReuseAt: string;
    readonly reusedEvents: number;
  };
}

/** Deterministic choices the stories are planned from (people, times, counts), computed once per dataset. */
export interface StoryScript {
  readonly victim: DemoUser;
  readonly grantee: DemoUser;
  readonly traveler: DemoUser;
  readonly targets: readonly DemoUser[];
  readonly sprayStart: number;
  readonly travelDay: number;
  readonly homeSignInAt: number;
  readonly rootAt: number;
  readonly sleeper: DemoUser;
  readonly sleeperLastActiveAt: number;
  readonly dormantSignInAt: number;
  readonly hijacked: DemoUser;
  readonly hijackSignInAt: number;
  /** `${userIndex}:${localDay}` of user-days the stories replace. */
  readonly suppressedUserDays: ReadonlySet<string>;
}

const SPRAY_DAYS_BACK = 3;
const DORMANT_REACTIVATION_DAYS_BACK = 1;
const HIJACK_DAYS_BACK = 2;

export function writeStoryScript(org: DemoOrganisation, seed: number, days: number, endMs: number): StoryScript {
  const rng = Random.from(seed, 'story-cast');
  const lastMidnight = Math.floor((endMs - 1) / DAY_MS) * DAY_MS;
  const victim = org.users[2];
  if (!victim || victim.aws === null || victim.mfaFactor !== 'OKTA_VERIFY_PUSH') {
    throw new Error('the attack stories need user 2 to be an engineer with an IAM user and Okta Verify push');
  }
  const ordinary = org.users.filter((u) => u.adminRole === null);
  const quiet = ordinary.filter((u) => ['support', 'marketing', 'hr'].includes(u.department));
  const grantee = rng.pick(quiet.length > 0 ? quiet : ordinary);

  const americas = ordinary.filter((u) => u !== grantee && ['nyc', 'sf', 'austin', 'toronto'].includes(u.office.id));
  const preferred = americas.filter((u) => u.office.id === 'nyc' && u.department === 'sales');
  const fallback = ordinary.filter((u) => u !== grantee);
  const traveler = rng.pick(preferred.length > 0 ? preferred : americas.length > 0 ? americas : fallback);

  const others = org.users.filter((u) => u !== victim);
  const targets = [...rng.sample(others, Math.min(29, others.length)), victim];

  const sprayStart = lastMidnight - SPRAY_DAYS_BACK * DAY_MS + 2 * HOUR_MS + rng.int(0, 20) * MINUTE;
  const travelBase = lastMidnight - Math.max(2, Math.ceil(days / 2)) * DAY_MS;
  const travelDay = localDayOf(traveler.zone, travelBase + 14 * HOUR_MS);
  const homeSignInAt = localTimeToUtc(traveler.zone, travelDay, 9 + rng.between(0, 0.4));
  const rootAt = lastMidnight - (days - 2) * DAY_MS + 21 * HOUR_MS + rng.int(30, 50) * MINUTE;

  // (e) and (f) from their own stream: the draws above, and so stories (a)–(d), are as they were.
  const identityRng = Random.from(seed, 'story-cast', 'identity');
  const bystanders = ordinary.filter((u) => u !== grantee && u !== traveler);
  const sleeper = identityRng.pick(bystanders);
  const hijacked = identityRng.pick(bystanders.filter((u) => u !== sleeper));
  const sleeperLastDay = localDayOf(sleeper.zone, lastMidnight - (days - 2) * DAY_MS + 12 * HOUR_MS);
  const sleeperLastActiveAt = localTimeToUtc(sleeper.zone, sleeperLastDay, 9 + identityRng.between(0, 0.5));
  const dormantSignInAt = lastMidnight - DORMANT_REACTIVATION_DAYS_BACK * DAY_MS + 15 * HOUR_MS + identityRng.int(0, 50) * MINUTE;
  const hijackDay = localDayOf(hijacked.zone, lastMidnight - HIJACK_DAYS_BACK * DAY_MS + 12 * HOUR_MS);
  const hijackSignInAt = localTimeToUtc(hijacked.zone, hijackDay, 8.5 + identityRng.between(0, 1));

  const suppressed = new Set([`${traveler.index}:${travelDay}`, `${hijacked.index}:${hijackDay}`]);
  // The sleeper does nothing of their own from their last day on.
  for (let day = sleeperLastDay; day <= localDayOf(sleeper.zone, endMs) + 1; day++) suppressed.add(`${sleeper.index}:${day}`);

  return {
    victim,
    grantee,
    traveler,
    targets,
    sprayStart,
    travelDay,
    homeSignInAt,
    rootAt,
    sleeper,
    sleeperLastActiveAt,
    dormantSignInAt,
    hijacked,
    hijackSignInAt,
    suppressedUserDays: suppressed,
  };
}

/** Plans every story into the collector; returns what happened, for the cast. */
export function planStories(org: DemoOrganisation, seed: number, script: StoryScript, collector: StepSink): DemoStoryCast {
  const spray = planSprayAndTakeover(org, script, new Plan(Random.from(seed, 'story', 'spray'), collector, script.sprayStart - HOUR_MS, script.sprayStart + DAY_MS, 'password spray story'));
  const travel = planImpossibleTravel(org, script, new Plan(Random.from(seed, 'story', 'travel'), collector, script.homeSignInAt - HOUR_MS, script.homeSignInAt + DAY_MS, 'impossible travel story'));
  const root = planRootExposure(org, script, new Plan(Random.from(seed, 'story', 'root'), collector, script.rootAt - HOUR_MS, script.rootAt + DAY_MS, 'root story'));
  const dormantRng = Random.from(seed, 'story', 'dormant');
  const dormant = planDormantReactivation(
    org,
    script,
    new Plan(dormantRng, collector, script.sleeperLastActiveAt - HOUR_MS, script.sleeperLastActiveAt + DAY_MS, 'dormant account story, last genuine day'),
    new Plan(dormantRng, collector, script.dormantSignInAt - HOUR_MS, script.dormantSignInAt + DAY_MS, 'dormant account story, reactivation'),
  );
  const hijack = planSessionHijack(org, script, new Plan(Random.from(seed, 'story', 'hijack'), collector, script.hijackSignInAt - HOUR_MS, script.hijackSignInAt + DAY_MS, 'session hijack story'));
  return { ...spray, impossibleTravel: travel, rootBucketExposure: root, dormantAccount: dormant, sessionHijack: hijack };
}

const iso = (ms: number): string => new Date(Math.floor(ms)).toISOString();

function planSprayAndTakeover(
  org: DemoOrganisation,
  script: StoryScript,
  plan: Plan,
): Pick<DemoStoryCast, 'passwordSpray' | 'cloudTakeover'> {
  const rng = plan.rng;
  const { victim, targets, grantee } = script;
  const iam = victim.aws;
  if (iam === null) throw new Error('the spray victim has no IAM user');

  // Two passes over the target list, about a minute apart per guess; the victim's weak password falls on the
  // last guess of the second pass.
  let t = script.sprayStart;
  let guesses = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const target of targets) {
      const last = pass === 1 && target === victim;
      if (!last) recordPasswordFailure(plan, target, sprayClient, t, '/api/v1/authn', ANOMALOUS);
      guesses++;
      if (guesses === 12) recordThreatDetected(plan, sprayClient, t + rng.between(2, 8) * SECOND, 'Password Spray');
      if (!last) t += rng.between(45, 75) * SECOND;
    }
  }
  const passwordAcceptedAt = t;
  const sessionId = `102${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 22)}`;
  recordPolicyChallenge(plan, org, victim, sprayClient, t, sessionId, ANOMALOUS);

  // MFA fatigue: pushes every minute or so, denied, until one is accepted.
  const denied = 6;
  for (let i = 0; i < denied; i++) {
    t += rng.between(20, 70) * SECOND;
    recordPushSent(plan, victim, sprayClient, t, sessionId, ANOMALOUS);
    t += rng.between(12, 40) * SECOND;
    recordPushDenied(plan, victim, sprayClient, t, sessionId);
  }
  t += rng.between(30, 90) * SECOND;
  recordPushSent(plan, victim, sprayClient, t, sessionId, ANOMALOUS);
  t += rng.between(20, 50) * SECOND;
  recordMfaSuccess(plan, victim, sprayClient, t, sessionId, ANOMALOUS);
  t += rng.between(20, 60) * SECOND;
  const sessionStartedAt = t;
  recordSessionStart(plan, org, victim, attackerBrowser, t, sessionId, ANOMALOUS);

  t += rng.between(1, 3) * MINUTE;
  recordAdminConsoleAccess(plan, org, victim, attackerBrowser, t, sessionId);
  t += rng.between(2, 5) * MINUTE;
  const privilegeGrantedAt = t;
  recordPrivilegeGrant(plan, victim, attackerBrowser, t, sessionId, grantee, {
    id: 'SuperOrgAdmin',
    name: 'Super Organization Administrator',
    privilege: 'Super administrator',
  });
  for (const key of ['github', 'google']) {
    const app = victim.apps.find((a) => a.spec.key === key);
    t += rng.between(1, 4) * MINUTE;
    if (app) recordSso(plan, victim, attackerBrowser, t, sessionId, app);
  }

  // (b) The same person's AWS console password, no MFA required for it: the takeover of the account.
  const aws = org.aws;
  t += rng.between(12, 20) * MINUTE;
  const consoleLoginAt = t;
  recordConsoleLogin(plan, aws, iam, attackerOrigin.ip, browsers.winFirefox.rawUserAgent, t, false);
  const consoleKey = awsId(rng, 'ASIA');
  const victimConsole = iamUserIdentity(iam, aws.accountId, consoleKey, { createdAt: consoleLoginAt, mfa: false });
  const iamCall = (eventName: string, requestParameters: Record<string, unknown> | null, responseElements: Record<string, unknown> | null, readOnly: boolean): CallShape => ({
    eventSource: 'iam.amazonaws.com',
    eventName,
    region: 'us-east-1',
    requestParameters,
    responseElements,
    readOnly,
    category: 'Management',
    requestIdStyle: 'uuid',
    tlsHost: 'iam.amazonaws.com',
    command: '',
  });

  t += rng.between(40, 90) * SECOND;
  recordCall(plan, aws, t, iamCall('ListUsers', null, null, true), victimConsole, attackerOrigin.ip, 'AWS Internal', true);

  const backdoor = {
    userName: demoStoryMarkers.backdoorIamUser,
    userId: awsId(rng, 'AIDA'),
    arn: `arn:aws:iam::${aws.accountId}:user/${demoStoryMarkers.backdoorIamUser}`,
    accessKeyId: awsId(rng, 'AKIA'),
  };
  t += rng.between(60, 150) * SECOND;
  recordCall(
    plan,
    aws,
    t,
    iamCall('CreateUser', { userName: backdoor.userName, path: '/' }, { user: { path: '/', userName: backdoor.userName, userId: backdoor.userId, arn: backdoor.arn, createDate: cloudTrailDate(t) } }, false),
    victimConsole,
    attackerOrigin.ip,
    'AWS Internal',
    true,
  );
  t += rng.between(30, 80) * SECOND;
  recordCall(
    plan,
    aws,
    t,
    iamCall(
      'CreateAccessKey',
      { userName: backdoor.userName },
      { accessKey: { userName: backdoor.userName, accessKeyId: backdoor.accessKeyId, status: 'Active', createDate: cloudTrailDate(t) } },
      false,
    ),
    victimConsole,
    attackerOrigin.ip,
    'AWS Internal',
    true,
  );
  t += rng.between(20, 60) * SECOND;
  recordCall(
    plan,
    aws,
    t,
    iamCall('AttachUserPolicy', { userName: backdoor.userName, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, null, false),
    victimConsole,
    attackerOrigin.ip,
    'AWS Internal',
    true,
  );

  // From here on, the backdoor user's new key from a terminal.
  const backdoorIdentity = iamUserIdentity(backdoor, aws.accountId, backdoor.accessKeyId);
  const cli = (command: string): string => `${ATTACKER_CLI_AGENT}${command}`;
  t += rng.between(2, 5) * MINUTE;
  recordCall(plan, aws, t, management('sts', 'GetCallerIdentity', null, true), backdoorIdentity, attackerOrigin.ip, cli('sts.get-caller-identity'), false);
  t += rng.between(20, 60) * SECOND;
  recordCall(plan, aws, t, management('cloudtrail', 'DescribeTrails', { trailNameList: [], includeShadowTrails: true }, true), backdoorIdentity, attackerOrigin.ip, cli('cloudtrail.describe-trails'), false);
  t += rng.between(20, 60) * SECOND;
  const stopLoggingAt = t;
  recordCall(
    plan,
    aws,
    t,
    { ...management('cloudtrail', 'StopLogging', { name: aws.trail.arn }, false), responseElements: null },
    backdoorIdentity,
    attackerOrigin.ip,
    cli('cloudtrail.stop-logging'),
    false,
  );
  t += rng.between(30, 90) * SECOND;
  recordCall(
    plan,
    aws,
    t,
    {
      ...management('s3', 'ListBuckets', { Host: 's3.amazonaws.com' }, true),
      additionalEventData: s3AdditionalData(0, 4_812),
      requestIdStyle: 's3',
      tlsHost: 's3.amazonaws.com',
    },
    backdoorIdentity,
    attackerOrigin.ip,
    cli('s3.ls'),
    false,
  );

  const loot: AwsBucket[] = aws.buckets.filter((b) => (demoStoryMarkers.exfiltratedBuckets as readonly string[]).includes(b.name));
  for (const bucket of loot) {
    t += rng.between(10, 40) * SECOND;
    recordCall(plan, aws, t, s3Call(aws, 'ListObjects', bucket, '', rng.int(20_000, 90_000)), backdoorIdentity, attackerOrigin.ip, cli('s3.sync'), false);
  }
  const objectsRead = 150 + rng.int(0, 60);
  for (let i = 0; i < objectsRead; i++) {
    t += rng.between(4, 16) * SECOND;
    const bucket = rng.pick(loot);
    recordCall(plan, aws, t, s3Call(aws, 'GetObject', bucket, s3Key(rng, bucket, t), rng.int(1_000_000, 80_000_000)), backdoorIdentity, attackerOrigin.ip, cli('s3.sync'), false);
  }

  return {
    passwordSpray: {
      attackerIp: attackerOrigin.ip,
      victim: victim.email,
      targets: targets.map((u) => u.email),
      startedAt: iso(script.sprayStart),
      passwordAcceptedAt: iso(passwordAcceptedAt),
      pushesSent: denied + 1,
      pushesDenied: denied,
      sessionStartedAt: iso(sessionStartedAt),
      privilegeGrantedAt: iso(privilegeGrantedAt),
      privilegeGrantedTo: grantee.email,
    },
    cloudTakeover: {
      attackerIp: attackerOrigin.ip,
      iamUser: iam.userName,
      consoleLoginAt: iso(consoleLoginAt),
      backdoorIamUser: backdoor.userName,
      stopLoggingAt: iso(stopLoggingAt),
      trail: aws.trail.name,
      objectsRead,
    },
  };
}

/** A management call made with the attacker's CLI in us-east-1. */
function management(service: string, eventName: string, requestParameters: Record<string, unknown> | null, readOnly: boolean): CallShape {
  return {
    eventSource: `${service}.amazonaws.com`,
    eventName,
    region: 'us-east-1',
    requestParameters,
    responseElements: null,
    readOnly,
    category: 'Management',
    requestIdStyle: 'uuid',
    tlsHost: `${service}.us-east-1.amazonaws.com`,
    command: '',
  };
}

function planImpossibleTravel(org: DemoOrganisation, script: StoryScript, plan: Plan): DemoStoryCast['impossibleTravel'] {
  const rng = plan.rng;
  const user = script.traveler;
  const home = browserClient(user, user.homeOrigin);
  const { sessionId, startedAt } = recordSignIn(plan, org, user, home, script.homeSignInAt);
  let t = startedAt;
  for (const app of user.apps.filter((a) => ['slack', 'google', 'salesforce', 'zoom'].includes(a.spec.key))) {
    t += rng.between(20, 300) * SECOND;
    recordSso(plan, user, home, t, sessionId, app);
  }

  // Forty minutes after the home sign-in, the same account signs in from another continent on another device.
  const foreignBrowser = user.browser.os === 'Windows 10' ? browsers.macChrome : browsers.winChrome;
  const abroad: OktaClient = { origin: travelOrigin, userAgent: foreignBrowser, device: 'Computer' };
  const foreignAt = script.homeSignInAt + 40 * MINUTE;
  const foreign = recordSignIn(plan, org, user, abroad, foreignAt, { risk: { anomalous: true, threatSuspected: false } });
  t = foreign.startedAt;
  for (const app of user.apps.filter((a) => ['salesforce', 'google'].includes(a.spec.key))) {
    t += rng.between(30, 240) * SECOND;
    recordSso(plan, user, abroad, t, foreign.sessionId, app);
  }
  // The person at home carries on with their day.
  const rest = user.apps.filter((a) => a.spec.dailyUse < 0.9 && a.spec.dailyUse > 0.3);
  for (const app of rest) {
    t = startedAt + rng.between(1.5, 7) * HOUR_MS;
    recordSso(plan, user, home, t, sessionId, app);
  }
  return {
    user: user.email,
    homeIp: user.homeOrigin.ip,
    homeCity: user.homeOrigin.place.city,
    homeSignInAt: iso(script.homeSignInAt),
    foreignIp: travelOrigin.ip,
    foreignCity: singaporePlace.city,
    foreignSignInAt: iso(foreignAt),
  };
}

const S3_CONSOLE_AGENT =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 Linux/5.10.228-219.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.432-b06 java/1.8.0_432 vendor/Oracle_Corporation cfg/retry-mode/standard]';

function planRootExposure(org: DemoOrganisation, script: StoryScript, plan: Plan): DemoStoryCast['rootBucketExposure'] {
  const rng = plan.rng;
  const aws = org.aws;
  const ip = demoStoryMarkers.rootConsoleIp;
  const bucket = demoStoryMarkers.exposedBucket;
  let t = script.rootAt;
  const consoleLoginAt = t;
  plan.cloudtrail(t, (r) =>
    cloudTrailRecord(consoleLoginAt, r, aws.accountId, {
      identity: rootIdentity(aws.accountId),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      region: 'us-east-1',
      sourceIp: ip,
      userAgent: browsers.winChrome.rawUserAgent,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: 'No' },
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      category: 'Management',
      requestIdStyle: 'none',
      tlsHost: 'signin.aws.amazon.com',
    }),
  );
  const identity = rootIdentity(aws.accountId, { accessKeyId: awsId(rng, 'ASIA'), createdAt: consoleLoginAt });
  const host = `${bucket}.s3.us-east-1.amazonaws.com`;
  const s3Management = (eventName: string, requestParameters: Record<string, unknown>): CallShape => ({
    eventSource: 's3.amazonaws.com',
    eventName,
    region: 'us-east-1',
    requestParameters,
    responseElements: null,
    additionalEventData: s3AdditionalData(0, 0),
    readOnly: false,
    resources: s3BucketResources(aws.accountId, bucket),
    category: 'Management',
    requestIdStyle: 's3',
    tlsHost: host,
    command: '',
  });
  t += rng.between(2, 4) * MINUTE;
  recordCall(plan, aws, t, s3Management('DeleteBucketPublicAccessBlock', { bucketName: bucket, Host: host, publicAccessBlock: '' }), identity, ip, S3_CONSOLE_AGENT, true);
  t += rng.between(40, 120) * SECOND;
  const policyChangedAt = t;
  recordCall(
    plan,
    aws,
    t,
    s3Management('PutBucketPolicy', {
      bucketPolicy: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'PublicReadGetObject', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
      },
      bucketName: bucket,
      Host: host,
      policy: [''],
    }),
    identity,
    ip,
    S3_CONSOLE_AGENT,
    true,
  );
  return { sourceIp: ip, consoleLoginAt: iso(consoleLoginAt), bucket, policyChangedAt: iso(policyChangedAt) };
}


/** Apps a person opens first thing, for the stories' SSO steps. */
function everydayApps(user: DemoUser, count: number): DemoApp[] {
  return [...user.apps].sort((a, b) => b.spec.dailyUse - a.spec.dailyUse).slice(0, count);
}

function planDormantReactivation(org: DemoOrganisation, script: StoryScript, lastDay: Plan, reactivation: Plan): DemoStoryCast['dormantAccount'] {
  const user = script.sleeper;
  // The last genuine day before the leave: a sign-in at home and the usual apps.
  const home = browserClient(user, user.homeOrigin);
  const genuine = recordSignIn(lastDay, org, user, home, script.sleeperLastActiveAt);
  let t = genuine.startedAt;
  for (const app of everydayApps(user, 3)) {
    t += lastDay.rng.between(1, 20) * MINUTE;
    recordSso(lastDay, user, home, t, genuine.sessionId, app);
  }

  // Weeks later, someone with the password signs in from a hosting network on another browser; the push is
  // approved (the person, on leave, taps it without thinking), and the account reads mail and files.
  const rng = reactivation.rng;
  const intruder: OktaClient = { origin: dormantOrigin, userAgent: otherBrowser(user), device: 'Computer' };
  const signIn = recordSignIn(reactivation, org, user, intruder, script.dormantSignInAt, { risk: { anomalous: true, threatSuspected: false } });
  t = signIn.startedAt;
  for (const app of everydayApps(user, 2)) {
    t += rng.between(1, 6) * MINUTE;
    recordSso(reactivation, user, intruder, t, signIn.sessionId, app);
  }
  return {
    user: user.email,
    lastActiveAt: iso(genuine.startedAt),
    signInAt: iso(signIn.startedAt),
    inactiveDays: Math.floor((signIn.startedAt - genuine.startedAt) / DAY_MS),
    sourceIp: dormantOrigin.ip,
    sourceCity: dormantOrigin.place.city,
  };
}

function planSessionHijack(org: DemoOrganisation, script: StoryScript, plan: Plan): DemoStoryCast['sessionHijack'] {
  const rng = plan.rng;
  const user = script.hijacked;
  const home = browserClient(user, user.homeOrigin);
  const { sessionId, startedAt } = recordSignIn(plan, org, user, home, script.hijackSignInAt);
  const apps = everydayApps(user, 4);
  let t = startedAt;
  for (const app of apps.slice(0, 2)) {
    t += rng.between(1, 10) * MINUTE;
    recordSso(plan, user, home, t, sessionId, app);
  }

  // An infostealer took the session cookie: the thief opens the person's apps inside the same Okta session,
  // from a hosting network in the same city, on another browser. No password, no MFA: just the session.
  const thief: OktaClient = { origin: hijackOrigin(user), userAgent: otherBrowser(user), device: 'Computer' };
  t = startedAt + rng.between(60, 120) * MINUTE;
  const firstReuseAt = t;
  let reusedEvents = 0;
  for (const app of apps) {
    recordSso(plan, user, thief, t, sessionId, app);
    reusedEvents++;
    t += rng.between(1, 5) * MINUTE;
  }
  // The person carries on at home in the same session.
  t += rng.between(20, 90) * MINUTE;
  recordSso(plan, user, home, t, sessionId, apps[0]!);
  return {
    user: user.email,
    sessionId,
    signInAt: iso(startedAt),
    homeIp: user.homeOrigin.ip,
    hijackIp: demoStoryMarkers.sessionHijackIp,
    firstReuseAt: iso(firstReuseAt),
    reusedEvents,
  };
}
