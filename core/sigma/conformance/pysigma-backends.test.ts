/**
 * pySigma vectors of the backends whose SQL we cannot run here (Athena, DuckDB, ClickHouse, Databricks) and of
 * pySigma's own text-query test backend: our engine must accept or refuse each rule as the ledger says
 * (pysigma-ledger.ts), and what it accepts must convert in all four dialects, each query parsing with that
 * dialect's parser, the D1 query selecting exactly the generated events the matcher selects, and every
 * correlation firing exactly as the brute-force oracle says.
 */
import { describe, expect, it } from 'vitest';
import { ledgerEntry } from './pysigma-ledger';
import { loadPySigmaVectors, type VectorBackend } from './pysigma-vectors';
import { runVector } from './vector-checks';

const corpus = loadPySigmaVectors();
const backends: readonly VectorBackend[] = ['athena', 'duckdb', 'clickhouse', 'databricks', 'core'];

describe.each(backends)('pySigma %s vectors through our engine', (backend) => {
  const vectors = corpus.vectors.filter((v) => v.backend === backend);

  it('are in the corpus', () => {
    expect(vectors.length).toBeGreaterThan(0);
  });

  it.each(vectors.map((v) => [v.key.slice(v.key.indexOf(':') + 1), v] as const))('%s', (_name, vector) => {
    const entry = ledgerEntry(vector);
    if (!entry) throw new Error(`${vector.key} is not in pysigma-ledger.ts`);
    expect(runVector(vector, entry).problems).toEqual([]);
  });
});
