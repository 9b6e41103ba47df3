/**
 * What an alert email says, pure: the subject, a text/plain body and an HTML body for one notification. The
 * same rendering goes to every provider (Cloudflare binding, SendGrid, SES).
 *
 * Everything interpolated into the HTML is escaped — titles, entities, evidence and enrichment come from logs,
 * that is from whoever wrote them — and the only link is the alert's own URL, kept only when it is http(s).
 * The rule's attribution, when the notification carries one, appears in every message (trigger, acknowledge,
 * resolve) in both parts: the rule's licence requires it to be shown.
 *
 * Subject: `[SEVERITY] title` for a trigger, `Re: [SEVERITY] title` for acknowledge/resolve (mail clients thread
 * on it), one line, at most 200 characters.
 */
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import { toSingleLine } from './mime-message';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const maxSubjectLength = 200;
/** Evidence shown in a message: a sample, not the record (the alert page has it all). */
export const maxEvidenceRows = 5;
export const maxEvidenceColumns = 8;
const maxCellLength = 200;

function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function alertEmailSubject(notification: AlertNotification): string {
  const { alert } = notification;
  const prefix = notification.kind === 'trigger' ? '' : 'Re: ';
  return truncate(toSingleLine(`${prefix}[${alert.severity.toUpperCase()}] ${alert.title}`), maxSubjectLength);
}

/** What happened, in one sentence, for acknowledge/resolve. */
function lifecycleLine(notification: AlertNotification): string {
  const by = notification.actor ? ` by ${notification.actor}` : '';
  if (notification.kind === 'acknowledge') return `Acknowledged${by} at ${notification.at}.`;
  if (notification.kind === 'resolve') {
    return notification.alert.status === 'false_positive' ? `Resolved as a false positive${by} at ${notification.at}.` : `Resolved${by} at ${notification.at}.`;
  }
  return `Alert opened at ${notification.at}.`;
}

function safeUrl(url: string): string | null {
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return truncate(toSingleLine(text), maxCellLength);
}

interface EvidenceTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly hiddenColumns: number;
  readonly hiddenRows: number;
}

/** The first rows and the first non-empty columns (in order of first appearance) of the evidence sample. */
export function evidenceTable(evidence: readonly Record<string, unknown>[]): EvidenceTable {
  const sample = evidence.slice(0, maxEvidenceRows);
  const keys: string[] = [];
  for (const row of sample) for (const key of Object.keys(row)) if (!keys.includes(key) && sample.some((r) => cellText(r[key]) !== '')) keys.push(key);
  const columns = keys.slice(0, maxEvidenceColumns);
  return {
    columns,
    rows: sample.map((row) => columns.map((c) => cellText(row[c]))),
    hiddenColumns: keys.length - columns.length,
    hiddenRows: evidence.length - sample.length,
  };
}

function entityLines(alert: NotificationAlert): [string, string][] {
  const lines: [string, string][] = [];
  if (alert.entities.users.length > 0) lines.push(['Users', alert.entities.users.join(', ')]);
  if (alert.entities.ips.length > 0) lines.push(['IPs', alert.entities.ips.join(', ')]);
  if (alert.entities.hosts.length > 0) lines.push(['Hosts', alert.entities.hosts.join(', ')]);
  return lines;
}

function facts(notification: AlertNotification): [string, string][] {
  const { alert } = notification;
  return [
    ['Severity', alert.severity],
    ['Rule', `${alert.ruleName} (${alert.ruleId})`],
    ['Status', alert.status],
    ...entityLines(alert),
    ['First seen', alert.firstSeen],
    ['Last seen', alert.lastSeen],
    ['Events', String(alert.count)],
    ...(alert.sources.length > 0 ? [['Sources', alert.sources.join(', ')] as [string, string]] : []),
    ...(alert.tags.length > 0 ? [['Tags', alert.tags.join(', ')] as [string, string]] : []),
  ];
}

function renderText(notification: AlertNotification): string {
  const { alert } = notification;
  const lines: string[] = [toSingleLine(`[${alert.severity.toUpperCase()}] ${alert.title}`), ''];
  const url = safeUrl(alert.url);
  if (notification.kind !== 'trigger') {
    lines.push(lifecycleLine(notification), '', `Rule: ${toSingleLine(alert.ruleName)} (${alert.ruleId})`);
    if (url) lines.push(`Alert: ${url}`);
  } else {
    for (const [label, value] of facts(notification)) lines.push(`${label}: ${toSingleLine(value)}`);
    if (alert.summary) lines.push('', 'Summary:', alert.summary.trim());
    if (alert.enrichment.length > 0) {
      lines.push('', 'Enrichment:');
      for (const note of alert.enrichment) lines.push(`- ${toSingleLine(note.subject)} (${toSingleLine(note.provider)}): ${toSingleLine(note.text)}`);
    }
    const table = evidenceTable(alert.evidence);
    if (table.rows.length > 0) {
      lines.push('', `Evidence (${table.rows.length} of ${alert.evidence.length}):`);
      table.rows.forEach((row, i) => {
        lines.push(`${i + 1}. ${table.columns.map((c, j) => `${c}: ${row[j]}`).filter((_, j) => row[j] !== '').join(' | ')}`);
      });
      if (table.hiddenColumns > 0) lines.push(`(${table.hiddenColumns} more fields on the alert page)`);
    }
    if (url) lines.push('', `Open the alert: ${url}`);
  }
  if (alert.attribution) lines.push('', `Rule attribution: ${alert.attribution.trim()}`);
  lines.push('', '-- ', 'Sent by Mantissa Log.');
  return `${lines.join('\n')}\n`;
}

const cellStyle = 'padding:4px 8px;border:1px solid #d0d7de;text-align:left;vertical-align:top;font-size:13px';

function renderHtml(notification: AlertNotification): string {
  const { alert } = notification;
  const e = escapeHtml;
  const url = safeUrl(alert.url);
  const heading = `<h2 style="margin:0 0 12px;font-size:18px">[${e(alert.severity.toUpperCase())}] ${e(toSingleLine(alert.title))}</h2>`;
  const link = url ? `<p><a href="${e(url)}">Open the alert in Mantissa Log</a></p>` : '';
  const attribution = alert.attribution ? `<p style="color:#57606a;font-size:12px">Rule attribution: ${e(alert.attribution.trim())}</p>` : '';
  const parts: string[] = [heading];
  if (notification.kind !== 'trigger') {
    parts.push(`<p>${e(lifecycleLine(notification))}</p>`, `<p>Rule: ${e(alert.ruleName)} (${e(alert.ruleId)})</p>`, link);
  } else {
    const rows = facts(notification)
      .map(([label, value]) => `<tr><th style="${cellStyle}">${e(label)}</th><td style="${cellStyle}">${e(value)}</td></tr>`)
      .join('');
    parts.push(`<table style="border-collapse:collapse;margin-bottom:12px">${rows}</table>`);
    if (alert.summary) parts.push(`<h3 style="font-size:15px">Summary</h3><p>${e(alert.summary.trim())}</p>`);
    if (alert.enrichment.length > 0) {
      const items = alert.enrichment.map((n) => `<li><b>${e(n.subject)}</b> (${e(n.provider)}): ${e(n.text)}</li>`).join('');
      parts.push(`<h3 style="font-size:15px">Enrichment</h3><ul>${items}</ul>`);
    }
    const table = evidenceTable(alert.evidence);
    if (table.rows.length > 0) {
      const head = table.columns.map((c) => `<th style="${cellStyle}">${e(c)}</th>`).join('');
      const body = table.rows.map((row) => `<tr>${row.map((v) => `<td style="${cellStyle}">${e(v)}</td>`).join('')}</tr>`).join('');
      const more = table.hiddenColumns > 0 ? `<p style="font-size:12px">${table.hiddenColumns} more fields on the alert page.</p>` : '';
      parts.push(
        `<h3 style="font-size:15px">Evidence (${table.rows.length} of ${alert.evidence.length})</h3>`,
        `<table style="border-collapse:collapse"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`,
      );
    }
    parts.push(link);
  }
  parts.push(attribution, '<p style="color:#57606a;font-size:12px">Sent by Mantissa Log.</p>');
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    `<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328">${parts.filter(Boolean).join('\n')}</body></html>`,
    '',
  ].join('\n');
}

export function renderAlertEmail(notification: AlertNotification): RenderedEmail {
  return { subject: alertEmailSubject(notification), text: renderText(notification), html: renderHtml(notification) };
}
