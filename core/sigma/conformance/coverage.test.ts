/**
 * docs/sigma-coverage.md is what scripts/sigma-coverage.mjs generates from the corpus today (check mode, like
 * scripts/schema-doc.mjs --check), and every query the report counts as compiled is valid SQL for its engine:
 * each parses with that dialect's node-sql-parser build.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedRule, SigmaCorrelationIR, SigmaRuleIR } from '../ir';
import { sigmaMappings } from '../mappings/index';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName } from '../sql/compile-sql';
import { corpusPlaceholders, corpusSigmaRules, repoRoot } from './corpus';
import { sqlDialectNames } from './convert-vector';
import { computeCoverage, convertsEverywhere } from './coverage';
import { sqlParseError } from './sql-parsers';

describe('docs/sigma-coverage.md', () => {
  it('is up to date with the corpus and the engine (node scripts/sigma-coverage.mjs regenerates it)', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'sigma-coverage.mjs'), '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});

describe('the SigmaHQ corpus through the engine', () => {
  const rows = computeCoverage();

  it('is present, with the rules we collect', () => {
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.filter((r) => r.collected).length).toBeGreaterThan(250);
  });

  it('compiles, for every collected rule that converts, to SQL each dialect’s parser accepts', () => {
    const problems: string[] = [];
    const converted = new Set(rows.filter(convertsEverywhere).map((r) => r.file));
    for (const input of corpusSigmaRules().filter((f) => converted.has(f.file))) {
      const parsed = parseSigmaDocuments(input.text, input.file, { placeholders: corpusPlaceholders });
      if (!parsed.ok) throw new Error(`${input.file} no longer parses`);
      const rules = parsed.value.flatMap((d): ResolvedRule[] => {
        if (d.kind !== 'rule') return [];
        const r = resolveRule(d as SigmaRuleIR, sigmaMappings, { strict: true });
        return r.ok ? [r.value] : [];
      });
      const correlations = parsed.value.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
      const lookup = indexRulesByIdOrName([...rules, ...correlations]);
      for (const dialect of sqlDialectNames) {
        const results = [...rules.map((r) => compileRuleSql(r, dialect)), ...correlations.map((c) => compileCorrelationSql(c, lookup, dialect))];
        for (const result of results) {
          const error = result.ok ? sqlParseError(dialect, result.value.sql) : 'does not compile';
          if (error) problems.push(`${input.file} (${dialect}): ${error}`);
        }
      }
    }
    expect(converted.size).toBeGreaterThan(250);
    expect(problems).toEqual([]);
  }, 120_000);
});
