/**
 * GET /api/identity/incidents?status=active|closed|all — identity incidents: a person whose detections
 * crossed two kill-chain stages (escalated at three), across every identity provider, riskiest first, each
 * with the detections behind it and the alerts they raised.
 */
import { z } from 'zod';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const listQuerySchema = z.object({
  status: z.enum(['active', 'open', 'escalated', 'closed', 'all']).default('active'),
  person: z.string().trim().toLowerCase().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

interface IdentityIncidentRow {
  id: string;
  person: string;
  status: string;
  severity: string;
  stages: string;
  providers: string;
  detection_count: number;
  risk_score: number;
  first_seen: string;
  last_seen: string;
  opened_at: string;
  escalated_at: string | null;
  closed_at: string | null;
  updated_at: string;
}

interface IncidentDetectionRow {
  incident_id: string;
  detection_id: string;
  kind: string;
  stage: string;
  severity: string;
  source: string | null;
  at: string;
  alert_id: string | null;
}

export function registerIdentityIncidentsList(app: App) {
  app.get('/identity/incidents', requirePermission('identity:read'), async (c) => {
    const q = queryParams(c, listQuerySchema);
    const { results } = await c.env.DB.prepare(
      `SELECT * FROM identity_incidents
        WHERE (?1 = 'all' OR (?1 = 'active' AND status != 'closed') OR status = ?1) AND (?2 IS NULL OR person = ?2)
        ORDER BY CASE status WHEN 'escalated' THEN 0 WHEN 'open' THEN 1 ELSE 2 END, last_seen DESC
        LIMIT ?3`,
    )
      .bind(q.status, q.person ?? null, q.limit)
      .all<IdentityIncidentRow>();
    const detections = results.length
      ? (
          await c.env.DB.prepare('SELECT * FROM identity_incident_detections WHERE incident_id IN (SELECT value FROM json_each(?1)) ORDER BY at')
            .bind(JSON.stringify(results.map((r) => r.id)))
            .all<IncidentDetectionRow>()
        ).results
      : [];
    return c.json({
      incidents: results.map((r) => ({
        id: r.id,
        person: r.person,
        status: r.status,
        severity: r.severity,
        stages: JSON.parse(r.stages) as string[],
        providers: JSON.parse(r.providers) as string[],
        detectionCount: r.detection_count,
        riskScore: r.risk_score,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        openedAt: r.opened_at,
        escalatedAt: r.escalated_at,
        closedAt: r.closed_at,
        updatedAt: r.updated_at,
        detections: detections
          .filter((d) => d.incident_id === r.id)
          .map((d) => ({ id: d.detection_id, kind: d.kind, stage: d.stage, severity: d.severity, source: d.source, at: d.at, alertId: d.alert_id })),
      })),
    });
  });
}
