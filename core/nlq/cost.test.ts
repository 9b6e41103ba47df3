import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../ingest/parse-batch';
import { estimateQueryCost as estimate, needsConfirmation, partitionHour, partitionStatsOf, priceDryRun, sumPartitions, type CostScope, type PartitionStat } from './cost';
import type { QueryDialect } from './dialect';

const gib = 2 ** 30;
const stats: PartitionStat[] = [
  { source: 'okta', hour: '2026-11-27T10:00:00.000Z', rows: 1000, bytes: 100 * gib },
  { source: 'okta', hour: '2026-11-27T11:00:00.000Z', rows: 2000, bytes: 200 * gib },
  { source: 'cloudtrail', hour: '2026-11-27T11:00:00.000Z', rows: 5000, bytes: 700 * gib },
  { source: 'okta', hour: '2026-11-20T11:00:00.000Z', rows: 9, bytes: 9 },
];
const all = { tables: ['events'], sources: null, range: null };
const estimateQueryCost = (dialect: QueryDialect, scope: CostScope, partitions: readonly PartitionStat[]) =>
  estimate(dialect, scope, sumPartitions(partitions, scope));

describe('estimateQueryCost', () => {
  it('sums the partitions of the sources and hours in scope', () => {
    const e = estimateQueryCost('d1', { tables: ['events'], sources: ['okta'], range: { from: '2026-11-27T10:30:00.000Z', to: '2026-11-27T12:00:00.000Z' } }, stats);
    expect(e).toMatchObject({ rows: 3000, bytes: 300 * gib, partitions: 2 });
    expect(estimateQueryCost('d1', all, stats)).toMatchObject({ rows: 8009, partitions: 4 });
    expect(estimateQueryCost('d1', { ...all, range: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T11:00:00.000Z' } }, stats).rows).toBe(1000);
  });

  it('prices Athena at $5 per TB', () => {
    const e = estimateQueryCost('athena', all, stats);
    // 1000 GiB + 9 bytes, rounded up to the next MiB
    expect(e.billedBytes).toBe(1000 * gib + 2 ** 20);
    expect(e.usd).toBeCloseTo((e.billedBytes / 1e12) * 5, 8);
    expect(e.usd).toBeCloseTo(5.36871, 4);
  });

  it('prices BigQuery at $6.25 per TiB with 10 MB per table referenced', () => {
    const e = estimateQueryCost('bigquery', { ...all, sources: ['cloudtrail'] }, stats);
    expect(e.usd).toBeCloseTo((700 / 1024) * 6.25, 8);
    const join = estimateQueryCost('bigquery', { tables: ['alerts', 'events'], sources: ['nobody'], range: null }, stats);
    expect(join.billedBytes).toBe(20 * 2 ** 20);
  });

  it('applies the 10 MB minimum of Athena and Synapse to tiny scans', () => {
    for (const dialect of ['athena', 'synapse'] as const) {
      const e = estimateQueryCost(dialect, { tables: ['events'], sources: ['okta'], range: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' } }, stats);
      expect(e.bytes).toBe(9);
      expect(e.billedBytes).toBe(10 * 2 ** 20);
      expect(e.usd).toBeCloseTo((10 * 2 ** 20 * 5) / 1e12, 10);
    }
  });

  it('prices D1 by rows read', () => {
    expect(estimateQueryCost('d1', all, stats).usd).toBeCloseTo((8009 / 1e6) * 0.001, 10);
    expect(estimateQueryCost('d1', { tables: ['alerts'], sources: null, range: null }, stats)).toMatchObject({ rows: 0, usd: 0, partitions: 0 });
  });

  it('asks for confirmation only above the limit', () => {
    const e = estimateQueryCost('athena', all, stats);
    expect(needsConfirmation(e, 1)).toBe(true);
    expect(needsConfirmation(e, 10)).toBe(false);
  });
});

describe('partitionStatsOf', () => {
  const event = (source: string, time: string, raw: string) => ({ source, event_time: time, raw, actor: 'a', src_lat: 1.5, event_time_inferred: false }) as unknown as StoredEvent;

  it('groups rows and bytes by source and event hour', () => {
    const result = partitionStatsOf([
      event('okta', '2026-11-27T10:05:00.000Z', 'abc'),
      event('okta', '2026-11-27T10:59:59.999Z', 'é!'),
      event('okta', '2026-11-27T11:00:00.000Z', ''),
      event('duo', '2026-11-27T10:10:00.000Z', ''),
    ]);
    const okta10 = result.find((s) => s.source === 'okta' && s.hour === '2026-11-27T10:00:00.000Z');
    // 'okta' 4 + time 24 + raw + 'a' 1 + two numbers 16
    expect(okta10).toEqual({ source: 'okta', hour: '2026-11-27T10:00:00.000Z', rows: 2, bytes: 4 + 24 + 3 + 1 + 16 + (4 + 24 + 2 + 1 + 16) });
    expect(result).toHaveLength(3);
    expect(partitionHour('2026-11-27T23:59:59.999Z')).toBe('2026-11-27T23:00:00.000Z');
  });
});

describe('priceDryRun', () => {
  const scope = { tables: ['events'], sources: null, range: null } as const;

  it('prices BigQuery dry-run bytes per TiB, rounded up to the MB', () => {
    const estimate = priceDryRun('bigquery', scope, 3 * 2 ** 40);
    expect(estimate.usd).toBe(18.75);
    expect(estimate.bytes).toBe(3 * 2 ** 40);
    expect(estimate.basis).toMatch(/^bigquery dry run: 3298534883328 bytes processed/);
  });

  it('applies the 10 MB minimum per table referenced', () => {
    const small = priceDryRun('bigquery', { ...scope, tables: ['events', 'alerts'] }, 1000);
    expect(small.billedBytes).toBe(20 * 2 ** 20);
    expect(priceDryRun('bigquery', scope, 0).billedBytes).toBe(10 * 2 ** 20);
  });
});
