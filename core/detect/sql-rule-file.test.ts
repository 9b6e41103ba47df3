import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analystQueryPolicy } from '../sql/query-policy';
import { validateQuery } from '../sql/validate-query';
import { ruleWindowParams, sqlRuleInputSchema } from './sql-rule';
import { ruleInputFromFile, sqlRuleFileSchema } from './sql-rule-file';

const dir = fileURLToPath(new URL('../../rules/sql/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const policy = analystQueryPolicy([...ruleWindowParams]);

describe('rules/sql', () => {
  it('has rules', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s is a valid rule whose SQL passes the validator and binds both window ends', (file) => {
    const parsed = sqlRuleFileSchema.parse(load(readFileSync(`${dir}${file}`, 'utf8')));
    const input = sqlRuleInputSchema.parse(ruleInputFromFile(parsed));
    const validated = validateQuery(input.sql, policy);
    if (!validated.ok) throw new Error(`${file}: ${validated.message}`);
    expect([...validated.params].sort()).toEqual(['window_end', 'window_start']);
  });

  it('has unique names', () => {
    const names = files.map((f) => sqlRuleFileSchema.parse(load(readFileSync(`${dir}${f}`, 'utf8'))).name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses unknown keys, so a typo in a field name is not silently ignored', () => {
    expect(sqlRuleFileSchema.safeParse({ name: 'x', severity: 'low', sql: 'SELECT 1', lookback: 5 }).success).toBe(false);
  });
});
