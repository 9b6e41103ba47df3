/**
 * Athena (Trino) tokens. Positional `?` parameters; LIKE escapes with `!`; `lower()` folds Unicode. JSON through
 * json_extract_scalar/json_size; arrays are walked by index (`any_match` over `sequence`), which also gives the
 * "empty array = one missing element" rule for free. Regex: regexp_like (Joni; Sigma's regex subset behaves
 * the same). IPv4 CIDR exactly (strict dotted-quad regex, then integer range); IPv6 CIDR needs confirmation
 * (superset: the text holds `:`), since the SQL parsers we check against do not know the IPADDRESS type.
 */
import { jsonNumberPattern } from '../../match/semantics';
import { jsonKeyStep } from '../json-key';
import { isoTimePattern } from '../time-parts';
import type { BindParam, CidrSql, ColumnType, SqlDialect, WildcardSyntax } from '../dialect';

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;
const trinoString = (value: string) => (value.includes('\u0000') ? value.split('\u0000').map(quote).join(' || chr(0) || ') : quote(value));

const likeSyntax: WildcardSyntax = { any: '%', one: '_', escape: (text) => text.replace(/[!%_]/g, (c) => `!${c}`) };

/** Dotted quad, octets 0–255 without leading zeros. */
export const ipv4Pattern = '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])([.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$';

const numberFromText = (text: string, param: BindParam) => `CASE WHEN regexp_like(${text}, ${param(jsonNumberPattern)}) THEN TRY_CAST(trim(${text}) AS DOUBLE) END`;

function cidrMatch(text: string, range: Parameters<SqlDialect['cidrMatch']>[1], param: BindParam): CidrSql {
  if (range.version === 6) return { superset: `strpos(${text}, ':') > 0` };
  const octet = (i: number) => `TRY_CAST(split_part(${text}, '.', ${i}) AS BIGINT)`;
  return {
    exact: `CASE WHEN regexp_like(${text}, ${param(ipv4Pattern)}) THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END BETWEEN ${param(range.first)} AND ${param(range.last)}`,
  };
}

const columnText = (column: string, type: ColumnType) => (type === 'string' ? column : `CAST(${column} AS VARCHAR)`);

export const athenaDialect: SqlDialect = {
  name: 'athena',
  placeholder: () => '?',
  positionalParams: true,
  placeholderPattern: /\?/y,
  maxParams: 10_000,
  stringLiteral: trinoString,
  booleanLiteral: (b) => (b ? 'TRUE' : 'FALSE'),
  quoteIdent: (name) => `"${name.replaceAll('"', '""')}"`,
  lexical: { stringEscape: 'doubled', identifierQuotes: [['"', '"']] },
  trueSql: 'TRUE',
  falseSql: 'FALSE',
  storage: 'per-source',

  lower: (x) => `lower(${x})`,
  caseFold: 'unicode',
  ciEquals: (x, p) => `lower(${x}) = ${p}`,
  csEquals: (x, p) => `${x} = ${p}`,
  ciLike: (x, p) => `lower(${x}) LIKE ${p} ESCAPE '!'`,
  csLike: (x, p) => `${x} LIKE ${p} ESCAPE '!'`,
  ciWildcards: likeSyntax,
  csWildcards: likeSyntax,
  concat: (a, b) => `concat(${a}, ${b})`,
  textEquals: (a, b) => `${a} = ${b}`,
  textStartsWith: (a, b) => `starts_with(${a}, ${b})`,
  textEndsWith: (a, b) => `length(${a}) >= length(${b}) AND substr(${a}, length(${a}) - length(${b}) + 1) = ${b}`,
  textContains: (a, b) => `(length(${b}) = 0 OR strpos(${a}, ${b}) > 0)`,
  textComparisonsCased: true,
  nonAscii: null,

  regexMatch: (x, p) => `regexp_like(${x}, ${p})`,
  cidrMatch,
  timePart: (text, part, param) => {
    const parsed = `TRY(from_iso8601_timestamp(${text}))`;
    const utc = `at_timezone(${parsed}, 'UTC')`;
    // %W: weeks start on Monday; day_of_week is 1 (Monday) to 7.
    const value = part === 'week' ? `(day_of_year(${utc}) + 7 - day_of_week(${utc})) / 7` : `${part}(${utc})`;
    return { value, agrees: `regexp_like(${text}, ${param(isoTimePattern)}) AND ${parsed} IS NOT NULL` };
  },
  columnText,
  columnNumber: (column, type, param) =>
    type === 'boolean' ? null : type === 'string' ? numberFromText(column, param) : `CAST(${column} AS DOUBLE)`,

  jsonKey: (key) => jsonKeyStep(key, (k) => `["${k}"]`),
  jsonText: (doc, path) => `json_extract_scalar(${doc}, ${path})`,
  jsonNumber: (doc, path, param) => numberFromText(`json_extract_scalar(${doc}, ${path})`, param),
  // json_size is 0 for a JSON null and NULL only when the path is absent.
  jsonExists: (doc, path) => `json_size(${doc}, ${path}) IS NOT NULL`,
  jsonNullOrMissing: (doc, path) => `coalesce(json_format(json_extract(${doc}, ${path})), 'null') = 'null'`,
  jsonArrayAny: (doc, path, alias, body) => {
    // Index 0 is visited even when there is no element: that visit reads a missing value (the missing slot).
    const indexes = `sequence(0, greatest(coalesce(json_array_length(json_extract(${doc}, ${path})), 0), 1) - 1)`;
    const element = `concat(${path}, '[', CAST(${alias} AS VARCHAR), ']')`;
    return `any_match(${indexes}, ${alias} -> (${body({ doc, base: element, keys: [] })}))`;
  },

  timeMs: (x) => `CAST(round(to_unixtime(from_iso8601_timestamp(${x})) * 1000) AS BIGINT)`,
  timeAfter: (column, bound, minusMs) =>
    minusMs === 0
      ? `${column} > ${bound}`
      : `CAST(round(to_unixtime(from_iso8601_timestamp(${column})) * 1000) AS BIGINT) > CAST(round(to_unixtime(from_iso8601_timestamp(${bound})) * 1000) AS BIGINT) - ${minusMs}`,
  toDouble: (x) => `CAST(${x} AS DOUBLE)`,
  intDiv: (a, b) => `(${a} / ${b})`,
  groupKey: (x) => x,
  groupKeyText: (x) => x,
};
