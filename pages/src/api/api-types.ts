/**
 * Shapes of the JSON the Worker's HTTP API answers, transcribed from docs/api.md.
 *
 * The UI trusts the same-origin API for these shapes (it does not re-validate them); fields the contract
 * leaves unspecified are typed loosely and rendered defensively.
 */

export { roles, type Role } from '../../../core/auth/roles';
import type { Role } from '../../../core/auth/roles';

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

/** `GET /api/me`. `via` is `token` for a Mantissa API token, otherwise the Cloudflare Access path. */
export interface Me {
  id: string;
  name: string;
  role: Role;
  source: string | null;
  via: string;
}

export interface HealthBinding {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

/** `GET /api/health`: answered with 200 when ok and 503 (same body) when degraded. */
export interface Health {
  status: 'ok' | 'degraded';
  bindings: Record<string, HealthBinding>;
  version: string;
}

export type SqlCell = string | number | boolean | null | Record<string, unknown> | unknown[];

export interface SqlResult {
  columns: string[];
  rows: SqlCell[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

export const alertStatuses = ['open', 'acknowledged', 'closed', 'false_positive'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  title: string;
  dedupKey: string;
  entities: { users?: string[]; ips?: string[] };
  firstSeen: string;
  lastSeen: string;
  count: number;
  status: AlertStatus;
  evidence: unknown[];
  createdAt: string;
  updatedAt: string;
  /** Licence of the rule that raised the alert, set with `ruleAttribution`. */
  ruleLicense: string | null;
  /** Author attribution of that rule (DRL 1.1 rules): messages based on its matches must keep it. */
  ruleAttribution: string | null;
}

export const ruleFormats = ['sql', 'sigma'] as const;
export type RuleFormat = (typeof ruleFormats)[number];

export interface DetectionRule {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  sql: string;
  enabled: boolean;
  intervalMinutes: number;
  lookbackMinutes: number;
  lastRunAt: string | null;
  lastRunStatus: string | null;
  lastError: string | null;
  lastHits: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  watermark: string | null;
  format: RuleFormat;
  /** The Sigma YAML (Sigma rules); `sql` is then its D1 compilation, one `-- <title>` block per document. */
  yaml: string | null;
  sigmaId: string | null;
  /** e.g. `DRL-1.1`, `Apache-2.0`. */
  license: string | null;
  /** Author attribution the Detection Rule License requires to be shown with the rule. */
  attribution: string | null;
}

export interface NewDetectionRule {
  name: string;
  description: string;
  severity: Severity;
  sql: string;
  enabled: boolean;
  intervalMinutes?: number;
}

/** `POST /api/rules` body for a Sigma rule: name, description and severity come from the YAML. */
export interface NewSigmaRule {
  yaml: string;
  enabled?: boolean;
  intervalMinutes?: number;
  lookbackMinutes?: number;
  license?: string;
  attribution?: string;
}

/**
 * One problem in a Sigma rule, as listed in `errors` beside a 400 `invalid_rule` (and per document by the
 * convert call). `line` and `column` are 1-based; null when the problem has no place in the YAML.
 */
export interface SigmaProblem {
  code: string;
  message: string;
  line: number | null;
  column: number | null;
}

export const sqlDialects = ['d1', 'athena', 'bigquery', 'synapse'] as const;
export type SqlDialect = (typeof sqlDialects)[number];

/** One dialect's translation of a Sigma document: placeholders in `sql`, bound in order from `params`. */
export interface ConvertedQuery {
  ok: boolean;
  sql?: string;
  params?: (string | number | boolean | null)[];
  /** The export form: every placeholder replaced by an escaped literal. */
  inline?: string;
  /** The SQL selects a superset (e.g. D1 has no REGEXP): each row is confirmed by the streaming matcher. */
  needsConfirmation?: boolean;
  error?: string;
  errors?: SigmaProblem[];
}

export interface ConvertedDocument {
  title: string;
  id?: string | null;
  kind?: 'rule' | 'correlation';
  ok: boolean;
  error?: string;
  errors?: SigmaProblem[];
  queries?: Partial<Record<SqlDialect, ConvertedQuery>>;
}

/** `POST /api/rules/convert`: one result per document of the YAML, nothing saved. */
export interface ConvertResponse {
  results: ConvertedDocument[];
}

export interface IdentityUserSummary {
  user: string;
  events: number;
  lastSeen: string | null;
  failures: number;
}

export interface Containment {
  playbookRunId: string;
  reason: string;
  containedAt: string;
  containedBy: string;
}

export interface IdentityEvent {
  eventTime: string;
  source: string;
  action: string;
  identityAction: string | null;
  outcome: string;
  srcIp: string | null;
  country: string | null;
  city: string | null;
  userAgent: string | null;
}

/** `GET /api/identity/users/:id`: the user's Durable Object state with the last 200 identity events. */
export interface IdentityUserState {
  user: string;
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  containment: Containment | null;
  events: IdentityEvent[];
}

export const playbookRunStatuses = [
  'queued',
  'running',
  'waiting_approval',
  'approved',
  'rejected',
  'complete',
  'errored',
  'timed_out',
] as const;
export type PlaybookRunStatus = (typeof playbookRunStatuses)[number];

export interface PlaybookRun {
  id: string;
  playbook: string;
  params: { userId?: string; reason?: string };
  status: PlaybookRunStatus;
  requestedBy: string;
  decidedBy: string | null;
  decision: unknown;
  decisionComment: string | null;
  createdAt: string;
  updatedAt: string;
  result: unknown;
}

export interface CollectorStatus {
  id: string;
  type: string;
  source: string;
  description: string;
  enabled: boolean;
  intervalMinutes: number;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastEventTime: string | null;
  lagSeconds: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  eventsTotal: number;
}

export interface SourceStats {
  id: string;
  name: string;
  batches: number;
  accepted: number;
  rejected: number;
  events: number;
  eventsToday: number;
  lastIngestAt: string | null;
  collectors: CollectorStatus[];
}

export interface SourcesResponse {
  sources: SourceStats[];
  collectorsError: string | null;
}

/** A token as listed by `GET /api/tokens` (never with its secret). Only id, name and role are certain. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  source?: string | null;
  createdAt?: string | null;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

/** `POST /api/tokens` answer: the only time the secret is ever shown. */
export interface CreatedApiToken extends ApiTokenInfo {
  token: string;
}

export interface NewApiToken {
  name: string;
  role: Role;
  source?: string;
  expiresInDays?: number;
}
