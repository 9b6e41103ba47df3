/**
 * External-table DDL for the lake's normalized objects (`events/source=<id>/date=YYYY-MM-DD/hour=HH/*.ndjson.gz`,
 * core/lake/keys), so a customer's engine reads the same objects the Worker writes: Athena (JSON SerDe with
 * partition projection), BigQuery (external table with Hive partitioning) and Synapse serverless (a view over
 * OPENROWSET). The location is where the customer replicates the R2 bucket (S3, GCS, ADLS).
 *
 * Two shapes:
 * - `events` (eventsTableDdl): one table over every source, with the columns of D1's `events` plus the partition
 *   columns `date` and `hour`, so the same questions and the same SQL run on D1 and on the lake. `source` is a
 *   partition column there, filled from the object path: the Worker writes each row under the source it came
 *   from, so the path's value is the row's own. (Athena and BigQuery refuse a partition column that repeats a
 *   data column, so the JSON field is not declared again.) The NLQ rewrites (core/sql/lake-query-scope) add a
 *   `date` predicate to every bounded read, which is what lets each engine skip the other days' objects.
 * - `mantissa_<source>` (externalTableDdl): one table per source over `events/source=<id>/`, as before.
 */
import { eventColumns } from '../schema/event';

export const lakeEngines = ['athena', 'bigquery', 'synapse'] as const;
export type LakeEngine = (typeof lakeEngines)[number];

type ColumnType = 'string' | 'integer' | 'double' | 'boolean';

/** Type of every column of the normalized objects (events table columns plus the storage key and batch). */
export const lakeColumnTypes: Readonly<Record<string, ColumnType>> = {
  event_uid: 'string',
  event_id: 'string',
  source: 'string',
  event_time: 'string',
  event_time_inferred: 'boolean',
  ingest_time: 'string',
  class_uid: 'integer',
  class_name: 'string',
  action: 'string',
  identity_action: 'string',
  outcome: 'string',
  outcome_reason: 'string',
  severity: 'string',
  actor: 'string',
  actor_id: 'string',
  actor_name: 'string',
  actor_type: 'string',
  src_ip: 'string',
  src_country: 'string',
  src_region: 'string',
  src_city: 'string',
  src_lat: 'double',
  src_lon: 'double',
  src_asn: 'integer',
  src_asn_org: 'string',
  user_agent: 'string',
  service: 'string',
  target: 'string',
  target_type: 'string',
  session_id: 'string',
  mfa_factor: 'string',
  message: 'string',
  raw: 'string',
  batch_id: 'string',
};

export const lakeColumns = ['event_uid', ...eventColumns, 'batch_id'];

const engineTypes: Record<LakeEngine, Record<ColumnType, string>> = {
  athena: { string: 'string', integer: 'bigint', double: 'double', boolean: 'boolean' },
  bigquery: { string: 'STRING', integer: 'INT64', double: 'FLOAT64', boolean: 'BOOL' },
  synapse: { string: 'NVARCHAR(4000)', integer: 'BIGINT', double: 'FLOAT', boolean: 'BIT' },
};

export interface DdlOptions {
  readonly engine: LakeEngine;
  /** Where the bucket's objects are readable by the engine: s3://…, gs://…, https://<account>.dfs.core.windows.net/<container>/… */
  readonly location: string;
  readonly source: string;
  /** Athena database / BigQuery dataset / Synapse schema. */
  readonly namespace: string;
}

const locationPrefix: Record<LakeEngine, RegExp> = {
  athena: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w.=/-]*)?$/,
  bigquery: /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/[\w.=/-]*)?$/,
  synapse: /^https:\/\/[a-z0-9]{3,24}\.(dfs|blob)\.core\.windows\.net\/[a-z0-9][a-z0-9-]{1,62}(\/[\w.=/-]*)?$/,
};

export type DdlResult = { ok: true; ddl: string } | { ok: false; message: string };

const sourceIdPattern = /^[a-z][a-z0-9_]{0,39}$/;

/** The location without trailing slashes, or why it cannot be used by this engine. */
function checkTarget(engine: LakeEngine, rawLocation: string, namespace: string): { ok: true; location: string } | { ok: false; message: string } {
  const location = rawLocation.replace(/\/+$/, '');
  if (!locationPrefix[engine].test(location)) {
    const example = { athena: 's3://my-bucket/mantissa', bigquery: 'gs://my-bucket/mantissa', synapse: 'https://myaccount.dfs.core.windows.net/lake/mantissa' }[engine];
    return { ok: false, message: `--location for ${engine} must look like ${example} (got "${rawLocation}")` };
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(namespace)) return { ok: false, message: `"${namespace}" is not a valid database/dataset/schema name` };
  return { ok: true, location };
}

const athenaDateHourProjection = `  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2',`;

const synapseRowFormat = `  FORMAT = 'CSV', FIELDQUOTE = '0x0b', FIELDTERMINATOR = '0x0b', ROWTERMINATOR = '0x0a'`;

/**
 * Text columns that can pass 4,000 characters (a CloudTrail record, a long user agent or message). They are read
 * with OPENJSON … WITH (… NVARCHAR(MAX)): JSON_VALUE returns at most NVARCHAR(4000) and gives NULL for anything
 * longer, which would silently drop the field from every query on long records.
 */
const synapseLongText = new Set(['raw', 'message', 'user_agent', 'outcome_reason', 'target']);

/** The OPENJSON … WITH clause that reads the line's JSON document into typed columns. */
function synapseJsonColumns(columns: readonly string[]): string {
  const defs = columns.map((c) => `  [${c}] ${synapseLongText.has(c) ? 'NVARCHAR(MAX)' : engineTypes.synapse[lakeColumnTypes[c]!]} '$.${c}'`);
  return `CROSS APPLY OPENJSON(r.doc) WITH (\n${defs.join(',\n')}\n) AS j`;
}

export interface EventsTableOptions {
  readonly engine: LakeEngine;
  /** Where the bucket's objects are readable by the engine (see DdlOptions). */
  readonly location: string;
  /** Athena database / BigQuery dataset / Synapse schema. */
  readonly namespace: string;
  /**
   * Every source id the lake may hold. Athena's partition projection enumerates them (`enum`, not `injected`,
   * which would refuse any query without `source = '…'`); a source added later needs the DDL run again.
   */
  readonly sources: readonly string[];
}

/** DDL for `events`: one table over every source's objects (see the module header). */
export function eventsTableDdl(options: EventsTableOptions): DdlResult {
  const { engine, namespace } = options;
  const target = checkTarget(engine, options.location, namespace);
  if (!target.ok) return target;
  if (options.sources.length === 0) return { ok: false, message: 'the events table needs at least one source id' };
  const bad = options.sources.find((s) => !sourceIdPattern.test(s));
  if (bad !== undefined) return { ok: false, message: `"${bad}" is not a source id` };
  const sources = [...new Set(options.sources)].sort();
  const prefix = `${target.location}/events`;
  const types = engineTypes[engine];
  // Athena and BigQuery list partition columns apart, after the data columns.
  const dataColumns = lakeColumns.filter((c) => c !== 'source');
  switch (engine) {
    case 'athena': {
      const columns = dataColumns.map((c) => `  \`${c}\` ${types[lakeColumnTypes[c]!]}`).join(',\n');
      return {
        ok: true,
        ddl: `-- Athena: events of every source written by Mantissa Log (times are ISO-8601 text: from_iso8601_timestamp(event_time))
CREATE EXTERNAL TABLE IF NOT EXISTS \`${namespace}\`.\`events\` (
${columns}
)
PARTITIONED BY (\`source\` string, \`date\` string, \`hour\` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '${prefix}/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.source.type' = 'enum',
  'projection.source.values' = '${sources.join(',')}',
${athenaDateHourProjection}
  'storage.location.template' = '${prefix}/source=\${source}/date=\${date}/hour=\${hour}/'
);
`,
      };
    }
    case 'bigquery': {
      const columns = dataColumns.map((c) => `  \`${c}\` ${types[lakeColumnTypes[c]!]}`).join(',\n');
      return {
        ok: true,
        ddl: `-- BigQuery: events of every source written by Mantissa Log (times are ISO-8601 text: TIMESTAMP(event_time))
CREATE EXTERNAL TABLE IF NOT EXISTS \`${namespace}.events\` (
${columns}
)
WITH PARTITION COLUMNS (\`source\` STRING, \`date\` DATE, \`hour\` INT64)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  compression = 'GZIP',
  uris = ['${prefix}/*'],
  hive_partition_uri_prefix = '${prefix}/',
  require_hive_partition_filter = false,
  ignore_unknown_values = true
);
`,
      };
    }
    case 'synapse': {
      // source, date and hour come from the path (filepath), which is what lets a filter on them skip folders.
      const jsonColumns = lakeColumns.filter((c) => c !== 'source');
      const columns = lakeColumns.map((c) => (c === 'source' ? '  r.filepath(1) AS [source]' : `  j.[${c}]`)).join(',\n');
      return {
        ok: true,
        ddl: `-- Synapse serverless SQL: events of every source written by Mantissa Log, read with OPENROWSET (one JSON document per line)
CREATE VIEW [${namespace}].[events] AS
SELECT
${columns},
  r.filepath(2) AS [date],
  r.filepath(3) AS [hour]
FROM OPENROWSET(
  BULK '${prefix}/source=*/date=*/hour=*/*.ndjson.gz',
${synapseRowFormat}
) WITH (doc NVARCHAR(MAX)) AS r
${synapseJsonColumns(jsonColumns)};
`,
      };
    }
  }
}

/** DDL for `mantissa_<source>`: one source's objects. */
export function externalTableDdl(options: DdlOptions): DdlResult {
  const { engine, source, namespace } = options;
  const target = checkTarget(engine, options.location, namespace);
  if (!target.ok) return target;
  const location = target.location;
  if (!sourceIdPattern.test(source)) return { ok: false, message: `"${source}" is not a source id` };
  const table = `mantissa_${source}`;
  const prefix = `${location}/events/source=${source}`;
  const types = engineTypes[engine];
  switch (engine) {
    case 'athena': {
      const columns = lakeColumns.map((c) => `  \`${c}\` ${types[lakeColumnTypes[c]!]}`).join(',\n');
      return {
        ok: true,
        ddl: `-- Athena: ${source} events written by Mantissa Log (times are ISO-8601 text: from_iso8601_timestamp(event_time))
CREATE EXTERNAL TABLE IF NOT EXISTS \`${namespace}\`.\`${table}\` (
${columns}
)
PARTITIONED BY (\`date\` string, \`hour\` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '${prefix}/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
${athenaDateHourProjection}
  'storage.location.template' = '${prefix}/date=\${date}/hour=\${hour}/'
);
`,
      };
    }
    case 'bigquery': {
      const columns = lakeColumns.map((c) => `  \`${c}\` ${types[lakeColumnTypes[c]!]}`).join(',\n');
      return {
        ok: true,
        ddl: `-- BigQuery: ${source} events written by Mantissa Log (times are ISO-8601 text: TIMESTAMP(event_time))
CREATE EXTERNAL TABLE IF NOT EXISTS \`${namespace}.${table}\` (
${columns}
)
WITH PARTITION COLUMNS (\`date\` DATE, \`hour\` INT64)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  compression = 'GZIP',
  uris = ['${prefix}/*'],
  hive_partition_uri_prefix = '${prefix}/',
  require_hive_partition_filter = false,
  ignore_unknown_values = true
);
`,
      };
    }
    case 'synapse': {
      const columns = lakeColumns.map((c) => `  j.[${c}]`).join(',\n');
      return {
        ok: true,
        ddl: `-- Synapse serverless SQL: ${source} events written by Mantissa Log, read with OPENROWSET (one JSON document per line)
CREATE VIEW [${namespace}].[${table}] AS
SELECT
${columns},
  r.filepath(1) AS [date],
  r.filepath(2) AS [hour]
FROM OPENROWSET(
  BULK '${prefix}/date=*/hour=*/*.ndjson.gz',
${synapseRowFormat}
) WITH (doc NVARCHAR(MAX)) AS r
${synapseJsonColumns(lakeColumns)};
`,
      };
    }
  }
}
