import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { splitRecords } from '../../core/ingest/split-records';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { expandDuoResponse } from './duo-schema';
import { duoSource } from './index';
import { detectDuoFeed, normalizeDuoRecord, type DuoFeed } from './normalize-duo-record';

const adapter = duoSource;
const ctx = { source: 'duo', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = process.env.MANTISSA_CORPUS
  ? `${process.env.MANTISSA_CORPUS}logs/duo/`
  : fileURLToPath(new URL('../../../shared/corpus/logs/duo/', import.meta.url));

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
  const result = normalizeDuoRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const documented = (line: number) => JSON.parse(readFileSync(fixture('documented.ndjson'), 'utf8').split('\n')[line - 1]!) as Record<string, unknown>;
const fixtures = ['authentication.ndjson', 'administrator.ndjson', 'activity.ndjson', 'telephony.ndjson', 'users.ndjson', 'documented.ndjson'];

describe('normalizeDuoRecord', () => {
  it.each([...fixtures, 'authentication-response.json'])('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it('produces rows that satisfy the normalized schema', () => {
    for (const name of fixtures) {
      const { actual } = runGoldenFixture(fixture(name), adapter);
      for (const row of actual as Record<string, unknown>[]) {
        const { line: _line, ...event } = row;
        expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
      }
    }
  });

  describe('identity actions on corpus samples', () => {
    const auth2 = 'cribl.cribl-duo-rest-io.duo_authentication_docs_sample.ndjson';
    const panther = 'panther-analysis.Duo.Authentication.ndjson';
    const v1 = 'streamalert.duo.authentication.ndjson';
    it.each([
      [auth2, 1, 'mfa_accept', 'success'], // push approved: the MFA step succeeded
      [auth2, 2, 'mfa_deny', 'failure'], // push denied by the user
      [panther, 1, 'mfa_deny', 'failure'], // result fraud, user_marked_fraud
      [panther, 2, 'mfa_deny', 'failure'], // anomalous_push
      [panther, 3, 'mfa_accept', 'success'], // user_approved
      [panther, 5, 'auth_success', 'success'], // bypass_user: let in without a second factor
      [panther, 4, 'auth_failure', 'failure'], // out_of_date: denied by policy, not by the user
      [panther, 8, 'auth_failure', 'failure'], // endpoint_is_not_trusted
      [v1, 1, 'auth_failure', 'failure'], // v1 FAILURE "Anonymous IP"
      [v1, 2, 'mfa_deny', 'failure'], // v1 FRAUD
      [v1, 3, 'mfa_accept', 'success'], // v1 SUCCESS with Duo Push
    ] as const)('%s line %i → %s', (file, line, identityAction, outcome) => {
      expect(ok(corpusRecord(file, line))).toMatchObject({ identity_action: identityAction, outcome });
    });

    it.each([
      ['cribl.cribl-duo-rest-io.duo_telephony_docs_sample.ndjson', 2, 'mfa_challenge'], // phone call to authenticate
      ['cribl.cribl-duo-rest-io.duo_telephony_docs_sample.ndjson', 3, 'mfa_challenge'], // SMS for an administrator login
      ['cribl.cribl-duo-rest-io.duo_telephony_docs_sample.ndjson', 1, null], // SMS during enrollment
    ] as const)('telephony %s line %i → %s', (file, line, identityAction) => {
      expect(ok(corpusRecord(file, line)).identity_action).toBe(identityAction);
    });

    const admin = 'panther-analysis.Duo.Administrator.ndjson';
    it.each([
      [admin, 7, 'auth_success', null], // admin_login
      ['cribl.cribl-duo-rest-io.duo_admin_docs_sample.ndjson', 2, 'auth_failure', null], // admin_login_error
      [admin, 10, 'mfa_deny', null], // admin_2fa_error: push reported as fraudulent
      [admin, 6, 'account_create', 'Admin'], // admin_create
      [admin, 3, 'token_issue', 'User'], // bypass_create
      [admin, 22, 'account_enable', 'User'], // user_update status Active
      [admin, 23, 'account_disable', 'User'], // user_update status Disabled
      [admin, 24, 'factor_remove', 'User'], // user_update status Bypass
      [admin, 16, null, 'User'], // user_update of phones only
      ['cribl.cribl-duo-rest-io.duo_activity_docs_sample.ndjson', 2, 'account_create', 'Admin'], // activity admin_create
      ['cribl.cribl-duo-rest-io.duo_activity_docs_sample.ndjson', 1, null, 'webauthn_credential'], // failed enrollment
    ] as const)('%s line %i → %s on a %s', (file, line, identityAction, targetType) => {
      expect(ok(corpusRecord(file, line))).toMatchObject({ identity_action: identityAction, target_type: targetType });
    });

    it('takes a failed admin login’s address and IP from the description', () => {
      expect(ok(corpusRecord('cribl.cribl-duo-rest-io.duo_admin_docs_sample.ndjson', 2))).toMatchObject({
        actor: 'narroway@example.com',
        src_ip: '10.1.23.116',
        outcome_reason: 'SAML login is disabled',
      });
    });
  });

  // The corpus's offline-enrollment sample is a copy of the telephony sample; these are written from the docs.
  describe('documented records', () => {
    it.each([
      [1, 'factor_enroll', 'offline_enrollment'],
      [2, 'factor_remove', 'offline_enrollment'],
      [3, 'mfa_challenge', 'telephony'], // telephony v1
      [4, 'account_create', 'administrator'],
      [5, 'account_delete', 'administrator'],
      [6, 'factor_enroll', 'administrator'],
      [7, 'auth_success', 'authentication'], // remembered device: no second factor
      [8, 'factor_enroll', 'authentication'], // event_type enrollment
    ] as const)('line %i → %s (%s)', (line, identityAction, feed) => {
      const record = documented(line);
      expect(detectDuoFeed(record)).toBe(feed as DuoFeed);
      expect(ok(record).identity_action).toBe(identityAction);
    });

    it('reads the offline enrollment device from the description', () => {
      expect(ok(documented(1))).toMatchObject({ actor: 'narroway', service: 'Acme Laptop Windows Logon', mfa_factor: 'duo_otp', user_agent: 'DuoCredProv/4.0.6.413 (Windows NT 6.3.9600; x64; Server)' });
    });
  });

  describe('feed detection', () => {
    it.each([
      ['cribl.cribl-duo-rest-io.duo_authentication_docs_sample.ndjson', 'authentication'],
      ['streamalert.duo.authentication.ndjson', 'authentication'],
      ['panther-analysis.Duo.Administrator.ndjson', 'administrator'],
      ['cribl.cribl-duo-rest-io.duo_activity_docs_sample.ndjson', 'activity'],
      ['cribl.cribl-duo-rest-io.duo_telephony_docs_sample.ndjson', 'telephony'],
      ['cribl.cribl-duo-rest-io.duo_users_docs_sample.ndjson', 'user'],
    ] as const)('%s is %s', (file, feed) => {
      expect(detectDuoFeed(corpusRecord(file, 1))).toBe(feed);
    });

    it('keeps a user object as of its arrival, flagged', () => {
      const event = ok(corpusRecord('cribl.cribl-duo-rest-io.duo_users_docs_sample.ndjson', 1));
      expect([event.event_time, event.event_time_inferred, event.actor]).toEqual([ctx.ingestTime, true, 'jsmith']);
    });

    it('unwraps an Admin API response into its log entries', () => {
      const split = splitRecords(readFileSync(fixture('authentication-response.json'), 'utf8'), { expand: expandDuoResponse });
      if (!split.ok) throw new Error(split.message);
      expect(split.records).toHaveLength(2);
      expect(expandDuoResponse({ stat: 'OK', response: [{ action: 'user_update' }] })).toHaveLength(1);
      expect(expandDuoResponse({ stat: 'OK', response: { items: [1, 2, 3] } })).toHaveLength(3);
      expect(expandDuoResponse({ action: 'user_update', response: [] })).toBeNull();
    });
  });

  describe('messy and foreign input', () => {
    it('keeps an authentication without a time, flagged, at the arrival time', () => {
      const event = ok(corpusRecord('panther-analysis.Duo.Authentication.ndjson', 1));
      expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
    });

    it('keeps an administrator entry whose description is not JSON, as its message', () => {
      expect(ok(corpusRecord('panther-analysis.Duo.Administrator.ndjson', 8)).message).toBe('"message": "Admin temporarily locked out due to too many passcode attempts."');
    });

    it('tolerates fields of the wrong type instead of dropping the event', () => {
      const event = ok({ txid: 'x', result: 'success', user: 'not-an-object', access_device: { ip: 12 }, isotimestamp: 5 });
      expect([event.actor, event.src_ip, event.event_time_inferred, event.identity_action]).toEqual([null, null, true, 'mfa_accept']);
    });

    it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
      const result = normalizeDuoRecord(record, ctx);
      expect(result.ok ? null : result.reason).toBe('not_an_object');
    });

    it.each([[{}], [{ hello: 'world' }], [{ action: { type: 'x' } }], [{ result: 'ok' }]])('rejects %j as not Duo, saying what it expected', (record) => {
      const result = normalizeDuoRecord(record, ctx);
      expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
      expect(result.ok ? '' : result.message).toMatch(/not a Duo record: expected an authentication log/);
    });
  });
});

describe('duo corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(corpusDir), `shared corpus missing at ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const records = corpusRecords(file);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const result = await parseBatch(body, adapter, { source: 'duo', batchId: 'corpus', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(records.length);
    for (const event of result.events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });
});
