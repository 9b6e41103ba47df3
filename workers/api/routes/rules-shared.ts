/** What the rule routes share: the SQL check a rule must pass, and the wire view of a rule. */
import { ruleWindowParams } from '../../../core/detect/sql-rule';
import { analystQueryPolicy } from '../../../core/sql/query-policy';
import { validateQuery } from '../../../core/sql/validate-query';
import type { RuleRow } from '../../../adapters/d1/rules-repository';
import { ApiError } from '../../errors';

const rulePolicy = analystQueryPolicy([...ruleWindowParams]);

/** A rule's SQL must be a valid query that binds both window parameters, or every run would re-count. */
export function assertValidRuleSql(sql: string): void {
  const validated = validateQuery(sql, rulePolicy);
  if (!validated.ok) throw new ApiError('invalid_sql', validated.message, { reason: validated.reason });
  const missing = ruleWindowParams.filter((p) => !validated.params.includes(p));
  if (missing.length > 0) {
    throw new ApiError(
      'invalid_sql',
      `A rule must bound event time with both :window_start and :window_end (missing ${missing.map((m) => `:${m}`).join(', ')}), e.g. WHERE event_time > :window_start AND event_time <= :window_end.`,
    );
  }
}

export function ruleView(row: RuleRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    severity: row.severity,
    sql: row.querySql,
    enabled: row.enabled,
    intervalMinutes: row.intervalMinutes,
    lookbackMinutes: row.lookbackMinutes,
    watermark: row.watermark,
    lastRunAt: row.lastRunAt,
    lastRunStatus: row.lastRunStatus,
    lastError: row.lastError,
    lastHits: row.lastHits,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    format: row.format,
    yaml: row.sigmaYaml,
    sigmaId: row.sigmaId,
    license: row.license,
    attribution: row.attribution,
    tags: JSON.parse(row.tags) as string[],
    dedupWindowMinutes: row.dedupWindowMinutes,
    dedupFields: JSON.parse(row.dedupFields) as string[],
    threshold: row.threshold,
    realtime: row.realtime,
  };
}
