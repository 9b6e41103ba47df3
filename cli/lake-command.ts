/**
 * `mantissa lake ddl`: prints the external-table DDL that lets Athena, BigQuery or Synapse read the normalized
 * events the Worker writes to R2 (once the bucket is replicated where that engine reads: S3, GCS, ADLS).
 * Two kinds of table: `events` over every source (D1's columns plus the date/hour partitions), which questions
 * and analyst SQL read (core/sql/lake-sql-support), and `mantissa_<source>` per source, which Sigma rules
 * converted for a lake engine read (core/sigma/sql/sources). Without --source it prints both kinds.
 * The source ids come from adapters/sources: core does not know which sources this build ingests.
 */
import { parseArgs } from 'node:util';
import { eventsTableDdl, externalTableDdl, lakeEngines, type LakeEngine } from '../core/lake/external-table-ddl';
import { sourceAdapters } from '../adapters/sources';
import { type CliIo, exitCodes, parseCommandLine, usageErrorOf } from './cli-io';

export const lakeUsage = `Usage: mantissa lake ddl --engine athena|bigquery|synapse --location URL [options]

Print CREATE statements for the external tables over the lake's normalized events:

  events             every source in one table: the columns of the embedded database's events table plus the
                     partition columns date (YYYY-MM-DD) and hour (00-23). Questions and SQL from the query
                     page read it, so the same SQL runs on D1 and on the lake.
  mantissa_<source>  one table per source, read by Sigma rules converted for the lake engine.

Without --source, both kinds are printed. Athena's events table lists the source ids in its partition
projection: print it again and re-create the table when this build gains a source.

Options:
  --engine ENGINE      athena, bigquery or synapse
  --location URL       where the R2 bucket's objects are readable by the engine:
                         athena   s3://bucket/prefix
                         bigquery gs://bucket/prefix
                         synapse  https://account.dfs.core.windows.net/container/prefix
  --source all         only the events table over every source
  --source ID          only the table mantissa_<ID> of that source
  --namespace NAME     Athena database / BigQuery dataset / Synapse schema (default: mantissa)
  -h, --help           show this help
`;

export async function runLakeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('lake', lakeUsage, io, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        engine: { type: 'string' },
        location: { type: 'string' },
        source: { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const usageError = usageErrorOf('lake', lakeUsage, io);
  if (positionals.join(' ') !== 'ddl') return usageError('expected "lake ddl".');
  const engine = values.engine as LakeEngine | undefined;
  if (!engine || !lakeEngines.includes(engine)) return usageError(`--engine must be one of ${lakeEngines.join(', ')}.`);
  if (!values.location) return usageError('--location is required.');
  const known = [...sourceAdapters.keys()];
  const namespace = values.namespace ?? 'mantissa';
  const choice = values.source;
  if (choice !== undefined && choice !== 'all' && !sourceAdapters.has(choice)) {
    return usageError(`unknown source "${choice}"; write --source all or one of: ${known.join(', ')}.`);
  }
  const results = [];
  if (choice === undefined || choice === 'all') results.push(eventsTableDdl({ engine, location: values.location, namespace, sources: known }));
  for (const source of choice === undefined ? known : choice === 'all' ? [] : [choice]) {
    results.push(externalTableDdl({ engine, location: values.location, source, namespace }));
  }
  const statements: string[] = [];
  for (const result of results) {
    if (!result.ok) return usageError(result.message);
    statements.push(result.ddl);
  }
  io.stdout(statements.join('\n'));
  return exitCodes.ok;
}
