/**
 * `mantissa lake ddl`: prints the external-table DDL that lets Athena, BigQuery or Synapse read the normalized
 * events the Worker writes to R2 (once the bucket is replicated where that engine reads: S3, GCS, ADLS).
 */
import { parseArgs } from 'node:util';
import { externalTableDdl, lakeEngines, type LakeEngine } from '../core/lake/external-table-ddl';
import { sourceAdapters } from '../adapters/sources';
import { type CliIo, exitCodes, parseCommandLine, usageErrorOf } from './cli-io';

export const lakeUsage = `Usage: mantissa lake ddl --engine athena|bigquery|synapse --location URL [options]

Print CREATE statements for external tables over the lake's normalized events, one per source.

Options:
  --engine ENGINE      athena, bigquery or synapse
  --location URL       where the R2 bucket's objects are readable by the engine:
                         athena   s3://bucket/prefix
                         bigquery gs://bucket/prefix
                         synapse  https://account.dfs.core.windows.net/container/prefix
  --source ID          only this source (default: every source)
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
  const sources = values.source ? [values.source] : [...sourceAdapters.keys()];
  if (values.source && !sourceAdapters.has(values.source)) return usageError(`unknown source "${values.source}"; sources: ${[...sourceAdapters.keys()].join(', ')}.`);
  const statements: string[] = [];
  for (const source of sources) {
    const result = externalTableDdl({ engine, location: values.location, source, namespace: values.namespace ?? 'mantissa' });
    if (!result.ok) return usageError(result.message);
    statements.push(result.ddl);
  }
  io.stdout(statements.join('\n'));
  return exitCodes.ok;
}
