/**
 * The natural-language query pipeline: question (+ conversation) → translation → validation (with the LLM repair
 * loop) → time bound → row limit → cost estimate → cache → confirmation → execution.
 *
 * Pure orchestration: every outside effect is a port (translators, the dialect's SQL support, statistics, the
 * query runner, the cache), so the same function runs in the Worker and in plain-Node tests.
 *
 * Invariants:
 * - Nothing runs that the dialect's validator did not accept; the time bound and LIMIT are added to the
 *   validator's output, and the result is validated again before it runs.
 * - Every change the pipeline makes to what was asked is stated in `assumptions` (default window, fallback engine,
 *   limit added, rows cut).
 * - A provider failure (network, auth, rate limit — `providerFailure`, or a thrown error) falls back to the offline
 *   engine, and the answer says so. The repair loop (at most `maxRepairs` re-translations fed the validator's or
 *   the engine's error) runs only for LLM engines: the offline engine is deterministic, repairing it cannot help.
 * - A query estimated above `confirmAboveUsd` returns `needs_confirmation` without running, unless `confirm`.
 */
import type { QueryScope, TimeRange } from '../sql/query-scope';
import { cacheKey, type AnswerCache, type CachedAnswer } from './cache';
import { needsConfirmation, type CostEstimate, type CostScope } from './cost';
import type { QueryDialect } from './dialect';
import type { ConversationTurn, EntityValues, Translation, Translator } from './translator';
import { userCandidates, type UserCandidate } from './user-candidates';

export type SqlCheck = { ok: true; sql: string; tables: readonly string[] } | { ok: false; reason: string; message: string };

/** What the pipeline needs of a dialect's SQL tooling (core/sql for D1). */
export interface SqlSupport {
  validate(sql: string): SqlCheck;
  /** Validates the pipeline's own rewrite (one more subquery level for the time bound is allowed). */
  revalidate(sql: string): SqlCheck;
  scope(validatedSql: string, now: Date): QueryScope;
  addTimeBound(validatedSql: string, range: TimeRange, now: Date): { sql: string; added: boolean };
  addRowLimit(validatedSql: string, max: number): { sql: string; added: boolean };
}

export interface QueryRows {
  readonly columns: string[];
  readonly rows: unknown[][];
  readonly truncated: boolean;
}

export interface PipelinePorts {
  /** The configured LLM provider, or null when none is (the offline engine answers). */
  readonly primary: Translator | null;
  readonly offline: Translator;
  readonly sql: SqlSupport;
  entityValues(): Promise<EntityValues>;
  /**
   * Users the entity values do not list, looked up in the data for one question (user-candidates.ts): the actors
   * whose account is a candidate (`paisley.brown`, `paisley.brown@…`, `Role/paisley.brown`) or, for a first name,
   * starts with `<name>.`. Optional: without it, only the listed values resolve.
   */
  lookupUsers?(candidates: readonly UserCandidate[]): Promise<string[]>;
  /** Cost before running: from partition statistics, or the engine's own dry run of `sql` where it has one. */
  estimate(scope: CostScope, sql: string): Promise<CostEstimate>;
  run(sql: string, params: readonly unknown[], maxRows: number): Promise<QueryRows>;
  readonly cache: AnswerCache | null;
}

export interface PipelineOptions {
  readonly dialect: QueryDialect;
  readonly confirmAboveUsd: number;
  /** Rows returned at most (≤ 10,000); also the LIMIT written when a query has none. */
  readonly maxRows: number;
  readonly defaultWindowHours: number;
  readonly cacheTtlSeconds: number;
  readonly schemaVersion: string;
  readonly maxRepairs: number;
}

export const defaultPipelineOptions: Omit<PipelineOptions, 'dialect' | 'schemaVersion'> = {
  confirmAboveUsd: 1,
  maxRows: 1000,
  defaultWindowHours: 24,
  cacheTtlSeconds: 300,
  maxRepairs: 2,
};

export const maxPipelineRows = 10_000;

export interface PipelineRequest {
  readonly question: string;
  readonly history: readonly ConversationTurn[];
  readonly userId: string;
  readonly now: Date;
  readonly confirm: boolean;
  /** SQL edited by the analyst, run instead of translating the question (still validated, bounded, costed). */
  readonly sql?: string;
}

export interface QueryAnswer {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly explanation: string;
  readonly assumptions: readonly string[];
  readonly estimate: CostEstimate;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly truncated: boolean;
  readonly cached: boolean;
  readonly engine: string;
  /** The provider that failed when the offline engine answered instead. */
  readonly fallbackFrom: string | null;
  readonly timeRange: { readonly from: string | null; readonly to: string | null } | null;
  readonly needsConfirmation: boolean;
}

export type PipelineOutcome =
  | { readonly kind: 'answered'; readonly answer: QueryAnswer }
  | { readonly kind: 'needs_confirmation'; readonly answer: QueryAnswer }
  | { readonly kind: 'not_understood'; readonly message: string; readonly suggestions: readonly string[]; readonly engine: string }
  | { readonly kind: 'refused'; readonly reason: string; readonly message: string; readonly sql: string; readonly engine: string }
  | { readonly kind: 'failed'; readonly message: string; readonly sql: string; readonly engine: string };

type Translated = Extract<Translation, { ok: true }>;

export async function answerQuestion(request: PipelineRequest, ports: PipelinePorts, options: PipelineOptions): Promise<PipelineOutcome> {
  const maxRows = Math.min(Math.max(1, Math.floor(options.maxRows)), maxPipelineRows);
  // Relative time phrases resolve against the end of the current minute: the same question within a minute has
  // the same cache key, and "up to now" still includes the events of the last seconds.
  const now = new Date(Math.ceil(request.now.getTime() / 60_000) * 60_000);
  const session = new TranslationSession(request, ports, options, now);

  let translation = await session.first();
  if (!translation.ok) {
    return { kind: 'not_understood', message: translation.message, suggestions: translation.suggestions, engine: translation.engine };
  }

  for (let repairs = 0; ; ) {
    const canRepair = session.repairable(translation) && repairs < options.maxRepairs;
    const prepared = prepare(translation, ports.sql, options, now, maxRows);
    if (!prepared.ok) {
      if (!canRepair) return { kind: 'refused', reason: prepared.reason, message: prepared.message, sql: translation.sql, engine: translation.engine };
      repairs++;
      const next = await session.repair(translation, prepared.message);
      if (!next.ok) return { kind: 'not_understood', message: next.message, suggestions: next.suggestions, engine: next.engine };
      translation = next;
      continue;
    }

    const assumptions = [...session.notes, ...translation.assumptions, ...prepared.notes];
    const estimate = await ports.estimate({ tables: prepared.tables, sources: prepared.sources, range: prepared.range }, prepared.sql);
    const key = await cacheKey({
      question: request.sql ?? request.question,
      history: request.history,
      timeRange: prepared.range,
      sql: prepared.sql,
      dialect: options.dialect,
      schemaVersion: options.schemaVersion,
      userId: request.userId,
    });
    const base = {
      sql: prepared.sql,
      params: [] as unknown[],
      explanation: translation.explanation,
      estimate,
      engine: translation.engine,
      fallbackFrom: session.fallbackFrom,
      timeRange: prepared.range,
    };

    const hit = ports.cache ? await ports.cache.get(key, request.userId, options.schemaVersion, now) : null;
    if (hit) {
      return {
        kind: 'answered',
        answer: { ...base, ...hit, assumptions: [...hit.assumptions], columns: hit.columns, rows: hit.rows, cached: true, needsConfirmation: false },
      };
    }

    if (!request.confirm && needsConfirmation(estimate, options.confirmAboveUsd)) {
      return {
        kind: 'needs_confirmation',
        answer: {
          ...base,
          assumptions: [...assumptions, `Estimated cost $${estimate.usd} is above the $${options.confirmAboveUsd} that runs without confirmation: send it again with confirm: true to run it.`],
          columns: [],
          rows: [],
          truncated: false,
          cached: false,
          needsConfirmation: true,
        },
      };
    }

    let result: QueryRows;
    try {
      result = await ports.run(prepared.sql, [], maxRows);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!canRepair) return { kind: 'failed', message, sql: prepared.sql, engine: translation.engine };
      repairs++;
      const next = await session.repair(translation, `The database refused the query: ${message}`);
      if (!next.ok) return { kind: 'not_understood', message: next.message, suggestions: next.suggestions, engine: next.engine };
      translation = next;
      continue;
    }

    const finalAssumptions = result.truncated
      ? [...assumptions, `Only the first ${result.rows.length.toLocaleString('en-US')} rows are shown; the query returned more.`]
      : assumptions;
    const answer: QueryAnswer = {
      ...base,
      assumptions: finalAssumptions,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated,
      cached: false,
      needsConfirmation: false,
    };
    if (ports.cache) {
      const entry: CachedAnswer = {
        sql: answer.sql,
        explanation: answer.explanation,
        assumptions: answer.assumptions,
        columns: answer.columns,
        rows: answer.rows,
        truncated: answer.truncated,
        engine: answer.engine,
      };
      await ports.cache.put(key, {
        userId: request.userId,
        schemaVersion: options.schemaVersion,
        answer: entry,
        now,
        expiresAt: new Date(now.getTime() + options.cacheTtlSeconds * 1000),
      });
    }
    return { kind: 'answered', answer };
  }
}

/** Chooses and calls translators: the primary, the offline fallback, and re-translation for repairs. */
class TranslationSession {
  readonly notes: string[] = [];
  fallbackFrom: string | null = null;
  private values: EntityValues | null = null;

  constructor(
    private readonly request: PipelineRequest,
    private readonly ports: PipelinePorts,
    private readonly options: PipelineOptions,
    private readonly now: Date,
  ) {}

  async first(): Promise<Translation> {
    if (this.request.sql !== undefined) {
      return { ok: true, sql: this.request.sql, explanation: 'The SQL as written (edited by the analyst).', assumptions: [], timeRange: null, engine: 'sql' };
    }
    const primary = this.ports.primary;
    if (!primary) return this.call(this.ports.offline);
    const answer = await this.callGuarded(primary);
    if (answer.ok || !answer.providerFailure) return answer;
    return this.fallBack(primary.id, answer.message);
  }

  repairable(translation: Translated): boolean {
    return translation.engine !== 'offline' && translation.engine !== 'sql' && this.fallbackFrom === null && this.ports.primary !== null;
  }

  async repair(previous: Translated, error: string): Promise<Translation> {
    const primary = this.ports.primary!;
    const answer = await this.callGuarded(primary, { sql: previous.sql, error });
    if (answer.ok || !answer.providerFailure) return answer;
    return this.fallBack(primary.id, answer.message);
  }

  private async fallBack(provider: string, message: string): Promise<Translation> {
    this.fallbackFrom = provider;
    this.notes.push(`The ${provider} provider failed (${message}); the offline engine answered instead.`);
    return this.call(this.ports.offline);
  }

  private async valuesForQuestion(): Promise<EntityValues> {
    return withLookedUpUsers(await this.ports.entityValues(), this.request.question, this.ports.lookupUsers?.bind(this.ports));
  }

  /** A provider that throws is a provider failure, like one that reports it. */
  private async callGuarded(translator: Translator, repair?: { sql: string; error: string }): Promise<Translation> {
    try {
      return await this.call(translator, repair);
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), suggestions: [], engine: translator.id, providerFailure: true };
    }
  }

  private async call(translator: Translator, repair?: { sql: string; error: string }): Promise<Translation> {
    this.values ??= await this.valuesForQuestion();
    return translator.translate({
      question: this.request.question,
      history: this.request.history,
      now: this.now,
      dialect: this.options.dialect,
      values: this.values,
      ...(repair ? { repair } : {}),
    });
  }
}

/** The listed entity values, plus the users of this question found by lookup (none when the lookup fails). */
async function withLookedUpUsers(values: EntityValues, question: string, lookup: PipelinePorts['lookupUsers']): Promise<EntityValues> {
  if (!lookup) return values;
  const candidates = userCandidates(question, values);
  if (candidates.length === 0) return values;
  let found: string[];
  try {
    found = await lookup(candidates);
  } catch {
    return values; // the lookup only widens what resolves; the question still goes ahead
  }
  const extra = found.filter((u) => !values.users.includes(u));
  return extra.length === 0 ? values : { ...values, users: [...values.users, ...extra] };
}

type Prepared =
  | {
      ok: true;
      sql: string;
      tables: readonly string[];
      sources: readonly string[] | null;
      range: { from: string | null; to: string | null } | null;
      notes: string[];
    }
  | { ok: false; reason: string; message: string };

/** Validate → time bound → LIMIT → validate again. */
function prepare(translation: Translated, sql: SqlSupport, options: PipelineOptions, now: Date, maxRows: number): Prepared {
  const checked = sql.validate(translation.sql);
  if (!checked.ok) return checked;
  const notes: string[] = [];
  const before = sql.scope(checked.sql, now);
  let text = checked.sql;
  let range = before.range;
  if (!before.timeBounded) {
    const window = translation.timeRange ?? defaultWindow(now, options.defaultWindowHours);
    const bounded = sql.addTimeBound(text, window, now);
    text = bounded.sql;
    range = sql.scope(text, now).range;
    notes.push(
      translation.timeRange
        ? `The SQL had no time bound; it was limited to the requested range ${describeRange(window)}.`
        : `No time range was given: searched the last ${options.defaultWindowHours} hours (${describeRange(window)}).`,
    );
  }
  const limited = sql.addRowLimit(text, maxRows);
  text = limited.sql;
  // What the pipeline rewrote is validated again; an untouched query already was.
  const final = text === checked.sql ? checked : sql.revalidate(text);
  if (!final.ok) return final;
  // The translator's range wins for the cache key and follow-ups: it is what the analyst asked for.
  const resolved = translation.timeRange ?? range;
  return { ok: true, sql: final.sql, tables: final.tables, sources: before.sources, range: resolved, notes };
}

function defaultWindow(now: Date, hours: number): TimeRange {
  const to = now;
  return { from: new Date(to.getTime() - hours * 3_600_000).toISOString(), to: to.toISOString() };
}

function describeRange(range: TimeRange): string {
  const short = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return `${short(range.from)} to ${short(range.to)} UTC`;
}
