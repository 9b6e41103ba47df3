/**
 * GET /api/incidents — risk-based grouping: the alerts open on one entity (user or IP) roll up into one
 * incident whose risk score is the sum of its alerts' severity points (core/alerting/noise riskPoints).
 * GET /api/incidents/:id — one incident with its alerts.
 */
import { z } from 'zod';
import { AlertsRepository } from '../../../adapters/d1/alerts-repository';
import { queryParams, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { alertView } from './alerts-list';

export interface IncidentRow {
  id: string;
  entity_kind: 'user' | 'ip';
  entity: string;
  status: 'open' | 'closed';
  risk_score: number;
  severity: string;
  alert_count: number;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
}

export function incidentView(row: IncidentRow) {
  return {
    id: row.id,
    entityKind: row.entity_kind,
    entity: row.entity,
    status: row.status,
    riskScore: row.risk_score,
    severity: row.severity,
    alertCount: row.alert_count,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const listQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function registerIncidents(app: App) {
  app.get('/incidents', requirePermission('alerts:read'), async (c) => {
    const q = queryParams(c, listQuerySchema);
    const { results } = await c.env.DB.prepare(
      `SELECT * FROM incidents WHERE (?1 = 'all' OR status = ?1) ORDER BY risk_score DESC, last_seen DESC LIMIT ?2`,
    )
      .bind(q.status, q.limit)
      .all<IncidentRow>();
    return c.json({ incidents: results.map(incidentView) });
  });

  app.get('/incidents/:id', requirePermission('alerts:read'), async (c) => {
    const id = c.req.param('id');
    const row = await c.env.DB.prepare('SELECT * FROM incidents WHERE id = ?1').bind(id).first<IncidentRow>();
    if (!row) throw new ApiError('not_found', `No incident ${id}.`);
    const repository = new AlertsRepository(c.env.DB);
    const alerts = await repository.list({ status: null, incidentId: id, limit: 500 });
    const attributions = await repository.ruleAttributions(alerts);
    return c.json({ incident: incidentView(row), alerts: alerts.map((a) => alertView(a, attributions.get(a.ruleId))) });
  });
}
