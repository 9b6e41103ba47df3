import { describe, expect, it } from 'vitest';
import { eventColumns } from '../schema/event';
import { externalTableDdl, lakeColumns, lakeColumnTypes, type LakeEngine } from './external-table-ddl';
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
    expect(sql).toContain("CAST(JSON_VALUE(doc, '$.raw') AS NVARCHAR(MAX)) AS [raw]");
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
