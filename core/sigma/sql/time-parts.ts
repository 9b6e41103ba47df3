/**
 * The texts the lake engines read exactly as SQLite does for the time-part modifiers (the semantics are SQLite's:
 * match/sqlite-time.ts): ISO-8601 dates `YYYY-MM-DD`, optionally with `THH:MM`, seconds, one to three fraction
 * digits and a zone (`Z`, `z`, `±HH:MM`, hours up to 14). Hour 24 (SQLite keeps it), more fraction digits (engines
 * round them, SQLite truncates), a space separator, bare times and numbers (SQLite reads Julian days) are left
 * out: on them a lake query selects a superset for the matcher to confirm. Each dialect also requires its own
 * parser to accept the text, so an impossible date (2023-02-31, which SQLite rolls over) is not exact either.
 * A text without a zone is read as UTC, as SQLite does (Athena: the session time zone, UTC by default).
 */

/** As a regular expression (Trino's regexp_like, BigQuery's REGEXP_CONTAINS). */
export const isoTimePattern =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,3})?)?([Zz]|[+-](0[0-9]|1[0-4]):[0-5][0-9])?)?$';

/**
 * As T-SQL LIKE patterns (T-SQL has no regex): digit classes only — the ranges are checked by TRY_CONVERT, which
 * refuses month 13, hour 24, second 60 or an offset past 14:00. LIKE ignores case, so the `T` is checked apart.
 */
export const isoTimeLikePatterns: readonly string[] = (() => {
  const d = '[0-9]';
  const date = `${d}${d}${d}${d}-${d}${d}-${d}${d}`;
  const times = [`T${d}${d}:${d}${d}`, `T${d}${d}:${d}${d}:${d}${d}`, ...[1, 2, 3].map((n) => `T${d}${d}:${d}${d}:${d}${d}.${d.repeat(n)}`)];
  const zones = ['', 'Z', `+${d}${d}:${d}${d}`, `-${d}${d}:${d}${d}`];
  return [date, ...times.flatMap((t) => zones.map((z) => `${date}${t}${z}`))];
})();
