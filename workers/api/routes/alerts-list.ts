/** GET /api/alerts — alerts, newest activity first, filtered by status, severity, time, rule or incident. */
import { z } from 'zod';
import { AlertsRepository, type AlertRow } from '../../../adapters/d1/alerts-repository';
import { severities } from '../../../core/schema/event';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const alertStatuses = ['open', 'acknowledged', 'closed', 'false_positive'] as const;

const listQuerySchema = z.object({
  status: z.enum([...alertStatuses, 'all']).default('all'),
  /** One severity or a comma-separated list (`high,critical`). */
  severity: z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(severities)).min(1))
    .optional(),
  /** Alerts active since this time (last_seen ≥ since), ISO 8601. */
  since: z.iso.datetime({ offset: true }).optional(),
  ruleId: z.string().max(200).optional(),
  incidentId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const alertStatusSchema = z.enum(alertStatuses);

export function registerAlertsList(app: App) {
  app.get('/alerts', requirePermission('alerts:read'), async (c) => {
    const q = queryParams(c, listQuerySchema);
    const repository = new AlertsRepository(c.env.DB);
    const rows = await repository.list({
      status: q.status === 'all' ? null : q.status,
      severities: q.severity ?? null,
      since: q.since ? new Date(q.since).toISOString() : null,
      ruleId: q.ruleId ?? null,
      incidentId: q.incidentId ?? null,
      limit: q.limit,
    });
    const attributions = await repository.ruleAttributions(rows);
    return c.json({ alerts: rows.map((row) => alertView(row, attributions.get(row.ruleId))) });
  });
}

export function alertView(row: AlertRow, rule?: { license: string | null; attribution: string }) {
  const entities = JSON.parse(row.entities) as { users?: string[]; ips?: string[]; hosts?: string[] };
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    severity: row.severity,
    title: row.title,
    dedupKey: row.dedupKey,
    entities: { users: entities.users ?? [], ips: entities.ips ?? [], hosts: entities.hosts ?? [] },
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    count: row.count,
    status: row.status,
    assignee: row.assignee,
    evidence: JSON.parse(row.evidence) as unknown,
    tags: JSON.parse(row.tags) as string[],
    sources: JSON.parse(row.sources) as string[],
    occurrence: row.occurrence,
    /** Why notifications are held back (a suppression id, `maintenance:<id>`, `threshold`), or null. */
    mutedBy: row.mutedBy,
    incidentId: row.incidentId,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    escalatedAt: row.escalatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    /** The rule's licence and attribution when it carries one (DRL 1.1 rules: kept with every alert). */
    ruleLicense: rule?.license ?? null,
    ruleAttribution: rule?.attribution ?? null,
  };
}
