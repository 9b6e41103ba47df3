/**
 * Shapes of the JSON the Worker's HTTP API answers, transcribed from docs/api.md.
 *
 * The UI trusts the same-origin API for these shapes (it does not re-validate them); fields the contract
 * leaves unspecified are typed loosely and rendered defensively.
 */

export { roles, type Role } from '../../../core/auth/roles';
import type { Role } from '../../../core/auth/roles';
import type { NoiseField } from '../../../core/alerting/noise';

export type { NoiseField };

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
  entities: { users?: string[]; ips?: string[]; hosts?: string[] };
  firstSeen: string;
  lastSeen: string;
  count: number;
  status: AlertStatus;
  assignee: string | null;
  evidence: unknown[];
  /** The rule's tags (`attack.t1110`), which routes match on. */
  tags: string[];
  /** Sources of the events behind the alert. */
  sources: string[];
  /** 1 for the first alert on this dedup key; a hit after the dedup window (or after closing) opens the next. */
  occurrence: number;
  /** Why notifications are held back: a suppression id (`sup_…`), `maintenance:<id>` or `threshold`; null when not. */
  mutedBy: string | null;
  incidentId: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  escalatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Licence of the rule that raised the alert, set with `ruleAttribution`. */
  ruleLicense: string | null;
  /** Author attribution of that rule (DRL 1.1 rules): messages based on its matches must keep it. */
  ruleAttribution: string | null;
}

export const deliveryStatuses = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One notification of an alert to one destination (a row of `alert_deliveries`). */
export interface AlertDelivery {
  id: string;
  deliveryKey: string;
  destinationId: string;
  destinationType: string;
  /** The lifecycle step told: `opened`, `acknowledged`, `resolved`, `escalated`, … */
  kind: string;
  /** The routing document's route that chose the destination. */
  route: string;
  status: DeliveryStatus;
  attempts: number;
  /** Not sent before this time (quiet hours, backoff). */
  notBefore: string;
  lastError: string | null;
  /** The destination's id for what it created (PagerDuty dedup key, Jira issue, Slack message ts). */
  externalId: string | null;
  detail: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export const incidentStatuses = ['open', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** The alerts open on one entity, rolled up; the risk score is the sum of their severity points. */
export interface Incident {
  id: string;
  entityKind: 'user' | 'ip';
  entity: string;
  status: IncidentStatus;
  riskScore: number;
  severity: Severity;
  alertCount: number;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/alerts/:id`. */
export interface AlertDetail {
  alert: Alert;
  hitsRecorded: number;
  incident: Incident | null;
  deliveries: AlertDelivery[];
}

/** `GET /api/incidents/:id`. */
export interface IncidentDetail {
  incident: Incident;
  alerts: Alert[];
}

/**
 * Normalized columns a rule may dedup or suppress on (core/alerting/noise). Listed here rather than imported
 * so the UI bundle does not pull in zod; the record makes the compiler check the list is exactly the server's.
 */
const noiseFieldSet: Record<NoiseField, true> = {
  actor: true,
  src_ip: true,
  target: true,
  source: true,
  action: true,
  src_country: true,
  service: true,
  user_agent: true,
  session_id: true,
  actor_id: true,
};
export const noiseFields = Object.keys(noiseFieldSet) as NoiseField[];
/** The fields the false-positive form and the suppression form offer first. */
export const commonNoiseFields = ['actor', 'src_ip', 'target', 'source', 'action'] as const satisfies readonly NoiseField[];
/** A suppression or a dedup key names at most this many fields. */
export const maxNoiseFields = 3;

export const suppressionStatuses = ['active', 'pending_review', 'rejected', 'revoked'] as const;
export type SuppressionStatus = (typeof suppressionStatuses)[number];

export interface Suppression {
  id: string;
  /** Only this rule's alerts, or every rule's when null. */
  ruleId: string | null;
  conditions: Partial<Record<NoiseField, string>>;
  reason: string;
  status: SuppressionStatus;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** The alert whose false-positive report proposed it. */
  fromAlertId: string | null;
  /** How many alerts it has muted. */
  muted: number;
}

/** `POST /api/alerts/:id/false-positive`. */
export interface FalsePositiveRequest {
  reason: string;
  fields: NoiseField[];
  days: number;
  ruleOnly: boolean;
}

export interface FalsePositiveResponse {
  alert: Alert;
  suppression: Suppression;
}

/** `POST /api/suppressions` (active at once: made by hand by a rules:write user). */
export interface NewSuppression {
  ruleId: string | null;
  conditions: Partial<Record<NoiseField, string>>;
  reason: string;
  days: number;
}

export interface MaintenanceWindow {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  /** Empty: every rule. */
  ruleIds: string[];
  /** Empty: every source. */
  sources: string[];
  createdBy: string;
  createdAt: string;
}

export interface NewMaintenanceWindow {
  name: string;
  startsAt: string;
  endsAt: string;
  ruleIds: string[];
  sources: string[];
}

/** `GET /api/routing`: version 0 and null author when no document was ever saved. */
export interface RoutingState {
  document: Record<string, unknown>;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
  /** `path: message` lines when the stored document no longer validates. */
  problems: string[];
  /** e.g. `secret HOOK_SECRET is not set (…)`. */
  warnings: string[];
}

/** `PUT /api/routing` answer; a refusal is a 400 whose body carries `problems` beside `error`. */
export interface RoutingSaved {
  document: Record<string, unknown>;
  version: number;
  updatedAt: string;
  warnings: string[];
}

export const ruleFormats = ['sql', 'sigma'] as const;
export type RuleFormat = (typeof ruleFormats)[number];

/** One scheduled window of a rule (`GET /api/rules/:id/runs`). */
export interface RuleRun {
  startedAt: string;
  durationMs: number;
  windowStart: string;
  windowEnd: string;
  status: 'ok' | 'error';
  rowsRead: number;
  rows: number;
  hits: number;
  error: string | null;
}

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
  /** Routing tags (a Sigma rule's come from its YAML). */
  tags: string[];
  /** A hit within this long of an alert's last hit folds into it; later, a new alert opens. */
  dedupWindowMinutes: number;
  /** Fields naming one alert of the rule. */
  dedupFields: NoiseField[];
  /** Notify only once an alert has this many hits. */
  threshold: number;
  /** Single-event Sigma rules: also run on the ingest path (seconds), not only on the cron. */
  realtime: boolean;
}

/** The noise and real-time settings `PATCH /api/rules/:id` accepts (each optional; none can be cleared). */
export interface RuleNoisePatch {
  dedupWindowMinutes?: number;
  dedupFields?: NoiseField[];
  threshold?: number;
  realtime?: boolean;
}

/** One document of `POST /api/rules/:id/test` (a SQL rule has one; a Sigma rule one per YAML document). */
export interface RuleTestDocument {
  title: string;
  kind?: 'rule' | 'correlation';
  /** False for a Sigma base rule that only feeds a correlation. */
  raisesAlerts?: boolean;
  rows: number;
  truncated: boolean;
  /** How many alerts these rows would raise (after grouping by the dedup fields). */
  alerts: number;
  sample: Record<string, unknown>[];
}

export interface RuleTestResult {
  window: { start: string; end: string };
  durationMs: number;
  documents: RuleTestDocument[];
}

/** `POST /api/rules/from-question`: a Sigma rule written from an English request, tested over recent events, not saved. */
export interface RuleFromQuestionResponse {
  yaml: string;
  /** Titles of the generated documents, the correlation first. */
  rules: string[];
  explanation: string;
  assumptions: string[];
  /** The D1 SQL each document compiles to, for display. */
  sql: string;
  test: RuleTestResult;
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

/** `GET /api/identity/users`: a person ITDR tracks, riskiest first. */
export interface IdentityUserSummary {
  user: string;
  identities: string[];
  riskScore: number;
  riskLevel: IdentityRiskLevel;
  detectionCount: number;
  lastDetection: { kind: string; at: string } | null;
  stages: string[];
  events: number;
  lastSeen: string | null;
  updatedAt: string;
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

/** `GET /api/identity/users/:id`: the person's Durable Object state (ITDR) with the last 200 identity events. */
export interface IdentityUserState {
  user: string;
  identities: string[];
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  containment: Containment | null;
  events: IdentityEvent[];
  risk: IdentityRisk;
  riskThresholds: { level: IdentityRiskLevel; min: number }[];
  detections: IdentityDetection[];
  stages: { stage: string; firstAt: string; lastAt: string; detectionIds: string[] }[];
  incident: { id: string; status: 'open' | 'escalated'; openedAt: string; escalatedAt: string | null; stages: string[] } | null;
  baseline: IdentityBaseline | null;
  sessions: IdentitySession[];
  timeline: IdentityTimelineEntry[];
  map: { points: IdentityMapPoint[]; arcs: IdentityMapArc[] };
  riskHistory: IdentityRiskPoint[];
}

export type IdentityRiskLevel = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface IdentityRisk {
  score: number;
  level: IdentityRiskLevel;
  asOf: string;
  breakdown: { kind: string; detectionId: string; contribution: number; at: string }[];
}

export interface IdentityDetection {
  id: string;
  kind: string;
  title: string;
  severity: Severity;
  stage: string;
  at: string;
  mitre: string[];
  score: number;
  sources: string[];
  ips: string[];
  evidence: { eventUids: string[]; summary: string; details: Record<string, string | number | boolean | null> };
}

export interface IdentitySeenValue {
  value: string;
  count: number;
  first: string;
  last: string;
}

export interface IdentityBaseline {
  startedAt: string | null;
  signIns: number;
  maturity: { mature: boolean; confidence: number; daysObserved: number; signIns: number; maturesAt: string | null };
  hourOfWeek: number[];
  countries: IdentitySeenValue[];
  cities: IdentitySeenValue[];
  asns: IdentitySeenValue[];
  ips: IdentitySeenValue[];
  devices: IdentitySeenValue[];
  apps: IdentitySeenValue[];
  mfaMethods: IdentitySeenValue[];
  providers: IdentitySeenValue[];
  dailyVolume: [string, number][];
  sessionCount: number;
  sessionMeanSeconds: number;
}

export interface IdentitySession {
  id: string;
  provider: string;
  startedAt: string;
  lastAt: string;
  ip: string | null;
  country: string | null;
  city: string | null;
  device: string | null;
  ended: boolean;
}

export interface IdentityTimelineEntry {
  at: string;
  type: 'detection' | 'event';
  source: string | null;
  name: string;
  identityAction: string | null;
  outcome: string | null;
  severity: Severity | null;
  stage: string | null;
  summary: string;
  ip: string | null;
  place: string | null;
  detectionId: string | null;
}

export interface IdentityMapPoint {
  at: string;
  lat: number;
  lon: number;
  city: string | null;
  country: string | null;
  ip: string | null;
  outcome: string;
  source: string;
}

export interface IdentityMapArc {
  detectionId: string;
  at: string;
  from: { lat: number; lon: number; label: string };
  to: { lat: number; lon: number; label: string };
  speedKmh: number | null;
}

export interface IdentityRiskPoint {
  at: string;
  score: number;
  level: IdentityRiskLevel;
  reason: string | null;
}

/** `GET /api/identity/incidents`: a person whose detections crossed two kill-chain stages (escalated at three). */
export interface IdentityIncident {
  id: string;
  person: string;
  status: 'open' | 'escalated' | 'closed';
  severity: Severity;
  stages: string[];
  providers: string[];
  detectionCount: number;
  riskScore: number;
  firstSeen: string;
  lastSeen: string;
  openedAt: string;
  escalatedAt: string | null;
  closedAt: string | null;
  detections: { id: string; kind: string; stage: string; severity: Severity; source: string | null; at: string; alertId: string | null }[];
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

/** `estimate` of a `POST /api/query` answer: what the query reads and costs on the engine it runs on. */
export interface QueryCostEstimate {
  bytes: number;
  usd: number;
  rows: number;
  partitions: number;
  dialect: SqlDialect;
  basis: string;
}

/** `POST /api/query` (200): an answered question, or one whose estimate needs `confirm: true` (nothing ran). */
export interface QueryAnswer {
  conversationId: string;
  sql: string;
  params: unknown[];
  explanation: string;
  assumptions: string[];
  estimate: QueryCostEstimate;
  needsConfirmation: boolean;
  columns: string[];
  rows: SqlCell[][];
  rowCount: number;
  truncated: boolean;
  cached: boolean;
  /** `offline`, an LLM provider id, or `sql` for edited SQL. */
  engine: string;
  /** The provider that failed when the offline engine answered instead. */
  fallbackFrom: string | null;
  timeRange: { from: string | null; to: string | null } | null;
}

export interface QueryRequest {
  question: string;
  conversationId?: string;
  confirm?: boolean;
  sql?: string;
}

export interface QueryConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  turns: number;
}

export const queryTurnStatuses = ['answered', 'needs_confirmation', 'not_understood', 'refused', 'failed'] as const;
export type QueryTurnStatus = (typeof queryTurnStatuses)[number];

/** A stored turn of a conversation (its rows are not kept: re-run its SQL to see them). */
export interface QueryConversationTurn {
  seq: number;
  question: string;
  sql: string | null;
  explanation: string | null;
  assumptions: string[];
  timeRange: { from: string | null; to: string | null } | null;
  engine: string;
  status: QueryTurnStatus;
  message: string | null;
  rowCount: number | null;
  estimate: { usd: number; bytes: number } | null;
  createdAt: string;
}

/** `GET /api/query/conversations/:id`. */
export interface QueryConversation extends Omit<QueryConversationSummary, 'turns'> {
  turns: QueryConversationTurn[];
}
