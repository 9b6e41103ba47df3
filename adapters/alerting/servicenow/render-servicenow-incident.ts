/**
 * ServiceNow destination settings and the pure transform from an AlertNotification to Table API bodies for the
 * `incident` table (https://docs.servicenow.com/bundle/utah-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html).
 *
 * Invariants:
 * - Field lengths stay within the base incident dictionary — short_description 160, description, work_notes and
 *   close_notes 4,000, correlation_id and correlation_display 100 — because ServiceNow silently truncates longer
 *   values instead of rejecting them.
 * - correlation_id identifies the alert (its dedupKey, or `sha256:<hex>` of it when it is too long or holds
 *   characters that mean something in an encoded query such as `^`), so a retried trigger finds the incident it
 *   already created.
 * - The description is plain text; the link and the rule's attribution (a licence obligation) are reserved
 *   first, so truncating the other parts never drops them.
 */
import { z } from 'zod';
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import type { Severity } from '../../../core/schema/event';

const secretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of a Worker secret (e.g. SERVICENOW_PASSWORD), not the value itself');
const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id: 32 lower-case hexadecimal characters');

export const serviceNowConfigSchema = z
  .object({
    /** `https://<instance>.service-now.com` */
    instanceUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    /** Basic auth: a ServiceNow user with the itil role (or rights to create and update incidents). */
    usernameSecret: secretName.optional(),
    passwordSecret: secretName.optional(),
    /** Bearer auth: an OAuth access token. */
    oauthTokenSecret: secretName.optional(),
    /** sys_id of the sys_user_group the incident is assigned to. */
    assignmentGroup: sysId.optional(),
    /** sys_id of the sys_user shown as the caller (an integration user, typically). */
    callerId: sysId.optional(),
    /** An incident category choice value, e.g. `network`, `software`, `inquiry`. */
    category: z.string().trim().min(1).max(40).optional(),
    /** close_code on resolve: a choice value of incident.close_code on the instance. */
    resolveCloseCode: z.string().trim().min(1).max(40).default('Resolved by caller'),
  })
  .refine((c) => (c.oauthTokenSecret ? !c.usernameSecret && !c.passwordSecret : Boolean(c.usernameSecret && c.passwordSecret)), {
    message: 'set usernameSecret and passwordSecret (Basic auth) or oauthTokenSecret (Bearer), not both',
  });
export type ServiceNowConfig = z.infer<typeof serviceNowConfigSchema>;

/** max_length of the base-system fields this adapter writes. */
export const serviceNowLimits = { shortDescription: 160, description: 4000, journal: 4000, closeNotes: 4000, correlationId: 100 } as const;

type Level = '1' | '2' | '3';

/**
 * Impact (how much is affected) and urgency (how fast it must be handled), 1 = High … 3 = Low; the instance's
 * priority lookup makes 1/1 → P1 Critical, 2/1 → P2 High, 2/2 → P3 Moderate, 3/3 → P5 Planning.
 * A high alert is urgent (an attacker may still be active) but, until triage says otherwise, concerns one
 * identity or host: impact 2, urgency 1.
 */
export const serviceNowImpactUrgency: Readonly<Record<Severity, { impact: Level; urgency: Level }>> = {
  critical: { impact: '1', urgency: '1' },
  high: { impact: '2', urgency: '1' },
  medium: { impact: '2', urgency: '2' },
  low: { impact: '3', urgency: '3' },
  info: { impact: '3', urgency: '3' },
};

/** Incident states of the base state model (https://support.servicenow.com/kb?id=kb_article_view&sysparm_article=KB0564465). */
export const incidentState = { new: '1', inProgress: '2', onHold: '3', resolved: '6', closed: '7', canceled: '8' } as const;

export const correlationDisplay = 'Mantissa Log';

/** The alert's dedupKey when it is safe inside an encoded query and fits 100 characters; else `sha256:<hex>`. */
export async function serviceNowCorrelationId(dedupKey: string): Promise<string> {
  if (/^[A-Za-z0-9._:@/-]{1,100}$/.test(dedupKey)) return dedupKey;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(dedupKey));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The encoded query finding the open incident of an alert: active, not already resolved. */
export function openIncidentQuery(correlationId: string): string {
  return `correlation_id=${correlationId}^active=true^state!=${incidentState.resolved}`;
}

export interface ServiceNowIncidentBody {
  short_description: string;
  description: string;
  impact: Level;
  urgency: Level;
  correlation_id: string;
  correlation_display: string;
  caller_id?: string;
  assignment_group?: string;
  category?: string;
}

export function renderServiceNowIncident(notification: AlertNotification, config: ServiceNowConfig, correlationId: string): ServiceNowIncidentBody {
  const alert = notification.alert;
  return {
    short_description: clip(oneLine(alert.title), serviceNowLimits.shortDescription) || clip(`Mantissa Log alert: ${oneLine(alert.ruleName)}`, serviceNowLimits.shortDescription),
    description: renderServiceNowDescription(alert),
    ...serviceNowImpactUrgency[alert.severity],
    correlation_id: correlationId,
    correlation_display: correlationDisplay,
    ...(config.callerId ? { caller_id: config.callerId } : {}),
    ...(config.assignmentGroup ? { assignment_group: config.assignmentGroup } : {}),
    ...(config.category ? { category: config.category } : {}),
  };
}

const bounds = { summary: 1000, attribution: 1000, url: 500, entities: 20, entityChars: 128, enrichment: 10, enrichmentChars: 300, evidenceRows: 10, evidenceRowChars: 600, tags: 10 } as const;

export function renderServiceNowDescription(alert: NotificationAlert): string {
  const tail = [`Open the alert in Mantissa Log: ${clip(oneLine(alert.url), bounds.url)}`, ...(alert.attribution ? [`Rule attribution: ${clip(cleanText(alert.attribution), bounds.attribution)}`] : [])].join('\n\n');
  const facts = [
    `Severity: ${alert.severity}`,
    `Rule: ${clip(oneLine(alert.ruleName), 200)} (${clip(alert.ruleId, 200)})`,
    `Events: ${alert.count}, first seen ${alert.firstSeen}, last seen ${alert.lastSeen}`,
    ...(alert.sources.length > 0 ? [`Sources: ${listText(alert.sources, bounds.tags)}`] : []),
    ...(alert.tags.length > 0 ? [`Tags: ${listText(alert.tags, bounds.tags)}`] : []),
  ].join('\n');
  const entities = [
    ...(alert.entities.users.length > 0 ? [`Users: ${listText(alert.entities.users, bounds.entities)}`] : []),
    ...(alert.entities.ips.length > 0 ? [`IP addresses: ${listText(alert.entities.ips, bounds.entities)}`] : []),
    ...(alert.entities.hosts.length > 0 ? [`Hosts: ${listText(alert.entities.hosts, bounds.entities)}`] : []),
  ];
  const enrichment = alert.enrichment
    .slice(0, bounds.enrichment)
    .map((e) => `- ${clip(oneLine(e.subject), bounds.entityChars)} (${clip(oneLine(e.provider), 40)}): ${clip(oneLine(e.text), bounds.enrichmentChars)}`);
  const head = [
    ...(alert.summary ? [clip(cleanText(alert.summary), bounds.summary)] : []),
    facts,
    ...(entities.length > 0 ? [`Entities\n${entities.join('\n')}`] : []),
    ...(enrichment.length > 0 ? [`Enrichment\n${enrichment.join('\n')}`] : []),
  ].join('\n\n');

  const separator = '\n\n';
  const fittedHead = clip(head, serviceNowLimits.description - tail.length - separator.length * 2);
  let room = serviceNowLimits.description - fittedHead.length - tail.length - separator.length * 2 - 60;
  const rows: string[] = [];
  for (const row of alert.evidence.slice(0, bounds.evidenceRows)) {
    const line = clip(oneLine(JSON.stringify(row) ?? '{}'), bounds.evidenceRowChars);
    if (line.length + 1 > room) break;
    rows.push(line);
    room -= line.length + 1;
  }
  const evidence = rows.length > 0 ? [`Evidence (${rows.length} of ${alert.evidence.length} sample events)\n${rows.join('\n')}`] : [];
  return [fittedHead, ...evidence, tail].join(separator);
}

function listText(values: readonly string[], max: number): string {
  const shown = values.slice(0, max).map((v) => clip(oneLine(v), bounds.entityChars));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/**
 * The work note of an acknowledge, or the resolution of a resolve: "Close code and Close notes fields are mandatory
 * whenever an incident is Resolved or Closed"
 * (https://docs.servicenow.com/bundle/helsinki-it-service-management/page/product/incident-management/reference/r_BestPracticeIncidentResolutionWorkflow.html).
 */
export function renderServiceNowUpdate(notification: AlertNotification, config: ServiceNowConfig): Record<string, string> {
  const alert = notification.alert;
  const who = notification.actor ? ` by ${clip(oneLine(notification.actor), 200)}` : '';
  const link = `Open the alert in Mantissa Log: ${clip(oneLine(alert.url), bounds.url)}`;
  if (notification.kind === 'acknowledge') {
    return { state: incidentState.inProgress, work_notes: `Acknowledged in Mantissa Log${who} at ${notification.at}.\n${link}` };
  }
  const what = alert.status === 'false_positive' ? 'Marked a false positive' : 'Resolved';
  return { state: incidentState.resolved, close_code: config.resolveCloseCode, close_notes: `${what} in Mantissa Log${who} at ${notification.at}.\n${link}` };
}

// Bidi embeddings, overrides and isolates could make text read differently from what it says.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Well-formed text without control characters other than newline and tab. */
export function cleanText(value: string): string {
  return value
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(bidiControls, '')
    .replace(/[^\P{Cc}\n\t]/gu, '');
}

export function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

/** At most `max` UTF-16 code units, never splitting a surrogate pair; an ellipsis marks the cut. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}
