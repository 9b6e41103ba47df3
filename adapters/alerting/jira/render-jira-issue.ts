/**
 * Jira Cloud destination settings and the pure transform from an AlertNotification to the bodies of
 * `POST /rest/api/3/issue` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post)
 * and `POST /rest/api/3/issue/{key}/comment` (…/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post).
 *
 * Invariants:
 * - `summary` is one line of at most 255 characters (Jira answers 400 "Summary must be less than 255
 *   characters." and "The summary is invalid because it contains newline characters.").
 * - Labels contain no whitespace (Jira answers 400 "The label '…' contains spaces which is invalid.") and are at
 *   most 255 characters.
 * - The description is valid ADF (adf.ts) and its JSON stays under Jira's 32,767-character text-field limit
 *   whatever the alert holds: every part is bounded and evidence gets what is left; if even that does not fit,
 *   the description falls back to the facts, the link and the attribution.
 * - The rule's attribution, when the alert has one, is always in the description.
 */
import { z } from 'zod';
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import { severities, type Severity } from '../../../core/schema/event';
import { adfLength, bulletList, clip, codeBlock, doc, heading, link, oneLine, paragraph, strong, text, type AdfBlock, type AdfDoc, type AdfInline } from './adf';

/** A Worker secret's name (upper-case, as `wrangler secret put` examples write them), never the value itself. */
const secretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of a Worker secret (e.g. JIRA_API_TOKEN), not the value itself');
const jiraLabel = z.string().regex(/^\S{1,255}$/, 'Jira labels cannot contain spaces and hold at most 255 characters');

export const defaultJiraPriorities: Readonly<Record<Severity, string>> = { critical: 'Highest', high: 'High', medium: 'Medium', low: 'Low', info: 'Lowest' };

export const jiraConfigSchema = z.object({
  /** `https://your-domain.atlassian.net` */
  baseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
  /** With it: Basic auth with email and API token (Jira Cloud API tokens). Without it: the token is sent as a Bearer token. */
  emailSecret: secretName.optional(),
  apiTokenSecret: secretName.default('JIRA_API_TOKEN'),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'a Jira project key such as SEC'),
  issueType: z.string().trim().min(1).default('Task'),
  /** Severity → priority name; `false` when the project's create screen has no Priority field. */
  priorities: z
    .union([z.literal(false), z.partialRecord(z.enum(severities), z.string().trim().min(1))])
    .optional()
    .transform((p) => (p === false ? null : { ...defaultJiraPriorities, ...p })),
  /** The workflow transition that resolves an issue, matched by name without regard to case. */
  resolveTransition: z.string().trim().min(1).default('Done'),
  labels: z.array(jiraLabel).max(20).default([]),
});
export type JiraConfig = z.infer<typeof jiraConfigSchema>;

export const jiraLimits = {
  summary: 255,
  label: 255,
  /** Jira's default limit for a text field such as the description or a comment body. */
  textField: 32_767,
} as const;

/** Below the text-field limit with room to spare, measured on the ADF JSON (the strictest reading of the limit). */
const descriptionBudget = 30_000;
const bounds = { entitiesPerKind: 10, entityChars: 128, tags: 10, tagChars: 64, sources: 5, enrichment: 10, enrichmentChars: 200, summary: 1500, attribution: 1500, ruleName: 256, evidenceRows: 10, evidenceChars: 6000, labels: 30 } as const;

export interface JiraIssueFields {
  project: { key: string };
  issuetype: { name: string };
  summary: string;
  priority?: { name: string };
  labels: string[];
  description: AdfDoc;
}

export function renderJiraIssueFields(notification: AlertNotification, config: JiraConfig): JiraIssueFields {
  const alert = notification.alert;
  const priority = config.priorities?.[alert.severity];
  return {
    project: { key: config.projectKey },
    issuetype: { name: config.issueType },
    summary: clip(oneLine(alert.title), jiraLimits.summary) || clip(`Mantissa Log alert: ${oneLine(alert.ruleName)}`, jiraLimits.summary),
    ...(priority ? { priority: { name: priority } } : {}),
    labels: jiraLabels(alert, config.labels),
    description: renderJiraDescription(alert),
  };
}

/** `mantissa-log`, `severity-<level>`, the configured labels, then the rule's tags with whitespace made `_`. */
export function jiraLabels(alert: NotificationAlert, configured: readonly string[]): string[] {
  const fromTags = alert.tags.map((t) => clip(oneLine(t).replace(/\s+/g, '_'), jiraLimits.label));
  return [...new Set(['mantissa-log', `severity-${alert.severity}`, ...configured, ...fromTags].filter((l) => l !== ''))].slice(0, bounds.labels);
}

export function renderJiraDescription(alert: NotificationAlert): AdfDoc {
  const factList = bulletList([
    [...strong('Severity: '), ...text(alert.severity)],
    [...strong('Rule: '), ...text(`${clip(oneLine(alert.ruleName), bounds.ruleName)} (${clip(alert.ruleId, bounds.ruleName)})`)],
    [...strong('Events: '), ...text(`${alert.count}, first seen ${alert.firstSeen}, last seen ${alert.lastSeen}`)],
    [...strong('Status: '), ...text(alert.status)],
    alert.sources.length > 0 ? [...strong('Sources: '), ...text(listText(alert.sources, bounds.sources, bounds.tagChars))] : [],
    alert.tags.length > 0 ? [...strong('Tags: '), ...text(listText(alert.tags, bounds.tags, bounds.tagChars))] : [],
  ]);
  const facts: AdfBlock[] = [
    ...(alert.summary ? [paragraph(text(clip(alert.summary, bounds.summary)))] : []),
    heading(3, 'Alert'),
    ...(factList ? [factList] : []),
  ];
  const closing: AdfBlock[] = [
    paragraph(alertLink(alert.url)),
    ...(alert.attribution ? [paragraph(strong('Rule attribution: '), text(clip(alert.attribution, bounds.attribution)))] : []),
  ];
  const entities = bulletList([
    entityLine('Users', alert.entities.users),
    entityLine('IP addresses', alert.entities.ips),
    entityLine('Hosts', alert.entities.hosts),
  ]);
  const enrichment = bulletList(
    alert.enrichment
      .slice(0, bounds.enrichment)
      .map((e) => [...strong(`${clip(oneLine(e.subject), bounds.entityChars)} (${clip(oneLine(e.provider), 40)}): `), ...text(clip(oneLine(e.text), bounds.enrichmentChars))]),
  );
  const middle: AdfBlock[] = [
    ...(entities ? [heading(3, 'Entities'), entities] : []),
    ...(enrichment ? [heading(3, 'Enrichment'), enrichment] : []),
  ];
  const withoutEvidence = doc(...facts, ...middle, ...closing);
  if (adfLength(withoutEvidence) > descriptionBudget) return doc(...facts, ...closing);
  const evidence = evidenceBlock(alert, descriptionBudget - adfLength(withoutEvidence));
  return evidence ? doc(...facts, ...middle, ...evidence, ...closing) : withoutEvidence;
}

/** Evidence rows as JSON lines in a code block, as many as fit in `room` characters of ADF JSON. */
function evidenceBlock(alert: NotificationAlert, room: number): AdfBlock[] | null {
  // The heading's own length (about 100 characters of JSON) is kept out of the room first.
  let available = Math.min(bounds.evidenceChars, room - 200);
  const lines: string[] = [];
  for (const row of alert.evidence.slice(0, bounds.evidenceRows)) {
    const line = clip(JSON.stringify(row) ?? '{}', 1000);
    // Each character may cost two in the ADF JSON (a quote or backslash is escaped), plus the newline.
    const cost = JSON.stringify(line).length;
    if (cost > available) break;
    lines.push(line);
    available -= cost;
  }
  const block = codeBlock(lines.join('\n'), 'json');
  return block ? [heading(3, `Evidence (${lines.length} of ${alert.evidence.length} sample events)`), block] : null;
}

/** A link mark only for an http(s) URL: anything else is shown as text, never made clickable. */
function alertLink(url: string): AdfInline[] {
  const protocol = URL.canParse(url) ? new URL(url).protocol : null;
  return protocol === 'https:' || protocol === 'http:' ? link('Open the alert in Mantissa Log', url) : text(`Alert: ${clip(oneLine(url), 500)}`);
}

function entityLine(label: string, values: readonly string[]): AdfInline[] {
  return values.length > 0 ? [...strong(`${label}: `), ...text(listText(values, bounds.entitiesPerKind, bounds.entityChars))] : [];
}

function listText(values: readonly string[], max: number, chars: number): string {
  const shown = values.slice(0, max).map((v) => clip(oneLine(v), chars));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/** The comment posted on acknowledge and resolve: who did what, when, and where to look. */
export function renderJiraComment(notification: AlertNotification, note: string | null): AdfDoc {
  const alert = notification.alert;
  const who = notification.actor ? ` by ${clip(oneLine(notification.actor), 256)}` : '';
  const what =
    notification.kind === 'acknowledge' ? 'Acknowledged' : alert.status === 'false_positive' ? 'Marked a false positive' : 'Resolved';
  return doc(
    paragraph(text(`${what} in Mantissa Log${who} at ${notification.at}.`)),
    note ? paragraph(text(note)) : null,
    paragraph(alertLink(alert.url)),
  );
}
