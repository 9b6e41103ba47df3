/**
 * D1 (SQLite) tokens. SQLite has no REGEXP (D1 allows no user functions), no IP functions, and folds case for
 * ASCII only (LIKE, lower()); JSON through json_type/json_extract/json_each. Placeholders `?1…` (D1 binds
 * at most 100 per statement: the rest are inlined). LIKE escapes with `!` (the SQL parsers our tests use read a
 * backslash inside a literal as an escape, which SQLite does not); GLOB gives cased matching.
 *
 * Needs confirmation here: regex (superset: the field has text), IPv6 CIDR (superset: the text holds `:`),
 * case-insensitive patterns whose literal holds non-ASCII letters (those letters become `%`), and
 * case-insensitive fieldref between values holding non-ASCII characters.
 */
import { strftimeFormats } from '../../match/sqlite-time';
import { jsonKeyStep } from '../json-key';
import type { CidrSql, ColumnType, SqlDialect, WildcardSyntax } from '../dialect';

const sqliteString = (value: string) =>
  value.includes('\u0000') ? value.split('\u0000').map(quote).join(' || char(0) || ') : quote(value);
const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

const likeSyntax: WildcardSyntax = {
  any: '%',
  one: '_',
  escape: (text) => text.replace(/[!%_]/g, (c) => `!${c}`),
};

// GLOB: `*` and `?` are wildcards, `[...]` a class; a special character is matched by a one-character class.
const globSyntax: WildcardSyntax = {
  any: '*',
  one: '?',
  escape: (text) => text.replace(/[*?[]/g, (c) => `[${c}]`),
};

const jsonText = (doc: string, path: string) =>
  `CASE json_type(${doc}, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'object' THEN NULL WHEN 'array' THEN NULL ELSE CAST(json_extract(${doc}, ${path}) AS TEXT) END`;

// A string is a number when it is, whole, a JSON number (json_valid is RFC 8259 strict since SQLite 3.45).
const numberFromText = (text: string) =>
  `CASE WHEN json_valid(${text}) THEN CASE WHEN json_type(${text}) IN ('integer', 'real') THEN json_extract(${text}, '$') END END`;

function cidrMatch(text: string, range: Parameters<SqlDialect['cidrMatch']>[1], param: Parameters<SqlDialect['cidrMatch']>[2]): CidrSql {
  if (range.version === 6) return { superset: `instr(${text}, ':') > 0` };
  // Strict dotted quad: digits and dots only, and "[a,b,c,d]" must be a valid JSON array of four numbers
  // (JSON refuses leading zeros and empty octets).
  const arr = `'[' || replace(v.t, '.', ',') || ']'`;
  const octet = (i: number) => `json_extract(${arr}, '$[${i}]')`;
  const value = `${octet(0)} * 16777216 + ${octet(1)} * 65536 + ${octet(2)} * 256 + ${octet(3)}`;
  // CASE, not AND: SQLite may evaluate AND terms in any order, and json_extract raises on malformed JSON.
  return {
    exact:
      `EXISTS (SELECT 1 FROM (SELECT ${text} AS t) AS v WHERE CASE WHEN NOT (v.t GLOB '*[^0-9.]*') AND json_valid(${arr}) ` +
      `THEN (json_array_length(${arr}) = 4 AND ${octet(0)} <= 255 AND ${octet(1)} <= 255 AND ${octet(2)} <= 255 AND ${octet(3)} <= 255 ` +
      `AND ${value} BETWEEN ${param(range.first)} AND ${param(range.last)}) ELSE 0 END)`,
  };
}

function columnText(column: string, type: ColumnType): string {
  if (type === 'string') return column;
  if (type === 'boolean') return `CASE ${column} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END`;
  return `CAST(${column} AS TEXT)`;
}

export const d1Dialect: SqlDialect = {
  name: 'd1',
  placeholder: (n) => `?${n}`,
  positionalParams: false,
  placeholderPattern: /\?(\d+)/y,
  maxParams: 100,
  stringLiteral: sqliteString,
  booleanLiteral: (b) => (b ? '1' : '0'),
  quoteIdent: (name) => `"${name.replaceAll('"', '""')}"`,
  lexical: { stringEscape: 'doubled', identifierQuotes: [['"', '"'], ['`', '`']] },
  trueSql: '1',
  falseSql: '0',
  storage: 'events-table',

  lower: (x) => `lower(${x})`,
  caseFold: 'ascii',
  ciEquals: (x, p) => `lower(${x}) = ${p}`,
  csEquals: (x, p) => `${x} = ${p}`,
  // SQLite's LIKE ignores ASCII case by itself.
  ciLike: (x, p) => `${x} LIKE ${p} ESCAPE '!'`,
  // glob(pattern, text) is `text GLOB pattern`, case-sensitive.
  csLike: (x, p) => `glob(${p}, ${x})`,
  ciWildcards: likeSyntax,
  csWildcards: globSyntax,
  concat: (a, b) => `${a} || ${b}`,
  textEquals: (a, b) => `${a} = ${b}`,
  textStartsWith: (a, b) => `substr(${a}, 1, length(${b})) = ${b}`,
  textEndsWith: (a, b) => `length(${a}) >= length(${b}) AND substr(${a}, length(${a}) - length(${b}) + 1) = ${b}`,
  textContains: (a, b) => `instr(${a}, ${b}) > 0`,
  textComparisonsCased: true,
  nonAscii: (x) => `length(CAST(${x} AS BLOB)) > length(${x})`,

  regexMatch: null,
  cidrMatch,
  // The semantics of the time parts are SQLite's own (match/sqlite-time.ts), as pySigma's SQLite backend writes them.
  timePart: (text, part) => ({ exact: `CAST(strftime('${strftimeFormats[part]}', ${text}) AS INTEGER)` }),
  columnText,
  columnNumber: (column, type) => (type === 'boolean' ? null : type === 'string' ? numberFromText(column) : column),

  jsonKey: (key) => jsonKeyStep(key, (k) => `."${k}"`),
  jsonText,
  jsonNumber: (doc, path) =>
    `CASE json_type(${doc}, ${path}) WHEN 'integer' THEN json_extract(${doc}, ${path}) WHEN 'real' THEN json_extract(${doc}, ${path}) WHEN 'text' THEN ${numberFromText(`json_extract(${doc}, ${path})`)} END`,
  jsonExists: (doc, path) => `json_type(${doc}, ${path}) IS NOT NULL`,
  jsonNullOrMissing: (doc, path) => `coalesce(json_type(${doc}, ${path}), 'null') = 'null'`,
  jsonArrayAny: (doc, path, alias, body, missingSlot) => {
    // json_each also walks objects and scalars: only integer keys are array elements.
    const each = `SELECT 1 FROM json_each(${doc}, ${path}) AS ${alias} WHERE typeof(${alias}.key) = 'integer'`;
    const any = `EXISTS (${each} AND (${body({ doc, base: `${alias}.fullkey`, keys: [] })}))`;
    return missingSlot ? `(${any} OR NOT EXISTS (${each}))` : any;
  },

  timeMs: (x) => `CAST(round((julianday(${x}) - 2440587.5) * 86400000.0) AS INTEGER)`,
  timeAfter: (column, bound, minusMs) =>
    minusMs === 0 ? `${column} > ${bound}` : `${column} > strftime('%Y-%m-%dT%H:%M:%fZ', ${bound}, '-${(minusMs / 1000).toFixed(3)} seconds')`,
  toDouble: (x) => `CAST(${x} AS REAL)`,
  intDiv: (a, b) => `(${a} / ${b})`,
  groupKey: (x) => x,
  groupKeyText: (x) => x,
};
