/** GET /api/alerts — alerts, newest activity first, optionally by status. */
import { z } from 'zod';
import { AlertsRepository, type AlertRow } from '../../../adapters/d1/alerts-repository';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const alertStatuses = ['open', 'acknowledged', 'closed', 'false_positive'] as const;

const listQuerySchema = z.object({
  status: z.enum([...alertStatuses, 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const alertStatusSchema = z.enum(alertStatuses);

export function registerAlertsList(app: App) {
  app.get('/alerts', requirePermission('alerts:read'), async (c) => {
    const q = queryParams(c, listQuerySchema);
    const repository = new AlertsRepository(c.env.DB);
    const rows = await repository.list({ status: q.status === 'all' ? null : q.status, limit: q.limit });
    const attributions = await repository.ruleAttributions(rows);
    return c.json({ alerts: rows.map((row) => alertView(row, attributions.get(row.ruleId))) });
  });
}

export function alertView(row: AlertRow, rule?: { license: string | null; attribution: string }) {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    severity: row.severity,
    title: row.title,
    dedupKey: row.dedupKey,
    entities: JSON.parse(row.entities) as unknown,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    count: row.count,
    status: row.status,
    assignee: row.assignee,
    evidence: JSON.parse(row.evidence) as unknown,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    /** The rule's licence and attribution when it carries one (DRL 1.1 rules: kept with every alert). */
    ruleLicense: rule?.license ?? null,
    ruleAttribution: rule?.attribution ?? null,
  };
}
