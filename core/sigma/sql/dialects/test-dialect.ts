/**
 * A fake dialect for tests (STYLE.md 8, after pySigma's `backends/test`): every token writes something
 * distinctive (`T_LOWER(x)`, `:P1:`), so a test can see which token produced each piece of a query and that
 * the generic compiler uses every token. It declares no regex, ASCII-only case folding and case-insensitive
 * field comparisons, like the weakest real engines, so the superset paths run too. Never shipped to an engine.
 */
import { jsonKeyStep } from '../json-key';
import type { CidrSql, SqlDialect, WildcardSyntax } from '../dialect';

const wildcards = (tag: string): WildcardSyntax => ({
  any: `<${tag}*>`,
  one: `<${tag}?>`,
  escape: (text) => text.replace(/[<>]/g, (c) => `<${tag}${c}>`),
});

export const testDialect: SqlDialect = {
  name: 'test',
  placeholder: (n) => `:P${n}:`,
  positionalParams: false,
  placeholderPattern: /:P(\d+):/y,
  maxParams: 1_000,
  stringLiteral: (value) => `'${value.replaceAll("'", "''")}'`,
  booleanLiteral: (b) => (b ? 'T_YES' : 'T_NO'),
  quoteIdent: (name) => `{${name}}`,
  lexical: { stringEscape: 'doubled', identifierQuotes: [['{', '}']] },
  trueSql: 'T_TRUE',
  falseSql: 'T_FALSE',
  storage: 'per-source',

  lower: (x) => `T_LOWER(${x})`,
  caseFold: 'ascii',
  ciEquals: (x, p) => `T_CI_EQ(${x}, ${p})`,
  csEquals: (x, p) => `T_CS_EQ(${x}, ${p})`,
  ciLike: (x, p) => `T_CI_LIKE(${x}, ${p})`,
  csLike: (x, p) => `T_CS_LIKE(${x}, ${p})`,
  ciWildcards: wildcards('ci'),
  csWildcards: wildcards('cs'),
  concat: (a, b) => `T_CONCAT(${a}, ${b})`,
  textEquals: (a, b) => `T_TEXT_EQ(${a}, ${b})`,
  textStartsWith: (a, b) => `T_STARTS(${a}, ${b})`,
  textEndsWith: (a, b) => `T_ENDS(${a}, ${b})`,
  textContains: (a, b) => `T_CONTAINS(${a}, ${b})`,
  textComparisonsCased: false,
  nonAscii: (x) => `T_NON_ASCII(${x})`,

  regexMatch: null,
  cidrMatch: (text, range, param): CidrSql =>
    range.version === 4 ? { exact: `T_CIDR4(${text}, ${param(range.first)}, ${param(range.last)})` } : { superset: `T_CIDR6_SUPERSET(${text})` },
  timePart: (text, part) => ({ value: `T_TIME_${part.toUpperCase()}(${text})`, agrees: `T_TIME_AGREES(${text})` }),
  columnText: (column, type) => `T_COL_TEXT_${type}(${column})`,
  columnNumber: (column, type) => (type === 'boolean' ? null : `T_COL_NUM_${type}(${column})`),

  jsonKey: (key) => jsonKeyStep(key, (k) => `.<${k}>`),
  jsonText: (doc, path) => `T_JSON_TEXT(${doc}, ${path})`,
  jsonNumber: (doc, path) => `T_JSON_NUM(${doc}, ${path})`,
  jsonExists: (doc, path, parentPath, key) => `T_JSON_EXISTS(${doc}, ${path}, ${parentPath ?? '-'}, ${key ?? '-'})`,
  jsonNullOrMissing: (doc, path) => `T_JSON_NULL(${doc}, ${path})`,
  jsonArrayAny: (doc, path, alias, body, missingSlot) =>
    `T_ANY(${doc}, ${path}, ${alias}, ${body({ doc, base: `T_ELEMENT(${alias})`, keys: [] })}, ${missingSlot ? 'T_MISSING_SLOT' : 'T_NO_SLOT'})`,

  timeMs: (x) => `T_MS(${x})`,
  timeAfter: (column, bound, minusMs) => `T_AFTER(${column}, ${bound}, ${minusMs})`,
  toDouble: (x) => `T_DOUBLE(${x})`,
  intDiv: (a, b) => `T_DIV(${a}, ${b})`,
  groupKey: (x) => `T_KEY(${x})`,
  groupKeyText: (x) => `T_KEY_TEXT(${x})`,
};
