/**
 * BigQuery (GoogleSQL) tokens. Named `@p1` parameters; LIKE has no ESCAPE clause, a backslash escapes; string
 * literals take backslash escapes. JSON through JSON_VALUE / JSON_QUERY / JSON_QUERY_ARRAY (JSONPath must be a
 * literal: array elements are walked with UNNEST, each element its own document). Regex: REGEXP_CONTAINS
 * (RE2, like the matcher). CIDR exactly for both versions with NET functions (IPv4 text first checked
 * against the strict dotted-quad grammar).
 */
import { jsonNumberPattern } from '../../match/semantics';
import { jsonKeyStep } from '../json-key';
import { isoTimePattern } from '../time-parts';
import type { BindParam, CidrSql, ColumnType, SqlDialect, WildcardSyntax } from '../dialect';
import { ipv4Pattern } from './athena';

function bigqueryString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

const likeSyntax: WildcardSyntax = { any: '%', one: '_', escape: (text) => text.replace(/[\\%_]/g, (c) => `\\${c}`) };

const numberFromText = (text: string, param: BindParam) =>
  `CASE WHEN REGEXP_CONTAINS(${text}, ${param(jsonNumberPattern)}) THEN SAFE_CAST(TRIM(${text}) AS FLOAT64) END`;

function cidrMatch(text: string, range: Parameters<SqlDialect['cidrMatch']>[1], param: BindParam): CidrSql {
  const ip = `NET.SAFE_IP_FROM_STRING(${text})`;
  if (range.version === 4) {
    const network = [24, 16, 8, 0].map((s) => Math.floor(range.first / 2 ** s) % 256).join('.');
    const prefix = 32 - Math.round(Math.log2(range.last - range.first + 1));
    return {
      exact: `REGEXP_CONTAINS(${text}, ${param(ipv4Pattern)}) AND NET.IP_TRUNC(${ip}, ${param(prefix)}) = NET.IP_FROM_STRING(${param(network)})`,
    };
  }
  const network = range.groups.map((g) => g.toString(16)).join(':');
  return {
    exact: `STRPOS(${text}, ':') > 0 AND BYTE_LENGTH(${ip}) = 16 AND NET.IP_TRUNC(${ip}, ${param(range.prefix)}) = NET.IP_FROM_STRING(${param(network)})`,
  };
}

const columnText = (column: string, type: ColumnType) => (type === 'string' ? column : `CAST(${column} AS STRING)`);

export const bigqueryDialect: SqlDialect = {
  name: 'bigquery',
  placeholder: (n) => `@p${n}`,
  positionalParams: false,
  placeholderPattern: /@p(\d+)/y,
  maxParams: 10_000,
  stringLiteral: bigqueryString,
  booleanLiteral: (b) => (b ? 'TRUE' : 'FALSE'),
  quoteIdent: (name) => `\`${name.replace(/[`\\]/g, (c) => `\\${c}`)}\``,
  lexical: { stringEscape: 'backslash', identifierQuotes: [['`', '`']] },
  trueSql: 'TRUE',
  falseSql: 'FALSE',
  storage: 'per-source',

  lower: (x) => `LOWER(${x})`,
  caseFold: 'unicode',
  ciEquals: (x, p) => `LOWER(${x}) = ${p}`,
  csEquals: (x, p) => `${x} = ${p}`,
  ciLike: (x, p) => `LOWER(${x}) LIKE ${p}`,
  csLike: (x, p) => `${x} LIKE ${p}`,
  ciWildcards: likeSyntax,
  csWildcards: likeSyntax,
  concat: (a, b) => `CONCAT(${a}, ${b})`,
  textEquals: (a, b) => `${a} = ${b}`,
  textStartsWith: (a, b) => `STARTS_WITH(${a}, ${b})`,
  textEndsWith: (a, b) => `ENDS_WITH(${a}, ${b})`,
  textContains: (a, b) => `(LENGTH(${b}) = 0 OR STRPOS(${a}, ${b}) > 0)`,
  textComparisonsCased: true,
  nonAscii: null,

  regexMatch: (x, p) => `REGEXP_CONTAINS(${x}, ${p})`,
  cidrMatch,
  timePart: (text, part, param) => {
    const parsed = `SAFE_CAST(${text} AS TIMESTAMP)`;
    // EXTRACT and FORMAT_TIMESTAMP read a TIMESTAMP in UTC. %W is SQLite's week: Monday first, week 0 before it.
    const value =
      part === 'week' ? `CAST(FORMAT_TIMESTAMP('%W', ${parsed}, 'UTC') AS INT64)` : `EXTRACT(${part.toUpperCase()} FROM ${parsed})`;
    return { value, agrees: `REGEXP_CONTAINS(${text}, ${param(isoTimePattern)}) AND ${parsed} IS NOT NULL` };
  },
  columnText,
  columnNumber: (column, type, param) =>
    type === 'boolean' ? null : type === 'string' ? numberFromText(column, param) : `CAST(${column} AS FLOAT64)`,

  jsonKey: (key) => jsonKeyStep(key, (k) => `."${k}"`),
  jsonText: (doc, path) => `JSON_VALUE(${doc}, ${path})`,
  jsonNumber: (doc, path, param) => numberFromText(`JSON_VALUE(${doc}, ${path})`, param),
  // JSON_QUERY on text turns a JSON null into SQL NULL; on the JSON type it stays a JSON null.
  jsonExists: (doc, path) => `(JSON_QUERY(${doc}, ${path}) IS NOT NULL OR JSON_TYPE(JSON_QUERY(SAFE.PARSE_JSON(${doc}), ${path})) = 'null')`,
  jsonNullOrMissing: (doc, path) => `JSON_QUERY(${doc}, ${path}) IS NULL`,
  jsonArrayAny: (doc, path, alias, body, missingSlot) => {
    const any = `EXISTS (SELECT 1 FROM UNNEST(JSON_QUERY_ARRAY(${doc}, ${path})) AS ${alias} WHERE ${body({ doc: alias, base: null, keys: [] })})`;
    return missingSlot ? `(${any} OR COALESCE(ARRAY_LENGTH(JSON_QUERY_ARRAY(${doc}, ${path})), 0) = 0)` : any;
  },

  timeMs: (x) => `UNIX_MILLIS(TIMESTAMP(${x}))`,
  timeAfter: (column, bound, minusMs) =>
    minusMs === 0 ? `${column} > ${bound}` : `UNIX_MILLIS(TIMESTAMP(${column})) > UNIX_MILLIS(TIMESTAMP(${bound})) - ${minusMs}`,
  toDouble: (x) => `CAST(${x} AS FLOAT64)`,
  intDiv: (a, b) => `DIV(${a}, ${b})`,
  groupKey: (x) => x,
  groupKeyText: (x) => x,
};
