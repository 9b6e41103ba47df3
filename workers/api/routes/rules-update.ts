/** PATCH /api/rules/:id — enable/disable or edit a rule. */
import { sqlRulePatchSchema } from '../../../core/detect/sql-rule';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { assertValidRuleSql, ruleView } from './rules-shared';

export function registerRulesUpdate(app: App) {
  app.patch('/rules/:id', requirePermission('rules:write'), async (c) => {
    const patch = await jsonBody(c, sqlRulePatchSchema);
    if (patch.sql !== undefined) assertValidRuleSql(patch.sql);
    const row = await new RulesRepository(c.env.DB).update(c.req.param('id'), patch, new Date());
    if (!row) throw new ApiError('not_found', `No rule ${c.req.param('id')}.`);
    return c.json(ruleView(row));
  });
}
