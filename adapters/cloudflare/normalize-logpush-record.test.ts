import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { cloudflareSource } from './index';
import { detectLogpushDataset } from './logpush-schema';
import { logpushTime, normalizeLogpushRecord } from './normalize-logpush-record';

const adapter = cloudflareSource;
const ctx = { source: 'cloudflare', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = fileURLToPath(new URL('./fixtures/logpush.ndjson', import.meta.url));
const corpusLogs = fileURLToPath(new URL('../../../shared/corpus/logs/', import.meta.url));

function ok(record: unknown) {
  const result = normalizeLogpushRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeLogpushRecord', () => {
  it('matches the reviewed golden output for the documentation fixtures', () => {
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

  it('accepts every fixture line through the ingest pipeline', async () => {
    const body = readFileSync(fixture, 'utf8');
    const result = await parseBatch(body, adapter, { source: 'cloudflare', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(body.trim().split('\n').length);
  });

  it.each([
    ['http_requests', { RayID: '8ec7b94c9b18a95c', ClientIP: '192.0.2.1', EdgeStartTimestamp: 1506702504433000200 }],
    ['http_requests', { ClientRequestHost: 'example.com', EdgeResponseStatus: 200 }],
    ['firewall_events', { RayID: '8ec7b94c9b18a95c', Datetime: '2026-01-01T00:00:00Z', ClientIP: '192.0.2.1' }],
    ['firewall_events', { Action: 'block', Kind: 'firewall', Source: 'waf', Datetime: 1506702504 }],
    ['access_requests', { Action: 'login', Allowed: true, Email: 'a@example.com', CreatedAt: '2021-07-27T00:01:07Z' }],
    ['gateway_dns', { Datetime: '2026-01-01T00:00:00Z', QueryName: 'example.com', ResolverDecision: 'allowedOnNoPolicyMatch' }],
    ['gateway_http', { Datetime: '2026-01-01T00:00:00Z', Action: 'allow', URL: 'https://example.com/' }],
    ['gateway_network', { Datetime: '2026-01-01T00:00:00Z', Action: 'allow', SourceIP: '192.0.2.1', DestinationIP: '192.0.2.2' }],
    ['audit_logs', { ActionType: 'update', ActorEmail: 'a@example.com', When: '2026-01-01T00:00:00Z', ID: 'x' }],
    ['audit_logs', { ActionType: 'update', AuditLogID: 'x', ActionTimestamp: '2026-01-01T00:00:00Z' }],
  ])('detects %s from its fields', (dataset, record) => {
    expect(detectLogpushDataset(record)?.dataset).toBe(dataset);
    expect(ok(record).action.split('.')[0]).toBe(dataset);
  });

  it.each([
    ['unixnano', 1506702504433000200, '2017-09-29T16:28:24.433Z'],
    ['unixnano as text', '1506702504433000200', '2017-09-29T16:28:24.433Z'],
    ['unix', 1506702504, '2017-09-29T16:28:24.000Z'],
    ['unix milliseconds', 1506702504433, '2017-09-29T16:28:24.433Z'],
    ['rfc3339', '2017-09-29T16:28:24Z', '2017-09-29T16:28:24.000Z'],
  ])('reads %s timestamps', (_format, value, expected) => {
    expect(logpushTime(value)).toBe(expected);
  });

  it('maps Access logins to identity actions by Allowed, and logout to session end', () => {
    const base = { Action: 'login', Email: 'Alice@Example.com', IPAddress: '198.51.100.10', CreatedAt: '2021-07-27T00:01:07Z' };
    expect(ok({ ...base, Allowed: true })).toMatchObject({ identity_action: 'auth_success', outcome: 'success', actor: 'alice@example.com', class_uid: 3002 });
    expect(ok({ ...base, Allowed: false })).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure' });
    expect(ok({ ...base, Action: 'logout', Allowed: true }).identity_action).toBe('session_end');
    expect(ok({ ...base, Allowed: undefined }).identity_action).toBeNull();
  });

  it.each([
    ['block', 'failure'],
    ['managedchallenge', 'failure'],
    ['jschallenge', 'failure'],
    ['connectionclose', 'failure'],
    ['challengesolved', 'success'],
    ['managedchallengebypassed', 'success'],
    ['allow', 'success'],
    ['log', 'success'],
  ])('reads firewall action %s as %s', (action, outcome) => {
    const event = ok({ Action: action, Kind: 'firewall', Source: 'firewallCustom', RuleID: 'r1', Datetime: '2026-01-01T00:00:00Z' });
    expect(event.outcome).toBe(outcome);
    expect(event.outcome_reason).toBe(outcome === 'failure' ? `${action} by firewallCustom rule r1` : null);
  });

  it('fails a request a security rule blocked even when the status looks fine', () => {
    const event = ok({ RayID: 'r', SecurityAction: 'managedChallenge', EdgeResponseStatus: 200, SecurityRuleID: 'x' });
    expect([event.outcome, event.outcome_reason, event.action]).toEqual(['failure', 'managedChallenge by rule x', 'http_requests.managedChallenge']);
  });

  it('keeps a record without a usable time, flagged, at the arrival time', () => {
    const event = ok({ RayID: '8ec7b94c9b18a95c', EdgeStartTimestamp: 'redacted' });
    expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
  });

  it('tolerates fields of the wrong type instead of dropping the record', () => {
    const event = ok({ RayID: 42, ClientIP: ['x'], EdgeResponseStatus: 'five hundred', ClientRequestHost: 'example.com' });
    expect([event.event_id, event.src_ip, event.outcome]).toEqual([null, null, 'unknown']);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeLogpushRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });

  it('rejects an object with no Cloudflare field, saying which fields it looked for', () => {
    const result = normalizeLogpushRecord({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.reason).toBe('unrecognized_shape');
    expect(result.ok ? '' : result.message).toMatch(/RayID.*QueryName.*ActionType/);
  });
});

// There is no Cloudflare sample in the shared corpus; its other vendors' events check that detection does not
// claim records that merely look alike (PascalCase keys such as Action, Description, Source, Datetime).
describe('dataset detection on the shared corpus', () => {
  it('finds the corpus (../shared/corpus beside the repository)', () => {
    expect(existsSync(corpusLogs), `missing shared corpus at ${corpusLogs}`).toBe(true);
  });

  const files = existsSync(corpusLogs)
    ? readdirSync(corpusLogs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('claims no record of %s as Cloudflare', (file) => {
    const claimed = readFileSync(`${corpusLogs}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown)
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))
      .map((r) => detectLogpushDataset(r)?.dataset)
      .filter((d) => d !== undefined);
    expect(claimed).toEqual([]);
  });
});
