import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { splitRecords } from '../../core/ingest/split-records';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { m365Source } from './index';
import { expandM365Container } from './m365-schema';
import { clientIp, detectM365Feed, normalizeM365Record } from './normalize-m365-record';

const adapter = m365Source;
const ctx = { source: 'm365', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = process.env.MANTISSA_CORPUS
  ? `${process.env.MANTISSA_CORPUS}logs/m365/`
  : fileURLToPath(new URL('../../../shared/corpus/logs/m365/', import.meta.url));

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
  const result = normalizeM365Record(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const documented = (line: number) => JSON.parse(readFileSync(fixture('documented.ndjson'), 'utf8').split('\n')[line - 1]!) as unknown;
const aad = 'panther-analysis.Microsoft365.Audit.AzureActiveDirectory.ndjson';

describe('normalizeM365Record', () => {
  it.each(['audit.ndjson', 'message-trace.ndjson', 'documented.ndjson', 'message-trace-page.json'])(
    'matches the reviewed golden output for %s',
    (name) => {
      const { actual, expected } = runGoldenFixture(fixture(name), adapter);
      expect(actual).toEqual(expected);
    },
  );

  it('produces rows that satisfy the normalized schema', () => {
    for (const name of ['audit.ndjson', 'message-trace.ndjson', 'documented.ndjson']) {
      const { actual } = runGoldenFixture(fixture(name), adapter);
      for (const row of actual as Record<string, unknown>[]) {
        const { line: _line, ...event } = row;
        expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
      }
    }
  });

  describe('identity actions on corpus samples', () => {
    it('maps UserLoginFailed to an authentication failure even though ResultStatus says Success', () => {
      expect(ok(corpusRecord(aad, 1))).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure', outcome_reason: 'InvalidUserNameOrPassword' });
    });

    it('maps UserLoggedIn to a successful authentication', () => {
      expect(ok(corpusRecord(aad, 2))).toMatchObject({ identity_action: 'auth_success', outcome: 'success', actor: 'sample.user@yourorg.onmicrosoft.com' });
    });

    it.each([
      [3, 'factor_enroll'], // StrongAuthenticationMethod [] → [MethodType 7]
      [4, 'factor_remove'], // StrongAuthenticationMethod [MethodType 7] → []
    ] as const)('maps "Update user." line %i to %s for the target user', (line, identityAction) => {
      expect(ok(corpusRecord(aad, line))).toMatchObject({ identity_action: identityAction, target: 'sample.user@yourorg.onmicrosoft.com', target_type: 'User' });
    });

    it('gives mailbox forwarding changes no identity action', () => {
      expect(ok(corpusRecord('panther-analysis.Microsoft365.Audit.Exchange.ndjson', 1)).identity_action).toBeNull();
    });
  });

  // The corpus has no MFA logon; these records are written from the Management Activity API schema documentation.
  describe('MFA logons (fixtures written from the documentation)', () => {
    it.each([
      [1, 'mfa_challenge', 'unknown'], // 50074 UserStrongAuthClientAuthNRequiredInterrupt
      [2, 'mfa_challenge', 'unknown'], // SAS:BeginAuth
      [3, 'mfa_deny', 'failure'], // 500121 at SAS:ProcessAuth
      [4, 'mfa_accept', 'success'], // SAS:ProcessAuth succeeded
      [5, 'auth_failure', 'failure'], // 50126
    ] as const)('documented logon line %i → %s', (line, identityAction, outcome) => {
      expect(ok(documented(line))).toMatchObject({ identity_action: identityAction, outcome });
    });

    it.each([
      [6, 'privilege_grant', 'adelev@contoso.example'], // Add member to role.
      [7, 'password_reset', 'adelev@contoso.example'], // Reset user password.
      [8, 'privilege_grant', 'adelev@contoso.example'], // Add-RoleGroupMember
    ] as const)('documented admin line %i → %s for %s', (line, identityAction, target) => {
      expect(ok(documented(line))).toMatchObject({ identity_action: identityAction, target, target_type: 'User' });
    });
  });

  describe('feed detection', () => {
    it.each([
      [aad, 1, 'audit'],
      ['panther-analysis.Microsoft365.Audit.Exchange.ndjson', 1, 'audit'], // every key lower-cased
      ['panther-analysis.Microsoft365.Audit.SharePoint.ndjson', 1, 'audit'],
      ['cribl.cribl-o365-rest.cribl_o365_msg_trace.ndjson', 1, 'message_trace'],
    ] as const)('%s line %i is %s', (file, line, feed) => {
      expect(detectM365Feed(corpusRecord(file, line))).toBe(feed);
    });

    it('restores lower-cased keys before reading', () => {
      const event = ok(corpusRecord('panther-analysis.Microsoft365.Audit.Exchange.ndjson', 10));
      expect([event.action, event.src_ip, event.event_time]).toEqual(['New-InboxRule', '1.2.3.4', '2025-07-07T09:11:11.000Z']);
    });

    it('keys a message trace row by trace id and recipient', () => {
      expect(ok(corpusRecord('cribl.cribl-o365-rest.cribl_o365_msg_trace.ndjson', 2)).event_id).toBe('42a4bed7-d783-47e6-2bcc-08ddcba4db34:g8flus4@acme.com');
    });

    it('unwraps an OData page of message trace rows', () => {
      const split = splitRecords(readFileSync(fixture('message-trace-page.json'), 'utf8'), { expand: expandM365Container });
      if (!split.ok) throw new Error(split.message);
      expect(split.records).toHaveLength(2);
      for (const r of split.records) expect(r.ok && normalizeM365Record(r.value, ctx).ok).toBe(true);
    });
  });

  describe('client addresses', () => {
    it.each([
      ['1.2.3.4', '1.2.3.4'],
      ['1.2.3.4:10736', '1.2.3.4'],
      ['[2001:db8::24]:51234', '2001:db8::24'],
      ['2001:DB8::24', '2001:db8::24'],
      ['::ffff:198.51.100.7', '::ffff:198.51.100.7'],
      ['EX1.prod.outlook.com', null],
      ['', null],
    ])('reads %j as %j', (value, ip) => {
      expect(clientIp(value)).toBe(ip);
    });
  });

  describe('messy and foreign input', () => {
    it('keeps a record without a usable time, flagged, at the arrival time', () => {
      const event = ok({ Operation: 'FileAccessed', CreationTime: 'n/a', Workload: 'SharePoint' });
      expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
    });

    it('tolerates fields of the wrong type instead of dropping the event', () => {
      const event = ok({ Operation: 'UserLoggedIn', UserId: 7, ClientIP: { ip: '1.2.3.4' }, ExtendedProperties: 'x', CreationTime: '2025-03-02T08:00:00' });
      expect([event.actor, event.src_ip, event.identity_action]).toEqual([null, null, 'auth_success']);
    });

    it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
      const result = normalizeM365Record(record, ctx);
      expect(result.ok ? null : result.reason).toBe('not_an_object');
    });

    it.each([[{}], [{ hello: 'world' }], [{ eventName: 'ConsoleLogin' }]])('rejects %j as not Microsoft 365, saying what it expected', (record) => {
      const result = normalizeM365Record(record, ctx);
      expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
      expect(result.ok ? '' : result.message).toMatch(/not a Microsoft 365 record: expected a Management Activity API audit record/);
    });
  });
});

describe('m365 corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(corpusDir), `shared corpus missing at ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const records = corpusRecords(file);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const result = await parseBatch(body, adapter, { source: 'm365', batchId: 'corpus', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(records.length);
    for (const event of result.events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });
});
