/** GET /api/rules — scheduled detection rules with their last run. */
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import type { App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';
import { ruleView } from './rules-shared';

export function registerRulesList(app: App) {
  app.get('/rules', requirePermission('rules:read'), async (c) => {
    const rows = await new RulesRepository(c.env.DB).list();
    return c.json({ rules: rows.map(ruleView) });
  });
}
