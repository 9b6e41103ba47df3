import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { kubernetesAuditSource } from './index';
import { normalizeKubernetesAuditEvent } from './normalize-kubernetes-audit-event';

const adapter = kubernetesAuditSource;
const ctx = { source: 'kubernetes_audit', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = fileURLToPath(new URL('./fixtures/eks-audit-events.ndjson', import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/kubernetes-audit/', import.meta.url));

function ok(record: unknown) {
  const result = normalizeKubernetesAuditEvent(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

/** A corpus file as an NDJSON body, keys starting with `p_` (Panther's test metadata) dropped. */
function corpusBody(file: string): string {
  return readFileSync(`${corpusDir}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))))
    .join('\n');
}

describe('normalizeKubernetesAuditEvent', () => {
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

  it('names the action after the verb and the resource, subresource included', () => {
    expect(ok({ kind: 'Event', verb: 'create', objectRef: { resource: 'serviceaccounts', subresource: 'token' } }).action).toBe(
      'create serviceaccounts/token',
    );
    expect(ok({ kind: 'Event', verb: 'get', requestURI: '/healthz?verbose=1' }).action).toBe('get /healthz');
    expect(ok({ apiVersion: 'audit.k8s.io/v1', kind: 'Event', user: { username: 'x' } }).action).toBe('unknown');
  });

  it.each([
    ['create', 'clusterrolebindings', undefined, 201, 'privilege_grant'],
    ['create', 'rolebindings', undefined, 201, 'privilege_grant'],
    ['delete', 'rolebindings', undefined, 200, 'privilege_revoke'],
    ['create', 'serviceaccounts', 'token', 201, 'token_issue'],
    ['create', 'serviceaccounts', undefined, 201, 'account_create'],
    ['create', 'clusterrolebindings', undefined, 403, null],
    ['create', 'serviceaccounts', 'token', 403, null],
    ['get', 'secrets', undefined, 401, 'auth_failure'],
    ['get', 'clusterrolebindings', undefined, 200, null],
  ])('maps %s %s/%s answered %i to %s', (verb, resource, subresource, code, identity) => {
    const event = ok({ kind: 'Event', verb, objectRef: { resource, subresource }, responseStatus: { code } });
    expect(event.identity_action).toBe(identity);
    expect(event.outcome).toBe(code >= 400 ? 'failure' : 'success');
  });

  it('names the subject a role binding grants to, and the binding when the body is absent', () => {
    const grant = ok({
      kind: 'Event',
      verb: 'create',
      objectRef: { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io' },
      responseStatus: { code: 201 },
      requestObject: { metadata: { name: 'backdoor' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'default' }] },
    });
    expect([grant.target, grant.target_type]).toEqual(['default/sa', 'ServiceAccount']);
    const bare = ok({ kind: 'Event', verb: 'create', objectRef: { resource: 'rolebindings', namespace: 'ns', name: 'b' }, responseStatus: { code: 201 } });
    expect([bare.target, bare.target_type]).toEqual(['ns/b', 'rolebindings']);
  });

  it('treats a pod exec as process activity and keeps its command', () => {
    const event = ok({
      kind: 'Event',
      verb: 'create',
      objectRef: { resource: 'pods', subresource: 'exec', namespace: 'default', name: 'web' },
      requestURI: '/api/v1/namespaces/default/pods/web/exec?command=cat&command=%2Fetc%2Fshadow&stdout=true',
      responseStatus: { code: 101 },
    });
    expect([event.class_uid, event.message, event.outcome]).toEqual([1007, 'cat /etc/shadow', 'success']);
  });

  it('accepts every stage, with an unknown outcome before the response', () => {
    for (const stage of ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']) {
      const event = ok({ apiVersion: 'audit.k8s.io/v1', kind: 'Event', auditID: 'a-1', stage, verb: 'watch', objectRef: { resource: 'pods' } });
      expect([event.event_id, event.outcome]).toEqual(['a-1', 'unknown']);
    }
  });

  it('reads the EKS IAM identity and the time, and flags a missing time', () => {
    const event = ok({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Event',
      auditID: 'x',
      verb: 'get',
      requestReceivedTimestamp: '2022-11-29T00:09:04.380123Z',
      user: { username: 'kubernetes-admin', extra: { arn: ['arn:aws:iam::111122223333:user/alice'], accessKeyId: ['AKIAEXAMPLE'] } },
      sourceIPs: ['198.51.100.7', '10.0.0.1'],
    });
    expect(event).toMatchObject({
      event_time: '2022-11-29T00:09:04.380Z',
      event_time_inferred: false,
      actor: 'kubernetes-admin',
      actor_name: 'arn:aws:iam::111122223333:user/alice',
      actor_type: 'User',
      session_id: 'AKIAEXAMPLE',
      src_ip: '198.51.100.7',
    });
    expect(ok({ kind: 'Event', verb: 'get' }).event_time_inferred).toBe(true);
  });

  it('unwraps a webhook EventList batch through the ingest path', async () => {
    const body = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [
        { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'a', verb: 'get', objectRef: { resource: 'pods' } },
        { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'b', verb: 'list', objectRef: { resource: 'secrets' } },
      ],
    });
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'b' });
    expect(result.ok && result.events.map((e) => e.action)).toEqual(['get pods', 'list secrets']);
  });

  it('rejects a core Kubernetes Event, which is not an audit event', () => {
    const result = normalizeKubernetesAuditEvent({ kind: 'Event', apiVersion: 'v1', reason: 'Pulled', message: 'Pulled image' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/apiVersion is "v1"/);
  });

  it.each([[{}], [{ hello: 'world' }], [{ kind: 'Pod' }]])('rejects %j as not an audit event', (record) => {
    const result = normalizeKubernetesAuditEvent(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeKubernetesAuditEvent(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});

describe('Kubernetes audit corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `missing corpus directory ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const body = corpusBody(file);
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'corpus' });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters.map((d) => d.message)).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').length);
  });
});
