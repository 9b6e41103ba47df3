/**
 * Drizzle table definitions for the D1 tables the Worker reads and writes row by row. They mirror
 * migrations/0001_init.sql (the source of truth; a workerd test checks the two agree). The `events` table is
 * written in bulk with json_each and read through the SQL validator, so it is not modelled here.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  hint: text('hint').notNull(),
  role: text('role', { enum: ['admin', 'analyst', 'responder', 'viewer', 'ingest'] }).notNull(),
  source: text('source'),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  expiresAt: text('expires_at'),
  revokedAt: text('revoked_at'),
  lastUsedAt: text('last_used_at'),
});

export const ingestBatches = sqliteTable('ingest_batches', {
  batchId: text('batch_id').primaryKey(),
  source: text('source').notNull(),
  receivedAt: text('received_at').notNull(),
  status: text('status', { enum: ['pending', 'complete'] }).notNull(),
  principalId: text('principal_id').notNull(),
  lines: integer('lines').notNull().default(0),
  accepted: integer('accepted').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  events: integer('events').notNull().default(0),
  bytes: integer('bytes').notNull().default(0),
  rawKey: text('raw_key'),
  deadLetterKey: text('dead_letter_key'),
  errors: text('errors').notNull().default('[]'),
  completedAt: text('completed_at'),
  keying: text('keying', { enum: ['position', 'vendor_id'] }).notNull().default('position'),
  realtimeDoneAt: text('realtime_done_at'),
});

export const detectionRules = sqliteTable('detection_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  severity: text('severity', { enum: ['info', 'low', 'medium', 'high', 'critical'] }).notNull(),
  querySql: text('query_sql').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  intervalMinutes: integer('interval_minutes').notNull().default(5),
  lookbackMinutes: integer('lookback_minutes').notNull().default(60),
  watermark: text('watermark'),
  lastRunAt: text('last_run_at'),
  lastRunStatus: text('last_run_status'),
  lastError: text('last_error'),
  lastHits: integer('last_hits'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  format: text('format', { enum: ['sql', 'sigma'] }).notNull().default('sql'),
  sigmaYaml: text('sigma_yaml'),
  sigmaId: text('sigma_id'),
  license: text('license'),
  attribution: text('attribution'),
  dedupWindowMinutes: integer('dedup_window_minutes').notNull().default(1440),
  dedupFields: text('dedup_fields').notNull().default('["actor","src_ip"]'),
  threshold: integer('threshold').notNull().default(1),
  realtime: integer('realtime', { mode: 'boolean' }).notNull().default(true),
  tags: text('tags').notNull().default('[]'),
});

export const ruleRuns = sqliteTable('rule_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ruleId: text('rule_id').notNull(),
  startedAt: text('started_at').notNull(),
  durationMs: integer('duration_ms').notNull(),
  windowStart: text('window_start').notNull(),
  windowEnd: text('window_end').notNull(),
  status: text('status', { enum: ['ok', 'error'] }).notNull(),
  rows: integer('rows').notNull().default(0),
  /** Rows the engine read (D1 meta.rows_read) across the window's queries. */
  rowsRead: integer('rows_read').notNull().default(0),
  hits: integer('hits').notNull().default(0),
  error: text('error'),
});

export const alerts = sqliteTable('alerts', {
  id: text('id').primaryKey(),
  ruleId: text('rule_id').notNull(),
  ruleName: text('rule_name').notNull(),
  severity: text('severity').notNull(),
  title: text('title').notNull(),
  dedupKey: text('dedup_key').notNull().unique(),
  entities: text('entities').notNull().default('{}'),
  firstSeen: text('first_seen').notNull(),
  lastSeen: text('last_seen').notNull(),
  count: integer('count').notNull().default(1),
  status: text('status', { enum: ['open', 'acknowledged', 'closed', 'false_positive'] }).notNull().default('open'),
  assignee: text('assignee'),
  evidence: text('evidence').notNull().default('[]'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  groupKey: text('group_key'),
  tags: text('tags').notNull().default('[]'),
  sources: text('sources').notNull().default('[]'),
  occurrence: integer('occurrence').notNull().default(1),
  mutedBy: text('muted_by'),
  notifiedOccurrence: integer('notified_occurrence').notNull().default(0),
  incidentId: text('incident_id'),
  acknowledgedAt: text('acknowledged_at'),
  acknowledgedBy: text('acknowledged_by'),
  resolvedAt: text('resolved_at'),
  resolvedBy: text('resolved_by'),
  escalatedAt: text('escalated_at'),
});

export const alertHits = sqliteTable('alert_hits', {
  ruleId: text('rule_id').notNull(),
  hitKey: text('hit_key').notNull(),
  alertId: text('alert_id').notNull(),
  at: text('at').notNull(),
});

export const suppressions = sqliteTable('suppressions', {
  id: text('id').primaryKey(),
  ruleId: text('rule_id'),
  conditions: text('conditions').notNull(),
  reason: text('reason').notNull(),
  status: text('status', { enum: ['active', 'pending_review', 'rejected', 'revoked'] }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  reviewedBy: text('reviewed_by'),
  reviewedAt: text('reviewed_at'),
  fromAlertId: text('from_alert_id'),
  muted: integer('muted').notNull().default(0),
});

export const maintenanceWindows = sqliteTable('maintenance_windows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  ruleIds: text('rule_ids').notNull().default('[]'),
  sources: text('sources').notNull().default('[]'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
});

export const incidents = sqliteTable('incidents', {
  id: text('id').primaryKey(),
  entityKind: text('entity_kind', { enum: ['user', 'ip'] }).notNull(),
  entity: text('entity').notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull(),
  riskScore: integer('risk_score').notNull().default(0),
  severity: text('severity').notNull(),
  alertCount: integer('alert_count').notNull().default(0),
  firstSeen: text('first_seen').notNull(),
  lastSeen: text('last_seen').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const alertDeliveries = sqliteTable('alert_deliveries', {
  id: text('id').primaryKey(),
  deliveryKey: text('delivery_key').notNull().unique(),
  alertId: text('alert_id').notNull(),
  destinationId: text('destination_id').notNull(),
  destinationType: text('destination_type').notNull(),
  kind: text('kind', { enum: ['trigger', 'acknowledge', 'resolve'] }).notNull(),
  route: text('route').notNull(),
  status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  notBefore: text('not_before').notNull(),
  leaseUntil: text('lease_until'),
  lastError: text('last_error'),
  externalId: text('external_id'),
  detail: text('detail'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  sentAt: text('sent_at'),
});

export const routingConfig = sqliteTable('routing_config', {
  id: integer('id').primaryKey(),
  document: text('document').notNull(),
  version: integer('version').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const playbookRuns = sqliteTable('playbook_runs', {
  id: text('id').primaryKey(),
  playbook: text('playbook').notNull(),
  params: text('params').notNull(),
  status: text('status').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedByName: text('requested_by_name').notNull(),
  decidedBy: text('decided_by'),
  decision: text('decision'),
  decisionComment: text('decision_comment'),
  result: text('result'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  role: text('role').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  status: integer('status').notNull(),
  requestId: text('request_id').notNull(),
  ip: text('ip'),
});

export const collectorState = sqliteTable('collector_state', {
  collectorId: text('collector_id').primaryKey(),
  source: text('source').notNull(),
  cursor: text('cursor'),
  lastRunAt: text('last_run_at'),
  lastSuccessAt: text('last_success_at'),
  lastEventTime: text('last_event_time'),
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  eventsTotal: integer('events_total').notNull().default(0),
  updatedAt: text('updated_at').notNull(),
});

export const collectorRuns = sqliteTable('collector_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  collectorId: text('collector_id').notNull(),
  startedAt: text('started_at').notNull(),
  durationMs: integer('duration_ms').notNull(),
  pages: integer('pages').notNull(),
  events: integer('events').notNull(),
  newEvents: integer('new_events').notNull(),
  status: text('status', { enum: ['ok', 'error', 'partial'] }).notNull(),
  error: text('error'),
});

export const tables = { apiTokens, ingestBatches, detectionRules, ruleRuns, alerts, playbookRuns, auditLog, collectorState, collectorRuns };
