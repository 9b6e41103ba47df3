import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { jsonSource } from './index';
import { normalizeJsonEvent } from './normalize-json-event';

const adapter = jsonSource;
const ctx = { source: 'json', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = fileURLToPath(new URL('./fixtures/events.ndjson', import.meta.url));
const corpusLogs = fileURLToPath(new URL('../../../shared/corpus/logs/', import.meta.url));

function ok(record: unknown) {
  const result = normalizeJsonEvent(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeJsonEvent', () => {
  it('matches the reviewed golden output for the fixtures', () => {
    const { actual, expected } = runGoldenFixture(fixture, adapter);
    expect(actual).toEqual(expected);
  });

  it('produces rows that satisfy the normalized schema', () => {
    const { actual } = runGoldenFixture(fixture, adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it.each([
    ['@timestamp', { '@timestamp': '2026-02-01T00:00:00Z', timestamp: '2026-03-01T00:00:00Z' }, '2026-02-01T00:00:00.000Z'],
    ['timestamp before time', { time: '2026-03-01T00:00:00Z', timestamp: '2026-02-01T00:00:00Z' }, '2026-02-01T00:00:00.000Z'],
    ['the next candidate when the first is unusable', { timestamp: 'soon', ts: 1769904000 }, '2026-02-01T00:00:00.000Z'],
    ['epoch milliseconds', { ts: 1769904000123 }, '2026-02-01T00:00:00.123Z'],
    ['epoch microseconds', { ts: 1769904000123456 }, '2026-02-01T00:00:00.123Z'],
    ['epoch nanoseconds as text', { ts: '1769904000123456789' }, '2026-02-01T00:00:00.123Z'],
    ['any letter case', { EventTime: '2026-02-01T00:00:00Z' }, '2026-02-01T00:00:00.000Z'],
  ])('reads the time: %s', (_case, record, expected) => {
    expect(ok(record)).toMatchObject({ event_time: expected, event_time_inferred: false });
  });

  it.each([
    [{ user: 'Alice@Example.com', email: 'other@example.com' }, 'alice@example.com'],
    [{ username: 'bob', actor: 'carol' }, 'bob'],
    [{ actor: { email: 'Dave@Example.com', name: 'Dave' } }, 'dave@example.com'],
    [{ principal: { name: 'erin' } }, 'erin'],
    [{ user: { id: 7 }, email: 'frank@example.com' }, 'frank@example.com'],
  ])('reads the actor of %j', (record, actor) => {
    expect(ok(record).actor).toBe(actor);
  });

  it.each([
    [{ src_ip: '192.0.2.1', ip: '192.0.2.2' }, '192.0.2.1'],
    [{ remote_addr: '192.0.2.3:5050' }, '192.0.2.3'],
    [{ client_ip: '[2001:db8::1]:443' }, '2001:db8::1'],
    [{ ip: '192.0.2.4, 10.0.0.1' }, '192.0.2.4'],
    [{ source: { ip: '192.0.2.5' } }, '192.0.2.5'],
    [{ source: 'aws.ec2', ipAddress: '192.0.2.6' }, '192.0.2.6'],
    [{ sourceIPAddress: 'kms.amazonaws.com' }, null],
  ])('reads the source IP of %j', (record, ip) => {
    expect(ok(record).src_ip).toBe(ip);
  });

  it.each([
    [{ outcome: 'SUCCESS' }, 'success'],
    [{ result: 'denied' }, 'failure'],
    [{ status: 200 }, 'success'],
    [{ status: '503' }, 'failure'],
    [{ status: 'active' }, 'unknown'],
    [{ success: false }, 'failure'],
    [{ outcome: { result: 'FAILURE', reason: 'MFA' } }, 'failure'],
    [{ outcome: 'weird', result: 'ok' }, 'success'],
  ])('reads the outcome of %j', (record, outcome) => {
    expect(ok(record).outcome).toBe(outcome);
  });

  it('prefers action, then event, event_type, eventName, type, and falls back to the message', () => {
    expect(ok({ type: 't', eventName: 'e', action: 'a' }).action).toBe('a');
    expect(ok({ type: 't', eventName: 'e' }).action).toBe('e');
    expect(ok({ message: 'first line\nsecond' }).action).toBe('first line');
    expect(ok({}).action).toBe('unknown');
  });

  it('maps plainly named sign-ins and sign-outs to identity actions by outcome', () => {
    expect(ok({ action: 'login', outcome: 'success' })).toMatchObject({ identity_action: 'auth_success', class_uid: 3002 });
    expect(ok({ action: 'Login', result: 'failed' }).identity_action).toBe('auth_failure');
    expect(ok({ action: 'login' }).identity_action).toBeNull();
    expect(ok({ event: 'logout' }).identity_action).toBe('session_end');
    expect(ok({ action: 'login_page_viewed', outcome: 'success' }).identity_action).toBeNull();
  });

  it('takes the event id from id, event_id or uuid, numbers included', () => {
    expect(ok({ id: 42 }).event_id).toBe('42');
    expect(ok({ uuid: 'u', event_id: 'e' }).event_id).toBe('e');
    expect(ok({ nothing: true }).event_id).toBeNull();
  });

  it('does not look deeper than one level', () => {
    const event = ok({ data: { user: 'alice', timestamp: '2026-02-01T00:00:00Z', ip: '192.0.2.1' } });
    expect([event.actor, event.src_ip, event.event_time_inferred]).toEqual([null, null, true]);
  });

  it.each([
    [42, 'a number'],
    ['a line of text', 'a string; send text lines to the syslog source'],
    [[{ a: 1 }], 'an array'],
    [null, 'null'],
    [true, 'a boolean'],
  ])('rejects %j, saying what it got', (record, what) => {
    const result = normalizeJsonEvent(record, ctx);
    expect(result).toEqual({ ok: false, reason: 'not_an_object', message: `expected a JSON object (one event), got ${what}` });
  });

  it('reads an object with a thousand keys in one pass', () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`field_${i}`, i]));
    expect(ok({ ...wide, action: 'x' }).action).toBe('x');
  });
});

// Every JSON event of every vendor in the shared corpus must be accepted by the catch-all JSON source.
describe('shared corpus', () => {
  it('finds the corpus (../shared/corpus beside the repository)', () => {
    expect(existsSync(corpusLogs), `missing shared corpus at ${corpusLogs}`).toBe(true);
  });

  const files = existsSync(corpusLogs)
    ? readdirSync(corpusLogs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it('has NDJSON files to read', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('accepts every line of %s', async (file) => {
    const body = readFileSync(`${corpusLogs}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))))
      .join('\n');
    const result = await parseBatch(body, adapter, { source: 'json', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').length);
  });
});
