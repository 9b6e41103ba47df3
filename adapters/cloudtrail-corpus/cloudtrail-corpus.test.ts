/**
 * Corpus conformance of the CloudTrail parser (adapters/cloudtrail, owned by the lead; this file only reads it):
 * every line of every NDJSON sample in ../shared/corpus/logs/aws-cloudtrail/ (keys starting with `p_`, Panther's
 * test metadata, dropped) goes through the real ingest path (parseBatch) and must be accepted.
 *
 * Skipped, by name below: lines that are `{}` once Panther's `p_` keys are dropped (Panther tests of enrichment
 * rules that carry no CloudTrail field at all); they are blanked so that line numbers still match the file.
 * Not read: `*.labels.ndjson` (derived label indexes, not events), the OTRF `*.metadata.yaml` files, and
 * `otrf.AWS_S3_HoneyBucketLogs.csv`, which is not CloudTrail's record format but a honey-bucket alert export
 * summarising CloudTrail S3 data events (columns "Event Type, Event Name, Request ID, User ID, ...", nested
 * values as Python dict reprs), so no CloudTrail delivery would send it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { cloudTrailSource } from '../cloudtrail/index';

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/aws-cloudtrail/', import.meta.url));
const batchContext = { source: 'cloudtrail', batchId: 'corpus', ingestTime: '2026-01-01T00:00:00.000Z' };

/** Lines with nothing but Panther metadata: `{}` without `p_` keys, so no parser could accept them. */
const metadataOnlyLines: Record<string, number[]> = {
  'panther-analysis.AWS.CloudTrail.ndjson': [446, 449],
};

/** The file with `p_` keys dropped and metadata-only lines blanked; also the 1-based numbers it blanked. */
function corpusBody(file: string): { body: string; blanked: number[] } {
  const blanked: number[] = [];
  const lines = readFileSync(`${corpusDir}${file}`, 'utf8')
    .split('\n')
    .map((line, i) => {
      if (line.trim() === '') return line;
      const value = JSON.parse(line) as Record<string, unknown>;
      const vendor = Object.entries(value).filter(([key]) => !key.startsWith('p_'));
      if (vendor.length === 0) {
        blanked.push(i + 1);
        return '';
      }
      return JSON.stringify(Object.fromEntries(vendor));
    });
  return { body: lines.join('\n'), blanked };
}

describe('CloudTrail corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')).sort()
    : [];

  it.each(files)('accepts every line of %s', async (file) => {
    const { body, blanked } = corpusBody(file);
    expect(blanked, `${file}: lines with only Panther metadata`).toEqual(metadataOnlyLines[file] ?? []);
    const result = await parseBatch(body, cloudTrailSource, batchContext);
    if (!result.ok) throw new Error(`${file}: ${result.message}`);
    expect(result.deadLetters.map((d) => d.message), `${file}: rejected lines`).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').filter((l) => l.trim() !== '').length);
  });
});
