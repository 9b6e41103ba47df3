/**
 * Pure transform: an AlertNotification → one PagerDuty Events API v2 alert event
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/, source text in
 * https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/02-Trigger-Events.md).
 *
 * Invariants:
 * - Every lifecycle step of one alert carries the same `dedup_key`, derived from the alert's own `dedupKey`
 *   (pagerDutyDedupKey), so PagerDuty applies `acknowledge` and `resolve` to the alert the `trigger` opened.
 * - The event stays inside the documented limits whatever the alert holds: dedup_key ≤ 255 characters,
 *   payload.summary ≤ 1024, the whole body ≤ 512 KB (Events API v2 overview, "Size Limits": every variable part
 *   of custom_details is bounded below, so the worst case is a few tens of KB).
 * - The rule's attribution (a licence obligation), when the alert has one, is always in custom_details.
 * - Text is made well-formed (no lone surrogates) and free of control and bidi-override characters; the
 *   summary is one line.
 */
import { z } from 'zod';
import type { AlertNotification, NotificationAlert, NotificationKind } from '../../../core/alerting/notification';
import type { Severity } from '../../../core/schema/event';

export const pagerDutyLimits = {
  /** "The maximum permitted length of this property is 255 characters." */
  dedupKey: 255,
  /** "The maximum permitted length of this property is 1024 characters." */
  summary: 1024,
  /** "Events API payloads are limited to 512 KB." (01-Overview.md, Size Limits) */
  bodyBytes: 512 * 1024,
  /** "This is the 32 character Integration Key." */
  routingKey: 32,
} as const;

/** What a Mantissa event tells PagerDuty at most: bounds that keep the body far below 512 KB. */
const bounds = { entitiesPerKind: 50, entityChars: 256, tags: 50, tagChars: 128, enrichment: 20, enrichmentChars: 500, evidenceRows: 5, evidenceRowChars: 4000, longText: 2000, shortText: 256 } as const;

export const pagerDutySeverities = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof pagerDutySeverities)[number];

/** PagerDuty has four levels and no "low": low and info alerts both arrive as `info`. */
export const pagerDutySeverity: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

export interface PagerDutyLink {
  readonly href: string;
  readonly text?: string;
}

export interface PagerDutyTriggerPayload {
  readonly summary: string;
  readonly source: string;
  readonly severity: PagerDutySeverity;
  readonly timestamp: string;
  readonly component?: string;
  readonly group?: string;
  readonly class?: string;
  readonly custom_details: Record<string, unknown>;
}

export type PagerDutyEvent =
  | {
      readonly routing_key: string;
      readonly event_action: 'trigger';
      readonly dedup_key: string;
      readonly payload: PagerDutyTriggerPayload;
      readonly links?: readonly PagerDutyLink[];
      readonly client: string;
      readonly client_url?: string;
    }
  | { readonly routing_key: string; readonly event_action: Exclude<NotificationKind, 'trigger'>; readonly dedup_key: string };

/** 202 `{status: "success", message: "Event processed", dedup_key}`; 400 `{status: "invalid event", message, errors: [...]}`. */
export const enqueueAnswerSchema = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  dedup_key: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
});

export const pagerDutyClient = 'Mantissa Log';

/**
 * The alert's `dedupKey` when it fits PagerDuty's 255 characters, else `sha256:<hex>` of it: stable for the alert,
 * so trigger, acknowledge and resolve still share one key.
 */
export async function pagerDutyDedupKey(alertDedupKey: string): Promise<string> {
  if (alertDedupKey.length > 0 && alertDedupKey.length <= pagerDutyLimits.dedupKey) return alertDedupKey;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(alertDedupKey));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function renderPagerDutyEvent(notification: AlertNotification, routingKey: string, dedupKey: string): PagerDutyEvent {
  if (notification.kind !== 'trigger') return { routing_key: routingKey, event_action: notification.kind, dedup_key: dedupKey };
  const alert = notification.alert;
  const attack = alert.tags.filter((t) => t.toLowerCase().startsWith('attack.'));
  const clientUrl = originOf(alert.url);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: clip(oneLine(alert.title) || `Mantissa Log alert from rule ${oneLine(alert.ruleName)}`, pagerDutyLimits.summary),
      source: clip(oneLine(alertSource(alert)), bounds.shortText) || 'mantissa-log',
      severity: pagerDutySeverity[alert.severity],
      timestamp: notification.at,
      ...optional('component', clip(oneLine(alert.sources.join(', ')), bounds.shortText)),
      ...optional('group', clip(oneLine(attack.join(' ')), bounds.shortText)),
      ...optional('class', clip(oneLine(alert.ruleName), bounds.shortText)),
      custom_details: customDetails(alert),
    },
    ...(clientUrl ? { links: [{ href: alert.url, text: 'Open the alert in Mantissa Log' }], client_url: clientUrl } : {}),
    client: pagerDutyClient,
  };
}

/** "The unique location of the affected system, preferably a hostname or FQDN": the first host, IP or user. */
function alertSource(alert: NotificationAlert): string {
  return alert.entities.hosts[0] ?? alert.entities.ips[0] ?? alert.entities.users[0] ?? (alert.sources.length > 0 ? alert.sources.join(', ') : 'mantissa-log');
}

function customDetails(alert: NotificationAlert): Record<string, unknown> {
  const list = (values: readonly string[], max: number, chars: number) => values.slice(0, max).map((v) => clip(cleanText(v), chars));
  return {
    alert_id: alert.id,
    alert_url: alert.url,
    rule: { id: clip(alert.ruleId, bounds.shortText), name: clip(cleanText(alert.ruleName), bounds.shortText) },
    severity: alert.severity,
    status: alert.status,
    count: alert.count,
    first_seen: alert.firstSeen,
    last_seen: alert.lastSeen,
    ...(alert.summary ? { summary: clip(cleanText(alert.summary), bounds.longText) } : {}),
    entities: {
      users: list(alert.entities.users, bounds.entitiesPerKind, bounds.entityChars),
      ips: list(alert.entities.ips, bounds.entitiesPerKind, bounds.entityChars),
      hosts: list(alert.entities.hosts, bounds.entitiesPerKind, bounds.entityChars),
    },
    tags: list(alert.tags, bounds.tags, bounds.tagChars),
    sources: list(alert.sources, bounds.tags, bounds.tagChars),
    enrichment: alert.enrichment.slice(0, bounds.enrichment).map((e) => ({
      subject: clip(cleanText(e.subject), bounds.shortText),
      provider: clip(cleanText(e.provider), bounds.shortText),
      text: clip(cleanText(e.text), bounds.enrichmentChars),
    })),
    evidence: alert.evidence.slice(0, bounds.evidenceRows).map(boundedRow),
    evidence_shown: `${Math.min(bounds.evidenceRows, alert.evidence.length)} of ${alert.evidence.length} sample events`,
    ...(alert.attribution ? { attribution: clip(cleanText(alert.attribution), bounds.longText) } : {}),
  };
}

/** A row as JSON with clean strings; a row longer than the bound becomes its clipped JSON text. */
function boundedRow(row: Record<string, unknown>): unknown {
  const json = JSON.stringify(row, (_key, value: unknown) => (typeof value === 'string' ? cleanText(value) : value)) ?? '{}';
  return json.length <= bounds.evidenceRowChars ? (JSON.parse(json) as unknown) : { truncated_json: clip(json, bounds.evidenceRowChars) };
}

function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `${parsed.origin}/` : null;
  } catch {
    return null;
  }
}

// Bidi embeddings, overrides and isolates could make a title read differently from what it says.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Well-formed text without control characters other than newline and tab. */
export function cleanText(text: string): string {
  return text
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(bidiControls, '')
    .replace(/[^\P{Cc}\n\t]/gu, '');
}

export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/** At most `max` UTF-16 code units, never splitting a surrogate pair; an ellipsis marks the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
