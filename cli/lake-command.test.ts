import { describe, expect, it } from 'vitest';
import { sourceAdapters } from '../adapters/sources';
import type { CliIo } from './cli-io';
import { runLakeCommand } from './lake-command';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, fetch, now: () => Date.parse('2026-11-27T00:00:00Z') };
}

const creates = (text: string) => [...text.matchAll(/CREATE (?:EXTERNAL TABLE IF NOT EXISTS|VIEW) (\S+)/g)].map((m) => m[1]);

describe('mantissa lake ddl', () => {
  it('prints the events table over every source, then one table per source, by default', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--engine', 'athena', '--location', 's3://acme-lake/mantissa'], io)).toBe(0);
    const out = io.out.join('');
    expect(creates(out)).toEqual(['`mantissa`.`events`', ...[...sourceAdapters.keys()].map((s) => `\`mantissa\`.\`mantissa_${s}\``)]);
    // Every source this build ingests is enumerated for Athena's partition projection.
    expect(out).toContain(`'projection.source.values' = '${[...sourceAdapters.keys()].sort().join(',')}'`);
  });

  it('prints only the events table with --source all', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--engine', 'bigquery', '--location', 'gs://acme-lake/mantissa', '--source', 'all', '--namespace', 'security'], io)).toBe(0);
    const out = io.out.join('');
    expect(creates(out)).toEqual(['`security.events`']);
    expect(out).toContain("uris = ['gs://acme-lake/mantissa/events/*']");
  });

  it('prints only one source\'s table with --source ID', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--engine', 'synapse', '--location', 'https://acmelake.dfs.core.windows.net/lake/mantissa', '--source', 'okta'], io)).toBe(0);
    expect(creates(io.out.join(''))).toEqual(['[mantissa].[mantissa_okta]']);
  });

  it('explains both kinds of table in its help', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--help'], io)).toBe(0);
    const help = io.out.join('') + io.err.join('');
    expect(help).toMatch(/--source all\s+only the events table over every source/);
    expect(help).toContain('mantissa_<source>');
  });

  it('names the choices when the source is unknown', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--engine', 'athena', '--location', 's3://acme/x', '--source', 'nosuch'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/unknown source "nosuch"; write --source all or one of: okta, /);
  });
});
