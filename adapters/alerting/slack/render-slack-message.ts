/**
 * Pure transform: an AlertNotification → a Slack message (`text` fallback + Block Kit `blocks`) that stays
 * within Slack's documented limits whatever the alert holds (block-kit.ts lists them).
 *
 * Invariants:
 * - Every piece of alert content is escaped (`&`, `<`, `>`), in plain_text as in mrkdwn, so a title such as
 *   `<!channel>` or `<https://evil|click>` is shown, never executed. Only the date tokens and the button URL
 *   are ours.
 * - The rule's attribution (a licence obligation) is reserved first and never dropped; when the message is
 *   too long, evidence shrinks first, then enrichment, then the summary.
 * - A top-level `text` is always present: Slack uses it for notifications and screen readers
 *   (https://docs.slack.dev/reference/methods/chat.postMessage, "text, blocks or attachments").
 */
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import type { Severity } from '../../../core/schema/event';
import {
  blockTextBudget,
  blockTextLength,
  cleanText,
  escapeMrkdwn,
  fitMrkdwn,
  slackLimits,
  type Block,
  type ContextBlock,
  type MrkdwnText,
  type SectionBlock,
} from './block-kit';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

export const severityStyle: Readonly<Record<Severity, { emoji: string; label: string }>> = {
  critical: { emoji: '🔴', label: 'Critical' },
  high: { emoji: '🟠', label: 'High' },
  medium: { emoji: '🟡', label: 'Medium' },
  low: { emoji: '🔵', label: 'Low' },
  info: { emoji: '⚪', label: 'Info' },
};

/** How many evidence rows a Slack message shows at most, and how long one row may be. */
const evidenceRows = 5;
const evidenceRowChars = 400;
const fieldValueChars = 300;
const enrichmentLines = 10;

/** The full alert message: posted on `trigger`, and re-rendered with its new status by chat.update. */
export function renderSlackAlert(notification: AlertNotification): SlackMessage {
  const alert = notification.alert;
  const style = severityStyle[alert.severity];
  const headerText = oneLine(`${style.emoji} ${style.label}: ${alert.title}`);
  // Slack's escaping rule is for every text object, plain_text included (the header must be plain_text).
  const header: Block = { type: 'header', text: { type: 'plain_text', text: fitMrkdwn(headerText, slackLimits.headerText) } };

  const top: Block[] = [header];
  if (notification.kind !== 'trigger') top.push(mrkdwnSection(statusLine(notification)));
  // The header holds 150 characters; a longer title is also given in full (within reason) below it.
  if (escapeMrkdwn(cleanText(headerText)).length > slackLimits.headerText) top.push(mrkdwnSection(`*Title*\n${fitMrkdwn(oneLine(alert.title), 1000)}`));
  const fields: SectionBlock = { type: 'section', fields: alertFields(alert) };
  const bottom: Block[] = [...openAlertButton(alert)];
  if (alert.attribution) bottom.push(attributionContext(alert.attribution));
  bottom.push({ type: 'context', elements: [mrkdwn(`Mantissa Log · alert \`${fitMrkdwn(codeSafe(alert.id), 100)}\` · rule \`${fitMrkdwn(codeSafe(alert.ruleId), 100)}\``)] });

  // What is left of the budget goes to the optional parts in order of use; evidence comes last, so it is
  // what shrinks first.
  let budget = blockTextBudget - blockTextLength([...top, fields, ...bottom]);
  const summary = alert.summary && budget >= 50 ? mrkdwnSection(fitMrkdwn(alert.summary, Math.min(slackLimits.sectionText, budget))) : null;
  if (summary) budget -= blockTextLength([summary]);
  const enrichment = enrichmentSection(alert, Math.min(slackLimits.sectionText, budget));
  if (enrichment) budget -= blockTextLength([enrichment]);
  const evidence = evidenceSection(alert, Math.min(slackLimits.sectionText, budget));
  const middle = [summary, fields, enrichment, evidence].filter((b): b is SectionBlock => b !== null);
  // At most 10 blocks by construction, far below Slack's 50.
  return { text: fallbackText(notification), blocks: [...top, ...middle, ...bottom] };
}

/** A short standalone message for acknowledge/resolve when there is no message to update (webhooks). */
export function renderSlackLifecycleNote(notification: AlertNotification): SlackMessage {
  const alert = notification.alert;
  const style = severityStyle[alert.severity];
  const line = `${statusLine(notification)}\n${style.emoji} *${style.label}* · ${fitMrkdwn(oneLine(alert.title), 1000)} · rule ${fitMrkdwn(oneLine(alert.ruleName), 300)}`;
  const blocks: Block[] = [mrkdwnSection(line), ...openAlertButton(alert)];
  if (alert.attribution) blocks.push(attributionContext(alert.attribution));
  return { text: fallbackText(notification), blocks };
}

/** The reply posted in the alert's thread when it is acknowledged or resolved (bot mode). */
export function renderSlackThreadReply(notification: AlertNotification): string {
  return statusLine(notification);
}

/** "👀 *Acknowledged* by alice@example.com · <date>", everything from the alert escaped. */
function statusLine(notification: AlertNotification): string {
  const who = notification.actor ? ` by ${fitMrkdwn(oneLine(notification.actor), 200)}` : '';
  return `${kindLabel(notification)}${who} · ${slackDate(notification.at)}`;
}

function kindLabel(notification: AlertNotification): string {
  switch (notification.kind) {
    case 'trigger':
      return '🚨 *Triggered*';
    case 'acknowledge':
      return '👀 *Acknowledged*';
    case 'resolve':
      return notification.alert.status === 'false_positive' ? '✅ *Resolved as a false positive*' : '✅ *Resolved*';
  }
}

function fallbackText(notification: AlertNotification): string {
  const alert = notification.alert;
  const style = severityStyle[alert.severity];
  const prefix = notification.kind === 'trigger' ? '' : `${notification.kind === 'acknowledge' ? 'Acknowledged' : 'Resolved'}: `;
  const raw = oneLine(`${prefix}${style.emoji} [${style.label}] ${alert.title} — rule ${alert.ruleName}, ${alert.count} event${alert.count === 1 ? '' : 's'}`);
  return fitMrkdwn(raw, slackLimits.fallbackText);
}

function alertFields(alert: NotificationAlert): MrkdwnText[] {
  const fields: MrkdwnText[] = [
    field('Severity', `${severityStyle[alert.severity].emoji} ${severityStyle[alert.severity].label}`),
    field('Rule', fitMrkdwn(oneLine(alert.ruleName), fieldValueChars)),
    field('Count', String(alert.count)),
    field('First seen', slackDate(alert.firstSeen)),
    field('Last seen', slackDate(alert.lastSeen)),
  ];
  if (alert.entities.users.length) fields.push(field('Users', listText(alert.entities.users)));
  if (alert.entities.ips.length) fields.push(field('IPs', listText(alert.entities.ips)));
  if (alert.entities.hosts.length) fields.push(field('Hosts', listText(alert.entities.hosts)));
  if (alert.sources.length) fields.push(field('Sources', listText(alert.sources)));
  if (alert.tags.length) fields.push(field('Tags', listText(alert.tags)));
  return fields.slice(0, slackLimits.sectionFields);
}

function field(label: string, mrkdwnValue: string): MrkdwnText {
  return mrkdwn(`*${label}*\n${mrkdwnValue}`);
}

/** "a, b, c +12 more", escaped, within the field budget. */
function listText(items: readonly string[], max = fieldValueChars): string {
  const shown: string[] = [];
  let length = 0;
  for (const item of items) {
    const text = fitMrkdwn(oneLine(item), 120);
    const more = `, +${items.length - shown.length - 1} more`;
    if (length + text.length + 2 + more.length > max && shown.length > 0) break;
    shown.push(text);
    length += text.length + 2;
  }
  const hidden = items.length - shown.length;
  return shown.join(', ') + (hidden > 0 ? ` +${hidden} more` : '');
}

function enrichmentSection(alert: NotificationAlert, max: number): SectionBlock | null {
  const total = alert.enrichment.length;
  if (total === 0) return null;
  const heading = '*Enrichment*';
  let length = heading.length + `\n_+${total} more in the alert_`.length;
  const lines: string[] = [];
  for (const note of alert.enrichment.slice(0, enrichmentLines)) {
    const line = `• \`${fitMrkdwn(codeSafe(oneLine(note.subject)), 120)}\` (${fitMrkdwn(oneLine(note.provider), 40)}): ${fitMrkdwn(oneLine(note.text), 400)}`;
    if (length + 1 + line.length > max) break;
    lines.push(line);
    length += 1 + line.length;
  }
  if (lines.length === 0) return null;
  const hidden = total - lines.length;
  return mrkdwnSection(`${heading}\n${lines.join('\n')}${hidden > 0 ? `\n_+${hidden} more in the alert_` : ''}`);
}

function evidenceSection(alert: NotificationAlert, max: number): SectionBlock | null {
  const total = alert.evidence.length;
  if (total === 0) return null;
  // The longest heading and footer this section can have, so rows are measured against what is really left.
  const frame = `*Evidence* (first ${total} of ${total})\n\`\`\`\`\`\`\n_+${total} more rows in the alert_`.length;
  const rowBudget = Math.min(evidenceRowChars, max - frame);
  if (rowBudget < 60) return null;
  const rows: string[] = [];
  let length = frame;
  for (const row of alert.evidence.slice(0, evidenceRows)) {
    const line = fitMrkdwn(compactRow(row), rowBudget);
    if (line === '' || length + line.length + 1 > max) break;
    rows.push(line);
    length += line.length + 1;
  }
  if (rows.length === 0) return null;
  const hidden = total - rows.length;
  const heading = hidden > 0 ? `*Evidence* (first ${rows.length} of ${total})` : `*Evidence* (${total} row${total === 1 ? '' : 's'})`;
  const more = hidden > 0 ? `\n_+${hidden} more rows in the alert_` : '';
  return mrkdwnSection(`${heading}\n\`\`\`${rows.join('\n')}\`\`\`${more}`);
}

/**
 * One evidence row on one line: `key=value` for the columns that have a value; `raw` (the vendor record, long)
 * is left to the web UI.
 */
export function compactRow(row: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (key === 'raw' || value === null || value === undefined || value === '') continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${codeSafe(oneLine(text ?? String(value)))}`);
  }
  return parts.join(' ');
}

function attributionContext(attribution: string): ContextBlock {
  // Escaping can only lengthen the text, so it is split into as many elements as it takes (the contract caps
  // attributions far below ten elements' worth).
  const escaped = escapeMrkdwn(cleanText(`📜 ${oneLine(attribution)}`));
  const elements: MrkdwnText[] = [];
  let rest = escaped;
  while (rest.length > 0 && elements.length < slackLimits.contextElements) {
    let cut = Math.min(rest.length, slackLimits.textObject);
    // Never split an entity or a surrogate pair between two elements.
    const amp = rest.lastIndexOf('&', cut - 1);
    if (cut < rest.length && amp > cut - 5) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (cut < rest.length && code >= 0xd800 && code <= 0xdbff) cut--;
    elements.push(mrkdwn(rest.slice(0, cut)));
    rest = rest.slice(cut);
  }
  return { type: 'context', elements };
}

/**
 * Slack's date token renders in each reader's own time zone, with the ISO text as fallback
 * (https://docs.slack.dev/messaging/formatting-message-text#date-formatting).
 */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return fitMrkdwn(iso, 60);
  const fallback = new Date(ms).toISOString();
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${fallback}>`;
}

function openAlertButton(alert: NotificationAlert): Block[] {
  if (!isHttpUrl(alert.url) || alert.url.length > slackLimits.buttonUrl) return [];
  return [
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open alert in Mantissa', emoji: true }, url: alert.url, action_id: 'mantissa_open_alert' }],
    },
  ];
}

function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text };
}

function mrkdwnSection(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** Backticks become a look-alike so content cannot close the inline code or code block it is shown in. */
function codeSafe(value: string): string {
  return value.replace(/`/g, 'ˋ');
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ');
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}
