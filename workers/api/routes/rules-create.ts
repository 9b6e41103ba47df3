/**
 * POST /api/rules — add a scheduled detection rule: SQL (`{name, severity, sql, …}`) or Sigma (`{yaml, …}`). A
 * Sigma rule is validated as it is saved (parsed, resolved strictly against the field mappings, compiled for D1
 * together with the stored rules it may correlate); errors name line and column.
 */
import { sigmaRuleInputSchema, sqlRuleInputSchema } from '../../../core/detect/sql-rule';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { jsonBody, validate, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';
import { assertValidRuleSql, ruleView } from './rules-shared';
import { validateSigmaRule } from './sigma-validation';
import { z } from 'zod';

export function registerRulesCreate(app: App) {
  app.post('/rules', requirePermission('rules:write'), async (c) => {
    const body = await jsonBody(c, z.record(z.string(), z.unknown()));
    const rules = new RulesRepository(c.env.DB);
    const now = new Date();
    if ('yaml' in body) {
      const input = validate(sigmaRuleInputSchema, body, 'body');
      const derived = await validateSigmaRule(c.env.DB, input.yaml, null);
      return c.json(ruleView(await rules.createSigma(input, derived, c.get('principal').id, now)), 201);
    }
    const input = validate(sqlRuleInputSchema, body, 'body');
    assertValidRuleSql(input.sql);
    return c.json(ruleView(await rules.create(input, c.get('principal').id, now)), 201);
  });
}
