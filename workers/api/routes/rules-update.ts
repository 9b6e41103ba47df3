/** PATCH /api/rules/:id — enable/disable or edit a rule (a Sigma rule's YAML is validated again). */
import { z } from 'zod';
import { sigmaRulePatchSchema, sqlRulePatchSchema } from '../../../core/detect/sql-rule';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { jsonBody, validate, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { assertValidRuleSql, ruleView } from './rules-shared';
import { validateSigmaRule } from './sigma-validation';

export function registerRulesUpdate(app: App) {
  app.patch('/rules/:id', requirePermission('rules:write'), async (c) => {
    const id = c.req.param('id');
    const rules = new RulesRepository(c.env.DB);
    const existing = await rules.get(id);
    if (!existing) throw new ApiError('not_found', `No rule ${id}.`);
    const body = await jsonBody(c, z.record(z.string(), z.unknown()));
    const now = new Date();
    if (existing.format === 'sigma') {
      const patch = validate(sigmaRulePatchSchema, body, 'body');
      const derived = patch.yaml !== undefined ? await validateSigmaRule(c.env.DB, patch.yaml, id) : null;
      return c.json(ruleView((await rules.updateSigma(id, patch, derived, now))!));
    }
    const patch = validate(sqlRulePatchSchema, body, 'body');
    if (patch.sql !== undefined) assertValidRuleSql(patch.sql);
    return c.json(ruleView((await rules.update(id, patch, now))!));
  });
}
