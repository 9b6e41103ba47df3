import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitRecords } from '../../core/ingest/split-records';
import { runGoldenFixture } from '../shared/golden-fixture';
import { expandCloudTrailEnvelope } from './cloudtrail-record-schema';
import { cloudTrailSource } from './index';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail-record';

const adapter = cloudTrailSource;
const ctx = { source: 'cloudtrail', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function ok(record: unknown) {
  const result = normalizeCloudTrailRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeCloudTrailRecord', () => {
  it('matches the reviewed golden output for the corpus fixtures', () => {
    const { actual, expected } = runGoldenFixture(fixture('records.ndjson'), adapter);
    expect(actual).toEqual(expected);
  });

  it('unwraps a CloudTrail log file into its records', () => {
    const split = splitRecords(readFileSync(fixture('log-file.json'), 'utf8'), { expand: expandCloudTrailEnvelope });
    if (!split.ok) throw new Error(split.message);
    expect(split.records.length).toBeGreaterThan(0);
    for (const r of split.records) expect(r.ok && normalizeCloudTrailRecord(r.value, ctx).ok).toBe(true);
  });

  it('names the person behind an SSO role session', () => {
    const event = ok({
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      eventTime: '2026-02-01T12:00:00Z',
      sourceIPAddress: '198.51.100.7',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin/Alice@Acme.test' },
    });
    expect(event.actor).toBe('alice@acme.test');
    expect(event.event_time).toBe('2026-02-01T12:00:00.000Z');
  });

  it('marks failed calls and failed console logins', () => {
    expect(ok({ eventName: 'PutObject', errorCode: 'AccessDenied', errorMessage: 'no' }).outcome).toBe('failure');
    const login = ok({ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } });
    expect([login.outcome, login.identity_action]).toEqual(['failure', 'auth_failure']);
  });

  it('does not treat a service name as a source IP', () => {
    expect(ok({ eventName: 'Decrypt', sourceIPAddress: 'kms.amazonaws.com' }).src_ip).toBeNull();
  });

  it('rejects objects that are not CloudTrail records, with the reason', () => {
    const result = normalizeCloudTrailRecord({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/none of eventName, eventSource/);
  });
});

describe('CloudTrail Insights and sparse records', () => {
  it('reads an Insights event from its insightDetails', () => {
    const event = ok({
      eventVersion: '1.07',
      eventTime: '2026-02-01T12:00:00Z',
      awsRegion: 'us-east-1',
      eventID: 'insight-1',
      eventType: 'AwsCloudTrailInsight',
      eventCategory: 'Insight',
      insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', insightType: 'ApiCallRateInsight' },
    });
    expect([event.action, event.service, event.event_id]).toEqual(['Insight:ApiCallRateInsight:RunInstances', 'ec2.amazonaws.com', 'insight-1']);
  });

  it('keeps a redacted record that still has a CloudTrail field', () => {
    expect(ok({ eventType: 'logout' }).action).toBe('unknown');
  });
});
