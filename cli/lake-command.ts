/**
 * `mantissa lake ddl`: prints the external-table DDL that lets Athena, BigQuery or Synapse read the normalized
 * events the Worker writes to R2 (once the bucket is replicated where that engine reads: S3, GCS, ADLS).
 */
import { parseArgs } from 'node:util';
import { externalTableDdl, lakeEngines, type LakeEngine } from '../core/lake/external-table-ddl';
import { sourceAdapters } from '../adapters/sources';
import { exitCodes, type CliIo } from './cli-io';

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
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        engine: { type: 'string' },
        location: { type: 'string' },
        source: { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr(`mantissa lake: ${err instanceof Error ? err.message : String(err)}\n${lakeUsage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(lakeUsage);
    return exitCodes.ok;
  }
  const usageError = (message: string) => {
    io.stderr(`mantissa lake: ${message}\n${lakeUsage}`);
    return exitCodes.usage;
  };
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
