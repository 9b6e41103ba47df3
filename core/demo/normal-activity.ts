/**
 * The everyday rhythm of the organisation: what one user does on one local calendar day, and what the
 * machines do on one UTC day.
 *
 * On a working day a user signs in to Okta around their usual hour (from the office on their office days,
 * otherwise from home), opens their apps through SSO, sometimes signs out in the evening, sometimes comes back
 * after dinner, now and then mistypes the password first. Admins do some directory work; engineers work in
 * AWS and trigger CI. Weekends are quiet: a few check-ins, the occasional on-call engineer.
 *
 * Invariants:
 * - A user-day plan only records steps in [local midnight, local midnight + 30 h) of its day (see timeline.ts).
 * - All randomness comes from the plan's stream, so a day looks the same whatever window it is generated in.
 */
import { recordEngineerAwsDay, recordHourlyRollup } from './aws-activity';
import { browserClient } from './okta-events';
import { recordAdminTasks, recordSignIn, recordSignOut, recordSso } from './okta-flows';
import type { DemoOrganisation, DemoUser } from './organisation';
import type { Plan } from './timeline';
import { DAY_MS, HOUR_MS, dayOfWeek, isWeekday, localTimeToUtc } from './time-zones';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** How far past its local midnight a user-day plan may record steps. */
export const USER_DAY_SPAN_MS = 30 * HOUR_MS;

const ABSENCE_RATE = 0.05;
const MISTYPE_RATE = 0.035;
const EVENING_RATE = 0.12;
const IDLE_REAUTH_RATE = 0.25;
const WEEKEND_CHECK_IN_RATE = 0.12;
const ON_CALL_RATE = 0.06;

export function planUserDay(plan: Plan, org: DemoOrganisation, user: DemoUser, day: number): void {
  if (isWeekday(day)) planWorkday(plan, org, user, day);
  else planWeekendDay(plan, org, user, day);
}

function planWorkday(plan: Plan, org: DemoOrganisation, user: DemoUser, day: number): void {
  const rng = plan.rng;
  if (rng.chance(ABSENCE_RATE)) return;
  const atOffice = !user.remote && user.officeDays.includes(dayOfWeek(day)) && !rng.chance(0.1);
  const origin = atOffice ? user.officeOrigin : user.homeOrigin;
  const client = browserClient(user, origin);
  const signInHour = Math.min(11, Math.max(6.6, rng.normal(user.startHour, 0.35)));
  const t0 = localTimeToUtc(user.zone, day, signInHour);
  const workMs = rng.between(7.5, 9.5) * HOUR_MS;

  const { sessionId, startedAt } = recordSignIn(plan, org, user, client, t0, { mistype: rng.chance(MISTYPE_RATE) });
  for (const app of user.apps) {
    if (!rng.chance(app.spec.dailyUse)) continue;
    const firstThing = app.spec.key === 'slack' || app.spec.key === 'google';
    const t = firstThing ? startedAt + rng.between(2, 90) * SECOND : startedAt + rng.between(5 * MINUTE, workMs);
    recordSso(plan, user, client, t, sessionId, app);
  }
  if (rng.chance(0.3)) recordSignOut(plan, user, client, startedAt + workMs + rng.between(0, 20) * MINUTE, sessionId);
  if (rng.chance(IDLE_REAUTH_RATE)) {
    // The session idled out over lunch: sign in again and reopen an app or two.
    recordBriefVisit(plan, org, user, client, startedAt + rng.between(3.5, 5.5) * HOUR_MS);
  }

  if (user.adminRole !== null && rng.chance(0.65)) {
    recordAdminTasks(plan, org, user, client, startedAt + rng.between(0.5, 6) * HOUR_MS, sessionId, org.users);
  }
  if (user.aws !== null && rng.chance(0.88)) {
    recordEngineerAwsDay(plan, org, user, user.aws, {
      workStart: startedAt,
      workEnd: startedAt + workMs,
      sourceIp: origin.ip,
      consoleChance: 0.5,
      cliBursts: [2, 5],
      ciRuns: true,
    });
  }
  if (rng.chance(EVENING_RATE)) {
    const evening = browserClient(user, user.homeOrigin);
    const t = localTimeToUtc(user.zone, day, rng.between(19.3, 22.3));
    recordBriefVisit(plan, org, user, evening, t);
  }
}

function planWeekendDay(plan: Plan, org: DemoOrganisation, user: DemoUser, day: number): void {
  const rng = plan.rng;
  const client = browserClient(user, user.homeOrigin);
  if (rng.chance(WEEKEND_CHECK_IN_RATE)) {
    recordBriefVisit(plan, org, user, client, localTimeToUtc(user.zone, day, rng.between(10, 20)));
  }
  if (user.aws !== null && rng.chance(ON_CALL_RATE)) {
    const t0 = localTimeToUtc(user.zone, day, rng.between(9, 18));
    const { sessionId, startedAt } = recordSignIn(plan, org, user, client, t0);
    const slack = user.apps.find((a) => a.spec.key === 'slack');
    if (slack) recordSso(plan, user, client, startedAt + rng.between(5, 60) * SECOND, sessionId, slack);
    recordEngineerAwsDay(plan, org, user, user.aws, {
      workStart: startedAt,
      workEnd: startedAt + rng.between(0.8, 2) * HOUR_MS,
      sourceIp: user.homeOrigin.ip,
      consoleChance: 0.2,
      cliBursts: [1, 1],
      ciRuns: false,
    });
  }
}

/** A short sign-in to check one or two apps (evenings, weekends). */
function recordBriefVisit(plan: Plan, org: DemoOrganisation, user: DemoUser, client: ReturnType<typeof browserClient>, t0: number): void {
  const rng = plan.rng;
  const { sessionId, startedAt } = recordSignIn(plan, org, user, client, t0, { mistype: rng.chance(MISTYPE_RATE * 1.5) });
  const apps = rng.sample(
    user.apps.filter((a) => ['slack', 'google', 'github', 'salesforce', 'zendesk', 'jira', 'netsuite'].includes(a.spec.key)),
    rng.int(1, 2),
  );
  let t = startedAt;
  for (const app of apps) {
    t += rng.between(5, 600) * SECOND;
    recordSso(plan, user, client, t, sessionId, app);
  }
}

/** Machine activity on one UTC day: the hourly metrics roll-up Lambda. */
export function planFleetDay(plan: Plan, org: DemoOrganisation, utcDay: number): void {
  for (let hour = 0; hour < 24; hour++) {
    recordHourlyRollup(plan, org.aws, utcDay * DAY_MS + hour * HOUR_MS + plan.rng.between(0.3, 3) * SECOND);
  }
}
