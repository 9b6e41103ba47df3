/** POST /api/rules — add a scheduled SQL detection rule. */
import { sqlRuleInputSchema } from '../../../core/detect/sql-rule';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { jsonBody, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';
import { assertValidRuleSql, ruleView } from './rules-shared';

export function registerRulesCreate(app: App) {
  app.post('/rules', requirePermission('rules:write'), async (c) => {
    const input = await jsonBody(c, sqlRuleInputSchema);
    assertValidRuleSql(input.sql);
    const row = await new RulesRepository(c.env.DB).create(input, c.get('principal').id, new Date());
    return c.json(ruleView(row), 201);
  });
}
