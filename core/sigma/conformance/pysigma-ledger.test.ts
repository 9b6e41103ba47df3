/**
 * The accounting of the pySigma vectors: every vector of the corpus has exactly one ledger entry, every entry
 * a vector, every SQL line of sql-backends.flat.jsonl belongs to an accounted vector, and every entry other
 * than `agree` says why. Prints the counts per backend and outcome.
 */
import { describe, expect, it } from 'vitest';
import { ledgerEntry, ledgerKeys, type LedgerOutcome } from './pysigma-ledger';
import { loadPySigmaVectors, vectorFiles, type VectorBackend } from './pysigma-vectors';

const corpus = loadPySigmaVectors();

describe('the pySigma vector ledger', () => {
  it('reads every file of the corpus (declared vector counts and the flat SQL lines)', () => {
    expect(corpus.declaredCounts).toEqual({ sqlite: 39, athena: 57, duckdb: 9, clickhouse: 62, databricks: 22, core: 157 });
    expect(corpus.flat.length).toBe(188);
    // Each file's declared count is its conversions with an expected output.
    for (const backend of Object.keys(vectorFiles) as VectorBackend[]) {
      const conversions = corpus.vectors.filter((v) => v.backend === backend).reduce((n, v) => n + v.conversions.length, 0);
      expect([backend, conversions]).toEqual([backend, corpus.declaredCounts[backend]]);
    }
  });

  it('accounts for every vector, and only for vectors', () => {
    const keys = corpus.vectors.map((v) => v.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(ledgerKeys().sort()).toEqual([...keys].sort());
  });

  it('accounts for every line of sql-backends.flat.jsonl', () => {
    const accounted = new Set(corpus.vectors.filter((v) => ledgerEntry(v)).map((v) => v.key));
    expect(corpus.flat.filter((line) => !accounted.has(line.vectorKey)).map((l) => `${l.dialect} ${l.test}`)).toEqual([]);
  });

  it('gives a reason for every outcome other than agree', () => {
    const missing = corpus.vectors.filter((v) => {
      const entry = ledgerEntry(v);
      return entry && entry.outcome !== 'agree' && !entry.reason;
    });
    expect(missing.map((v) => v.key)).toEqual([]);
  });

  it('counts outcomes per backend', () => {
    const table: Record<string, Record<LedgerOutcome, number>> = {};
    for (const v of corpus.vectors) {
      const row = (table[v.backend] ??= { agree: 0, explained: 0, fails: 0 });
      row[ledgerEntry(v)!.outcome]++;
    }
    console.log(
      ['| backend | vectors | agree | explained | fails |', '|---|---|---|---|---|']
        .concat(Object.entries(table).map(([b, r]) => `| ${b} | ${r.agree + r.explained + r.fails} | ${r.agree} | ${r.explained} | ${r.fails} |`))
        .join('\n'),
    );
    const total = Object.values(table).reduce((n, r) => n + r.agree + r.explained + r.fails, 0);
    expect(total).toBe(corpus.vectors.length);
  });
});
