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
