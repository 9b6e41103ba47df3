/**
 * A SQL dialect is a table of tokens (STYLE.md 8): small templates for what differs between engines — quoting,
 * parameters, JSON access, case-insensitive comparison, LIKE escaping, regex, CIDR, numbers from text, time
 * arithmetic. ONE generic compiler (`compile-expr.ts`, `compile-correlation.ts`) walks the resolved rule and
 * calls them; it never branches on the dialect's name. A token that is `null` means the engine cannot do it
 * exactly: the compiler then emits a superset and marks the query `needsConfirmation` (see README.md).
 *
 * Conventions of the token functions:
 * - Arguments are SQL expressions (already quoted/escaped); results are SQL expressions.
 * - Text expressions are NULL when the field has no text; comparisons may then be NULL, which the compiler
 *   turns two-valued where a NOT could see it.
 * - `param(value)` binds a value and returns its placeholder; tokens bind every value they introduce that came
 *   from a rule (patterns, numbers, networks) and only inline structure (JSON paths, constants).
 */
import type { SqlDialectName, TimePart } from '../ir';
import type { Ipv4Range, Ipv6Range } from '../match/semantics';

export type ParamValue = string | number | boolean | null;
export type BindParam = (value: ParamValue) => string;

/** How a dialect writes LIKE-style wildcards and escapes literal text inside a pattern. */
export interface WildcardSyntax {
  readonly any: string;
  readonly one: string;
  /** Literal text → pattern text (wildcards and the escape character escaped). */
  readonly escape: (text: string) => string;
}

/** Where a JSON value lives: a document expression, an optional dynamic path prefix, literal keys after it. */
export interface JsonLoc {
  readonly doc: string;
  /** SQL expression of a path prefix (an array element's path), or null: the path starts at `$`. */
  readonly base: string | null;
  readonly keys: readonly string[];
}

export type ColumnType = 'string' | 'integer' | 'double' | 'boolean';

export type CidrSql = { readonly exact: string } | { readonly superset: string };

export type TimePartSql = { readonly exact: string } | { readonly value: string; readonly agrees: string };

export interface LakeTableOptions {
  /** Athena database / BigQuery dataset / Synapse schema holding the `mantissa_<source>` tables. */
  readonly namespace: string;
  /** Overrides the table name (unquoted, `ns.table`) of a source. */
  readonly tableForSource?: (source: string) => string;
}

export interface SqlDialect {
  readonly name: SqlDialectName | 'test';

  // ---- parameters, literals, identifiers -----------------------------------------------------------------
  /** Placeholder of the n-th (1-based) parameter. */
  readonly placeholder: (n: number) => string;
  /** True when placeholders carry no number (`?`): each occurrence is its own parameter. */
  readonly positionalParams: boolean;
  /** Sticky regex matching one placeholder; group 1 is its number (absent for positional placeholders). */
  readonly placeholderPattern: RegExp;
  /** Parameters the engine accepts in one statement; values beyond are inlined as escaped literals. */
  readonly maxParams: number;
  readonly stringLiteral: (value: string) => string;
  readonly booleanLiteral: (value: boolean) => string;
  readonly quoteIdent: (name: string) => string;
  /** Delimiters the inliner must skip: string literals and quoted identifiers. */
  readonly lexical: {
    readonly stringEscape: 'doubled' | 'backslash';
    readonly identifierQuotes: readonly (readonly [string, string])[];
  };
  readonly trueSql: string;
  readonly falseSql: string;

  // ---- where events live ---------------------------------------------------------------------------------
  /** `events-table`: one table with a `source` column (D1); `per-source`: `mantissa_<source>` tables (lakes). */
  readonly storage: 'events-table' | 'per-source';

  // ---- text ------------------------------------------------------------------------------------------------
  readonly lower: (x: string) => string;
  /** What the engine's case-insensitive comparison folds: `ascii` (SQLite) or `unicode`. */
  readonly caseFold: 'ascii' | 'unicode';
  /** `x` equals the (already folded) parameter; null: compare with a LIKE pattern instead. */
  readonly ciEquals: ((x: string, p: string) => string) | null;
  readonly csEquals: ((x: string, p: string) => string) | null;
  readonly ciLike: (x: string, p: string) => string;
  /** null: the engine cannot match a cased pattern exactly (the case-insensitive match is the superset). */
  readonly csLike: ((x: string, p: string) => string) | null;
  readonly ciWildcards: WildcardSyntax;
  readonly csWildcards: WildcardSyntax;
  readonly concat: (a: string, b: string) => string;
  /** Text comparisons between two fields (fieldref), on already lower-cased or raw text. */
  readonly textEquals: (a: string, b: string) => string;
  readonly textStartsWith: (a: string, b: string) => string;
  readonly textEndsWith: (a: string, b: string) => string;
  readonly textContains: (a: string, b: string) => string;
  /** False when the text comparisons above ignore case whatever the input (cased fieldref → superset). */
  readonly textComparisonsCased: boolean;
  /** True when `x` holds a character outside ASCII (engines with `caseFold: 'ascii'`). */
  readonly nonAscii: ((x: string) => string) | null;

  // ---- regex, CIDR, numbers ------------------------------------------------------------------------------
  /** Unanchored RE2-compatible search; the parameter carries inline flags `(?ims)`. null: not supported. */
  readonly regexMatch: ((x: string, p: string) => string) | null;
  readonly cidrMatch: (text: string, range: Ipv4Range | Ipv6Range, param: BindParam) => CidrSql;
  /**
   * A part of a time written as text, as an integer expression (NULL when the text is no time). `exact`: the
   * engine reads every text as SQLite's date functions do (match/sqlite-time.ts, the semantics). Otherwise
   * `value` is the part as the engine reads the text and `agrees` a condition that holds only for texts it reads
   * exactly as SQLite does (ISO-8601 forms it parsed); the compiler selects a superset outside it.
   */
  readonly timePart: (text: string, part: TimePart, param: BindParam) => TimePartSql;
  readonly columnText: (column: string, type: ColumnType) => string;
  /** Number of a column (text columns: when the whole text is a JSON number); null: never a number (booleans). */
  readonly columnNumber: (column: string, type: ColumnType, param: BindParam) => string | null;

  // ---- JSON ------------------------------------------------------------------------------------------------
  /** Path step for one key (`.a`, `."b c"`, `["b c"]`); null when the key cannot be written safely. */
  readonly jsonKey: (key: string) => string | null;
  readonly jsonText: (doc: string, path: string) => string;
  /** A JSON number, or a JSON string whose whole text is a JSON number; else NULL. */
  readonly jsonNumber: (doc: string, path: string, param: BindParam) => string;
  /** The path is present (JSON null included). `parentPath`/`key`: the same location as parent + last key. */
  readonly jsonExists: (doc: string, path: string, parentPath: string | null, key: string | null) => string;
  /** The path is absent or JSON null. */
  readonly jsonNullOrMissing: (doc: string, path: string) => string;
  /**
   * Any element of the array at `path` satisfies `body`. A value that is no array, or an empty array, counts as
   * one missing element: `missingSlot` says whether the predicate holds for a missing value (null, exists:
   * false). `alias` is unique for the nesting level.
   */
  readonly jsonArrayAny: (doc: string, path: string, alias: string, body: (element: JsonLoc) => string, missingSlot: boolean) => string;

  // ---- time and aggregation (correlations) ---------------------------------------------------------------
  /** Epoch milliseconds (integer) of an ISO-8601 text time. */
  readonly timeMs: (x: string) => string;
  /** `column > bound − minusMs` for ISO text times. */
  readonly timeAfter: (column: string, bound: string, minusMs: number) => string;
  readonly toDouble: (x: string) => string;
  /** Integer division of two integers, truncating (the time bucket of a correlation window's join). */
  readonly intDiv: (a: string, b: string) => string;
  /** A group-by key compared and grouped exactly (T-SQL: binary, not under the collation), and back to text. */
  readonly groupKey: (text: string) => string;
  readonly groupKeyText: (key: string) => string;
}
