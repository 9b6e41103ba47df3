/**
 * Noise control, pure: which alert a hit folds into (dedup key and window), and whether an alert may notify
 * (suppressions, maintenance windows, threshold). An alert is always recorded — muting only holds back its
 * notifications, and says why (`muted_by`), so nothing is lost and a suppression can be reviewed.
 */
import { z } from 'zod';
import type { Severity } from '../schema/event';

/** Normalized columns a rule may dedup or suppress on. */
export const noiseFields = ['actor', 'src_ip', 'target', 'source', 'action', 'src_country', 'service', 'user_agent', 'session_id', 'actor_id'] as const;
export type NoiseField = (typeof noiseFields)[number];

export const dedupFieldsSchema = z.array(z.enum(noiseFields)).max(3, 'dedup on at most 3 fields').default(['actor', 'src_ip']);

export const ruleNoiseSchema = z.strictObject({
  /** A hit within this long of the alert's last hit folds into it; later, a new alert opens. */
  dedupWindowMinutes: z.number().int().min(1).max(90 * 24 * 60).optional(),
  /** Fields that name one alert of the rule (default actor and source IP). */
  dedupFields: z.array(z.enum(noiseFields)).max(3, 'dedup on at most 3 fields').optional(),
  /** Notify only once an alert has this many hits. */
  threshold: z.number().int().min(1).max(1_000_000).optional(),
  /** Run a single-event Sigma rule on the ingest path (seconds) rather than the cron. */
  realtime: z.boolean().optional(),
});

export const suppressionConditionsSchema = z
  .record(z.enum(noiseFields), z.string().min(1).max(512))
  .refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= 3, 'a suppression names 1 to 3 fields, e.g. {"actor": "svc-backup@acme.com"}');
export type SuppressionConditions = z.infer<typeof suppressionConditionsSchema>;

/** What an alert's hits say about each noise field (values seen in its evidence and entities). */
export type AlertFacts = Readonly<Partial<Record<NoiseField, ReadonlySet<string>>>>;

export function factsOf(events: readonly Record<string, unknown>[], entities: { users: readonly string[]; ips: readonly string[] }): AlertFacts {
  const facts: Partial<Record<NoiseField, Set<string>>> = {};
  const add = (field: NoiseField, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    (facts[field] ??= new Set()).add(String(value).toLowerCase());
  };
  for (const event of events) for (const field of noiseFields) add(field, event[field]);
  for (const user of entities.users) add('actor', user);
  for (const ip of entities.ips) add('src_ip', ip);
  return facts;
}

/** Every condition holds: the field has that value (case-insensitive) in the alert. */
export function conditionsMatch(conditions: SuppressionConditions, facts: AlertFacts): boolean {
  return Object.entries(conditions).every(([field, value]) => facts[field as NoiseField]?.has(value.toLowerCase()) ?? false);
}

export interface ActiveSuppression {
  readonly id: string;
  readonly ruleId: string | null;
  readonly conditions: SuppressionConditions;
  readonly expiresAt: string;
}

export interface ActiveMaintenance {
  readonly id: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly ruleIds: readonly string[];
  readonly sources: readonly string[];
}

export interface MuteInput {
  readonly ruleId: string;
  readonly sources: readonly string[];
  readonly facts: AlertFacts;
  readonly count: number;
  readonly threshold: number;
  readonly now: Date;
}

/** Why the alert must not notify now, or null. Order: suppression, maintenance, threshold. */
export function muteReason(input: MuteInput, suppressions: readonly ActiveSuppression[], maintenance: readonly ActiveMaintenance[]): string | null {
  const at = input.now.toISOString();
  for (const s of suppressions) {
    if (s.expiresAt <= at) continue;
    if (s.ruleId !== null && s.ruleId !== input.ruleId) continue;
    if (conditionsMatch(s.conditions, input.facts)) return s.id;
  }
  for (const m of maintenance) {
    if (!(m.startsAt <= at && at < m.endsAt)) continue;
    if (m.ruleIds.length > 0 && !m.ruleIds.includes(input.ruleId)) continue;
    if (m.sources.length > 0 && !input.sources.some((s) => m.sources.includes(s))) continue;
    return `maintenance:${m.id}`;
  }
  if (input.count < input.threshold) return 'threshold';
  return null;
}

/** The stable part of an alert's identity: rule + the dedup fields' values of the hit. */
export function groupKeyOf(ruleId: string, dedupFields: readonly string[], values: Readonly<Record<string, unknown>>): string {
  return `${ruleId}:${dedupFields.map((f) => String(values[f] ?? '')).join('|')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Risk-based grouping

/** Risk points per alert severity (risk-based alerting: a few medium alerts on one user outweigh one low). */
export const riskPoints: Readonly<Record<Severity, number>> = { info: 1, low: 5, medium: 20, high: 50, critical: 100 };

/** An incident's severity from its risk score. */
export function incidentSeverity(score: number): Severity {
  if (score >= 150) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 20) return 'medium';
  if (score >= 5) return 'low';
  return 'info';
}

/** The entity an alert's incident is about: its first user, else its first IP. */
export function incidentEntity(entities: { users: readonly string[]; ips: readonly string[] }): { kind: 'user' | 'ip'; value: string } | null {
  if (entities.users[0]) return { kind: 'user', value: entities.users[0].toLowerCase() };
  if (entities.ips[0]) return { kind: 'ip', value: entities.ips[0] };
  return null;
}
