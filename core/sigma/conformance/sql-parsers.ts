/**
 * Each of our dialects' queries parsed with the matching node-sql-parser build (sqlite for D1, trino for
 * Athena, bigquery, transactsql for Synapse), as sql/compile-sql.test.ts does. Its SQLite grammar lacks `?NNN`
 * placeholders: they are read as `?`.
 */
import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import transactsqlParser from 'node-sql-parser/build/transactsql.js';
import trinoParser from 'node-sql-parser/build/trino.js';
import type { SqlDialectName } from '../ir';

const parsers = {
  d1: { parser: new sqliteParser.Parser(), database: 'sqlite' },
  athena: { parser: new trinoParser.Parser(), database: 'trino' },
  bigquery: { parser: new bigqueryParser.Parser(), database: 'bigquery' },
  synapse: { parser: new transactsqlParser.Parser(), database: 'transactsql' },
} as const;

/** null when the query parses, else the parser's message. */
export function sqlParseError(dialect: SqlDialectName, sql: string): string | null {
  const { parser, database } = parsers[dialect];
  try {
    parser.astify(dialect === 'd1' ? sql.replace(/\?\d+/g, '?') : sql, { database });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.slice(0, 300) : String(error);
  }
}
