import { describe, expect, it } from 'vitest';
import { eventColumns } from '../schema/event';
import { queryableCatalog } from '../sql/query-policy';
import { eventsTableDdl, externalTableDdl, lakeColumns, lakeColumnTypes, type LakeEngine } from './external-table-ddl';
import { normalizedBatchKey } from './keys';

const ddl = (engine: LakeEngine, location: string) => {
  const result = externalTableDdl({ engine, location, source: 'okta', namespace: 'security' });
  if (!result.ok) throw new Error(result.message);
  return result.ddl;
};

describe('external-table DDL', () => {
  it('types every column the lake writes', () => {
    expect(Object.keys(lakeColumnTypes).sort()).toEqual(['event_uid', ...eventColumns, 'batch_id'].sort());
  });

  it('gives Athena every column and partition projection over the Hive layout the Worker writes', () => {
    const sql = ddl('athena', 's3://acme-lake/mantissa/');
    for (const c of lakeColumns) expect(sql).toContain(`\`${c}\``);
    expect(sql).toContain("LOCATION 's3://acme-lake/mantissa/events/source=okta/'");
    expect(sql).toContain("'storage.location.template' = 's3://acme-lake/mantissa/events/source=okta/date=${date}/hour=${hour}/'");
    // The template must match the keys the Worker writes.
    const key = normalizedBatchKey('okta', '2026-11-27T06:00:00.000Z', 'b1');
    expect(`s3://acme-lake/mantissa/${key}`).toMatch(/events\/source=okta\/date=2026-11-27\/hour=06\//);
  });

  it('gives BigQuery a Hive-partitioned external table', () => {
    const sql = ddl('bigquery', 'gs://acme-lake/mantissa');
    expect(sql).toContain("uris = ['gs://acme-lake/mantissa/events/source=okta/*']");
    expect(sql).toContain('`src_asn` INT64');
    expect(sql).toContain('`event_time_inferred` BOOL');
  });

  it('gives Synapse serverless a view over OPENROWSET with the partitions as columns', () => {
    const sql = ddl('synapse', 'https://acmelake.dfs.core.windows.net/lake/mantissa');
    expect(sql).toContain("BULK 'https://acmelake.dfs.core.windows.net/lake/mantissa/events/source=okta/date=*/hour=*/*.ndjson.gz'");
    // OPENJSON … WITH, not JSON_VALUE: JSON_VALUE gives NULL for text over 4,000 characters (long CloudTrail records).
    expect(sql).toContain("CROSS APPLY OPENJSON(r.doc) WITH (");
    expect(sql).toContain("[raw] NVARCHAR(MAX) '$.raw'");
    expect(sql).not.toContain('JSON_VALUE');
  });

  it.each([
    ['athena', 'gs://wrong-cloud/x'],
    ['athena', "s3://bucket/x'; DROP TABLE y; --"],
    ['bigquery', 's3://bucket'],
    ['synapse', 'http://acct.dfs.core.windows.net/lake'],
  ] as const)('refuses the %s location %s', (engine, location) => {
    const result = externalTableDdl({ engine, location, source: 'okta', namespace: 'security' });
    expect(result.ok ? '' : result.message).toMatch(/--location for/);
  });
});

describe('the events table over every source', () => {
  const sources = ['okta', 'cloudtrail', 'entra_id'];
  const eventsDdl = (engine: LakeEngine, location: string) => {
    const result = eventsTableDdl({ engine, location, namespace: 'security', sources });
    if (!result.ok) throw new Error(result.message);
    return result.ddl;
  };
  /** D1's events columns plus the partition columns the object layout defines. */
  const expectedColumns = [...queryableCatalog.events!, 'date', 'hour'].sort();
  /** Every backquoted name in the column list and the partition list of a CREATE EXTERNAL TABLE. */
  const declaredColumns = (sql: string) => [...sql.matchAll(/^\s*`(\w+)` \w+,?$|`(\w+)` (?:string|STRING|DATE|INT64)[,)]/gm)].map((m) => m[1] ?? m[2]!);

  it('gives Athena the columns of D1\'s events plus date and hour, source enumerated for partition projection', () => {
    const sql = eventsDdl('athena', 's3://acme-lake/mantissa/');
    expect(sql).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `security`.`events` (');
    expect(declaredColumns(sql).sort()).toEqual(expectedColumns);
    expect(sql).toContain('PARTITIONED BY (`source` string, `date` string, `hour` string)');
    // source is a partition column: declaring it again as a data column is refused by Athena
    expect(sql.split('PARTITIONED BY')[0]).not.toContain('`source`');
    expect(sql).toContain("'projection.source.type' = 'enum'");
    expect(sql).toContain("'projection.source.values' = 'cloudtrail,entra_id,okta'");
    expect(sql).toContain("LOCATION 's3://acme-lake/mantissa/events/'");
    expect(sql).toContain("'storage.location.template' = 's3://acme-lake/mantissa/events/source=${source}/date=${date}/hour=${hour}/'");
    // The template, filled in, is the prefix of the keys the Worker writes.
    const key = normalizedBatchKey('entra_id', '2026-11-27T06:00:00.000Z', 'b1');
    const filled = 's3://acme-lake/mantissa/events/source=${source}/date=${date}/hour=${hour}/'
      .replace('${source}', 'entra_id')
      .replace('${date}', '2026-11-27')
      .replace('${hour}', '06');
    expect(`s3://acme-lake/mantissa/${key}`.startsWith(filled)).toBe(true);
  });

  it('gives BigQuery a Hive-partitioned table over events/ with source, date and hour as partition columns', () => {
    const sql = eventsDdl('bigquery', 'gs://acme-lake/mantissa');
    expect(sql).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `security.events` (');
    expect(declaredColumns(sql).sort()).toEqual(expectedColumns);
    expect(sql).toContain('WITH PARTITION COLUMNS (`source` STRING, `date` DATE, `hour` INT64)');
    expect(sql.split('WITH PARTITION COLUMNS')[0]).not.toContain('`source`');
    expect(sql).toContain("uris = ['gs://acme-lake/mantissa/events/*']");
    expect(sql).toContain("hive_partition_uri_prefix = 'gs://acme-lake/mantissa/events/'");
  });

  it('gives Synapse a view whose source, date and hour come from the path', () => {
    const sql = eventsDdl('synapse', 'https://acmelake.dfs.core.windows.net/lake/mantissa');
    expect(sql).toContain('CREATE VIEW [security].[events] AS');
    const columns = [...sql.matchAll(/^ {2}(?:j\.\[(\w+)\]|r\.filepath\(\d\) AS \[(\w+)\]),?$/gm)].map((m) => m[1] ?? m[2]!);
    expect(columns.sort()).toEqual(expectedColumns);
    expect(sql).toContain("[raw] NVARCHAR(MAX) '$.raw'");
    expect(sql).toContain("BULK 'https://acmelake.dfs.core.windows.net/lake/mantissa/events/source=*/date=*/hour=*/*.ndjson.gz'");
    expect(sql).toContain('r.filepath(1) AS [source]');
    expect(sql).toContain('r.filepath(2) AS [date]');
    expect(sql).toContain('r.filepath(3) AS [hour]');
    expect(sql).not.toContain("'$.source'");
  });

  it.each([
    [{ engine: 'athena', location: 's3://acme/x', namespace: 'security', sources: [] }, /at least one source/],
    [{ engine: 'athena', location: 's3://acme/x', namespace: 'security', sources: ['okta', "x','y"] }, /not a source id/],
    [{ engine: 'bigquery', location: 's3://acme/x', namespace: 'security', sources: ['okta'] }, /--location for bigquery/],
    [{ engine: 'synapse', location: 'https://acmelake.dfs.core.windows.net/lake', namespace: 'a;b', sources: ['okta'] }, /not a valid database/],
  ] as const)('refuses %j', (options, message) => {
    const result = eventsTableDdl(options);
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});
