/**
 * The Sigma engine's intermediate representation: what the parser (stage 1) produces and every backend
 * (stage 3: the SQL dialects and the streaming matcher) consumes, with the processing pipeline (stage 2) in
 * between resolving Sigma field names to places in our events. Follows pySigma's three stages (STYLE.md 8).
 *
 * Invariants:
 * - Values are typed, never strings with meaning hidden in them: wildcards are tokens (`anyChars`, `oneChar`),
 *   escaped `\*` is literal text, modifiers are already applied (base64, utf16, windash, expand… produce more
 *   values; contains/startswith/endswith become patterns with wildcards at the ends).
 * - Matching is case-insensitive unless `cased` is set (Sigma spec); regexes carry their own flags.
 * - Every node that came from a file keeps its location, so errors found in later stages still point at the
 *   rule's line and column.
 * - The IR is plain data (JSON-serializable): backends never see YAML.
 */

export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** A string value with wildcards as tokens. */
export type Pattern = readonly PatternPart[];
export type PatternPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'anyChars' } | { readonly kind: 'oneChar' };

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** What one value of a detection item tests a field for. */
export type Predicate =
  /** Equality with wildcards (contains/startswith/endswith included). */
  | { readonly kind: 'pattern'; readonly pattern: Pattern; readonly cased: boolean }
  /** A regular expression in RE2 syntax (linear time); flags from the re modifier's i/m/s sub-modifiers. */
  | { readonly kind: 'regex'; readonly source: string; readonly flags: { readonly i: boolean; readonly m: boolean; readonly s: boolean } }
  /** IPv4 or IPv6 network, normalized: address of the network and prefix length. */
  | { readonly kind: 'cidr'; readonly version: 4 | 6; readonly network: string; readonly prefix: number }
  | { readonly kind: 'compare'; readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number }
  /** Numeric equality (a YAML number without string modifiers). */
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** The field is null or absent (YAML `null`). */
  | { readonly kind: 'null' }
  /** The `exists` modifier. */
  | { readonly kind: 'exists'; readonly value: boolean }
  /**
   * The Sigma 2.1 time modifiers: a part of the field's time value compared with a number, as SQLite's
   * `CAST(strftime(…) AS INTEGER)` reads it (semantics and numbering: match/sqlite-time.ts).
   */
  | { readonly kind: 'timePart'; readonly part: TimePart; readonly op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number }
  /** The `fieldref` modifier: compares with another field of the same event. */
  | { readonly kind: 'fieldref'; readonly field: string; readonly position: 'equals' | 'startswith' | 'endswith' | 'contains'; readonly cased: boolean };

/** A boolean condition over one event. */
export type Expr =
  | { readonly kind: 'and'; readonly items: readonly Expr[] }
  | { readonly kind: 'or'; readonly items: readonly Expr[] }
  | { readonly kind: 'not'; readonly item: Expr }
  /** `field` is the Sigma field name as written in the rule (resolved by the pipeline). */
  | { readonly kind: 'match'; readonly field: string; readonly predicate: Predicate; readonly location?: SourceLocation }
  /**
   * A keyword (a value without a field): searched for in the event's text (message, then raw). The parser
   * writes Sigma's "anywhere in the event" as wildcards at both ends of the pattern.
   */
  | { readonly kind: 'keyword'; readonly predicate: Predicate; readonly location?: SourceLocation }
  | { readonly kind: 'const'; readonly value: boolean };

export interface Logsource {
  readonly product?: string;
  readonly service?: string;
  readonly category?: string;
}

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** The legacy aggregation form `condition: sel | count(field) by group > N` with `timeframe`. */
export interface LegacyAggregation {
  readonly function: 'count' | 'min' | 'max' | 'avg' | 'sum';
  readonly field: string | null;
  readonly groupBy: readonly string[];
  readonly op: 'lt' | 'lte' | 'gt' | 'gte' | 'eq';
  readonly value: number;
  readonly timespanMs: number | null;
}

export interface SigmaRuleIR {
  readonly kind: 'rule';
  readonly id: string | null;
  readonly name: string | null;
  readonly title: string;
  readonly status: string | null;
  readonly level: SigmaLevel | null;
  readonly description: string | null;
  readonly author: string | null;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly date: string | null;
  readonly modified: string | null;
  readonly logsource: Logsource;
  /** Fields the rule suggests showing (the `fields` attribute). */
  readonly fields: readonly string[];
  readonly condition: Expr;
  readonly aggregation: LegacyAggregation | null;
  readonly location: SourceLocation;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile'
  | 'value_median';

export interface CorrelationCondition {
  /** `neq` (Sigma 2.1): the count (or aggregate) differs from the value. */
  readonly op: 'lt' | 'lte' | 'gt' | 'gte' | 'eq' | 'neq';
  readonly value: number;
  /** value_count / value_sum / value_avg / value_percentile / value_median: the field aggregated. */
  readonly field: string | null;
  /** value_percentile: the percentile (0–100). */
  readonly percentile: number | null;
}

export interface SigmaCorrelationIR {
  readonly kind: 'correlation';
  readonly id: string | null;
  readonly name: string | null;
  readonly title: string;
  readonly level: SigmaLevel | null;
  readonly description: string | null;
  readonly tags: readonly string[];
  readonly type: CorrelationType;
  /** Ids or names of the rules (or correlations) correlated, in order (order matters for temporal_ordered). */
  readonly rules: readonly string[];
  /** Group-by fields, as alias names or field names. */
  readonly groupBy: readonly string[];
  /** alias → (rule id or name → field in that rule's events). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timespanMs: number;
  readonly condition: CorrelationCondition;
  /** Whether the correlated rules also raise their own alerts. */
  readonly generate: boolean;
  readonly location: SourceLocation;
}

export type SigmaDocumentIR = SigmaRuleIR | SigmaCorrelationIR;

/** Every error of every stage: what, where, and (when there is one) how to fix it. */
export interface SigmaError {
  readonly code:
    | 'yaml'
    | 'schema'
    | 'condition'
    | 'unknown_modifier'
    | 'invalid_modifier_use'
    | 'invalid_value'
    | 'invalid_regex'
    | 'unsafe_regex'
    | 'unknown_identifier'
    | 'unmapped_field'
    | 'unsupported_logsource'
    | 'unsupported_feature'
    | 'correlation';
  readonly message: string;
  readonly location: SourceLocation | null;
}

export type SigmaResult<T> = { readonly ok: true; readonly value: T; readonly warnings: readonly string[] } | { readonly ok: false; readonly errors: readonly SigmaError[] };

// ---- Stage 2: the processing pipeline -------------------------------------------------------------------

/** One step of a path inside the event's raw JSON; `array` = the value here is an array, any element may match. */
export interface JsonPathStep {
  readonly key: string;
  readonly array: boolean;
}

/** Where a Sigma field's value lives in our events. */
export type FieldTarget =
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'json'; readonly path: readonly JsonPathStep[] };

/**
 * How one Sigma logsource reads our events: which sources (`events.source`), extra conditions on them
 * (e.g. `service: guardduty` inside a broader source), and how field names resolve. Fields not listed resolve
 * to the raw JSON path of the same name (`a.b` → raw.a.b), so rules written against vendor fields work;
 * `knownFields` (when given) makes strict mode refuse names outside it, naming the field and the rule line.
 */
export interface LogsourceMapping {
  readonly logsource: Logsource;
  readonly sources: readonly string[];
  readonly where?: Expr;
  readonly fields: Readonly<Record<string, FieldTarget | readonly FieldTarget[]>>;
  /** Raw JSON paths that exist in this source's events (dotted, `[]` after an array key: `target[].alternateId`). */
  readonly knownFields?: readonly string[];
}

/** A rule after the pipeline: the same condition with every field resolved, over a set of sources. */
export interface ResolvedRule {
  readonly rule: SigmaRuleIR;
  readonly sources: readonly string[];
  /** The condition with `match` fields replaced by targets. */
  readonly condition: ResolvedExpr;
  readonly aggregation: (Omit<LegacyAggregation, 'field' | 'groupBy'> & { field: FieldTarget | null; groupBy: readonly FieldTarget[] }) | null;
  /**
   * The mapping the pipeline applied (absent in hand-built rules). Correlations name group-by and aggregated
   * fields that the rule itself may not use, and resolve them with the same mapping.
   */
  readonly mapping?: LogsourceMapping;
}

export type ResolvedExpr =
  | { readonly kind: 'and'; readonly items: readonly ResolvedExpr[] }
  | { readonly kind: 'or'; readonly items: readonly ResolvedExpr[] }
  | { readonly kind: 'not'; readonly item: ResolvedExpr }
  /**
   * A field resolving to several targets (the places one field may be) matches a value predicate when any of
   * them does, and an absence (`null`, `exists: false`) only when all of them do. `refTargets`: for a
   * `fieldref` predicate, where the referenced field lives (absent: the raw JSON path of the same name).
   */
  | {
      readonly kind: 'match';
      readonly targets: readonly FieldTarget[];
      readonly predicate: Predicate;
      readonly refTargets?: readonly FieldTarget[];
      readonly location?: SourceLocation;
    }
  | { readonly kind: 'keyword'; readonly predicate: Predicate; readonly location?: SourceLocation }
  | { readonly kind: 'const'; readonly value: boolean };

// ---- Stage 3: backends ----------------------------------------------------------------------------------

export type SqlDialectName = 'd1' | 'athena' | 'bigquery' | 'synapse';

/** A compiled query: SQL with placeholders in the dialect's style, and the values to bind, in order. */
export interface CompiledQuery {
  readonly dialect: SqlDialectName;
  readonly sql: string;
  readonly params: readonly (string | number | boolean | null)[];
  /**
   * True when the SQL selects a superset (the engine lacks a feature, e.g. D1 has no REGEXP): the streaming
   * matcher must confirm each returned row. The scheduled detector does so automatically.
   */
  readonly needsConfirmation: boolean;
}
