/**
 * Scheduled SQL detection rules: their definition, the event-time window each run covers, and how result
 * rows become alerts.
 *
 * Window invariant: a run covers (watermark, end] where end = now − ingest delay, and the next run starts at
 * that end, so consecutive runs neither skip nor overlap. A rule that has never run starts `lookback` before
 * end; a rule that fell behind (Worker down, rule disabled and re-enabled) catches up in windows of at most
 * `maxWindowMs`, oldest first, at most `maxWindowsPerRun` of them per cron run.
 */
import { z } from 'zod';
import { severities, type Severity } from '../schema/event';
import { noiseFields } from '../alerting/noise';

export const ruleWindowParams = ['window_start', 'window_end'] as const;

/** Noise control and the real-time switch, settable on any rule (core/alerting/noise, docs/alerting.md). */
export const ruleNoiseShape = {
  /** A hit within this long of the alert's last hit folds into it; later, a new alert opens. */
  dedupWindowMinutes: z.number().int().min(1).max(90 * 24 * 60).optional(),
  /** Fields naming one alert of the rule (default actor and source IP). */
  dedupFields: z.array(z.enum(noiseFields)).min(1).max(3, 'dedup on at most 3 fields').optional(),
  /** Notify only once an alert has this many hits. */
  threshold: z.number().int().min(1).max(1_000_000).optional(),
  /** Single-event Sigma rules: run on the ingest path (seconds) rather than only on the cron. */
  realtime: z.boolean().optional(),
};

export const sqlRuleInputSchema = z.object({
  ...ruleNoiseShape,
  /** Tags for routing (`attack.t1110`, `team.iam`); Sigma rules take theirs from the YAML. */
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  severity: z.enum(severities),
  sql: z.string().min(1).max(20_000),
  enabled: z.boolean().default(true),
  intervalMinutes: z.number().int().min(1).max(1440).default(5),
  lookbackMinutes: z.number().int().min(1).max(43_200).default(60),
});
export type SqlRuleInput = z.infer<typeof sqlRuleInputSchema>;

export const sqlRulePatchSchema = sqlRuleInputSchema.partial().refine((p) => Object.keys(p).length > 0, {
  message: 'send at least one field to change',
});

/** A Sigma rule as sent to the API: the YAML (one document, or a correlation with its base rules). */
export const sigmaRuleInputSchema = z.object({
  ...ruleNoiseShape,
  yaml: z.string().min(1).max(200_000),
  enabled: z.boolean().default(true),
  intervalMinutes: z.number().int().min(1).max(1440).default(5),
  lookbackMinutes: z.number().int().min(1).max(43_200).default(60),
  /** Licence of an imported rule, e.g. `DRL-1.1` for SigmaHQ's. */
  license: z.string().trim().max(100).optional(),
  /** Who wrote it and under what terms, shown with the rule (DRL 1.1 requires attribution). */
  attribution: z.string().trim().max(2000).optional(),
});
export type SigmaRuleInput = z.infer<typeof sigmaRuleInputSchema>;

export const sigmaRulePatchSchema = sigmaRuleInputSchema.partial().refine((p) => Object.keys(p).length > 0, {
  message: 'send at least one field to change',
});

export interface RuleScheduleState {
  readonly intervalMinutes: number;
  readonly lookbackMinutes: number;
  readonly watermark: string | null;
  readonly lastRunAt: string | null;
}

export interface RuleWindow {
  readonly start: string;
  readonly end: string;
}

export const ingestDelayMs = 60_000;
export const maxWindowMs = 24 * 60 * 60_000;
export const maxWindowsPerRun = 14;

export function isRuleDue(rule: RuleScheduleState, now: Date): boolean {
  if (!rule.lastRunAt) return true;
  // Half a minute of slack: a cron tick that lands a few seconds early must not skip an interval.
  return now.getTime() - Date.parse(rule.lastRunAt) >= rule.intervalMinutes * 60_000 - 30_000;
}

export function ruleWindow(rule: RuleScheduleState, now: Date): RuleWindow | null {
  const end = now.getTime() - ingestDelayMs;
  const start = rule.watermark ? Date.parse(rule.watermark) : end - rule.lookbackMinutes * 60_000;
  if (end <= start) return null;
  const cappedEnd = Math.min(end, start + maxWindowMs);
  return { start: new Date(start).toISOString(), end: new Date(cappedEnd).toISOString() };
}

export interface AlertCandidate {
  readonly dedupKey: string;
  readonly title: string;
  readonly entities: { users: string[]; ips: string[] };
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly evidence: Record<string, unknown>;
  /**
   * What the alert counts once, so a repeated run never counts it twice: the uids of the events behind an
   * event hit; for a result row (SQL rule, correlation), by default the row's dedup key and last time.
   */
  readonly hitKeys?: readonly string[];
  /** Sources of the events behind the hit, when known. */
  readonly sources?: readonly string[];
}

const userColumns = ['actor', 'user', 'target_user'];
const ipColumns = ['src_ip', 'ip'];

/**
 * One alert candidate per result row. Rows name their entities with the columns `actor`/`user` and
 * `src_ip`/`ip`, their time span with `first_seen`/`last_seen` (or `event_time`), their weight with
 * `count`/`n`; an optional `title` or `dedup_key` column overrides the defaults. Rows about the same
 * entities dedupe into one alert.
 */
export function alertCandidates(
  rule: { id: string; name: string },
  columns: readonly string[],
  rows: readonly unknown[][],
  window: RuleWindow,
): AlertCandidate[] {
  const index = (names: readonly string[]) => {
    for (const n of names) {
      const i = columns.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const col = {
    user: index(userColumns),
    ip: index(ipColumns),
    first: index(['first_seen', 'event_time']),
    last: index(['last_seen', 'event_time']),
    count: index(['count', 'n', 'hits']),
    title: index(['title']),
    dedup: index(['dedup_key']),
  };
  return rows.map((row) => {
    const str = (i: number) => (i >= 0 && row[i] !== null && row[i] !== undefined ? String(row[i]) : null);
    const user = str(col.user);
    const ip = str(col.ip);
    const countValue = Number(str(col.count) ?? 1);
    const entityKey = [user ?? '', ip ?? ''].join('|');
    const evidence = Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]));
    const subject = [user, ip && `from ${ip}`].filter(Boolean).join(' ');
    return {
      dedupKey: `${rule.id}:${str(col.dedup) ?? entityKey}`,
      title: str(col.title) ?? (subject ? `${rule.name}: ${subject}` : rule.name),
      entities: { users: user ? [user] : [], ips: ip ? [ip] : [] },
      firstSeen: str(col.first) ?? window.start,
      lastSeen: str(col.last) ?? window.end,
      count: Number.isFinite(countValue) && countValue > 0 ? Math.round(countValue) : 1,
      evidence,
    };
  });
}

export function isSeverity(value: string): value is Severity {
  return (severities as readonly string[]).includes(value);
}
