/**
 * Golden-fixture helper for parser tests (Node only): reads a fixture file through the real body splitter
 * (so NDJSON, CSV and text-line fixtures are read exactly as the ingest route reads them), runs the source's
 * parser on every record, and compares the result with the reviewed `<fixture>.golden.json` beside it.
 * `UPDATE_GOLDEN=1` (or a missing golden file) writes it; review the diff before committing it.
 *
 * `raw` appears in the golden output only when the parser sets it (text formats); JSON parsers leave it to
 * the pipeline, which stores the record as received.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { splitRecords } from '../../core/ingest/split-records';

export const goldenIngestTime = '2026-01-01T00:00:00.000Z';

export interface GoldenComparison {
  actual: unknown[];
  expected: unknown[];
}

export function runGoldenFixture(fixturePath: string, adapter: SourceAdapter): GoldenComparison {
  const split = splitRecords(readFileSync(fixturePath, 'utf8'), { text: adapter.text, textHeader: adapter.textHeader, expand: adapter.expand });
  if (!split.ok) throw new Error(`${fixturePath}: ${split.message}`);
  const actual = split.records.map((record) => {
    if (!record.ok) return { line: record.line, error: 'split', message: record.message };
    const result = adapter.parse(record.value, { source: adapter.id, ingestTime: goldenIngestTime });
    if (!result.ok) return { line: record.line, error: result.reason, message: result.message };
    return { line: record.line, ...result.event };
  });
  const goldenPath = fixturePath.replace(/\.(ndjson|json|csv|log|txt)$/, '.golden.json');
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
  }
  const expected = JSON.parse(readFileSync(goldenPath, 'utf8')) as unknown[];
  return { actual, expected };
}
