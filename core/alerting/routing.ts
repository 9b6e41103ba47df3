/**
 * Alert routing, pure: which destinations hear about an alert, when (quiet hours), and who is told when nobody
 * acknowledges it (escalation). The document's shape is `routingDocumentSchema` (adapters/alerting/
 * routing-document.ts, which adds each destination type's settings); this module holds the route part and
 * the decisions.
 *
 * Routes are tried in order; the first that matches decides, unless it says `continue: true` (then later
 * routes add their destinations too). No match → `defaultRoute` when there is one, else nobody is notified
 * (the alert is still recorded and visible). Matching on a list is "any of"; the conditions of one route
 * must all hold. Patterns (`rules`, `tags`) are globs: `*` matches any run of characters, case-insensitively.
 */
import { z } from 'zod';
import { severities, type Severity } from '../schema/event';
import { severityRank } from './notification';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24-hour), e.g. 22:00');
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const quietHoursSchema = z.strictObject({
  /** IANA time zone, e.g. Europe/Paris. */
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris or America/New_York'),
  start: hhmm,
  end: hhmm,
  /** Days the quiet hours start on (default every day). */
  days: z.array(z.enum(weekdays)).min(1).default([...weekdays]),
  /** Alerts at or above this severity are sent anyway. */
  allowSeverity: z.enum(severities).default('critical'),
});
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const routeMatchSchema = z.strictObject({
  minSeverity: z.enum(severities).optional(),
  severities: z.array(z.enum(severities)).min(1).optional(),
  /** Globs over the rule's tags (`attack.t1110*`); any tag matching any pattern. */
  tags: z.array(z.string().min(1)).min(1).optional(),
  /** Globs over the rule's id (`rule_…`), its Sigma id as `sigma:<uuid>`, or its name. */
  rules: z.array(z.string().min(1)).min(1).optional(),
  /** Sources of the alert's events. */
  sources: z.array(z.string().min(1)).min(1).optional(),
});
export type RouteMatch = z.infer<typeof routeMatchSchema>;

export const routeSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  match: routeMatchSchema.default({}),
  destinations: z.array(z.string().min(1)).min(1),
  /** Keep trying the routes after this one. */
  continue: z.boolean().default(false),
  escalate: z
    .strictObject({
      afterMinutes: z.number().int().min(1).max(7 * 24 * 60),
      destinations: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  quietHours: quietHoursSchema.optional(),
});
export type Route = z.infer<typeof routeSchema>;

export const defaultRouteSchema = z.strictObject({
  destinations: z.array(z.string().min(1)).min(1),
  quietHours: quietHoursSchema.optional(),
});

/** What routing needs to know about an alert. */
export interface RoutableAlert {
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly sigmaId: string | null;
  readonly tags: readonly string[];
  readonly sources: readonly string[];
}

export interface RoutingRules {
  readonly routes: readonly Route[];
  readonly defaultRoute?: { destinations: readonly string[]; quietHours?: QuietHours | undefined } | undefined;
}

export interface RoutedDelivery {
  readonly destinationId: string;
  readonly route: string;
  /** Not sent before this time (end of quiet hours), ISO; `now` otherwise. */
  readonly notBefore: string;
}

export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.toLowerCase().split('*');
  const text = value.toLowerCase();
  if (parts.length === 1) return text === parts[0];
  if (!text.startsWith(parts[0]!) || !text.endsWith(parts.at(-1)!)) return false;
  let at = parts[0]!.length;
  const end = text.length - parts.at(-1)!.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return at <= end;
}

export function routeMatches(match: RouteMatch, alert: RoutableAlert): boolean {
  if (match.minSeverity && severityRank[alert.severity] < severityRank[match.minSeverity]) return false;
  if (match.severities && !match.severities.includes(alert.severity)) return false;
  if (match.tags && !match.tags.some((p) => alert.tags.some((t) => globMatches(p, t)))) return false;
  if (match.rules) {
    const names = [alert.ruleId, alert.ruleName, ...(alert.sigmaId ? [`sigma:${alert.sigmaId}`] : [])];
    if (!match.rules.some((p) => names.some((n) => globMatches(p, n)))) return false;
  }
  if (match.sources && !match.sources.some((s) => alert.sources.includes(s))) return false;
  return true;
}

/** The routes an alert takes, in order (first match, plus any after a `continue`). */
export function matchingRoutes(rules: RoutingRules, alert: RoutableAlert): Route[] {
  const out: Route[] = [];
  for (const route of rules.routes) {
    if (!routeMatches(route.match, alert)) continue;
    out.push(route);
    if (!route.continue) break;
  }
  return out;
}

/** Destinations for a new (or reopened) alert; one delivery per destination even when routes overlap. */
export function routeAlert(rules: RoutingRules, alert: RoutableAlert, now: Date): RoutedDelivery[] {
  const routes = matchingRoutes(rules, alert);
  const chosen: { name: string; destinations: readonly string[]; quietHours?: QuietHours | undefined }[] =
    routes.length > 0 ? routes : rules.defaultRoute ? [{ name: 'default', ...rules.defaultRoute }] : [];
  const seen = new Set<string>();
  const out: RoutedDelivery[] = [];
  for (const route of chosen) {
    const notBefore = route.quietHours ? quietUntil(route.quietHours, alert.severity, now) : now;
    for (const destinationId of route.destinations) {
      if (seen.has(destinationId)) continue;
      seen.add(destinationId);
      out.push({ destinationId, route: route.name, notBefore: notBefore.toISOString() });
    }
  }
  return out;
}

/** The escalations due for an alert still unacknowledged `minutesOpen` after it was triggered. */
export function dueEscalations(rules: RoutingRules, alert: RoutableAlert, minutesOpen: number): { route: string; destinations: readonly string[] }[] {
  return matchingRoutes(rules, alert)
    .filter((r) => r.escalate && minutesOpen >= r.escalate.afterMinutes)
    .map((r) => ({ route: r.name, destinations: r.escalate!.destinations }));
}

/** Every destination id a document refers to, with where, so an unknown one is reported by name. */
export function referencedDestinations(rules: RoutingRules): { id: string; where: string }[] {
  const out: { id: string; where: string }[] = [];
  rules.routes.forEach((r, i) => {
    for (const id of r.destinations) out.push({ id, where: `routes[${i}] (${r.name}).destinations` });
    for (const id of r.escalate?.destinations ?? []) out.push({ id, where: `routes[${i}] (${r.name}).escalate.destinations` });
  });
  for (const id of rules.defaultRoute?.destinations ?? []) out.push({ id, where: 'defaultRoute.destinations' });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Quiet hours

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  readonly weekday: (typeof weekdays)[number];
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, zone: string): LocalTime {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday!.toLowerCase().slice(0, 3) as LocalTime['weekday'], minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/**
 * When a notification held by quiet hours may go: `now` when outside them (or the alert is severe enough),
 * else the end of the quiet period in the route's time zone. Quiet hours that cross midnight
 * (22:00–07:00) belong to the day they start on. Across a daylight-saving change the end may be off by the
 * change (an hour), never more.
 */
export function quietUntil(quiet: QuietHours, severity: Severity, now: Date): Date {
  if (severityRank[severity] >= severityRank[quiet.allowSeverity]) return now;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return now;
  const local = localTime(now, quiet.timezone);
  const crossesMidnight = start > end;
  let inside: boolean;
  if (!crossesMidnight) inside = local.minutes >= start && local.minutes < end && quiet.days.includes(local.weekday);
  else if (local.minutes >= start) inside = quiet.days.includes(local.weekday);
  else if (local.minutes < end) inside = quiet.days.includes(previousDay(local.weekday));
  else inside = false;
  if (!inside) return now;
  const wait = (end - local.minutes + 1440) % 1440;
  const until = new Date(now.getTime() + wait * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

function previousDay(day: (typeof weekdays)[number]): (typeof weekdays)[number] {
  return weekdays[(weekdays.indexOf(day) + 6) % 7]!;
}
