/** Scheduled SQL detection rules and their run history. */
import { asc, desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { SigmaRuleInput, SqlRuleInput } from '../../core/detect/sql-rule';
import { detectionRules, ruleRuns } from './schema';

export type RuleRow = typeof detectionRules.$inferSelect;
export type RuleRunRow = typeof ruleRuns.$inferSelect;

export interface SigmaDerivedColumns {
  name: string;
  description: string;
  severity: RuleRow['severity'];
  querySql: string;
  sigmaId: string | null;
  tags: readonly string[];
}

/** Noise-control settings given in a create or patch (the list-valued ones are JSON text columns). */
function noiseColumns(input: {
  dedupWindowMinutes?: number | undefined;
  dedupFields?: readonly string[] | undefined;
  threshold?: number | undefined;
  realtime?: boolean | undefined;
  tags?: readonly string[] | undefined;
}) {
  return {
    ...(input.dedupWindowMinutes !== undefined ? { dedupWindowMinutes: input.dedupWindowMinutes } : {}),
    ...(input.dedupFields !== undefined ? { dedupFields: JSON.stringify(input.dedupFields) } : {}),
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    ...(input.realtime !== undefined ? { realtime: input.realtime } : {}),
    ...(input.tags !== undefined ? { tags: JSON.stringify(input.tags) } : {}),
  };
}

export class RulesRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  list(): Promise<RuleRow[]> {
    return this.orm.select().from(detectionRules).orderBy(asc(detectionRules.name)).all();
  }

  async get(id: string): Promise<RuleRow | null> {
    return (await this.orm.select().from(detectionRules).where(eq(detectionRules.id, id)).get()) ?? null;
  }

  listEnabled(): Promise<RuleRow[]> {
    return this.orm.select().from(detectionRules).where(eq(detectionRules.enabled, true)).orderBy(asc(detectionRules.id)).all();
  }

  async create(input: SqlRuleInput, createdBy: string, now: Date): Promise<RuleRow> {
    const iso = now.toISOString();
    const row = {
      id: `rule_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name: input.name,
      description: input.description,
      severity: input.severity,
      querySql: input.sql,
      enabled: input.enabled,
      intervalMinutes: input.intervalMinutes,
      lookbackMinutes: input.lookbackMinutes,
      ...noiseColumns(input),
      createdBy,
      createdAt: iso,
      updatedAt: iso,
    };
    return this.orm.insert(detectionRules).values(row).returning().get();
  }

  /** A Sigma rule: its YAML, and what validation derived from it (name, severity, compiled SQL for reading). */
  async createSigma(
    input: SigmaRuleInput,
    derived: SigmaDerivedColumns,
    createdBy: string,
    now: Date,
  ): Promise<RuleRow> {
    const iso = now.toISOString();
    return this.orm
      .insert(detectionRules)
      .values({
        id: `rule_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
        name: derived.name,
        description: derived.description,
        severity: derived.severity,
        querySql: derived.querySql,
        enabled: input.enabled,
        intervalMinutes: input.intervalMinutes,
        lookbackMinutes: input.lookbackMinutes,
        format: 'sigma',
        sigmaYaml: input.yaml,
        sigmaId: derived.sigmaId,
        license: input.license ?? null,
        attribution: input.attribution ?? null,
        ...noiseColumns(input),
        tags: JSON.stringify(derived.tags),
        createdBy,
        createdAt: iso,
        updatedAt: iso,
      })
      .returning()
      .get();
  }

  async updateSigma(
    id: string,
    patch: Partial<SigmaRuleInput>,
    derived: SigmaDerivedColumns | null,
    now: Date,
  ): Promise<RuleRow | null> {
    const { yaml, dedupFields: _d, ...rest } = patch;
    const row = await this.orm
      .update(detectionRules)
      .set({
        ...rest,
        ...noiseColumns(patch),
        ...(yaml !== undefined ? { sigmaYaml: yaml } : {}),
        ...(derived ? { ...derived, tags: JSON.stringify(derived.tags) } : {}),
        updatedAt: now.toISOString(),
      })
      .where(eq(detectionRules.id, id))
      .returning()
      .get();
    return row ?? null;
  }

  /** Every stored Sigma rule's YAML (the rule book is compiled from all of them together). */
  async sigmaTexts(): Promise<{ rowId: string; yaml: string; enabled: boolean }[]> {
    const rows = await this.orm
      .select({ rowId: detectionRules.id, yaml: detectionRules.sigmaYaml, enabled: detectionRules.enabled })
      .from(detectionRules)
      .where(eq(detectionRules.format, 'sigma'))
      .all();
    return rows.filter((r): r is { rowId: string; yaml: string; enabled: boolean } => r.yaml !== null);
  }

  async update(id: string, patch: Partial<SqlRuleInput>, now: Date): Promise<RuleRow | null> {
    const { sql, dedupFields: _d, tags: _t, ...rest } = patch;
    const row = await this.orm
      .update(detectionRules)
      .set({ ...rest, ...noiseColumns(patch), ...(sql !== undefined ? { querySql: sql } : {}), updatedAt: now.toISOString() })
      .where(eq(detectionRules.id, id))
      .returning()
      .get();
    return row ?? null;
  }

  /** Records a run; on success the watermark advances to the end of the window covered. */
  async recordRun(
    rule: RuleRow,
    run: Omit<RuleRunRow, 'id' | 'ruleId'>,
  ): Promise<void> {
    await this.orm.batch([
      this.orm.insert(ruleRuns).values({ ...run, ruleId: rule.id }),
      this.orm
        .update(detectionRules)
        .set({
          lastRunAt: run.startedAt,
          lastRunStatus: run.status,
          lastError: run.error,
          lastHits: run.hits,
          ...(run.status === 'ok' ? { watermark: run.windowEnd } : {}),
        })
        .where(eq(detectionRules.id, rule.id)),
    ]);
  }

  recentRuns(ruleId: string, limit: number): Promise<RuleRunRow[]> {
    return this.orm.select().from(ruleRuns).where(eq(ruleRuns.ruleId, ruleId)).orderBy(desc(ruleRuns.id)).limit(limit).all();
  }
}
