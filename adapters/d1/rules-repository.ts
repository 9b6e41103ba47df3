/** Scheduled SQL detection rules and their run history. */
import { asc, desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { SigmaRuleInput, SqlRuleInput } from '../../core/detect/sql-rule';
import { detectionRules, ruleRuns } from './schema';

export type RuleRow = typeof detectionRules.$inferSelect;
export type RuleRunRow = typeof ruleRuns.$inferSelect;

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
      createdBy,
      createdAt: iso,
      updatedAt: iso,
    };
    return this.orm.insert(detectionRules).values(row).returning().get();
  }

  /** A Sigma rule: its YAML, and what validation derived from it (name, severity, compiled SQL for reading). */
  async createSigma(
    input: SigmaRuleInput,
    derived: { name: string; description: string; severity: RuleRow['severity']; querySql: string; sigmaId: string | null },
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
    derived: { name: string; description: string; severity: RuleRow['severity']; querySql: string; sigmaId: string | null } | null,
    now: Date,
  ): Promise<RuleRow | null> {
    const { yaml, ...rest } = patch;
    const row = await this.orm
      .update(detectionRules)
      .set({ ...rest, ...(yaml !== undefined ? { sigmaYaml: yaml } : {}), ...(derived ?? {}), updatedAt: now.toISOString() })
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
    const { sql, ...rest } = patch;
    const row = await this.orm
      .update(detectionRules)
      .set({ ...rest, ...(sql !== undefined ? { querySql: sql } : {}), updatedAt: now.toISOString() })
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
