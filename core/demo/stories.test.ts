import { describe, expect, it } from 'vitest';
import { describeDemoStories, generateDemoDataset, type DemoDataset } from './dataset';
import { demoStoryMarkers } from './stories';

const END = '2026-11-27T16:00:00Z';
const dataset = generateDemoDataset({ end: END });
const { okta, cloudtrail, stories } = dataset;
const at = (iso: string): number => Date.parse(iso);
const oktaTime = (e: DemoDataset['okta'][number]) => at(e.published);
const ctTime = (e: DemoDataset['cloudtrail'][number]) => at(e.eventTime);
const fromAttacker = okta.filter((e) => e.client.ipAddress === demoStoryMarkers.attackerIp);

describe('(a) password spray, MFA fatigue and privilege grant', () => {
  const victim = stories.passwordSpray.victim;

  it('sprays about 30 accounts from one foreign address within about an hour', () => {
    const failures = fromAttacker.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE');
    const accounts = new Set(failures.map((e) => e.actor.alternateId));
    expect(accounts.size).toBe(30);
    expect(failures.length).toBeGreaterThanOrEqual(55);
    expect(failures.every((e) => e.outcome.reason === 'INVALID_CREDENTIALS')).toBe(true);
    expect(failures.every((e) => e.client.userAgent?.rawUserAgent === demoStoryMarkers.sprayUserAgent)).toBe(true);
    const span = oktaTime(failures[failures.length - 1]!) - oktaTime(failures[0]!);
    expect(span).toBeGreaterThan(45 * 60_000);
    expect(span).toBeLessThan(75 * 60_000);
    const geo = failures[0]!.client.geographicalContext;
    expect(geo?.city).toBe(demoStoryMarkers.attackerCity);
    expect(geo?.country).toBe('Romania');
    expect(failures[0]!.securityContext.isProxy).toBe(true);
  });

  it('accepts the password of exactly one account, the victim, after the failures', () => {
    const accepted = fromAttacker.filter((e) => e.eventType === 'policy.evaluate_sign_on');
    expect(accepted.map((e) => e.actor.alternateId)).toEqual([victim]);
    expect(accepted[0]!.published).toBe(stories.passwordSpray.passwordAcceptedAt);
    const failures = fromAttacker.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE');
    expect(oktaTime(accepted[0]!)).toBeGreaterThan(oktaTime(failures[failures.length - 1]!));
  });

  it('floods the victim with pushes they deny, until one is accepted and a session starts from the same address', () => {
    const after = fromAttacker.filter((e) => e.actor.alternateId === victim && e.published >= stories.passwordSpray.passwordAcceptedAt);
    const types = after.map((e) => e.eventType);
    const pushes = types.filter((t) => t === 'system.push.send_factor_verify_push').length;
    const denials = types.filter((t) => t === 'user.mfa.okta_verify.deny_push').length;
    expect(pushes).toBe(stories.passwordSpray.pushesSent);
    expect(denials).toBe(stories.passwordSpray.pushesDenied);
    expect(denials).toBeGreaterThanOrEqual(5);
    const accepted = after.findIndex((e) => e.eventType === 'user.authentication.auth_via_mfa' && e.outcome.result === 'SUCCESS');
    const session = after.findIndex((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    const lastDenial = types.lastIndexOf('user.mfa.okta_verify.deny_push');
    expect(accepted).toBeGreaterThan(lastDenial);
    expect(session).toBeGreaterThan(accepted);
    expect(after[accepted]!.debugContext.debugData.factor).toBe('OKTA_VERIFY_PUSH');
    expect(after[session]!.published).toBe(stories.passwordSpray.sessionStartedAt);
    const sessionIds = new Set(after.filter((e) => e.eventType !== 'user.account.privilege.grant').map((e) => e.authenticationContext.externalSessionId));
    expect(sessionIds.size).toBe(1);
  });

  it('grants an admin role from the same address, by the victim, after the session started', () => {
    const grants = okta.filter((e) => e.eventType === 'user.account.privilege.grant');
    expect(grants).toHaveLength(1);
    const grant = grants[0]!;
    expect(grant.client.ipAddress).toBe(demoStoryMarkers.attackerIp);
    expect(grant.actor.alternateId).toBe(victim);
    expect(grant.target?.[0]?.alternateId).toBe(stories.passwordSpray.privilegeGrantedTo);
    expect(grant.debugContext.debugData.privilegeGranted).toBe('Super administrator');
    expect(grant.published > stories.passwordSpray.sessionStartedAt).toBe(true);
  });

  it('has Okta ThreatInsight flag the spray', () => {
    const detections = okta.filter((e) => e.eventType === 'security.threat.detected');
    expect(detections).toHaveLength(1);
    expect(detections[0]!.client.ipAddress).toBe(demoStoryMarkers.attackerIp);
    expect(detections[0]!.outcome.reason).toBe('Password Spray');
  });
});

describe('(b) the compromised engineer in AWS', () => {
  const fromIp = cloudtrail.filter((r) => r.sourceIPAddress === demoStoryMarkers.attackerIp);
  const takeover = stories.cloudTakeover;

  it("signs in to the console as the victim's IAM user without MFA", () => {
    const login = fromIp.find((r) => r.eventName === 'ConsoleLogin');
    expect(login?.userIdentity).toMatchObject({ type: 'IAMUser', userName: takeover.iamUser });
    expect(login?.additionalEventData?.MFAUsed).toBe('No');
    expect(login?.responseElements?.ConsoleLogin).toBe('Success');
    expect(login?.eventTime).toBe(takeover.consoleLoginAt.replace(/\.\d{3}Z$/, 'Z'));
    expect(at(takeover.consoleLoginAt)).toBeGreaterThan(at(stories.passwordSpray.sessionStartedAt));
  });

  it('creates a backdoor IAM user with an access key and AdministratorAccess', () => {
    const created = fromIp.find((r) => r.eventName === 'CreateUser');
    const key = fromIp.find((r) => r.eventName === 'CreateAccessKey');
    const policy = fromIp.find((r) => r.eventName === 'AttachUserPolicy');
    expect(created?.requestParameters?.userName).toBe(demoStoryMarkers.backdoorIamUser);
    expect(key?.requestParameters?.userName).toBe(demoStoryMarkers.backdoorIamUser);
    // The key is for another user than the caller: what Sigma's aws_iam_backdoor_users_keys looks for.
    expect(key?.userIdentity.type === 'IAMUser' && key.userIdentity.arn.includes(demoStoryMarkers.backdoorIamUser)).toBe(false);
    expect(policy?.requestParameters).toEqual({ userName: demoStoryMarkers.backdoorIamUser, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    expect(ctTime(created!)).toBeLessThan(ctTime(key!));
    expect(ctTime(key!)).toBeLessThanOrEqual(ctTime(policy!));
  });

  it('stops CloudTrail logging with the new key, then lists buckets and reads many objects', () => {
    const stop = fromIp.find((r) => r.eventName === 'StopLogging');
    expect(stop?.eventSource).toBe('cloudtrail.amazonaws.com');
    expect(String(stop?.requestParameters?.name)).toContain(demoStoryMarkers.stoppedTrail);
    expect(stop?.userIdentity).toMatchObject({ type: 'IAMUser', userName: demoStoryMarkers.backdoorIamUser });
    const list = fromIp.find((r) => r.eventName === 'ListBuckets');
    expect(ctTime(list!)).toBeGreaterThanOrEqual(ctTime(stop!));
    const reads = fromIp.filter((r) => r.eventName === 'GetObject');
    expect(reads.length).toBe(takeover.objectsRead);
    expect(reads.length).toBeGreaterThanOrEqual(100);
    for (const read of reads) {
      expect(demoStoryMarkers.exfiltratedBuckets).toContain(read.requestParameters?.bucketName);
      expect(read.eventCategory).toBe('Data');
    }
  });
});

describe('(c) impossible travel', () => {
  const travel = stories.impossibleTravel;

  it('signs the same user in at home and, 40 minutes later, from another continent', () => {
    const starts = okta.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS' && e.actor.alternateId === travel.user);
    const foreign = starts.find((e) => e.client.ipAddress === travel.foreignIp);
    expect(foreign?.client.geographicalContext?.city).toBe(demoStoryMarkers.impossibleTravelCity);
    const home = starts.filter((e) => e.client.ipAddress === travel.homeIp && oktaTime(e) < oktaTime(foreign!)).at(-1);
    expect(home?.client.geographicalContext?.city).toBe(travel.homeCity);
    const minutes = (oktaTime(foreign!) - oktaTime(home!)) / 60_000;
    expect(minutes).toBeGreaterThan(38);
    expect(minutes).toBeLessThan(42);
    const km = distanceKm(home!.client.geographicalContext!.geolocation!, foreign!.client.geographicalContext!.geolocation!);
    expect(km).toBeGreaterThan(5_000);
    expect(home!.client.userAgent?.rawUserAgent).not.toBe(foreign!.client.userAgent?.rawUserAgent);
  });
});

describe('(d) root console sign-in and a public bucket', () => {
  const root = stories.rootBucketExposure;

  it('signs in as root without MFA and then makes the bucket public', () => {
    const rootRecords = cloudtrail.filter((r) => r.userIdentity.type === 'Root');
    expect(rootRecords.every((r) => r.sourceIPAddress === demoStoryMarkers.rootConsoleIp)).toBe(true);
    const login = rootRecords.find((r) => r.eventName === 'ConsoleLogin');
    expect(login?.additionalEventData?.MFAUsed).toBe('No');
    expect(login?.responseElements?.ConsoleLogin).toBe('Success');
    const policy = rootRecords.find((r) => r.eventName === 'PutBucketPolicy');
    expect(policy?.requestParameters?.bucketName).toBe(root.bucket);
    const statement = (policy?.requestParameters?.bucketPolicy as { Statement: { Principal: unknown; Effect: string }[] }).Statement[0];
    expect(statement).toMatchObject({ Principal: '*', Effect: 'Allow' });
    expect(ctTime(policy!)).toBeGreaterThan(ctTime(login!));
  });
});

describe('(e) dormant account reactivation', () => {
  const dormant = stories.dormantAccount;
  const own = okta.filter((e) => e.actor.alternateId === dormant.user && e.client.ipAddress !== demoStoryMarkers.attackerIp);

  it('is silent for more than ten days between its last genuine sign-in and the sign-in from the marker address', () => {
    const starts = own.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    const reactivation = starts.find((e) => e.client.ipAddress === demoStoryMarkers.dormantAccountIp);
    expect(reactivation?.published).toBe(dormant.signInAt);
    expect(reactivation?.client.geographicalContext?.city).toBe(demoStoryMarkers.dormantAccountCity);
    expect(reactivation?.securityContext.asNumber).toBe(demoStoryMarkers.dormantAccountAsn);
    const before = own.filter((e) => oktaTime(e) < at(dormant.signInAt) && e.client.ipAddress !== demoStoryMarkers.dormantAccountIp);
    expect(before.at(-1)!.published > dormant.lastActiveAt).toBe(true); // the last day's SSOs
    const lastStart = starts.filter((e) => oktaTime(e) < at(dormant.signInAt)).at(-1);
    expect(lastStart?.published).toBe(dormant.lastActiveAt);
    expect(dormant.inactiveDays).toBeGreaterThanOrEqual(10);
    const gapDays = (at(dormant.signInAt) - oktaTime(before.at(-1)!)) / 86_400_000;
    expect(gapDays).toBeGreaterThan(10);
    expect(reactivation?.client.userAgent?.rawUserAgent).not.toBe(starts[0]!.client.userAgent?.rawUserAgent);
  });
});

describe('(f) session hijack', () => {
  const hijack = stories.sessionHijack;
  const session = okta.filter((e) => e.authenticationContext.externalSessionId === hijack.sessionId);

  it('replays the person\'s Okta session from the marker address on another browser, no sign-in of its own', () => {
    const stolen = session.filter((e) => e.client.ipAddress === demoStoryMarkers.sessionHijackIp);
    expect(stolen).toHaveLength(hijack.reusedEvents);
    expect(stolen.every((e) => e.eventType === 'user.authentication.sso' && e.actor.alternateId === hijack.user)).toBe(true);
    expect(stolen[0]!.published).toBe(hijack.firstReuseAt);
    expect(stolen[0]!.securityContext.asNumber).toBe(demoStoryMarkers.sessionHijackAsn);
    const start = session.find((e) => e.eventType === 'user.session.start');
    expect(start?.client.ipAddress).toBe(hijack.homeIp);
    expect(start?.published).toBe(hijack.signInAt);
    expect(stolen[0]!.client.userAgent?.rawUserAgent).not.toBe(start?.client.userAgent?.rawUserAgent);
    expect(stolen[0]!.client.geographicalContext?.city).toBe(start?.client.geographicalContext?.city);
    const fromThief = okta.filter((e) => e.client.ipAddress === demoStoryMarkers.sessionHijackIp);
    expect(fromThief.filter((e) => e.eventType === 'user.session.start')).toEqual([]);
  });

  it('casts different people for (e) and (f), neither an admin nor in another story', () => {
    const others = [stories.passwordSpray.victim, stories.passwordSpray.privilegeGrantedTo, stories.impossibleTravel.user];
    expect(new Set([hijack.user, stories.dormantAccount.user, ...others]).size).toBe(5);
    const admins = dataset.organisation.users.filter((u) => u.oktaAdminRole !== null).map((u) => u.email);
    expect(admins).not.toContain(hijack.user);
    expect(admins).not.toContain(stories.dormantAccount.user);
  });
});

describe('story placement', () => {
  it.each([
    ['the shortest window', { end: END, days: 4 }],
    ['an end off the hour in another zone', { end: '2026-07-01T23:59:59.999+05:30', days: 9, seed: 4 }],
    ['a long window', { end: END, days: 30, seed: 7 }],
  ])('keeps every story inside %s', (_, options) => {
    const cast = describeDemoStories(options);
    const end = Date.parse(options.end);
    const start = end - options.days * 86_400_000;
    for (const time of [
      cast.passwordSpray.startedAt,
      cast.passwordSpray.privilegeGrantedAt,
      cast.cloudTakeover.stopLoggingAt,
      cast.impossibleTravel.homeSignInAt,
      cast.impossibleTravel.foreignSignInAt,
      cast.rootBucketExposure.consoleLoginAt,
      cast.dormantAccount.lastActiveAt,
      cast.dormantAccount.signInAt,
      cast.sessionHijack.signInAt,
      cast.sessionHijack.firstReuseAt,
    ]) {
      expect(Date.parse(time)).toBeGreaterThanOrEqual(start);
      expect(Date.parse(time)).toBeLessThan(end);
    }
  });

  it('places the spray three days before the end, and the stories on different days', () => {
    expect(stories.passwordSpray.startedAt.slice(0, 10)).toBe('2026-11-24');
    const days = new Set([stories.passwordSpray.startedAt, stories.impossibleTravel.homeSignInAt, stories.rootBucketExposure.consoleLoginAt].map((t) => t.slice(0, 10)));
    expect(days.size).toBe(3);
  });
});

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
