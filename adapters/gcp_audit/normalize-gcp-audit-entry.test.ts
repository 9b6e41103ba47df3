import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { gcpAuditSource } from './index';
import { normalizeGcpAuditEntry } from './normalize-gcp-audit-entry';

const adapter = gcpAuditSource;
const ctx = { source: 'gcp_audit', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/gcp-audit/', import.meta.url));
const fixtures = ['audit-log-entries.ndjson', 'system-event.ndjson'];

function ok(record: unknown) {
  const result = normalizeGcpAuditEntry(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const auditLog = (protoPayload: Record<string, unknown>, entry: Record<string, unknown> = {}) => ({
  insertId: 'i-1',
  logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
  timestamp: '2026-02-01T10:00:00Z',
  protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', ...protoPayload },
  ...entry,
});

describe('normalizeGcpAuditEntry', () => {
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

  it('maps a SetIamPolicy that adds a binding to a privilege grant for the added member', () => {
    const event = ok(
      auditLog({
        methodName: 'SetIamPolicy',
        status: {},
        authenticationInfo: { principalEmail: 'Bob@Example.com' },
        serviceData: { policyDelta: { bindingDeltas: [{ action: 'ADD', member: 'user:Cat@Example.com', role: 'roles/owner' }] } },
      }),
    );
    expect(event).toMatchObject({
      identity_action: 'privilege_grant',
      class_uid: 3005,
      outcome: 'success',
      actor: 'bob@example.com',
      target: 'cat@example.com',
      target_type: 'user',
    });
  });

  it.each([
    ['google.iam.admin.v1.CreateServiceAccountKey', 'token_issue'],
    ['GenerateAccessToken', 'token_issue'],
    ['google.iam.admin.v1.DeleteServiceAccountKey', 'token_revoke'],
    ['google.iam.admin.v1.CreateServiceAccount', 'account_create'],
    ['google.api.apikeys.v2.ApiKeys.CreateKey', 'token_issue'],
    ['io.k8s.authorization.rbac.v1.clusterrolebindings.create', 'privilege_grant'],
    ['io.k8s.core.v1.serviceaccounts.token.create', 'token_issue'],
    ['v1.compute.instances.insert', null],
  ])('maps %s to %s', (methodName, identity) => {
    expect(ok(auditLog({ methodName, status: {} })).identity_action).toBe(identity);
  });

  it('marks a non-zero status code as a failure without an identity action', () => {
    const event = ok(auditLog({ methodName: 'google.iam.admin.v1.CreateServiceAccountKey', status: { code: 7, message: 'caller lacks permission' } }));
    expect([event.outcome, event.outcome_reason, event.identity_action]).toEqual(['failure', 'PERMISSION_DENIED: caller lacks permission', null]);
  });

  it('marks a permission that was not granted, and a Policy Denied log, as failures', () => {
    const refused = ok(auditLog({ methodName: 'SetIamPolicy', authorizationInfo: [{ permission: 'run.services.setIamPolicy', granted: false }] }));
    expect([refused.outcome, refused.outcome_reason]).toEqual(['failure', 'permission not granted: run.services.setIamPolicy']);
    const policy = ok(auditLog({ methodName: 'google.storage.objects.get' }, { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Fpolicy' }));
    expect(policy.outcome).toBe('failure');
  });

  it('reads lower-cased keys, flattened AuditLog fields and bare LogEntry operations', () => {
    expect(ok({ insertid: 'x', protopayload: { methodName: 'storage.objects.get' } }).event_id).toBe('x');
    expect(ok({ methodName: 'v1.compute.firewalls.patch' }).action).toBe('v1.compute.firewalls.patch');
    const bare = ok({ operation: { producer: 'k8s.io' } });
    expect([bare.action, bare.class_uid, bare.service, bare.event_time_inferred]).toEqual(['unknown', null, 'k8s.io', true]);
  });

  it('does not take an internal caller name for an IP', () => {
    expect(ok(auditLog({ methodName: 'SignJwt', requestMetadata: { callerIp: 'gce-internal-ip' } })).src_ip).toBeNull();
  });

  it('reads an entry delivered by Pub/Sub push through the ingest path', async () => {
    const entry = auditLog({ methodName: 'SetIamPolicy', status: {} });
    const body = JSON.stringify({
      message: { data: Buffer.from(JSON.stringify(entry)).toString('base64'), messageId: '1', publishTime: '2026-02-01T10:00:01Z' },
      subscription: 'projects/p/subscriptions/audit',
    });
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'b' });
    expect(result.ok && result.events.map((e) => [e.event_id, e.action])).toEqual([['i-1', 'SetIamPolicy']]);
  });

  it.each([[{}], [{ hello: 'world' }], [{ severity: 'INFO', timestamp: '2026-01-01T00:00:00Z' }]])('rejects %j as not a log entry', (record) => {
    const result = normalizeGcpAuditEntry(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeGcpAuditEntry(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});

describe('Cloud Audit Logs corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const body = readFileSync(`${corpusDir}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))))
      .join('\n');
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'corpus' });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters.map((d) => d.message)).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').length);
  });
});
