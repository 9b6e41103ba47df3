/** GET /api/audit — the most recent state-changing calls. Admins only. */
import { z } from 'zod';
import { AuditRepository } from '../../../adapters/d1/audit-repository';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const auditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export function registerAuditList(app: App) {
  app.get('/audit', requirePermission('audit:read'), async (c) => {
    const { limit } = queryParams(c, auditQuerySchema);
    return c.json({ entries: await new AuditRepository(c.env.DB).recent(limit) });
  });
}
