import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { guardDutySource } from './index';
import { normalizeGuardDutyFinding } from './normalize-guardduty-finding';

const adapter = guardDutySource;
const ctx = { source: 'guardduty', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/aws-guardduty/', import.meta.url));
const fixtures = ['panther-findings.ndjson', 'documented-findings.ndjson', 'eventbridge-event.json', 'get-findings-page.json'];

function ok(record: unknown) {
  const result = normalizeGuardDutyFinding(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeGuardDutyFinding', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows of %s that satisfy the normalized schema', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it.each([
    [0, 'low'],
    [1, 'low'],
    [3.9, 'low'],
    [4, 'medium'],
    [6.9, 'medium'],
    [7, 'high'],
    [8.9, 'high'],
    [9, 'critical'],
    [10, 'critical'],
    ['8', 'high'],
    ['HIGH', 'high'],
    ['n/a', null],
  ])('grades severity %j as %s', (severity, expected) => {
    expect(ok({ type: 'Recon:EC2/PortProbeUnprotectedPort', severity }).severity).toBe(expected);
  });

  it('takes the remote IP, its geolocation and ASN from the action', () => {
    const event = ok({
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      service: {
        action: {
          networkConnectionAction: {
            blocked: false,
            remoteIpDetails: {
              ipAddressV4: '198.51.100.23',
              organization: { asn: '64496', asnOrg: 'Example Hosting' },
              country: { countryName: 'Netherlands' },
              city: { cityName: 'Amsterdam' },
              geoLocation: { lat: 52.37, lon: 4.89 },
            },
          },
        },
      },
    });
    expect(event).toMatchObject({
      src_ip: '198.51.100.23',
      src_country: 'Netherlands',
      src_city: 'Amsterdam',
      src_lat: 52.37,
      src_lon: 4.89,
      src_asn: 64496,
      src_asn_org: 'Example Hosting',
      outcome: 'success',
    });
  });

  it('reads the principal of an IAM finding and the first prober of a port probe', () => {
    const iam = ok({
      type: 'Recon:IAMUser/MaliciousIPCaller',
      resource: { resourceType: 'AccessKey', accessKeyDetails: { userName: 'Alice@Example.com', principalId: 'AIDA1', accessKeyId: 'AKIA1', userType: 'IAMUser' } },
    });
    expect([iam.actor, iam.actor_id, iam.actor_type, iam.session_id]).toEqual(['alice@example.com', 'AIDA1', 'IAMUser', 'AKIA1']);
    const probe = ok({
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      service: { action: { portProbeAction: { blocked: true, portProbeDetails: [{ localPortDetails: { port: 22 } }, { remoteIpDetails: { ipAddressV4: '203.0.113.9' } }] } } },
    });
    expect([probe.src_ip, probe.outcome]).toEqual(['203.0.113.9', 'failure']);
  });

  it('uses updatedAt as the event time and falls back to the arrival time', () => {
    expect(ok({ type: 'X:Y/Z', createdAt: '2026-02-01T09:05:00Z', updatedAt: '2026-02-01 09:45:12.345' }).event_time).toBe('2026-02-01T09:45:12.345Z');
    expect(ok({ type: 'X:Y/Z' }).event_time_inferred).toBe(true);
  });

  it('reads a finding from an EventBridge event and from a GetFindings page through the ingest path', async () => {
    for (const [name, count] of [
      ['eventbridge-event.json', 1],
      ['get-findings-page.json', 2],
    ] as const) {
      const result = await parseBatch(readFileSync(fixture(name), 'utf8'), adapter, { ...ctx, batchId: 'b' });
      expect(result.ok && [result.events.length, result.rejected]).toEqual([count, 0]);
    }
  });

  it.each([[{}], [{ hello: 'world' }], [{ id: 'x', severity: 5 }]])('rejects %j as not a finding', (record) => {
    const result = normalizeGuardDutyFinding(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeGuardDutyFinding(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});

/**
 * Corpus lines that carry no GuardDuty finding, by file and 1-based line, with the reason; they are expected to be
 * rejected (never counted as rejected findings), and every other line must be accepted.
 */
const notFindings: Record<string, Record<number, string>> = {};

describe('EventBridge GuardDuty events without a finding', () => {
  it('keeps StreamAlert’s empty-detail envelope as a notice with the envelope’s id and time', async () => {
    const body = readFileSync(`${corpusDir}streamalert.cloudwatch.events.ndjson`, 'utf8').split('\n')[0]!;
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'eb' });
    if (!result.ok) throw new Error(result.message);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ action: 'GuardDuty Finding', class_uid: 2004, event_time_inferred: false, outcome: 'unknown' });
  });
});

describe('GuardDuty corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every finding of %s', async (file) => {
    const body = readFileSync(`${corpusDir}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))))
      .join('\n');
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'corpus' });
    if (!result.ok) throw new Error(result.message);
    const skipped = Object.keys(notFindings[file] ?? {}).map(Number);
    expect(result.deadLetters.map((d) => d.line)).toEqual(skipped);
    for (const dead of result.deadLetters) expect(dead.message).toMatch(/not a GuardDuty finding/);
    expect(result.accepted).toBe(body.split('\n').length - skipped.length);
  });
});
