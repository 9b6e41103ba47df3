/**
 * Synapse serverless SQL (T-SQL) tokens. Named `@p1` parameters; Unicode literals `N'…'`. T-SQL `=` ignores
 * trailing spaces, so every text comparison is a LIKE with the literal escaped by brackets (`[%]`, `[_]`,
 * `[[]`); case-insensitivity lower-cases both sides (the database collation must be accent-sensitive, as
 * the serverless default Latin1_General_100_CI_AS_SC_UTF8 is). JSON through JSON_VALUE / JSON_QUERY / OPENJSON.
 *
 * Needs confirmation here: regex (no regex in T-SQL; superset: the field has text), CIDR (superset: a LIKE on
 * the network's whole octets, or `:` for IPv6), cased patterns and cased fieldref (superset: the
 * case-insensitive match; COLLATE cannot be applied to the expressions a JSON field reads).
 */
import { jsonKeyStep } from '../json-key';
import { isoTimeLikePatterns } from '../time-parts';
import type { BindParam, CidrSql, ColumnType, SqlDialect, WildcardSyntax } from '../dialect';

const quote = (value: string) => `N'${value.replaceAll("'", "''")}'`;
const tsqlString = (value: string) => (value.includes('\u0000') ? value.split('\u0000').map(quote).join(' + NCHAR(0) + ') : quote(value));

const likeSyntax: WildcardSyntax = { any: '%', one: '_', escape: (text) => text.replace(/[[%_]/g, (c) => `[${c}]`) };

const escapeLike = (x: string) => `REPLACE(REPLACE(REPLACE(${x}, '[', '[[]'), '%', '[%]'), '_', '[_]')`;

// A string is a number when "[text]" is a valid JSON array whose element converts to a float.
const numberFromText = (text: string) => `CASE WHEN ISJSON(CONCAT('[', ${text}, ']')) = 1 THEN TRY_CONVERT(FLOAT, ${text}) END`;

function cidrMatch(text: string, range: Parameters<SqlDialect['cidrMatch']>[1], param: BindParam): CidrSql {
  if (range.version === 6) return { superset: `${text} LIKE '%:%'` };
  const size = range.last - range.first + 1;
  const wholeOctets = Math.floor((32 - Math.round(Math.log2(size))) / 8);
  const octets = [24, 16, 8, 0].map((s) => Math.floor(range.first / 2 ** s) % 256).slice(0, wholeOctets);
  const pattern = wholeOctets === 4 ? octets.join('.') : wholeOctets === 0 ? '%.%.%.%' : `${octets.join('.')}.%`;
  return { superset: `${text} LIKE ${param(pattern)}` };
}

function columnText(column: string, type: ColumnType): string {
  if (type === 'string') return column;
  if (type === 'boolean') return `CASE ${column} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END`;
  return `CAST(${column} AS NVARCHAR(4000))`;
}

export const synapseDialect: SqlDialect = {
  name: 'synapse',
  placeholder: (n) => `@p${n}`,
  positionalParams: false,
  placeholderPattern: /@p(\d+)/y,
  maxParams: 2_000,
  stringLiteral: tsqlString,
  booleanLiteral: (b) => (b ? '1' : '0'),
  quoteIdent: (name) => `[${name.replaceAll(']', ']]')}]`,
  lexical: { stringEscape: 'doubled', identifierQuotes: [['[', ']'], ['"', '"']] },
  trueSql: '1 = 1',
  falseSql: '1 = 0',
  storage: 'per-source',

  lower: (x) => `LOWER(${x})`,
  caseFold: 'unicode',
  ciEquals: null,
  csEquals: null,
  ciLike: (x, p) => `LOWER(${x}) LIKE ${p}`,
  csLike: null,
  ciWildcards: likeSyntax,
  csWildcards: likeSyntax,
  concat: (a, b) => `CONCAT(${a}, ${b})`,
  textEquals: (a, b) => `${a} LIKE ${escapeLike(b)}`,
  textStartsWith: (a, b) => `${a} LIKE CONCAT(${escapeLike(b)}, '%')`,
  textEndsWith: (a, b) => `${a} LIKE CONCAT('%', ${escapeLike(b)})`,
  textContains: (a, b) => `${a} LIKE CONCAT('%', ${escapeLike(b)}, '%')`,
  textComparisonsCased: false,
  nonAscii: null,

  regexMatch: null,
  cidrMatch,
  timePart: (text, part) => {
    const parsed = `TRY_CONVERT(DATETIMEOFFSET(3), ${text}, 127)`;
    const utc = `SWITCHOFFSET(${parsed}, '+00:00')`;
    // %W: weeks start on Monday (1900-01-01 was one; DATEPART(weekday) would depend on SET DATEFIRST).
    const monday0 = `((DATEDIFF(day, CAST('1900-01-01' AS DATE), CAST(${utc} AS DATE)) % 7 + 7) % 7)`;
    const value = part === 'week' ? `(DATEPART(dayofyear, ${utc}) + 6 - ${monday0}) / 7` : `DATEPART(${part}, ${utc})`;
    const shape = isoTimeLikePatterns.map((p) => `${text} LIKE '${p}'`).join(' OR ');
    // LIKE ignores case: SQLite reads only an upper-case T.
    const upperT = `(LEN(${text}) = 10 OR UNICODE(SUBSTRING(${text}, 11, 1)) = 84)`;
    return { value, agrees: `(${shape}) AND ${upperT} AND ${parsed} IS NOT NULL` };
  },
  columnText,
  columnNumber: (column, type) => (type === 'boolean' ? null : type === 'string' ? numberFromText(column) : `CAST(${column} AS FLOAT)`),

  jsonKey: (key) => jsonKeyStep(key, (k) => `."${k}"`),
  jsonText: (doc, path) => `JSON_VALUE(${doc}, ${path})`,
  jsonNumber: (doc, path) => numberFromText(`JSON_VALUE(${doc}, ${path})`),
  jsonExists: (doc, _path, parentPath, key) => {
    if (parentPath === null || key === null) return '1 = 1';
    const parent = parentPath === `N'$'` ? doc : `JSON_QUERY(${doc}, ${parentPath})`;
    const name = tsqlString(key);
    // JSON keys are case-sensitive and may end in spaces: compare binary and by length.
    return `EXISTS (SELECT 1 FROM OPENJSON(${parent}) AS k WHERE k.[key] COLLATE Latin1_General_100_BIN2 = ${name} AND DATALENGTH(k.[key]) = DATALENGTH(${name}))`;
  },
  jsonNullOrMissing: (doc, path) => `(JSON_VALUE(${doc}, ${path}) IS NULL AND JSON_QUERY(${doc}, ${path}) IS NULL)`,
  jsonArrayAny: (doc, path, alias, body, missingSlot) => {
    const array = `OPENJSON(CASE WHEN LEFT(JSON_QUERY(${doc}, ${path}), 1) = '[' THEN JSON_QUERY(${doc}, ${path}) END) AS ${alias}`;
    const element = `CONCAT(${path}, '[', ${alias}.[key], ']')`;
    const any = `EXISTS (SELECT 1 FROM ${array} WHERE ${body({ doc, base: element, keys: [] })})`;
    return missingSlot ? `(${any} OR NOT EXISTS (SELECT 1 FROM ${array}))` : any;
  },

  timeMs: (x) => `DATEDIFF_BIG(millisecond, CAST('1970-01-01' AS DATETIME2(3)), CONVERT(DATETIME2(3), ${x}, 127))`,
  timeAfter: (column, bound, minusMs) =>
    minusMs === 0
      ? `${column} > ${bound}`
      : `DATEDIFF_BIG(millisecond, CAST('1970-01-01' AS DATETIME2(3)), CONVERT(DATETIME2(3), ${column}, 127)) > DATEDIFF_BIG(millisecond, CAST('1970-01-01' AS DATETIME2(3)), CONVERT(DATETIME2(3), ${bound}, 127)) - ${minusMs}`,
  toDouble: (x) => `CAST(${x} AS FLOAT)`,
  intDiv: (a, b) => `(${a} / ${b})`,
  groupKey: (x) => `CONVERT(VARBINARY(8000), ${x})`,
  groupKeyText: (x) => `CONVERT(NVARCHAR(4000), ${x})`,
};
