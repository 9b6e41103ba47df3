import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { jamfSource } from './index';
import { normalizeJamfRecord } from './normalize-jamf-record';

const adapter = jamfSource;
const ctx = { source: 'jamf', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function ok(record: unknown) {
  const result = normalizeJamfRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const hook = (webhookEvent: string, event: Record<string, unknown>) => ({ webhook: { id: 1, name: 'h', webhookEvent, eventTimestamp: 1727883102311 }, event });

// Jamf has no sample in the shared corpus: every fixture is written from Jamf's documentation
// (fixtures/README.md), and the fixture files stand in for the corpus run below.
const fixtures = ['webhooks.ndjson', 'api-history.ndjson', 'access-log-shipped.ndjson'];

describe('normalizeJamfRecord', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows that satisfy the normalized schema (%s)', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: event.raw ?? '{}' }).success).toBe(true);
    }
  });

  it.each(fixtures)('accepts every record of %s through the ingest path', async (name) => {
    const result = await parseBatch(readFileSync(fixture(name), 'utf8'), adapter, { source: 'jamf', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
  });

  it.each([
    ['a webhook', hook('ComputerAdded', { deviceName: 'MAC-1' }), 'ComputerAdded', 5001],
    ['an object history entry', { id: 1, username: 'admin', date: '2024-10-02T15:31:42.661Z', note: 'Sso settings update' }, 'Sso settings update', 3004],
    ['an action log', { id: '1', createdTime: '2026-06-17T09:14:00Z', actionType: 'LOCK', requestor: { name: 'alex' } }, 'LOCK', null],
    ['a Log Stream access log line', '[JSSACCESSLOG] 2021-09-09T08:44:00,679 - username=a, status=Successful Login, ipAddress=10.1.1.1, entryPoint=JSS', 'Successful Login', 3002],
  ])('detects %s', (_name, record, action, classUid) => {
    const event = ok(record);
    expect([event.action, event.class_uid]).toEqual([action, classUid]);
  });

  it('maps a RestAPIOperation to actor, action and outcome', () => {
    const event = ok(hook('RestAPIOperation', { authorizedUsername: 'api-user', objectID: 3, objectName: 'Wipe', objectTypeName: 'Policy', operationSuccessful: false, restAPIOperationType: 'delete' }));
    expect(event).toMatchObject({ action: 'RestAPIOperation.DELETE', actor: 'api-user', outcome: 'failure', target: 'Wipe', target_type: 'Policy', class_uid: 6003 });
  });

  it('reads a Jamf Pro account created or deleted through the API as account creation or deletion', () => {
    const created = hook('RestAPIOperation', { authorizedUsername: 'api', objectName: 'tmp', objectTypeName: 'Account', operationSuccessful: true, restAPIOperationType: 'POST' });
    expect(ok(created).identity_action).toBe('account_create');
    const group = hook('RestAPIOperation', { authorizedUsername: 'api', objectName: 'g', objectTypeName: 'Account Group', operationSuccessful: true, restAPIOperationType: 'POST' });
    expect(ok(group).identity_action).toBeNull();
  });

  it('maps Log Stream sign-ins to auth success and failure, keeping Jamf’s fields as raw', () => {
    const failed = ok('[JSSACCESSLOG] 2021-09-28T13:51:35,768 - username=sampleUser, status=Failed Login, ipAddress=10.1.1.1, entryPoint=JSS');
    expect(failed).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure', actor: 'sampleUser', src_ip: '10.1.1.1', event_time: '2021-09-28T13:51:35.768Z' });
    expect(JSON.parse(failed.raw!)).toEqual({ timestamp: '2021-09-28T13:51:35,768', username: 'sampleUser', status: 'Failed Login', ipAddress: '10.1.1.1', entryPoint: 'JSS' });
  });

  it('reads device webhooks with the device as target and its user as actor', () => {
    const event = ok(hook('ComputerCheckIn', { computer: { deviceName: 'MAC-1', ipAddress: '198.51.100.2', emailAddress: 'J@Example.com' }, trigger: 'CLIENT_CHECKIN' }));
    expect(event).toMatchObject({ target: 'MAC-1', target_type: 'computer', actor: 'j@example.com', src_ip: '198.51.100.2', event_time: '2024-10-02T15:31:42.311Z' });
  });

  it('unwraps a Jamf Pro API list response into its entries', async () => {
    const body = JSON.stringify({ totalCount: 2, results: [{ id: 1, username: 'a', date: '2024-10-02T15:31:42Z', note: 'n1' }, { id: 2, username: 'b', date: '2024-10-02T15:31:43Z', note: 'n2' }] });
    const result = await parseBatch(body, adapter, { source: 'jamf', batchId: 'b', ingestTime: ctx.ingestTime });
    expect(result.ok && result.events.map((e) => e.action)).toEqual(['n1', 'n2']);
  });

  it('tolerates fields of the wrong type instead of dropping the webhook', () => {
    const event = ok({ webhook: { webhookEvent: 'ComputerAdded', eventTimestamp: 'soon' }, event: { deviceName: 5, ipAddress: ['x'], udid: 'U-1' } });
    expect([event.target, event.src_ip, event.event_time_inferred]).toEqual(['U-1', null, true]);
  });

  it('rejects objects and lines that are not Jamf’s, saying what was expected', () => {
    const object = normalizeJamfRecord({ hello: 'world' }, ctx);
    expect(object.ok ? '' : object.message).toMatch(/not a Jamf Pro record/);
    const line = normalizeJamfRecord('2021-09-09 INFO something else', ctx);
    expect(line.ok ? '' : line.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeJamfRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});
