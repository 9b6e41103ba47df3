/**
 * Golden-fixture helper for parser tests (Node only): runs a parser over a fixture NDJSON file and compares
 * the result with the reviewed `.golden.json` beside it. `UPDATE_GOLDEN=1` rewrites the golden file; review
 * the diff before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ParseResult, RecordParser, SourceId } from '../../core/schema/event';

export const goldenIngestTime = '2026-01-01T00:00:00.000Z';

export interface GoldenComparison {
  actual: unknown[];
  expected: unknown[];
  rawMismatches: number[];
}

export function runGoldenFixture(fixturePath: string, source: SourceId, parse: RecordParser): GoldenComparison {
  const lines = readFileSync(fixturePath, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const rawMismatches: number[] = [];
  const actual = lines.map((line, i) => {
    const record = JSON.parse(line) as unknown;
    const result: ParseResult = parse(record, { source, ingestTime: goldenIngestTime });
    if (!result.ok) return { line: i + 1, error: result.reason, message: result.message };
    const { raw, ...rest } = result.event;
    if (raw !== JSON.stringify(record)) rawMismatches.push(i + 1);
    return { line: i + 1, ...rest };
  });
  const goldenPath = fixturePath.replace(/\.ndjson$/, '.golden.json');
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
  }
  const expected = JSON.parse(readFileSync(goldenPath, 'utf8')) as unknown[];
  return { actual, expected, rawMismatches };
}
