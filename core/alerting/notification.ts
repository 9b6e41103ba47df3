/**
 * What a destination is told about an alert: one lifecycle step (`trigger` when the alert opens or reopens,
 * `acknowledge`, `resolve` when it is closed or marked a false positive) with the alert as it stands, already
 * redacted (core/alerting/redact) and enriched. Destination adapters (adapters/alerting/<type>/) turn it into
 * their system's wire format; they never read D1 or the environment.
 *
 * Idempotency: `deliveryKey` is stable for one (alert, destination, step, occurrence); adapters pass it on
 * wherever the system takes one (webhook header, PagerDuty dedup_key is the alert's own key), and the delivery
 * log refuses to send a key twice.
 */
import type { Severity } from '../schema/event';

export const notificationKinds = ['trigger', 'acknowledge', 'resolve'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export interface NotificationAlert {
  readonly id: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: 'open' | 'acknowledged' | 'closed' | 'false_positive';
  readonly entities: { readonly users: readonly string[]; readonly ips: readonly string[]; readonly hosts: readonly string[] };
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  /** Stable per alert (rule + entity): PagerDuty's dedup_key, the webhook's alert identity. */
  readonly dedupKey: string;
  /** The rule's tags (Sigma `tags`, e.g. `attack.t1110`), for routing and display. */
  readonly tags: readonly string[];
  /** Sources of the evidence events (`okta`, `cloudtrail`). */
  readonly sources: readonly string[];
  /** A bounded sample of matching events (normalized columns), redacted. */
  readonly evidence: readonly Record<string, unknown>[];
  /** The alert in the web UI, absolute URL. */
  readonly url: string;
  /** The rule's attribution when its licence requires it (SigmaHQ rules: DRL 1.1); must be shown. */
  readonly attribution: string | null;
  /** Optional one-paragraph summary (who, what, when, where); null when none was made. */
  readonly summary: string | null;
  /** Context looked up for the alert's entities (GeoIP, threat intelligence, directory); already redacted. */
  readonly enrichment: readonly EnrichmentNote[];
}

export interface EnrichmentNote {
  /** What was looked up, e.g. `203.0.113.9` or `alice@example.com`. */
  readonly subject: string;
  /** Who answered: `geoip`, `abuseipdb`, `virustotal`, `ipinfo`, `okta`… */
  readonly provider: string;
  /** One human line, e.g. "Lagos, Nigeria · AS37148 · abuse confidence 87%". */
  readonly text: string;
}

export interface AlertNotification {
  readonly kind: NotificationKind;
  readonly alert: NotificationAlert;
  /** Unique per (alert, destination, kind, occurrence): the idempotency key of this delivery. */
  readonly deliveryKey: string;
  /** When the lifecycle step happened (ISO). */
  readonly at: string;
  /** Who acknowledged or resolved, when a person did. */
  readonly actor: string | null;
}

/** Severity order, for routing thresholds and destination mappings. */
export const severityRank: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
