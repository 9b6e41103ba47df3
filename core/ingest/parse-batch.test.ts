import { describe, expect, it } from 'vitest';
import type { RecordParser } from '../schema/event';
import { batchIdFor, parseBatch } from './parse-batch';
import type { SourceAdapter } from './source-adapter';

const parse: RecordParser = (record, ctx) => {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { ok: false, reason: 'not_an_object', message: 'expected an object' };
  }
  const r = record as Record<string, unknown>;
  return {
    ok: true,
    event: {
      event_id: typeof r.id === 'string' ? r.id : null,
      source: ctx.source,
      event_time: ctx.ingestTime,
      event_time_inferred: true,
      ingest_time: ctx.ingestTime,
      class_uid: null,
      class_name: null,
      action: 'test',
      identity_action: null,
      outcome: 'unknown',
      outcome_reason: null,
      severity: null,
      actor: null,
      actor_id: null,
      actor_name: null,
      actor_type: null,
      src_ip: null,
      src_country: null,
      src_region: null,
      src_city: null,
      src_lat: null,
      src_lon: null,
      src_asn: null,
      src_asn_org: null,
      user_agent: null,
      service: null,
      target: null,
      target_type: null,
      session_id: null,
      mfa_factor: null,
      message: null,
      raw: JSON.stringify(record),
    },
  };
};

const adapter: SourceAdapter = {
  id: 'test',
  name: 'Test',
  parse,
  expand: (v) => (Array.isArray(v.Records) ? (v.Records as unknown[]) : null),
};
const ctx = { source: 'test', batchId: 'b1', ingestTime: '2026-01-01T00:00:00.000Z' };

describe('parseBatch', () => {
  it('keeps good lines around bad ones and reports each bad line', async () => {
    const result = await parseBatch('{"id":"a"}\nnot json\n[1]\n{"id":"b"}\n', adapter, ctx);
    if (!result.ok) throw new Error(result.message);
    expect([result.lines, result.accepted, result.rejected]).toEqual([4, 2, 2]);
    expect(result.events.map((e) => e.event_uid)).toEqual(['b1:1', 'b1:4']);
    expect(result.deadLetters.map((d) => [d.line, d.text])).toEqual([
      [2, 'not json'],
      [3, '[1]'],
    ]);
    expect(result.deadLetters[0]!.message).toMatch(/^line 2: not valid JSON/);
  });

  it('derives a content hash id when the vendor gives none', async () => {
    const result = await parseBatch('{"x":1}', adapter, ctx);
    expect(result.ok && result.events[0]!.event_id).toMatch(/^sha256:[0-9a-f]{32}$/);
  });

  it('expands container lines into numbered events', async () => {
    const result = await parseBatch('{"Records":[{"id":"a"},{"id":"b"}]}\n{"Records":[{"id":"c"}]}\n', adapter, ctx);
    if (!result.ok) throw new Error(result.message);
    expect(result.events.map((e) => e.event_uid)).toEqual(['b1:1:1', 'b1:1:2', 'b1:2']);
    expect(result.accepted).toBe(2);
  });

  it('rejects a container line whole when one of its events is bad', async () => {
    const result = await parseBatch('{"Records":[{"id":"a"},7]}\n{"Records":[{"id":"c"}]}', adapter, ctx);
    if (!result.ok) throw new Error(result.message);
    expect(result.events.map((e) => e.event_uid)).toEqual(['b1:2']);
    expect(result.deadLetters[0]!.message).toBe('line 1: event 2 of the line: expected an object');
  });
});

describe('empty objects', () => {
  it('are kept as empty events by every source, without reaching the parser', async () => {
    const strict: SourceAdapter = { id: 'strict', name: 'Strict', parse: () => ({ ok: false, reason: 'unrecognized_shape', message: 'nope' }) };
    const result = await parseBatch('{}\n{"x":1}', strict, { ...ctx, source: 'strict' });
    if (!result.ok) throw new Error(result.message);
    expect([result.accepted, result.rejected]).toEqual([1, 1]);
    expect(result.events[0]).toMatchObject({ action: 'unknown', event_time_inferred: true, raw: '{}' });
  });
});

describe('batchIdFor', () => {
  const body = new TextEncoder().encode('{"a":1}');
  it('is stable for the same body and source, and differs across sources and keys', async () => {
    expect(await batchIdFor('okta', body, null)).toBe(await batchIdFor('okta', body, null));
    expect(await batchIdFor('okta', body, null)).not.toBe(await batchIdFor('cloudtrail', body, null));
    expect(await batchIdFor('okta', body, 'k1')).not.toBe(await batchIdFor('okta', body, 'k2'));
  });
});
