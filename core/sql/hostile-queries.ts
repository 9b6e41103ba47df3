/**
 * Hostile SQL: inputs an attacker (or a confused model) might send to /api/sql or get an LLM to write for
 * /api/query. Shared by the validator's unit suite (core/sql/validate-query.hostile.test.ts) and the workerd
 * test that sends them through both routes and checks the database is unchanged (test/nlq-api.test.ts).
 * Each entry names the refusal the validator must give.
 */
import type { QueryRefusal } from './validate-query';

export interface HostileQuery {
  readonly sql: string;
  readonly reason: QueryRefusal;
}

const q = (sql: string, reason: QueryRefusal): HostileQuery => ({ sql, reason });

const deep = (levels: number) =>
  `SELECT * FROM ${'(SELECT * FROM '.repeat(levels)}events${') t'.repeat(levels)}`;

export const hostileQueries: readonly HostileQuery[] = [
  // stacked statements
  q('SELECT 1; DROP TABLE events', 'multiple_statements'),
  q('SELECT * FROM events; DELETE FROM events', 'multiple_statements'),
  q("SELECT * FROM events; UPDATE api_tokens SET role = 'admin'", 'multiple_statements'),
  q("SELECT * FROM events;INSERT INTO api_tokens (id) VALUES ('x')", 'multiple_statements'),
  q('SELECT * FROM events ; ; DROP TABLE alerts', 'multiple_statements'),
  q('SELECT count(*) FROM events;\nATTACH DATABASE \'/tmp/x.db\' AS x', 'multiple_statements'),
  q('SELECT 1;PRAGMA writable_schema = 1', 'parse_error'),
  q('SELECT * FROM events; SELECT * FROM sqlite_master', 'multiple_statements'),
  q('SELECT * FROM events;VACUUM', 'parse_error'),
  q('SELECT * FROM events; CREATE TABLE t (x)', 'multiple_statements'),
  // backslash smuggling: the parser reads \' as an escaped quote, SQLite as a backslash that ends the string,
  // so the checked tree would be one string while SQLite runs the UNION (found by the NLQ offline engine's tests)
  q(String.raw`SELECT actor FROM events WHERE actor = 'x\' UNION SELECT sql FROM sqlite_master --'`, 'parse_error'),
  q(String.raw`SELECT actor FROM events WHERE actor = 'x\' UNION SELECT token_hash FROM api_tokens --'`, 'parse_error'),
  q(String.raw`SELECT actor FROM events WHERE actor = '\'' OR 1=1 --'`, 'parse_error'),
  q(String.raw`SELECT actor FROM events WHERE actor = 'a\nb'`, 'parse_error'),
  q(String.raw`SELECT "actor\" FROM api_tokens --" FROM events`, 'parse_error'),
  q(String.raw`SELECT actor FROM events WHERE actor LIKE 'x\' ESCAPE '\'`, 'parse_error'),
  // comments hiding statements
  q('SELECT * FROM events /* harmless */; DROP TABLE events', 'multiple_statements'),
  q('SELECT * FROM events -- comment\n; DROP TABLE events', 'multiple_statements'),
  q('SELECT * FROM events /*; */; DELETE FROM events', 'multiple_statements'),
  q('/* SELECT */ DELETE FROM events', 'not_select'),
  q('-- SELECT\nDROP TABLE events', 'not_select'),
  q('SELECT * FROM events --\r\n; DROP TABLE events', 'multiple_statements'),
  q('SELECT * FROM /* events */ api_tokens', 'table_not_allowed'),
  q('SELECT * FROM events/**/UNION/**/SELECT * FROM api_tokens', 'table_not_allowed'),
  // DDL / DML / transaction control
  q('DROP TABLE events', 'not_select'),
  q('DROP TABLE IF EXISTS alerts', 'not_select'),
  q('DELETE FROM events', 'not_select'),
  q('DELETE FROM events WHERE 1 = 1', 'not_select'),
  q("UPDATE events SET actor = 'x'", 'not_select'),
  q("UPDATE api_tokens SET role = 'admin' WHERE 1 = 1", 'not_select'),
  q("INSERT INTO events (actor) VALUES ('x')", 'not_select'),
  q("INSERT INTO api_tokens (id, name) SELECT 'x', 'y'", 'not_select'),
  q("REPLACE INTO api_tokens (id) VALUES ('x')", 'not_select'),
  q('CREATE TABLE stolen AS SELECT * FROM api_tokens', 'not_select'),
  q('CREATE VIEW v AS SELECT * FROM api_tokens', 'not_select'),
  q('CREATE TRIGGER t AFTER INSERT ON events BEGIN DELETE FROM events; END', 'not_select'),
  q('CREATE INDEX i ON events (actor)', 'not_select'),
  q('ALTER TABLE events ADD COLUMN x TEXT', 'not_select'),
  q('ALTER TABLE events RENAME TO old_events', 'not_select'),
  q('TRUNCATE TABLE events', 'not_select'),
  q('BEGIN TRANSACTION', 'parse_error'),
  q('COMMIT', 'parse_error'),
  q('VACUUM', 'parse_error'),
  q("VACUUM INTO '/tmp/copy.db'", 'parse_error'),
  q('REINDEX events', 'parse_error'),
  q('ANALYZE events', 'not_select'),
  // ATTACH / PRAGMA
  q("ATTACH DATABASE 'x' AS y", 'not_select'),
  q("ATTACH '/etc/passwd' AS p", 'parse_error'),
  q('DETACH DATABASE y', 'parse_error'),
  q('PRAGMA table_info(events)', 'parse_error'),
  q('PRAGMA writable_schema = ON', 'parse_error'),
  q('PRAGMA foreign_keys = OFF', 'parse_error'),
  q("SELECT * FROM pragma_table_info('events')", 'function_not_allowed'),
  q('SELECT * FROM pragma_database_list()', 'parse_error'),
  q('SELECT name FROM pragma_function_list()', 'parse_error'),
  // system and internal tables
  q('SELECT * FROM sqlite_master', 'table_not_allowed'),
  q('SELECT * FROM sqlite_schema', 'table_not_allowed'),
  q('SELECT * FROM sqlite_temp_master', 'table_not_allowed'),
  q('SELECT * FROM sqlite_sequence', 'table_not_allowed'),
  q('SELECT * FROM sqlite_stat1', 'table_not_allowed'),
  q('SELECT * FROM _cf_KV', 'table_not_allowed'),
  q('SELECT * FROM _cf_METADATA', 'table_not_allowed'),
  q('SELECT * FROM d1_migrations', 'table_not_allowed'),
  q('SELECT * FROM main.sqlite_master', 'table_not_allowed'),
  q('SELECT * FROM temp.sqlite_master', 'table_not_allowed'),
  q('SELECT * FROM SQLITE_MASTER', 'table_not_allowed'),
  q('SELECT * FROM "sqlite_master"', 'table_not_allowed'),
  q('SELECT * FROM [sqlite_master]', 'parse_error'),
  q('SELECT * FROM `sqlite_master`', 'table_not_allowed'),
  q('SELECT * FROM api_tokens', 'table_not_allowed'),
  q('SELECT * FROM audit_log', 'table_not_allowed'),
  q('SELECT * FROM enrichment_cache', 'table_not_allowed'),
  q('SELECT * FROM ingest_batches', 'table_not_allowed'),
  // UNION / subqueries into forbidden tables
  q('SELECT actor FROM events UNION SELECT sql FROM sqlite_master', 'table_not_allowed'),
  q('SELECT actor FROM events UNION ALL SELECT name FROM sqlite_schema', 'table_not_allowed'),
  q("SELECT actor FROM events WHERE 1 = 0 UNION SELECT token_hash FROM api_tokens", 'table_not_allowed'),
  q('SELECT actor FROM events INTERSECT SELECT name FROM sqlite_master', 'parse_error'),
  q('SELECT actor FROM events EXCEPT SELECT tbl_name FROM sqlite_master', 'parse_error'),
  q('SELECT * FROM events WHERE actor IN (SELECT token_hash FROM api_tokens)', 'table_not_allowed'),
  q('SELECT * FROM events WHERE EXISTS (SELECT 1 FROM sqlite_master)', 'table_not_allowed'),
  q('SELECT (SELECT sql FROM sqlite_master LIMIT 1) AS leak FROM events', 'table_not_allowed'),
  q('SELECT * FROM events e JOIN api_tokens t ON t.id = e.actor', 'table_not_allowed'),
  q('WITH x AS (SELECT * FROM audit_log) SELECT * FROM x', 'table_not_allowed'),
  q('WITH events AS (SELECT * FROM alerts) SELECT * FROM events', 'table_not_allowed'),
  q('SELECT * FROM (WITH api_tokens AS (SELECT 1) SELECT 1) t, api_tokens', 'table_not_allowed'),
  q('WITH a AS (SELECT * FROM b), b AS (SELECT * FROM api_tokens) SELECT * FROM a', 'table_not_allowed'),
  // recursive CTEs
  q('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', 'recursive_cte'),
  q('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', 'recursive_cte'),
  q('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT max(x) FROM c', 'recursive_cte'),
  q('WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 5', 'recursive_cte'),
  q("WITH RECURSIVE b(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM b) SELECT length(s) FROM b", 'recursive_cte'),
  q('WITH RECURSIVE e(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM e, events) SELECT * FROM e', 'recursive_cte'),
  q('WITH x AS (SELECT * FROM events), y AS (SELECT * FROM y) SELECT * FROM y', 'recursive_cte'),
  // huge LIMITs
  q('SELECT * FROM events LIMIT 1000000', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 10001', 'limit_too_large'),
  q('SELECT * FROM events LIMIT -1', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 0, 99999999', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 9223372036854775807', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 10 OFFSET -5', 'limit_too_large'),
  q('SELECT * FROM (SELECT * FROM events LIMIT 5000000) t', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 1e9', 'limit_too_large'),
  q('SELECT * FROM events LIMIT 100.5', 'limit_too_large'),
  // dangerous or unlisted functions
  q("SELECT load_extension('/tmp/x.so')", 'function_not_allowed'),
  q("SELECT load_extension('evil', 'sqlite3_evil_init') FROM events", 'function_not_allowed'),
  q('SELECT randomblob(1000000000) FROM events', 'function_not_allowed'),
  q('SELECT hex(randomblob(2147483647))', 'function_not_allowed'),
  q('SELECT zeroblob(2000000000) FROM events', 'function_not_allowed'),
  q("SELECT length(zeroblob(1e9)) FROM events", 'function_not_allowed'),
  q("SELECT writefile('/tmp/x', raw) FROM events", 'function_not_allowed'),
  q("SELECT readfile('/etc/passwd')", 'function_not_allowed'),
  q("SELECT edit(raw, 'vi') FROM events", 'function_not_allowed'),
  q("SELECT fts3_tokenizer('simple')", 'function_not_allowed'),
  q('SELECT sqlite_version()', 'function_not_allowed'),
  q("SELECT sqlite_compileoption_used('ENABLE_LOAD_EXTENSION')", 'function_not_allowed'),
  q('SELECT sqlite_source_id()', 'function_not_allowed'),
  q('SELECT last_insert_rowid()', 'function_not_allowed'),
  q('SELECT changes(), total_changes()', 'function_not_allowed'),
  q('SELECT random() FROM events', 'function_not_allowed'),
  q("SELECT sqlite_offset(actor) FROM events", 'function_not_allowed'),
  q("SELECT likelihood(1, 0.5) FROM events", 'function_not_allowed'),
  q("SELECT printf('%.*c', 1000000000, 'x') FROM events", 'function_not_allowed'),
  q("SELECT printf('%999999999d', 1) FROM events", 'function_not_allowed'),
  q("SELECT format('%.2000000000s', actor) FROM events", 'function_not_allowed'),
  q('SELECT printf(actor, 1) FROM events', 'function_not_allowed'),
  q("SELECT replace(hex(zeroblob(100000000)), '00', 'x')", 'function_not_allowed'),
  q("SELECT upper(quote(randomblob(500000000))) FROM events", 'function_not_allowed'),
  // string, unicode and quoting tricks
  q("SELECT * FROM events WHERE actor = ''; DROP TABLE events; --'", 'multiple_statements'),
  q("SELECT * FROM events WHERE actor = 'x' OR 1=1; DELETE FROM alerts; --'", 'multiple_statements'),
  q("SELECT * FROM events WHERE actor = 'it''s'; DROP TABLE events", 'multiple_statements'),
  q('SELECT * FROM events WHERE actor = "x"; DROP TABLE events', 'multiple_statements'),
  q('SELECT * FROM \u0455qlite_master', 'parse_error'),
  q('SELECT * FROM "api\u200btokens"', 'table_not_allowed'),
  q('SELECT * FROM "sqlite_master "', 'table_not_allowed'),
  q('SELECT * FROM "api_tokens"', 'table_not_allowed'),
  q('SELECT * FROM ApI_ToKeNs', 'table_not_allowed'),
  q('SELECT * FROM events WHERE actor = :who', 'parameter_not_allowed'),
  q('SELECT * FROM events WHERE actor = ?', 'parameter_not_allowed'),
  q('SELECT * FROM events WHERE actor = ?1', 'parse_error'),
  q('SELECT * FROM events WHERE actor = $who', 'parameter_not_allowed'),
  q('SELECT * FROM events WHERE actor = @who', 'parameter_not_allowed'),
  q('SELECT token_hash FROM events', 'unknown_column'),
  q('SELECT "token_hash" FROM events', 'unknown_column'),
  q("SELECT * FROM events WHERE actor = 'x' \u037e DROP TABLE events", 'parse_error'),
  q('SELECT * FROM events WHERE actor = CHAR(39); DROP TABLE events', 'multiple_statements'),
  q('', 'empty'),
  q('   \n\t  ', 'empty'),
  q(`SELECT * FROM events WHERE actor = '${'a'.repeat(20_001)}'`, 'too_long'),
  // nesting and join blow-ups
  q(deep(4), 'too_deep'),
  q(deep(6), 'too_deep'),
  q(
    'SELECT * FROM events WHERE actor IN (SELECT actor FROM events WHERE actor IN (SELECT actor FROM events WHERE actor IN (SELECT actor FROM events WHERE actor IN (SELECT actor FROM events))))',
    'too_deep',
  ),
  q('SELECT * FROM events a, events b, events c, events d, events e, events f, events g', 'too_many_tables'),
  q(
    'SELECT count(*) FROM events a JOIN events b ON 1 = 1 JOIN events c ON 1 = 1 JOIN events d ON 1 = 1 JOIN events e ON 1 = 1 JOIN events f ON 1 = 1 JOIN events g ON 1 = 1',
    'too_many_tables',
  ),
];

/**
 * Inputs that look hostile but are only comments around one SELECT: accepted, and the SQL that runs is
 * regenerated from the syntax tree, so the commented-out statement is gone.
 */
export const neutralisedQueries: readonly string[] = [
  'SELECT * FROM events /*/ DROP TABLE events /*/',
  '/*!50000 DROP TABLE events */ SELECT count(*) FROM events',
  'SELECT count(*) FROM events -- ; DROP TABLE events',
  'SELECT count(*) FROM events /* ; DELETE FROM events; */',
];
