/** The on-disk format of a scheduled SQL rule (rules/sql/*.yml), and its mapping to the API's rule input. */
import { z } from 'zod';
import { severities } from '../schema/event';
import type { SqlRuleInput } from './sql-rule';

export const sqlRuleFileSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000).default(''),
  severity: z.enum(severities),
  mitre: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'MITRE ATT&CK technique ids look like T1110 or T1110.003')).default([]),
  interval_minutes: z.number().int().min(1).max(1440).default(5),
  lookback_minutes: z.number().int().min(1).max(43_200).default(60),
  enabled: z.boolean().default(true),
  sql: z.string().trim().min(1).max(20_000),
});
export type SqlRuleFile = z.infer<typeof sqlRuleFileSchema>;

export function ruleInputFromFile(file: SqlRuleFile): SqlRuleInput {
  const mitre = file.mitre.length > 0 ? ` (MITRE ATT&CK ${file.mitre.join(', ')})` : '';
  return {
    name: file.name,
    description: `${file.description}${mitre}`.trim(),
    severity: file.severity,
    sql: file.sql,
    enabled: file.enabled,
    intervalMinutes: file.interval_minutes,
    lookbackMinutes: file.lookback_minutes,
  };
}
