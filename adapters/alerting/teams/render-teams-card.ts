/**
 * Pure transform: an AlertNotification → the Teams webhook message (an Adaptive Card 1.4 in the message
 * envelope), within the size budget of adaptive-card.ts.
 *
 * Invariants:
 * - Every piece of alert content goes through `fitCardText` (escaped, cut safely), so it cannot form a
 *   Markdown link or formatting.
 * - The card is rendered at decreasing levels of detail until it fits the budget: evidence shrinks first
 *   (fewer and shorter rows, then none), then enrichment and the summary, then titles and facts. The rule's
 *   attribution (a licence obligation) is in every level and is never shortened.
 */
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import type { Severity } from '../../../core/schema/event';
import {
  fitCardText,
  payloadBytes,
  teamsMessage,
  teamsPayloadBudgetBytes,
  type AdaptiveCard,
  type CardElement,
  type Fact,
  type OpenUrlAction,
  type TeamsMessage,
  type TextBlock,
} from './adaptive-card';

const severityStyle: Readonly<Record<Severity, { emoji: string; label: string; color: TextBlock['color']; container: 'attention' | 'warning' | 'accent' | 'emphasis' }>> = {
  critical: { emoji: '🔴', label: 'Critical', color: 'Attention', container: 'attention' },
  high: { emoji: '🟠', label: 'High', color: 'Attention', container: 'attention' },
  medium: { emoji: '🟡', label: 'Medium', color: 'Warning', container: 'warning' },
  low: { emoji: '🔵', label: 'Low', color: 'Accent', container: 'accent' },
  info: { emoji: '⚪', label: 'Info', color: 'Default', container: 'emphasis' },
};

/** One level of detail; `detailLevels` goes from the fullest to the barest card. */
interface Detail {
  readonly titleChars: number;
  readonly summaryChars: number;
  readonly factChars: number;
  readonly enrichmentLines: number;
  readonly evidenceRows: number;
  readonly evidenceRowChars: number;
}

const full: Detail = { titleChars: 1000, summaryChars: 3000, factChars: 600, enrichmentLines: 10, evidenceRows: 10, evidenceRowChars: 500 };
export const detailLevels: readonly Detail[] = [
  full,
  { ...full, evidenceRows: 5, evidenceRowChars: 300 },
  { ...full, evidenceRows: 3, evidenceRowChars: 200 },
  { ...full, evidenceRows: 1, evidenceRowChars: 200 },
  { ...full, evidenceRows: 0, enrichmentLines: 5, summaryChars: 1500 },
  { titleChars: 300, summaryChars: 500, factChars: 200, enrichmentLines: 0, evidenceRows: 0, evidenceRowChars: 0 },
  { titleChars: 150, summaryChars: 0, factChars: 100, enrichmentLines: 0, evidenceRows: 0, evidenceRowChars: 0 },
];

/** The alert card for `trigger`: the fullest level of detail that fits the budget (the barest when none does). */
export function renderTeamsAlert(notification: AlertNotification, budgetBytes = teamsPayloadBudgetBytes): TeamsMessage {
  let message = teamsMessage(alertCard(notification.alert, detailLevels[0]!));
  for (const detail of detailLevels) {
    message = teamsMessage(alertCard(notification.alert, detail));
    if (payloadBytes(message) <= budgetBytes) break;
  }
  return message;
}

/** A short card for acknowledge/resolve: who, when, which alert, with its link and attribution. */
export function renderTeamsLifecycleNote(notification: AlertNotification): TeamsMessage {
  const alert = notification.alert;
  const style = severityStyle[alert.severity];
  const who = notification.actor ? ` by ${fitCardText(oneLine(notification.actor), 200)}` : '';
  const body: CardElement[] = [
    { type: 'TextBlock', text: `${statusLabel(notification)}${who} · ${timeText(notification.at)}`, wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: `${style.emoji} ${fitCardText(oneLine(alert.title), 300)}`, wrap: true, spacing: 'Small' },
    {
      type: 'FactSet',
      facts: [
        { title: 'Severity', value: style.label },
        { title: 'Rule', value: fitCardText(oneLine(alert.ruleName), 200) },
        { title: 'Count', value: String(alert.count) },
      ],
    },
  ];
  if (alert.attribution) body.push(attributionBlock(alert.attribution));
  return teamsMessage(card(body, openAlert(alert)));
}

function alertCard(alert: NotificationAlert, detail: Detail): AdaptiveCard {
  const style = severityStyle[alert.severity];
  const body: CardElement[] = [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      items: [
        { type: 'TextBlock', text: `${style.emoji} **${style.label.toUpperCase()}** · Mantissa Log alert`, color: style.color, size: 'Small', wrap: true },
        { type: 'TextBlock', text: fitCardText(oneLine(alert.title), detail.titleChars), size: 'Large', weight: 'Bolder', wrap: true, spacing: 'Small' },
      ],
    },
  ];
  if (alert.summary && detail.summaryChars > 0) body.push({ type: 'TextBlock', text: fitCardText(alert.summary, detail.summaryChars), wrap: true });
  body.push({ type: 'FactSet', facts: alertFacts(alert, detail.factChars) });
  body.push(...enrichmentBlocks(alert, detail.enrichmentLines));
  body.push(...evidenceBlocks(alert, detail));
  if (alert.attribution) body.push(attributionBlock(alert.attribution));
  return card(body, openAlert(alert));
}

function alertFacts(alert: NotificationAlert, max: number): Fact[] {
  const facts: Fact[] = [
    { title: 'Severity', value: `${severityStyle[alert.severity].emoji} ${severityStyle[alert.severity].label}` },
    { title: 'Rule', value: fitCardText(oneLine(alert.ruleName), max) },
  ];
  if (alert.entities.users.length) facts.push({ title: 'Users', value: listText(alert.entities.users, max) });
  if (alert.entities.ips.length) facts.push({ title: 'IPs', value: listText(alert.entities.ips, max) });
  if (alert.entities.hosts.length) facts.push({ title: 'Hosts', value: listText(alert.entities.hosts, max) });
  facts.push({ title: 'First seen', value: timeText(alert.firstSeen) }, { title: 'Last seen', value: timeText(alert.lastSeen) }, { title: 'Count', value: String(alert.count) });
  if (alert.sources.length) facts.push({ title: 'Sources', value: listText(alert.sources, max) });
  if (alert.tags.length) facts.push({ title: 'Tags', value: listText(alert.tags, max) });
  return facts;
}

function enrichmentBlocks(alert: NotificationAlert, lines: number): CardElement[] {
  if (lines === 0 || alert.enrichment.length === 0) return [];
  const shown = alert.enrichment.slice(0, lines);
  const hidden = alert.enrichment.length - shown.length;
  return [
    { type: 'TextBlock', text: '**Enrichment**', wrap: true, separator: true },
    ...shown.map(
      (note): TextBlock => ({
        type: 'TextBlock',
        text: `${fitCardText(oneLine(note.subject), 120)} (${fitCardText(oneLine(note.provider), 40)}): ${fitCardText(oneLine(note.text), 400)}`,
        wrap: true,
        spacing: 'None',
      }),
    ),
    ...(hidden > 0 ? [{ type: 'TextBlock', text: `+${hidden} more in the alert`, isSubtle: true, size: 'Small', wrap: true, spacing: 'None' } satisfies TextBlock] : []),
  ];
}

function evidenceBlocks(alert: NotificationAlert, detail: Detail): CardElement[] {
  const total = alert.evidence.length;
  if (detail.evidenceRows === 0 || total === 0) return [];
  const rows = alert.evidence.slice(0, detail.evidenceRows);
  const heading = rows.length < total ? `**Evidence** (first ${rows.length} of ${total})` : `**Evidence** (${total} row${total === 1 ? '' : 's'})`;
  return [
    { type: 'TextBlock', text: heading, wrap: true, separator: true },
    ...rows.map((row): TextBlock => ({ type: 'TextBlock', text: fitCardText(compactRow(row), detail.evidenceRowChars), fontType: 'Monospace', size: 'Small', wrap: true, spacing: 'None' })),
  ];
}

/** One evidence row on one line: `key=value` for the columns that have a value; `raw` is left to the web UI. */
export function compactRow(row: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (key === 'raw' || value === null || value === undefined || value === '') continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${oneLine(text ?? String(value))}`);
  }
  return parts.join(' ');
}

function attributionBlock(attribution: string): TextBlock {
  return { type: 'TextBlock', text: `📜 ${fitCardText(oneLine(attribution), Number.MAX_SAFE_INTEGER)}`, isSubtle: true, size: 'Small', wrap: true, separator: true };
}

function openAlert(alert: NotificationAlert): OpenUrlAction[] {
  return /^https?:\/\/\S+$/i.test(alert.url) ? [{ type: 'Action.OpenUrl', title: 'Open alert in Mantissa', url: alert.url }] : [];
}

function card(body: CardElement[], actions: OpenUrlAction[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

function statusLabel(notification: AlertNotification): string {
  switch (notification.kind) {
    case 'trigger':
      return '🚨 **Triggered**';
    case 'acknowledge':
      return '👀 **Acknowledged**';
    case 'resolve':
      return notification.alert.status === 'false_positive' ? '✅ **Resolved as a false positive**' : '✅ **Resolved**';
  }
}

/** "a, b, c +12 more", escaped, within `max`. */
function listText(items: readonly string[], max: number): string {
  const shown: string[] = [];
  let length = 0;
  for (const item of items) {
    const text = fitCardText(oneLine(item), 120);
    const more = `, +${items.length - shown.length - 1} more`;
    if (length + text.length + 2 + more.length > max && shown.length > 0) break;
    shown.push(text);
    length += text.length + 2;
  }
  const hidden = items.length - shown.length;
  return shown.join(', ') + (hidden > 0 ? ` +${hidden} more` : '');
}

/** "2026-11-27 16:11:02 UTC": unambiguous in any reader's time zone (the card's DATE()/TIME() functions are documented for TextBlock, and times also go into facts). */
function timeText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return fitCardText(iso, 60);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ');
}
