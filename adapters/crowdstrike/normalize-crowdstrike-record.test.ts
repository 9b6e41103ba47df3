import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { crowdStrikeSource } from './index';
import { normalizeCrowdStrikeRecord } from './normalize-crowdstrike-record';

const adapter = crowdStrikeSource;
const ctx = { source: 'crowdstrike', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/crowdstrike/', import.meta.url));
const streamsFile = 'panther-analysis.Crowdstrike.EventStreams.ndjson';
const fdrFile = 'panther-analysis.Crowdstrike.FDREvent.ndjson';

/** The corpus file's lines as sent by the ingest-corpus tool: keys starting with p_ (Panther metadata) dropped. */
function corpusLines(file: string): string[] {
  return readFileSync(`${corpusDir}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))));
}

function corpusRecord(file: string, line: number): unknown {
  return JSON.parse(corpusLines(file)[line - 1]!);
}

function ok(record: unknown) {
  const result = normalizeCrowdStrikeRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const fixtures = ['falcon-api.ndjson', 'event-streams.ndjson', 'fdr-events.ndjson', 'telemetry-docs.ndjson'];

describe('normalizeCrowdStrikeRecord', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows that satisfy the normalized schema (%s)', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it.each([
    ['an alert (v1)', 'cribl.cribl-crowdstrike-rest-io.cribl_crowdstrike_alerts_v1.ndjson', 2004],
    ['an alert (v2)', 'cribl.cribl-crowdstrike-rest-io.cribl_crowdstrike_alerts_v2.ndjson', 2004],
    ['a host', 'cribl.cribl-crowdstrike-rest-io.cribl_crowdstrike_devices.ndjson', 5001],
    ['a Spotlight vulnerability', 'cribl.cribl-crowdstrike-rest-io.cribl_crowdstrike_vulnerabilities.ndjson', 2002],
    ['an FDR DNS request', 'panther-analysis.Crowdstrike.DNSRequest.ndjson', 4003],
  ])('detects %s', (_name, file, classUid) => {
    expect(ok(corpusRecord(file, 1)).class_uid).toBe(classUid);
  });

  it('classifies FDR events by event_simpleName', () => {
    expect(ok(corpusRecord(fdrFile, 1))).toMatchObject({ action: 'ProcessRollup2', class_uid: 1007, target_type: 'process' });
    expect(ok(corpusRecord(fdrFile, 21))).toMatchObject({ action: 'NetworkConnectIP4', class_uid: 4001, src_ip: '10.0.0.1', target: '152.206.0.1' });
    expect(ok(corpusRecord(fdrFile, 64))).toMatchObject({ class_uid: 4003, target: 'VGhpcyBpcyBhIHN1c3BpY2lvdXMgZGF0YSBleGZpbHRyYXRpb24gY2h1bms=.example.com' });
  });

  it('maps Event Streams audit sign-ins, role grants and API clients to identity actions', () => {
    expect(ok(corpusRecord(streamsFile, 23))).toMatchObject({ action: 'userAuthenticate', identity_action: 'auth_success', actor: 'peregrin.took@hobbiton.co', src_ip: '1.1.1.1' });
    expect(ok(corpusRecord(streamsFile, 1))).toMatchObject({ identity_action: 'privilege_grant', target: 'merry.brandybuck@hobbiton.co', message: 'billing_dashboard_admin' });
    expect(ok(corpusRecord(streamsFile, 8)).identity_action).toBe('token_issue');
    expect(ok(corpusRecord(streamsFile, 7)).identity_action).toBe('account_create');
  });

  it('gives a refused change no identity action but keeps a refused sign-in or second factor', () => {
    expect(ok(corpusRecord(streamsFile, 26))).toMatchObject({ outcome: 'failure', identity_action: null });
    const auth = { metadata: { eventType: 'AuthActivityAuditEvent' } };
    expect(ok({ ...auth, event: { OperationName: 'userAuthenticate', Success: false } }).identity_action).toBe('auth_failure');
    expect(ok({ ...auth, event: { OperationName: 'twoFactorAuthenticate', Success: false } }).identity_action).toBe('mfa_deny');
    expect(ok({ ...auth, event: { OperationName: 'twoFactorAuthenticate', Success: true } }).identity_action).toBe('mfa_accept');
  });

  it('maps FDR logons: success, failure, and the remote address as the source', () => {
    expect(ok({ event_simpleName: 'UserLogon', UserName: 'jdoe', RemoteAddressIP4: '203.0.113.77' })).toMatchObject({ identity_action: 'auth_success', src_ip: '203.0.113.77' });
    expect(ok({ event_simpleName: 'UserLogonFailed2', UserName: 'jdoe' })).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure' });
  });

  it('grades alert severity by name or score', () => {
    expect(ok(corpusRecord('cribl.cribl-crowdstrike-rest-io.cribl_crowdstrike_alerts_v1.ndjson', 1)).severity).toBe('low');
    expect(ok({ composite_id: 'x', severity: 90 }).severity).toBe('critical');
    expect(ok(corpusRecord(streamsFile, 15)).severity).toBe('critical');
  });

  it('reads FDR epoch text: ContextTimeStamp in seconds, timestamp in milliseconds', () => {
    expect(ok({ event_simpleName: 'DnsRequest', ContextTimeStamp: '1682275803.172', timestamp: '1682275805712' }).event_time).toBe('2023-04-23T18:50:03.172Z');
    expect(ok({ event_simpleName: 'DnsRequest', timestamp: '1682275805712' }).event_time).toBe('2023-04-23T18:50:05.712Z');
  });

  it('keeps an Event Streams record that has only its metadata', () => {
    expect(ok(corpusRecord(streamsFile, 16))).toMatchObject({ action: 'AuthActivityAuditEvent', event_time: '2024-12-03T19:54:30.000Z' });
  });

  it('keeps an empty record but refuses an object with no CrowdStrike field', () => {
    expect(ok({}).action).toBe('unknown');
    const result = normalizeCrowdStrikeRecord({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/not a CrowdStrike Falcon record/);
  });

  it('unwraps a whole API response into its resources', async () => {
    const body = JSON.stringify({ meta: {}, resources: [{ device_id: 'd1', hostname: 'H1' }, { device_id: 'd2', hostname: 'H2' }], errors: [] });
    const result = await parseBatch(body, adapter, { source: 'crowdstrike', batchId: 'b', ingestTime: ctx.ingestTime });
    expect(result.ok && result.events.map((e) => e.target)).toEqual(['H1', 'H2']);
  });

  it('tolerates fields of the wrong type instead of dropping the record', () => {
    const event = ok({ composite_id: 'x', device: 'HOST', user_name: 5, severity_name: [] });
    expect([event.target, event.actor, event.severity]).toEqual([null, null, null]);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeCrowdStrikeRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('CrowdStrike corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, { source: 'crowdstrike', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });
});
