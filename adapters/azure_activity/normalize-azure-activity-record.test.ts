import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { azureActivitySource } from './index';
import { normalizeAzureActivityRecord } from './normalize-azure-activity-record';

const adapter = azureActivitySource;
const ctx = { source: 'azure_activity', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/azure-activity/', import.meta.url));
const fixtures = ['diagnostic-export.ndjson', 'event-hub-batch.json', 'rest-api-page.json'];

function ok(record: unknown) {
  const result = normalizeAzureActivityRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

/** A corpus line as sent by the vendor: keys starting with `p_` (Panther's test metadata) dropped. */
function corpusRecords(file: string): Record<string, unknown>[] {
  return readFileSync(`${corpusDir}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))));
}

const corpusFiles = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];

describe('normalizeAzureActivityRecord', () => {
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

  it('maps a successful role assignment to a privilege grant for the grantee, by the caller', () => {
    const record = corpusRecords('panther-analysis.Azure.MonitorActivity.ndjson').find(
      (r) => r.operationName === 'Microsoft.Authorization/roleAssignments/write' && r.resultType === 'Success',
    );
    expect(record).toBeDefined();
    const event = ok(record);
    expect(event).toMatchObject({ identity_action: 'privilege_grant', class_uid: 3005, outcome: 'success', actor_type: 'User' });
    expect(event.target).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads the REST API shape: caller, status object, event id, client IP, MFA claim', () => {
    const event = ok({
      caller: 'Admin@Contoso.example',
      claims: { 'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa' },
      eventDataId: 'e-1',
      eventTimestamp: '2026-02-01T10:15:30.1234567Z',
      operationName: { value: 'Microsoft.Authorization/roleAssignments/delete', localizedValue: 'Delete role assignment' },
      status: { value: 'Succeeded' },
      httpRequest: { clientIpAddress: '203.0.113.10' },
    });
    expect(event).toMatchObject({
      event_id: 'e-1',
      event_time: '2026-02-01T10:15:30.123Z',
      actor: 'admin@contoso.example',
      identity_action: 'privilege_revoke',
      src_ip: '203.0.113.10',
      mfa_factor: 'MFA',
      message: 'Delete role assignment',
    });
  });

  it.each([
    ['Start', 'unknown', null],
    ['Accept', 'unknown', null],
    ['Success', 'success', 'privilege_grant'],
    ['Failure', 'failure', null],
  ])('gives a role assignment event with resultType %s the outcome %s and identity action %s', (resultType, outcome, identity) => {
    const event = ok({ operationName: 'Microsoft.Authorization/roleAssignments/write', resultType, category: 'Administrative' });
    expect([event.outcome, event.identity_action]).toEqual([outcome, identity]);
  });

  it('counts elevateAccess and AKS role bindings written through ARM as grants', () => {
    expect(ok({ operationName: 'Microsoft.Authorization/elevateAccess/action', resultType: 'Success' }).identity_action).toBe('privilege_grant');
    const aks = ok({ operationName: 'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/clusterrolebindings/write', resultType: 'Succeeded' });
    expect(aks.identity_action).toBe('privilege_grant');
  });

  it('strips the port from storage logs caller addresses and drops the 0.0.0.0 placeholder', () => {
    expect(ok({ operationName: 'GetBlob', callerIpAddress: '1.1.1.1:57485', statusCode: 200 }).src_ip).toBe('1.1.1.1');
    expect(ok({ operationName: 'GetBlob', callerIpAddress: '[2001:db8::1]:443', statusCode: 200 }).src_ip).toBe('2001:db8::1');
    expect(ok({ operationName: 'x/y/action', callerIpAddress: '0.0.0.0' }).src_ip).toBeNull();
  });

  it('marks storage requests answered 4xx as failures with the status text', () => {
    const event = ok({ operationName: 'GetBlob', category: 'StorageRead', statusCode: 403, statusText: 'AuthenticationFailed' });
    expect([event.outcome, event.outcome_reason]).toEqual(['failure', 'AuthenticationFailed']);
  });

  it('reads the Kubernetes audit event inside an AKS kube-audit record', () => {
    const event = ok({
      category: 'kube-audit',
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      time: '2026-02-01T08:00:00Z',
      properties: {
        log: JSON.stringify({
          kind: 'Event',
          apiVersion: 'audit.k8s.io/v1',
          verb: 'create',
          user: { username: 'dev@contoso.example' },
          objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'ci' },
          responseStatus: { code: 201 },
        }),
      },
    });
    expect(event).toMatchObject({
      action: 'create serviceaccounts/token',
      identity_action: 'token_issue',
      actor: 'dev@contoso.example',
      event_time: '2026-02-01T08:00:00.000Z',
      event_time_inferred: false,
    });
  });

  it('unwraps Event Hub {"records": [...]} batches and REST {"value": [...]} pages through the ingest path', async () => {
    for (const [name, count] of [
      ['event-hub-batch.json', 3],
      ['rest-api-page.json', 3],
    ] as const) {
      const result = await parseBatch(readFileSync(fixture(name), 'utf8'), adapter, { ...ctx, batchId: 'b' });
      expect(result.ok && [result.accepted, result.rejected]).toEqual([count, 0]);
    }
  });

  it('keeps a record without a usable time, flagged, at the arrival time', () => {
    const event = ok({ category: 'Administrative', operationName: 'Microsoft.Compute/virtualMachines/write' });
    expect([event.event_time, event.event_time_inferred, event.outcome]).toEqual([ctx.ingestTime, true, 'unknown']);
  });

  it.each([[{}], [{ hello: 'world' }], [{ resourceId: '/subscriptions/x' }]])('rejects %j as not an Activity Log record', (record) => {
    const result = normalizeAzureActivityRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeAzureActivityRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});

describe('Azure Activity corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  it.each(corpusFiles)('accepts every line of %s', async (file) => {
    const body = corpusRecords(file)
      .map((r) => JSON.stringify(r))
      .join('\n');
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'corpus' });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters.map((d) => d.message)).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').length);
  });
});
