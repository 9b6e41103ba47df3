/**
 * Suppressions and false-positive feedback (docs/alerting.md, "Noise control").
 *
 * - POST /api/alerts/:id/false-positive — marks the alert a false positive (its destinations are told it is
 *   resolved) and proposes a suppression on up to 3 of its fields; the proposal mutes nothing until someone
 *   else with rules:write approves it.
 * - GET /api/suppressions, POST /api/suppressions (made by hand by a rules:write user: active at once),
 *   POST /api/suppressions/:id/review, DELETE /api/suppressions/:id (revoke).
 */
import { z } from 'zod';
import { noiseFields, suppressionConditionsSchema, type NoiseField } from '../../../core/alerting/noise';
import { AlertsRepository } from '../../../adapters/d1/alerts-repository';
import { jsonBody, queryParams, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { changeAlertStatus } from '../../detect/alert-lifecycle';
import { alertView } from './alerts-list';

interface SuppressionRow {
  id: string;
  rule_id: string | null;
  conditions: string;
  reason: string;
  status: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  from_alert_id: string | null;
  muted: number;
}

function suppressionView(row: SuppressionRow) {
  return {
    id: row.id,
    ruleId: row.rule_id,
    conditions: JSON.parse(row.conditions) as Record<string, string>,
    reason: row.reason,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    fromAlertId: row.from_alert_id,
    muted: row.muted,
  };
}

const falsePositiveSchema = z.strictObject({
  reason: z.string().trim().min(3, 'say why this is a false positive').max(2000),
  /** Fields of the alert the proposed suppression matches on (default the user). */
  fields: z.array(z.enum(noiseFields)).min(1).max(3).default(['actor']),
  /** How long the suppression lasts once approved. */
  days: z.number().int().min(1).max(365).default(30),
  /** Only this rule's alerts (default), or every rule's. */
  ruleOnly: z.boolean().default(true),
});

const createSchema = z.strictObject({
  ruleId: z.string().min(1).max(200).nullable().default(null),
  conditions: suppressionConditionsSchema,
  reason: z.string().trim().min(3).max(2000),
  days: z.number().int().min(1).max(365).default(30),
});

const reviewSchema = z.strictObject({ decision: z.enum(['approve', 'reject']) });

const newId = () => `sup_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;

export function registerSuppressions(app: App) {
  app.post('/alerts/:id/false-positive', requirePermission('alerts:write'), async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c, falsePositiveSchema);
    const repository = new AlertsRepository(c.env.DB);
    const alert = await repository.get(id);
    if (!alert) throw new ApiError('not_found', `No alert ${id}.`);
    const conditions = conditionsFromAlert(alert, body.fields);
    const principal = c.get('principal');
    const now = new Date();
    await changeAlertStatus(c.env, { id, status: 'false_positive', actor: principal.name, now });
    const row = await c.env.DB.prepare(
      `INSERT INTO suppressions (id, rule_id, conditions, reason, status, created_by, created_at, expires_at, from_alert_id)
       VALUES (?1, ?2, ?3, ?4, 'pending_review', ?5, ?6, ?7, ?8) RETURNING *`,
    )
      .bind(newId(), body.ruleOnly ? alert.ruleId : null, JSON.stringify(conditions), body.reason, principal.id, now.toISOString(), addDays(now, body.days), id)
      .first<SuppressionRow>();
    const updated = (await repository.get(id))!;
    return c.json({ alert: alertView(updated), suppression: suppressionView(row!) }, 201);
  });

  app.get('/suppressions', requirePermission('alerts:read'), async (c) => {
    const q = queryParams(c, z.object({ status: z.enum(['active', 'pending_review', 'rejected', 'revoked', 'all']).default('all') }));
    const { results } = await c.env.DB.prepare(`SELECT * FROM suppressions WHERE (?1 = 'all' OR status = ?1) ORDER BY created_at DESC LIMIT 500`)
      .bind(q.status)
      .all<SuppressionRow>();
    return c.json({ suppressions: results.map(suppressionView) });
  });

  app.post('/suppressions', requirePermission('rules:write'), async (c) => {
    const body = await jsonBody(c, createSchema);
    const principal = c.get('principal');
    const now = new Date();
    if (body.ruleId) {
      const rule = await c.env.DB.prepare('SELECT id FROM detection_rules WHERE id = ?1').bind(body.ruleId).first();
      if (!rule) throw new ApiError('invalid_request', `No rule ${body.ruleId}; omit ruleId to suppress across every rule.`);
    }
    const row = await c.env.DB.prepare(
      `INSERT INTO suppressions (id, rule_id, conditions, reason, status, created_by, created_at, expires_at, reviewed_by, reviewed_at)
       VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?7, ?5, ?6) RETURNING *`,
    )
      .bind(newId(), body.ruleId, JSON.stringify(body.conditions), body.reason, principal.id, now.toISOString(), addDays(now, body.days))
      .first<SuppressionRow>();
    return c.json(suppressionView(row!), 201);
  });

  app.post('/suppressions/:id/review', requirePermission('rules:write'), async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c, reviewSchema);
    const principal = c.get('principal');
    const existing = await c.env.DB.prepare('SELECT * FROM suppressions WHERE id = ?1').bind(id).first<SuppressionRow>();
    if (!existing) throw new ApiError('not_found', `No suppression ${id}.`);
    if (existing.status !== 'pending_review') throw new ApiError('conflict', `Suppression ${id} is ${existing.status}; only a pending one can be reviewed.`);
    if (existing.created_by === principal.id) throw new ApiError('forbidden', 'A suppression proposed from your own false-positive report must be reviewed by someone else.');
    const row = await c.env.DB.prepare(`UPDATE suppressions SET status = ?2, reviewed_by = ?3, reviewed_at = ?4 WHERE id = ?1 AND status = 'pending_review' RETURNING *`)
      .bind(id, body.decision === 'approve' ? 'active' : 'rejected', principal.id, new Date().toISOString())
      .first<SuppressionRow>();
    if (!row) throw new ApiError('conflict', `Suppression ${id} was reviewed meanwhile.`);
    return c.json(suppressionView(row));
  });

  app.delete('/suppressions/:id', requirePermission('rules:write'), async (c) => {
    const id = c.req.param('id');
    const row = await c.env.DB.prepare(`UPDATE suppressions SET status = 'revoked' WHERE id = ?1 AND status IN ('active', 'pending_review') RETURNING *`)
      .bind(id)
      .first<SuppressionRow>();
    if (!row) throw new ApiError('not_found', `No active or pending suppression ${id}.`);
    return c.json(suppressionView(row));
  });
}

function addDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString();
}

/** The alert's value of each field: its first user / IP, else the first evidence row that has the field. */
function conditionsFromAlert(alert: { entities: string; evidence: string }, fields: readonly NoiseField[]): Record<string, string> {
  const entities = JSON.parse(alert.entities) as { users?: string[]; ips?: string[] };
  const evidence = JSON.parse(alert.evidence) as Record<string, unknown>[];
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of fields) {
    const fromEntities = field === 'actor' ? entities.users?.[0] : field === 'src_ip' ? entities.ips?.[0] : undefined;
    const fromEvidence = evidence.find((e) => e[field] !== null && e[field] !== undefined && e[field] !== '')?.[field];
    const value = fromEntities ?? (fromEvidence === undefined ? undefined : String(fromEvidence));
    if (value === undefined) missing.push(field);
    else out[field] = value;
  }
  if (missing.length > 0) {
    throw new ApiError('invalid_request', `The alert has no value for ${missing.join(', ')}; choose fields it carries (e.g. actor, src_ip).`);
  }
  return out;
}
