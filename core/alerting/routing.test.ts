import { describe, expect, it } from 'vitest';
import { dueEscalations, globMatches, quietHoursSchema, quietUntil, routeAlert, routeSchema, type RoutableAlert, type RoutingRules } from './routing';

const alert = (over: Partial<RoutableAlert> = {}): RoutableAlert => ({
  severity: 'high',
  ruleId: 'rule_abc',
  ruleName: 'Okta MFA Fatigue',
  sigmaId: '5c3f0a1e-0000-4000-8000-000000000001',
  tags: ['attack.credential-access', 'attack.t1621'],
  sources: ['okta'],
  ...over,
});

const rules = (routes: unknown[], defaultRoute?: RoutingRules['defaultRoute']): RoutingRules => ({
  routes: routes.map((r) => routeSchema.parse(r)),
  defaultRoute,
});

const now = new Date('2026-11-27T12:00:00Z');

describe('globMatches', () => {
  it.each([
    ['attack.t1110*', 'attack.t1110.003', true],
    ['attack.t1110*', 'attack.t1111', false],
    ['*fatigue*', 'Okta MFA Fatigue', true],
    ['rule_*', 'rule_abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['okta', 'OKTA', true],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});

describe('routeAlert', () => {
  it('takes the first matching route only, unless it continues', () => {
    const doc = rules([
      { name: 'page', match: { minSeverity: 'high' }, destinations: ['pagerduty'] },
      { name: 'chat', destinations: ['slack'] },
    ]);
    expect(routeAlert(doc, alert(), now).map((d) => d.destinationId)).toEqual(['pagerduty']);
    expect(routeAlert(doc, alert({ severity: 'low' }), now).map((d) => d.destinationId)).toEqual(['slack']);
    const both = rules([
      { name: 'page', match: { minSeverity: 'high' }, destinations: ['pagerduty', 'slack'], continue: true },
      { name: 'chat', destinations: ['slack', 'email'] },
    ]);
    expect(routeAlert(both, alert(), now).map((d) => [d.destinationId, d.route])).toEqual([
      ['pagerduty', 'page'],
      ['slack', 'page'],
      ['email', 'chat'],
    ]);
  });

  it('matches tags, rule ids, Sigma ids, names and sources', () => {
    const doc = (match: object) => rules([{ name: 'r', match, destinations: ['d'] }]);
    expect(routeAlert(doc({ tags: ['attack.t16*'] }), alert(), now)).toHaveLength(1);
    expect(routeAlert(doc({ tags: ['attack.t1110*'] }), alert(), now)).toHaveLength(0);
    expect(routeAlert(doc({ rules: ['sigma:5c3f0a1e-*'] }), alert(), now)).toHaveLength(1);
    expect(routeAlert(doc({ rules: ['*fatigue'] }), alert(), now)).toHaveLength(1);
    expect(routeAlert(doc({ sources: ['cloudtrail'] }), alert(), now)).toHaveLength(0);
    expect(routeAlert(doc({ severities: ['critical'], sources: ['okta'] }), alert(), now)).toHaveLength(0);
  });

  it('falls back to the default route, and to nobody without one', () => {
    const doc = rules([{ name: 'aws', match: { sources: ['cloudtrail'] }, destinations: ['aws-team'] }], { destinations: ['soc'] });
    expect(routeAlert(doc, alert(), now).map((d) => [d.destinationId, d.route])).toEqual([['soc', 'default']]);
    expect(routeAlert(rules([]), alert(), now)).toEqual([]);
  });
});

describe('quiet hours', () => {
  const quiet = quietHoursSchema.parse({ timezone: 'Europe/Paris', start: '22:00', end: '07:00', allowSeverity: 'critical' });

  it('holds a notification until the end of quiet hours in the route’s time zone', () => {
    // 23:30 in Paris (UTC+1 in November) → held until 07:00 Paris = 06:00 UTC.
    expect(quietUntil(quiet, 'high', new Date('2026-11-27T22:30:00Z')).toISOString()).toBe('2026-11-28T06:00:00.000Z');
    // 03:10 Paris, the same night.
    expect(quietUntil(quiet, 'high', new Date('2026-11-28T02:10:00Z')).toISOString()).toBe('2026-11-28T06:00:00.000Z');
  });

  it('sends at once outside quiet hours and for severe alerts', () => {
    const day = new Date('2026-11-27T12:00:00Z');
    expect(quietUntil(quiet, 'high', day)).toBe(day);
    const night = new Date('2026-11-27T22:30:00Z');
    expect(quietUntil(quiet, 'critical', night)).toBe(night);
  });

  it('honours the days the quiet hours start on, across midnight', () => {
    const weekend = quietHoursSchema.parse({ timezone: 'UTC', start: '20:00', end: '08:00', days: ['sat'] });
    // Saturday 2026-11-28 23:00 UTC: quiet. Sunday 02:00 belongs to Saturday night: quiet. Sunday 21:00: not.
    expect(quietUntil(weekend, 'low', new Date('2026-11-28T23:00:00Z')).toISOString()).toBe('2026-11-29T08:00:00.000Z');
    expect(quietUntil(weekend, 'low', new Date('2026-11-29T02:00:00Z')).toISOString()).toBe('2026-11-29T08:00:00.000Z');
    const sunday = new Date('2026-11-29T21:00:00Z');
    expect(quietUntil(weekend, 'low', sunday)).toBe(sunday);
  });

  it('refuses an unknown time zone and a malformed time', () => {
    expect(quietHoursSchema.safeParse({ timezone: 'Mars/Olympus', start: '22:00', end: '07:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ timezone: 'UTC', start: '25:00', end: '07:00' }).success).toBe(false);
  });

  it('applies a route’s quiet hours to its deliveries', () => {
    const doc = rules([{ name: 'night', destinations: ['email'], quietHours: { timezone: 'UTC', start: '00:00', end: '06:00' } }]);
    expect(routeAlert(doc, alert({ severity: 'medium' }), new Date('2026-11-27T03:00:00Z'))[0]!.notBefore).toBe('2026-11-27T06:00:00.000Z');
  });
});

describe('escalation', () => {
  it('is due once the alert has been open long enough', () => {
    const doc = rules([{ name: 'page', destinations: ['pd'], escalate: { afterMinutes: 15, destinations: ['pd-managers'] } }]);
    expect(dueEscalations(doc, alert(), 14)).toEqual([]);
    expect(dueEscalations(doc, alert(), 15)).toEqual([{ route: 'page', destinations: ['pd-managers'] }]);
  });
});
