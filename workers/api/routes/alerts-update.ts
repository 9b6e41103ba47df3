/**
 * PATCH /api/alerts/:id — change an alert's status or assignee. Acknowledging or closing it tells the
 * destinations that were notified of it (workers/detect/alert-lifecycle).
 */
import { z } from 'zod';
import { AlertsRepository } from '../../../adapters/d1/alerts-repository';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { alertStatusSchema, alertView } from './alerts-list';
import { changeAlertStatus } from '../../detect/alert-lifecycle';

const patchSchema = z.object({
  status: alertStatusSchema,
  assignee: z.string().max(320).nullable().optional(),
});

export function registerAlertsUpdate(app: App) {
  app.patch('/alerts/:id', requirePermission('alerts:write'), async (c) => {
    const body = await jsonBody(c, patchSchema);
    const repository = new AlertsRepository(c.env.DB);
    const principal = c.get('principal');
    const changed = await changeAlertStatus(c.env, { id: c.req.param('id'), status: body.status, assignee: body.assignee, actor: principal.name, now: new Date() });
    const row = changed ? await repository.get(c.req.param('id')) : null;
    if (!row) throw new ApiError('not_found', `No alert ${c.req.param('id')}.`);
    return c.json(alertView(row, (await repository.ruleAttributions([row])).get(row.ruleId)));
  });
}
