/**
 * The pySigma test vectors of the shared corpus (`pysigma-vectors/`, format in each file's `format` key):
 * Sigma YAML → the query (or the error) a pySigma backend's own tests expect. Every test entry of every file
 * is one vector here, keyed `<file>:<test file>::<test>` (a second test of the same name in one test file
 * gets `#2`). `sql-backends.flat.jsonl` holds one line per SQL conversion; each line is tied to its vector.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireCorpusPath } from './corpus';

export type VectorBackend = 'sqlite' | 'athena' | 'duckdb' | 'clickhouse' | 'databricks' | 'core';

export const vectorFiles: Readonly<Record<VectorBackend, string>> = {
  sqlite: 'sqlite.json',
  athena: 'athena.json',
  duckdb: 'duckdb.json',
  clickhouse: 'clickhouse.json',
  databricks: 'databricks.json',
  core: 'pysigma-core-textquery.json',
};

export interface VectorConversion {
  readonly rule_yaml_index: number;
  readonly output_format?: string;
  readonly backend?: string;
  readonly kwargs?: Readonly<Record<string, unknown>>;
  readonly expected: unknown;
}

export interface VectorExpectedError {
  readonly exception: string;
  readonly match?: string;
}

interface RawTest {
  readonly test: string;
  readonly rules_yaml: readonly string[];
  readonly conversions: readonly VectorConversion[];
  readonly expected_errors?: readonly VectorExpectedError[];
  readonly other_checks?: readonly unknown[];
  readonly backend?: string;
}

interface RawFile {
  readonly vector_count: number;
  readonly files: readonly { readonly path: string; readonly tests: readonly RawTest[] }[];
}

export interface PySigmaVector {
  readonly key: string;
  readonly backend: VectorBackend;
  /** The upstream test file. */
  readonly testFile: string;
  readonly test: string;
  /** The Sigma YAML texts of the test (each may hold several documents). */
  readonly rulesYaml: readonly string[];
  readonly conversions: readonly VectorConversion[];
  readonly expectedErrors: readonly VectorExpectedError[];
  readonly otherChecks: readonly unknown[];
  /** How upstream built its backend (`sqliteBackend()`, `custom (see upstream test): …`). */
  readonly backendSetup: string;
}

export interface FlatSqlVector {
  readonly dialect: string;
  readonly file: string;
  readonly test: string;
  readonly backend: unknown;
  readonly output_format: string;
  readonly rule_yaml: string;
  readonly expected: readonly unknown[];
}

const flatDialects: Readonly<Record<string, VectorBackend>> = {
  sqlite: 'sqlite',
  'athena/trino': 'athena',
  duckdb: 'duckdb',
  clickhouse: 'clickhouse',
  'databricks/spark-sql': 'databricks',
};

export interface VectorCorpus {
  readonly vectors: readonly PySigmaVector[];
  /** The `vector_count` each file declares (its conversions with an expected output). */
  readonly declaredCounts: Readonly<Record<VectorBackend, number>>;
  readonly flat: readonly (FlatSqlVector & { readonly vectorKey: string })[];
}

export function loadPySigmaVectors(): VectorCorpus {
  const dir = requireCorpusPath('pysigma-vectors');
  const vectors: PySigmaVector[] = [];
  const declaredCounts = {} as Record<VectorBackend, number>;
  for (const [backend, name] of Object.entries(vectorFiles) as [VectorBackend, string][]) {
    const raw = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RawFile;
    declaredCounts[backend] = raw.vector_count;
    for (const file of raw.files) {
      const seen = new Map<string, number>();
      for (const t of file.tests) {
        const n = (seen.get(t.test) ?? 0) + 1;
        seen.set(t.test, n);
        vectors.push({
          key: `${backend}:${file.path}::${t.test}${n > 1 ? `#${n}` : ''}`,
          backend,
          testFile: file.path,
          test: t.test,
          rulesYaml: t.rules_yaml,
          conversions: t.conversions,
          expectedErrors: t.expected_errors ?? [],
          otherChecks: t.other_checks ?? [],
          backendSetup: t.backend ?? '',
        });
      }
    }
  }
  const flat = readFileSync(join(dir, 'sql-backends.flat.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as FlatSqlVector;
      const backend = flatDialects[row.dialect];
      const matches = vectors.filter(
        (v) => v.backend === backend && v.testFile === row.file && v.test === row.test && v.conversions.some((c) => JSON.stringify(c.expected) === JSON.stringify(row.expected)),
      );
      if (matches.length === 0) throw new Error(`flat SQL vector ${row.dialect} ${row.file}::${row.test} has no vector in ${backend}`);
      // Same-named tests in one file: the first whose conversions hold this expected output.
      return { ...row, vectorKey: matches[0]!.key };
    });
  return { vectors, declaredCounts, flat };
}

/** The expected SQL strings of a conversion (the Zircolite format is JSON text wrapping them in a `rule` list). */
export function expectedQueries(conversion: VectorConversion): string[] {
  let expected = conversion.expected;
  if (conversion.output_format === 'zircolite' && typeof expected === 'string') expected = JSON.parse(expected) as unknown;
  const list = Array.isArray(expected) ? expected : [expected];
  return list.flatMap((q) => (typeof q === 'string' ? [q] : typeof q === 'object' && q !== null && Array.isArray((q as { rule?: unknown }).rule) ? ((q as { rule: string[] }).rule) : []));
}
