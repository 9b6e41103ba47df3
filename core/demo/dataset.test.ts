import { describe, expect, it } from 'vitest';
import { cloudTrailRecordSchema } from './cloudtrail-wire-schema';
import {
  countDemoEvents,
  demoDatasetOptionsSchema,
  generateDemoDataset,
  iterateDemoEvents,
  MAX_IN_MEMORY_USER_DAYS,
  type DemoDataset,
} from './dataset';
import { oktaSystemLogEventSchema } from './okta-wire-schema';
import { demoStoryMarkers } from './stories';
import { localDayOf, localHourOf, isWeekday, timeZones, type TimeZone } from './time-zones';

const END = '2026-11-27T16:00:00Z';
const dataset = generateDemoDataset({ end: END });

const timeOf = {
  okta: (e: DemoDataset['okta'][number]) => Date.parse(e.published),
  cloudtrail: (e: DemoDataset['cloudtrail'][number]) => Date.parse(e.eventTime),
};

describe('generateDemoDataset determinism', () => {
  it('produces byte-identical events for the same options', () => {
    const again = generateDemoDataset({ end: END, seed: 1, users: 50, days: 14 });
    expect(JSON.stringify(again.okta)).toBe(JSON.stringify(dataset.okta));
    expect(JSON.stringify(again.cloudtrail)).toBe(JSON.stringify(dataset.cloudtrail));
    expect(again.stories).toEqual(dataset.stories);
  });

  it('produces different people and events for a different seed', () => {
    const other = generateDemoDataset({ end: END, seed: 2 });
    expect(other.organisation.users.map((u) => u.email)).not.toEqual(dataset.organisation.users.map((u) => u.email));
    expect(JSON.stringify(other.okta)).not.toBe(JSON.stringify(dataset.okta));
    expect(JSON.stringify(other.cloudtrail)).not.toBe(JSON.stringify(dataset.cloudtrail));
  });

  it('streams exactly the events it returns as arrays', () => {
    expect(JSON.stringify([...iterateDemoEvents({ end: END }, 'okta')])).toBe(JSON.stringify(dataset.okta));
    expect(JSON.stringify([...iterateDemoEvents({ end: END }, 'cloudtrail')])).toBe(JSON.stringify(dataset.cloudtrail));
  });

  it('counts exactly what it generates', () => {
    expect(countDemoEvents({ end: END })).toEqual({ okta: dataset.okta.length, cloudtrail: dataset.cloudtrail.length });
  });

  it('renders an ordinary user-day the same whatever window contains it', () => {
    // A window one day later shares 13 days; a quiet user's events on a shared day must be identical.
    const later = generateDemoDataset({ end: '2026-11-28T16:00:00Z' });
    const story = new Set([dataset.stories.impossibleTravel.user, dataset.stories.passwordSpray.victim, ...dataset.stories.passwordSpray.targets]);
    const quiet = dataset.organisation.users.find((u) => !story.has(u.email));
    expect(quiet).toBeDefined();
    const day = (e: DemoDataset['okta'][number]) =>
      e.actor.alternateId === quiet?.email && e.published >= '2026-11-18T00:00:00Z' && e.published < '2026-11-20T00:00:00Z';
    const mine = dataset.okta.filter(day);
    expect(mine.length).toBeGreaterThan(0);
    expect(JSON.stringify(later.okta.filter(day))).toBe(JSON.stringify(mine));
  });
});

describe('generateDemoDataset size and shape', () => {
  it('has on the order of 10,000–25,000 events for 50 users over 14 days', () => {
    const total = dataset.okta.length + dataset.cloudtrail.length;
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(25_000);
    expect(dataset.okta.length).toBeGreaterThan(3_000);
    expect(dataset.cloudtrail.length).toBeGreaterThan(3_000);
  });

  it('scales with users and with days', () => {
    const base = countDemoEvents({ end: END, users: 40, days: 8 });
    const moreUsers = countDemoEvents({ end: END, users: 80, days: 8 });
    const moreDays = countDemoEvents({ end: END, users: 40, days: 16 });
    const total = (c: { okta: number; cloudtrail: number }) => c.okta + c.cloudtrail;
    expect(total(moreUsers) / total(base)).toBeGreaterThan(1.6);
    expect(total(moreUsers) / total(base)).toBeLessThan(2.4);
    expect(total(moreDays) / total(base)).toBeGreaterThan(1.6);
    expect(total(moreDays) / total(base)).toBeLessThan(2.4);
  });

  it('keeps every event inside [end − days, end)', () => {
    const start = Date.parse(dataset.window.start);
    const end = Date.parse(dataset.window.end);
    expect(end - start).toBe(14 * 86_400_000);
    for (const e of dataset.okta) {
      expect(timeOf.okta(e)).toBeGreaterThanOrEqual(start);
      expect(timeOf.okta(e)).toBeLessThan(end);
    }
    for (const e of dataset.cloudtrail) {
      expect(timeOf.cloudtrail(e)).toBeGreaterThanOrEqual(start);
      expect(timeOf.cloudtrail(e)).toBeLessThan(end);
    }
  });

  it('keeps the window edges exact when end is not on a second, and with the shortest window', () => {
    const odd = generateDemoDataset({ end: '2026-03-09T07:30:00.250+01:00', days: 4, users: 12, seed: 9 });
    const start = Date.parse(odd.window.start);
    const end = Date.parse(odd.window.end);
    expect(odd.okta.length).toBeGreaterThan(0);
    for (const e of odd.okta) {
      expect(timeOf.okta(e)).toBeGreaterThanOrEqual(start);
      expect(timeOf.okta(e)).toBeLessThan(end);
    }
    // CloudTrail keeps whole seconds, so the first record may print up to 999 ms before the start.
    for (const e of odd.cloudtrail) {
      expect(timeOf.cloudtrail(e)).toBeGreaterThan(start - 1000);
      expect(timeOf.cloudtrail(e)).toBeLessThan(end);
    }
  });

  it('yields each source in time order', () => {
    for (let i = 1; i < dataset.okta.length; i++) {
      expect(dataset.okta[i - 1]!.published <= dataset.okta[i]!.published).toBe(true);
    }
    for (let i = 1; i < dataset.cloudtrail.length; i++) {
      expect(dataset.cloudtrail[i - 1]!.eventTime <= dataset.cloudtrail[i]!.eventTime).toBe(true);
    }
  });

  it('emits every Okta event in the System Log wire format', () => {
    for (const event of dataset.okta) {
      const result = oktaSystemLogEventSchema.safeParse(JSON.parse(JSON.stringify(event)));
      expect(result.success, result.error?.message).toBe(true);
    }
  });

  it('emits every CloudTrail record in the CloudTrail wire format', () => {
    for (const record of dataset.cloudtrail) {
      const result = cloudTrailRecordSchema.safeParse(JSON.parse(JSON.stringify(record)));
      expect(result.success, result.error?.message).toBe(true);
    }
  });

  it('gives every event its own id', () => {
    expect(new Set(dataset.okta.map((e) => e.uuid)).size).toBe(dataset.okta.length);
    expect(new Set(dataset.cloudtrail.map((e) => e.eventID)).size).toBe(dataset.cloudtrail.length);
  });

  it('makes Okta uuids version-1 UUIDs carrying the event time', () => {
    for (const e of dataset.okta.slice(0, 500)) {
      const [low, mid, high] = e.uuid.split('-');
      const ticks = (BigInt(`0x${high!.slice(1)}`) << 48n) | (BigInt(`0x${mid}`) << 32n) | BigInt(`0x${low}`);
      const ms = Number(ticks / 10_000n - 12_219_292_800_000n);
      expect(e.uuid[14]).toBe('1');
      expect(ms).toBe(timeOf.okta(e));
    }
  });

  it('includes console sign-ins with MFA, role sessions, S3, Lambda and the occasional AccessDenied', () => {
    const names = new Set(dataset.cloudtrail.map((r) => r.eventName));
    for (const name of ['ConsoleLogin', 'AssumeRole', 'DescribeInstances', 'GetObject', 'PutObject', 'ListBuckets', 'Invoke', 'GetCallerIdentity', 'DescribeLogGroups']) {
      expect(names, name).toContain(name);
    }
    const logins = dataset.cloudtrail.filter((r) => r.eventName === 'ConsoleLogin' && r.sourceIPAddress !== demoStoryMarkers.attackerIp && r.userIdentity.type === 'IAMUser');
    expect(logins.length).toBeGreaterThan(20);
    expect(logins.every((r) => r.additionalEventData?.MFAUsed === 'Yes')).toBe(true);
    const denied = dataset.cloudtrail.filter((r) => r.errorCode === 'AccessDenied');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.length / dataset.cloudtrail.length).toBeLessThan(0.03);
  });
});

describe('the everyday pattern', () => {
  const zoneOf = new Map<string, TimeZone>();
  for (const user of dataset.organisation.users) {
    const zone = Object.values(timeZones).find((z) => z.name === user.timeZone);
    if (zone) zoneOf.set(user.email, zone);
  }

  it('starts more than 80% of Okta sessions on local weekdays between 06:00 and 20:00', () => {
    const starts = dataset.okta.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    expect(starts.length).toBeGreaterThan(400);
    const inHours = starts.filter((e) => {
      const zone = zoneOf.get(e.actor.alternateId ?? '');
      if (!zone) throw new Error(`no zone for ${e.actor.alternateId}`);
      const t = timeOf.okta(e);
      const hour = localHourOf(zone, t);
      return isWeekday(localDayOf(zone, t)) && hour >= 6 && hour < 20;
    });
    expect(inHours.length / starts.length).toBeGreaterThan(0.8);
  });

  it('clusters morning sign-ins between 07:00 and 11:00 local time', () => {
    const starts = dataset.okta.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    const morning = starts.filter((e) => {
      const hour = localHourOf(zoneOf.get(e.actor.alternateId ?? '')!, timeOf.okta(e));
      return hour >= 7 && hour < 11;
    });
    expect(morning.length / starts.length).toBeGreaterThan(0.5);
  });

  it('has fewer sign-ins on weekends than on weekdays', () => {
    const starts = dataset.okta.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    const weekend = starts.filter((e) => !isWeekday(localDayOf(zoneOf.get(e.actor.alternateId ?? '')!, timeOf.okta(e))));
    // 4 weekend days vs 10 weekdays in the window; weekends are much quieter than 4/14 of the total.
    expect(weekend.length / starts.length).toBeLessThan(0.1);
  });

  it('follows each sign-in with an MFA verification in the same session', () => {
    const mfaSessions = new Set(
      dataset.okta.filter((e) => e.eventType === 'user.authentication.auth_via_mfa' && e.outcome.result === 'SUCCESS').map((e) => e.authenticationContext.externalSessionId),
    );
    const starts = dataset.okta.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'SUCCESS');
    expect(starts.every((e) => mfaSessions.has(e.authenticationContext.externalSessionId))).toBe(true);
  });

  it('has rare mistyped passwords, each followed by the same user signing in from the same address', () => {
    const failures = dataset.okta.filter(
      (e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE' && e.client.ipAddress !== demoStoryMarkers.attackerIp,
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(dataset.okta.filter((e) => e.eventType === 'user.session.start').length * 0.08);
    for (const failure of failures) {
      expect(failure.outcome.reason).toBe('INVALID_CREDENTIALS');
      const t = timeOf.okta(failure);
      const success = dataset.okta.find(
        (e) =>
          e.eventType === 'user.session.start' &&
          e.outcome.result === 'SUCCESS' &&
          e.actor.id === failure.actor.id &&
          e.client.ipAddress === failure.client.ipAddress &&
          timeOf.okta(e) > t &&
          timeOf.okta(e) - t < 5 * 60_000,
      );
      expect(success, `no sign-in after ${failure.uuid}`).toBeDefined();
    }
  });

  it('keeps each user on their own two addresses (office and home) outside the stories', () => {
    const travel = dataset.stories.impossibleTravel;
    const byUser = new Map<string, Set<string>>();
    for (const e of dataset.okta) {
      const ip = e.client.ipAddress;
      if (e.actor.type !== 'User' || ip === null || ip === demoStoryMarkers.attackerIp || ip === travel.foreignIp) continue;
      if (ip === demoStoryMarkers.dormantAccountIp || ip === demoStoryMarkers.sessionHijackIp) continue;
      const set = byUser.get(e.actor.id) ?? new Set<string>();
      set.add(ip);
      byUser.set(e.actor.id, set);
    }
    expect(byUser.size).toBeGreaterThan(40);
    for (const ips of byUser.values()) expect(ips.size).toBeLessThanOrEqual(2);
  });

  it('lets admins do directory work', () => {
    const adminTypes = new Set(dataset.okta.filter((e) => e.eventType.startsWith('group.user_membership') || e.eventType.startsWith('user.lifecycle')).map((e) => e.actor.alternateId));
    const admins = dataset.organisation.users.filter((u) => u.oktaAdminRole !== null).map((u) => u.email);
    expect(adminTypes.size).toBeGreaterThan(0);
    for (const actor of adminTypes) expect(admins).toContain(actor);
  });
});

describe('options', () => {
  it.each([
    [{ end: END, users: 5 }, 'users'],
    [{ end: END, days: 2 }, 'days'],
    [{ end: END, seed: 1.5 }, 'seed'],
    [{ end: 'yesterday' }, 'end'],
    [{ end: '2026-11-27T16:00:00' }, 'end'],
    [{}, 'end'],
    [{ end: END, colour: 'blue' }, ''],
  ])('rejects %o', (input, path) => {
    const result = demoDatasetOptionsSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (path) expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('fills defaults', () => {
    expect(demoDatasetOptionsSchema.parse({ end: END })).toEqual({ seed: 1, users: 50, days: 14, end: END });
  });

  it('refuses to hold a large dataset in memory and points at the stream', () => {
    expect(() => generateDemoDataset({ end: END, users: 1_000, days: MAX_IN_MEMORY_USER_DAYS / 1_000 + 1 })).toThrow(/iterateDemoEvents/);
  });
});
