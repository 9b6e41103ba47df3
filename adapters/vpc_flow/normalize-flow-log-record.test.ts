import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { flowLogHeader } from './flow-log-record-schema';
import { vpcFlowSource } from './index';
import { normalizeFlowLogRecord } from './normalize-flow-log-record';

const adapter = vpcFlowSource;
const ctx = { source: 'vpc_flow', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/aws-vpcflow/', import.meta.url));
const fixtures = ['default-format.log', 'custom-format-with-header.log', 'all-fields-v5.log', 'panther-flow-records.ndjson'];

function ok(record: unknown) {
  const result = normalizeFlowLogRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

async function ingest(body: string) {
  const result = await parseBatch(body, adapter, { ...ctx, batchId: 'b' });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('normalizeFlowLogRecord', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows of %s that satisfy the normalized schema', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ raw: '{}', ...event, event_id: event.event_id ?? 'derived' }).success).toBe(true);
    }
  });

  it('reads a default-format line, keeping the native fields in raw', () => {
    const event = ok('2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK');
    expect(event).toMatchObject({
      event_time: '2014-12-14T04:06:50.000Z',
      action: 'REJECT',
      outcome: 'failure',
      src_ip: '172.31.9.69',
      target: '172.31.9.12',
      class_uid: 4001,
    });
    expect(JSON.parse(event.raw!)).toMatchObject({ srcaddr: '172.31.9.69', dstport: '3389', 'log-status': 'OK' });
  });

  it.each(['NODATA', 'SKIPDATA'])('accepts a %s record with an unknown outcome', (status) => {
    const event = ok(`2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - ${status}`);
    expect([event.action, event.outcome, event.outcome_reason, event.src_ip]).toEqual([status, 'unknown', status, null]);
  });

  it('reads the lines after a header line in the order it names, and drops the header', async () => {
    const body = readFileSync(fixture('custom-format-with-header.log'), 'utf8');
    const result = await ingest(body);
    expect([result.accepted, result.rejected]).toEqual([3, 0]);
    expect(result.events[0]).toMatchObject({ src_ip: '52.213.180.42', target: '10.0.0.62', action: 'ACCEPT' });
    expect(JSON.parse(result.events[0]!.raw)).toMatchObject({ 'tcp-flags': '2', 'instance-id': 'i-07890123456' });
  });

  it('explains a header line that reaches the parser on its own (a CloudWatch Logs message, say)', () => {
    const result = normalizeFlowLogRecord('version account-id interface-id srcaddr dstaddr action log-status', ctx);
    expect(result.ok ? '' : `${result.reason} ${result.message}`).toMatch(/^invalid_field header line "version account-id.*use the JSON format$/);
  });

  it('refuses a headerless line whose length fits no documented layout, saying which would', () => {
    const result = normalizeFlowLogRecord('10.0.0.1 10.0.0.2 443 ACCEPT', ctx);
    expect(result.ok ? '' : result.message).toMatch(/4 fields starting "10.0.0.1" matches neither the default format \(version 2, 14 fields\)/);
  });

  it('recognises header lines and nothing else', () => {
    expect(flowLogHeader('version srcaddr dstaddr some-future-field')).toEqual(['version', 'srcaddr', 'dstaddr', 'some-future-field']);
    expect(flowLogHeader('ingress egress')).toBeNull();
    expect(flowLogHeader('2 123 eni-1 - - - - - - - 1 2 - NODATA')).toBeNull();
  });

  it('reads camelCase and native JSON keys alike', () => {
    const camel = ok({ srcAddr: '10.0.0.1', dstAddr: '192.168.1.1', dstPort: 8080, action: 'ACCEPT', start: 1769940000 });
    const native = ok({ srcaddr: '10.0.0.1', dstaddr: '192.168.1.1', dstport: '8080', action: 'ACCEPT', start: '1769940000' });
    for (const event of [camel, native]) expect([event.src_ip, event.target, event.outcome, event.event_time]).toEqual(['10.0.0.1', '192.168.1.1', 'success', '2026-02-01T10:00:00.000Z']);
    expect(camel.raw).toBeUndefined();
  });

  it('reads lines delivered by a CloudWatch Logs subscription', async () => {
    const body = JSON.stringify({
      messageType: 'DATA_MESSAGE',
      logEvents: [
        { id: '1', timestamp: 1, message: '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 22 6 1 40 1769940000 1769940060 ACCEPT OK' },
        { id: '2', timestamp: 1, message: '2 123456789010 eni-1 - - - - - - - 1769940000 1769940060 - NODATA' },
      ],
    });
    const result = await ingest(body);
    expect(result.events.map((e) => e.action)).toEqual(['ACCEPT', 'NODATA']);
  });

  it.each([[{}], [{ hello: 'world' }]])('rejects %j as not a flow record', (record) => {
    const result = normalizeFlowLogRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], [42], [null]])('rejects %j as neither a line nor an object', (record) => {
    const result = normalizeFlowLogRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});

/**
 * Corpus lines that carry no flow log field, by file and 1-based line, with the reason; expected to be rejected.
 * (Line 19 of the Panther file is `{}` once Panther's metadata is dropped: the ingest path keeps empty objects as
 * empty events for every source, before any parser sees them.)
 */
const notFlowRecords: Record<string, Record<number, string>> = {};

describe('VPC flow logs corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => (f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) || f.endsWith('.log')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const text = readFileSync(`${corpusDir}${file}`, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const body = file.endsWith('.log')
      ? lines.join('\n')
      : lines.map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))))).join('\n');
    const result = await ingest(body);
    const skipped = Object.keys(notFlowRecords[file] ?? {}).map(Number);
    expect(result.deadLetters.map((d) => d.line)).toEqual(skipped);
    for (const dead of result.deadLetters) expect(dead.message).toMatch(/not a VPC flow log record/);
    expect(result.accepted).toBe(lines.length - skipped.length);
  });
});
