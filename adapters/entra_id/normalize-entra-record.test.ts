import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { splitRecords } from '../../core/ingest/split-records';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { expandEntraContainer } from './entra-schema';
import { entraIdSource } from './index';
import { detectEntraFeed, normalizeEntraRecord, type EntraFeed } from './normalize-entra-record';

const adapter = entraIdSource;
const ctx = { source: 'entra_id', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = process.env.MANTISSA_CORPUS
  ? `${process.env.MANTISSA_CORPUS}logs/azure-ad/`
  : fileURLToPath(new URL('../../../shared/corpus/logs/azure-ad/', import.meta.url));

/** The corpus file's records as the vendor sent them: keys starting with p_ are Panther's test metadata. */
function corpusRecords(file: string): Record<string, unknown>[] {
  const path = `${corpusDir}${file}`;
  if (!existsSync(path)) throw new Error(`corpus file missing: ${path} (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))));
}

function corpusRecord(file: string, line: number): Record<string, unknown> {
  const record = corpusRecords(file)[line - 1];
  if (!record) throw new Error(`${file} has no line ${line}`);
  return record;
}

function ok(record: unknown) {
  const result = normalizeEntraRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const documented = (line: number) => JSON.parse(readFileSync(fixture('documented.ndjson'), 'utf8').split('\n')[line - 1]!) as unknown;

describe('normalizeEntraRecord', () => {
  it.each(['diagnostic-settings.ndjson', 'graph.ndjson', 'documented.ndjson', 'event-hub-message.json', 'graph-page.json'])(
    'matches the reviewed golden output for %s',
    (name) => {
      const { actual, expected } = runGoldenFixture(fixture(name), adapter);
      expect(actual).toEqual(expected);
    },
  );

  it('produces rows that satisfy the normalized schema', () => {
    for (const name of ['diagnostic-settings.ndjson', 'graph.ndjson', 'documented.ndjson']) {
      const { actual } = runGoldenFixture(fixture(name), adapter);
      for (const row of actual as Record<string, unknown>[]) {
        const { line: _line, ...event } = row;
        expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
      }
    }
  });

  describe('identity actions on corpus samples', () => {
    it.each([
      ['cribl.cribl-microsoft-graph-rest-io.cribl_azure_graph_signins.ndjson', 1, 'auth_success', 'success'],
      ['panther-analysis.Azure.Audit.ndjson', 17, 'auth_success', 'success'],
      ['panther-analysis.Azure.Audit.ndjson', 10, 'auth_failure', 'failure'], // 50126 invalid credentials
      ['panther-analysis.Azure.Audit.ndjson', 9, 'auth_failure', 'failure'], // 50053 locked
      ['panther-analysis.Azure.Audit.ndjson', 12, 'auth_failure', 'failure'], // service principal, 7000215
      ['panther-analysis.Azure.Audit.ndjson', 40, 'privilege_grant', 'success'], // Add member to role
      ['panther-analysis.Azure.Audit.ndjson', 38, 'privilege_grant', 'success'], // PIM completed
      ['panther-analysis.Azure.Audit.ndjson', 39, null, 'success'], // PIM requested: not yet a grant
      ['panther-analysis.Azure.Audit.ndjson', 8, 'privilege_revoke', 'success'], // Remove role assignment
      ['panther-analysis.Azure.Audit.ndjson', 19, 'account_create', 'success'], // Invite external user
      ['panther-analysis.Azure.Audit.ndjson', 21, null, 'failure'], // a failed invite created nothing
      ['panther-analysis.Azure.Audit.ndjson', 43, 'token_issue', 'success'], // Add service principal credentials
    ] as const)('%s line %i → %s', (file, line, identityAction, outcome) => {
      const event = ok(corpusRecord(file, line));
      expect([event.identity_action, event.outcome]).toEqual([identityAction, outcome]);
    });

    it('names the user a role was granted to, not the role', () => {
      const event = ok(corpusRecord('panther-analysis.Azure.Audit.ndjson', 40));
      expect([event.actor, event.target, event.target_type]).toEqual(['radahn@starscourge.onmicrosoft.com', 'Malenia', 'User']);
    });
  });

  // The corpus has no MFA prompt or MFA denial; these records are written from the Graph signIn documentation.
  describe('MFA sign-ins (fixtures written from the documentation)', () => {
    it('maps 50074 "Strong Authentication is required" to an MFA challenge, not a failure', () => {
      expect(ok(documented(1))).toMatchObject({ identity_action: 'mfa_challenge', outcome: 'unknown', outcome_reason: '50074: Strong Authentication is required.' });
    });

    it('maps 500121 (push denied) to an MFA denial with the factor tried', () => {
      expect(ok(documented(2))).toMatchObject({ identity_action: 'mfa_deny', outcome: 'failure', mfa_factor: 'Mobile app notification' });
    });

    it('keeps a sign-in completed with MFA as a successful authentication, with the factor', () => {
      expect(ok(documented(3))).toMatchObject({ identity_action: 'auth_success', outcome: 'success', mfa_factor: 'PhoneAppNotification' });
    });

    it('gives an interrupt ("stay signed in?") no identity action', () => {
      expect(ok(documented(4))).toMatchObject({ identity_action: null, outcome: 'unknown' });
    });

    it.each([
      [5, 'password_reset', 'adelev@contoso.example'],
      [6, 'factor_enroll', 'adelev@contoso.example'],
      [7, 'account_disable', 'adelev@contoso.example'],
      [8, 'oauth_consent', 'Contoso Mail Helper'],
      [9, 'privilege_revoke', 'adelev@contoso.example'],
    ] as const)('maps documented audit line %i to %s about %s', (line, identityAction, target) => {
      expect(ok(documented(line))).toMatchObject({ identity_action: identityAction, target });
    });
  });

  describe('feed detection', () => {
    it.each([
      ['cribl.cribl-microsoft-graph-rest-io.cribl_azure_graph_signins.ndjson', 1, 'graph_sign_in'],
      ['cribl.cribl-microsoft-graph-rest-io.cribl_azure_graph_alerts.ndjson', 1, 'graph_security_alert'],
      ['panther-analysis.Azure.Audit.ndjson', 10, 'diagnostic_sign_in'],
      ['panther-analysis.Azure.Audit.ndjson', 12, 'diagnostic_sign_in'], // lower-cased envelope keys
      ['panther-analysis.Azure.Audit.ndjson', 40, 'diagnostic_audit'],
      ['panther-analysis.Azure.Audit.ndjson', 1, 'diagnostic_audit'], // category "Policy", audit-shaped properties
    ] as const)('%s line %i is %s', (file, line, feed) => {
      expect(detectEntraFeed(corpusRecord(file, line))).toBe(feed);
    });

    it.each([
      [5, 'graph_directory_audit'],
      [10, 'graph_security_alert'],
      [11, 'graph_risk_detection'],
    ] as const)('documented line %i is %s', (line, feed) => {
      expect(detectEntraFeed(documented(line) as Record<string, unknown>)).toBe(feed as EntraFeed);
    });

    it('reads a diagnostic risk event with the risk detection schema', () => {
      const record = { time: '2025-03-02T08:17:00Z', category: 'UserRiskEvents', operationName: 'User Risk Detection', properties: documented(11) };
      expect(detectEntraFeed(record)).toBe('diagnostic_risk');
      expect(ok(record)).toMatchObject({ action: 'unfamiliarFeatures', severity: 'medium', actor: 'adelev@contoso.example', class_uid: 2004 });
    });

    it('fails a sign-in that Conditional Access blocked even without an error code', () => {
      expect(ok({ userPrincipalName: 'a@b.example', createdDateTime: '2025-03-02T08:00:00Z', conditionalAccessStatus: 'failure' })).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure' });
    });

    it('keeps another diagnostic category as a generic event', () => {
      const event = ok({ time: '2025-03-02T11:00:00Z', category: 'ProvisioningLogs', operationName: 'Provisioning activity', resultType: 'Success', properties: { id: 'p-1' } });
      expect([event.action, event.outcome, event.service, event.event_id]).toEqual(['Provisioning activity', 'success', 'ProvisioningLogs', 'p-1']);
    });
  });

  describe('containers', () => {
    it.each([
      ['event-hub-message.json', 2],
      ['graph-page.json', 2],
    ])('unwraps %s into its %i records', (name, count) => {
      const split = splitRecords(readFileSync(fixture(name), 'utf8'), { expand: expandEntraContainer });
      if (!split.ok) throw new Error(split.message);
      expect(split.records).toHaveLength(count);
      for (const r of split.records) expect(r.ok && normalizeEntraRecord(r.value, ctx).ok).toBe(true);
    });

    it('does not unwrap a record that merely has a value field', () => {
      expect(expandEntraContainer({ value: [1, 2] })).toBeNull();
    });
  });

  describe('messy and foreign input', () => {
    it('reads "<null>" and other non-addresses as no source IP', () => {
      expect(ok({ category: 'AuditLogs', operationName: 'Add user', callerIpAddress: '<null>', properties: {} }).src_ip).toBeNull();
    });

    it('keeps a sign-in without a usable time, flagged, at the arrival time', () => {
      const event = ok({ userPrincipalName: 'a@b.example', status: { errorCode: 0 }, createdDateTime: 'yesterday' });
      expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
    });

    it('tolerates fields of the wrong type instead of dropping the event', () => {
      const event = ok({ userPrincipalName: 42, createdDateTime: '2025-03-02T08:00:00Z', status: 'broken', ipAddress: 'not-an-ip', location: [] });
      expect([event.actor, event.src_ip, event.src_country, event.identity_action, event.outcome]).toEqual([null, null, null, null, 'unknown']);
    });

    it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
      const result = normalizeEntraRecord(record, ctx);
      expect(result.ok ? null : result.reason).toBe('not_an_object');
    });

    it.each([[{}], [{ hello: 'world' }], [{ eventType: 'user.session.start' }]])('rejects %j as not Entra ID, saying what it expected', (record) => {
      const result = normalizeEntraRecord(record, ctx);
      expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
      expect(result.ok ? '' : result.message).toMatch(/not an Entra ID record: expected a Graph sign-in/);
    });
  });
});

describe('azure-ad corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(corpusDir), `shared corpus missing at ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const records = corpusRecords(file);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const result = await parseBatch(body, adapter, { source: 'entra_id', batchId: 'corpus', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(records.length);
    for (const event of result.events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });
});
