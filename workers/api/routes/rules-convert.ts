/**
 * POST /api/rules/convert — a Sigma rule (or a file of them) to SQL for D1, Athena, BigQuery and Synapse, with
 * bound parameters and the inline-literal export form, without saving anything. Correlations resolve against
 * the documents of the same YAML and the stored rules. A field the logsource's mapping does not know converts to
 * the raw path of its name with a warning (as pySigma would, but said); `strict: true` refuses it as saving does.
 */
import { z } from 'zod';
import { sigmaMappings } from '../../../core/sigma/mappings';
import type { ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR, SqlDialectName } from '../../../core/sigma/ir';
import { parseSigmaDocuments } from '../../../core/sigma/parse/parse-documents';
import { resolveRule } from '../../../core/sigma/pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, inlineParams, type CorrelationInput } from '../../../core/sigma/sql/compile-sql';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { errorView } from './sigma-validation';

const dialects = ['d1', 'athena', 'bigquery', 'synapse'] as const;

const convertSchema = z.object({
  yaml: z.string().min(1).max(200_000),
  dialects: z.array(z.enum(dialects)).min(1).default([...dialects]),
  /** Refuse fields the mapping does not know, as saving a rule does; by default they convert with a warning. */
  strict: z.boolean().default(false),
});

export function registerRulesConvert(app: App) {
  app.post('/rules/convert', requirePermission('rules:read'), async (c) => {
    const input = await jsonBody(c, convertSchema);
    const parsed = parseSigmaDocuments(input.yaml, 'rule');
    if (!parsed.ok) throw new ApiError('invalid_rule', `The YAML is not a valid Sigma rule: ${parsed.errors.map((e) => errorView(e).text).join('; ')}`, { errors: parsed.errors.map(errorView) });

    // References of correlations resolve against this YAML first, then the stored rules.
    const stored: SigmaDocumentIR[] = [];
    for (const text of await new RulesRepository(c.env.DB).sigmaTexts()) {
      const result = parseSigmaDocuments(text.yaml, text.rowId);
      if (result.ok) stored.push(...result.value);
    }
    const resolved = new Map<SigmaDocumentIR, ResolvedRule>();
    const warnings = new Map<SigmaDocumentIR, readonly string[]>();
    const problems = new Map<SigmaDocumentIR, ReturnType<typeof errorView>[]>();
    const own = new Set<SigmaDocumentIR>(parsed.value);
    for (const document of [...parsed.value, ...stored]) {
      if (document.kind !== 'rule') continue;
      // Stored rules were saved strictly; only the posted YAML may be converted leniently.
      const result = resolveRule(document, sigmaMappings, { strict: input.strict || !own.has(document) });
      if (result.ok) {
        resolved.set(document, result.value);
        warnings.set(document, result.warnings);
      } else problems.set(document, result.errors.map(errorView));
    }
    const index = indexRulesByIdOrName([
      ...[...resolved.values()],
      ...[...parsed.value, ...stored].filter((d): d is SigmaCorrelationIR => d.kind === 'correlation'),
    ] as CorrelationInput[]);

    const results = parsed.value.map((document) => {
      const base = { title: document.title, id: document.id, kind: document.kind };
      const problem = problems.get(document);
      if (problem) return { ...base, ok: false as const, errors: problem };
      const queries = Object.fromEntries(
        input.dialects.map((dialect: SqlDialectName) => {
          const compiled = document.kind === 'rule' ? compileRuleSql(resolved.get(document)!, dialect) : compileCorrelationSql(document, index, dialect);
          return [
            dialect,
            compiled.ok
              ? { ok: true, sql: compiled.value.sql, params: compiled.value.params, needsConfirmation: compiled.value.needsConfirmation, inline: inlineParams(compiled.value) }
              : { ok: false, errors: compiled.errors.map(errorView) },
          ];
        }),
      );
      return { ...base, ok: true as const, warnings: warnings.get(document) ?? [], queries };
    });
    return c.json({ results });
  });
}
