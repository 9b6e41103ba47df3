import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { splitRecords } from '../../core/ingest/split-records';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { eventTypes } from './event-types';
import { expandOneLoginPage } from './events-api-schema';
import { oneloginSource } from './index';
import { normalizeOneLoginEvent } from './normalize-onelogin-event';

const adapter = oneloginSource;
const ctx = { source: 'onelogin', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = process.env.MANTISSA_CORPUS
  ? `${process.env.MANTISSA_CORPUS}logs/onelogin/`
  : fileURLToPath(new URL('../../../shared/corpus/logs/onelogin/', import.meta.url));

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
  const result = normalizeOneLoginEvent(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const documented = (line: number) => JSON.parse(readFileSync(fixture('documented.ndjson'), 'utf8').split('\n')[line - 1]!) as unknown;
const panther = 'panther-analysis.OneLogin.Events.ndjson';

describe('normalizeOneLoginEvent', () => {
  it.each(['events.ndjson', 'documented.ndjson', 'events-page.json'])('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it('produces rows that satisfy the normalized schema', () => {
    for (const name of ['events.ndjson', 'documented.ndjson']) {
      const { actual } = runGoldenFixture(fixture(name), adapter);
      for (const row of actual as Record<string, unknown>[]) {
        const { line: _line, ...event } = row;
        expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
      }
    }
  });

  describe('identity actions on corpus samples', () => {
    it.each([
      [2, 'USER_LOGGED_INTO_ONELOGIN', 'session_start', 'success'], // type 5 (a number)
      [3, 'USER_LOGGED_INTO_ONELOGIN', 'session_start', 'success'], // type "5" (a string)
      [4, 'USER_FAILED_ONELOGIN_LOGIN', 'auth_failure', 'failure'], // type 6
      [27, 'USER_LOGGED_INTO_APP', 'auth_success', 'success'], // type 8
      [19, 'USER_UNAUTHORIZED_APP_ACCESS', 'auth_failure', 'failure'], // type 90
      [1, 'CREATED_USER', 'account_create', 'success'], // type 13
      [16, 'DELETED_USER', 'account_delete', 'success'], // type 17
      [22, 'SUSPENDED_USER_VIA_API', 'account_disable', 'success'], // type 551
      [10, 'USER_CHANGED_PASSWORD', 'password_change', 'success'], // type 11
      [12, 'ADMIN_CHANGED_USER_PASSWORD', 'password_reset', 'success'], // type 211
      [14, 'USER_REMOVED_OTP_DEVICE', 'factor_remove', 'success'], // type 24
      [26, 'PRIVILEGE_GRANTED_TO_USER', 'privilege_grant', 'success'], // type 72
      [8, 'USER_REVEALED_PASSWORD', null, 'success'], // type 240
    ] as const)('line %i is %s → %s', (line, action, identityAction, outcome) => {
      expect(ok(corpusRecord(panther, line))).toMatchObject({ action, identity_action: identityAction, outcome });
    });

    it('names the user who received a privilege as the target, and the privilege', () => {
      expect(ok(corpusRecord(panther, 26))).toMatchObject({ actor: "Bobert O'Bobly", target: 'Evil Bob', target_type: 'User', message: 'Super user' });
    });

    it('takes the user signing in as the actor when OneLogin leaves the actor out', () => {
      expect(ok(corpusRecord(panther, 18))).toMatchObject({ actor: 'Bob Cat', actor_id: '123456', actor_type: 'User', service: 'confluence' });
    });
  });

  // The corpus has no MFA event; these records are written from the Events API documentation.
  describe('MFA events (fixtures written from the documentation)', () => {
    it.each([
      [1, "USER_LOGIN_CHALLENGE", "mfa_challenge", "unknown"],
      [2, 'OL_OTP_PUSH_REJECT', 'mfa_deny', 'failure'],
      [3, 'USER_LOGIN_CHALLENGE_FAILED', 'mfa_deny', 'failure'],
      [4, 'USER_ADDED_OTP_DEVICE', 'factor_enroll', 'success'],
      [5, 'USER_LOGGED_OUT_OF_ONELOGIN', 'session_end', 'success'],
    ] as const)('documented line %i is %s → %s', (line, action, identityAction, outcome) => {
      expect(ok(documented(line))).toMatchObject({ action, identity_action: identityAction, outcome });
    });

    it('records the OTP device as the factor', () => {
      expect(ok(documented(2)).mfa_factor).toBe('OneLogin Protect');
    });
  });

  it('has a name for every event type in the corpus', () => {
    const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
    for (const file of files) {
      for (const record of corpusRecords(file)) expect(eventTypes.has(Number(record.event_type_id)), String(record.event_type_id)).toBe(true);
    }
  });

  it('keeps an unknown type by its number', () => {
    expect(ok({ event_type_id: 99999, user_name: 'x' })).toMatchObject({ action: 'event_type_99999', identity_action: null, outcome: 'unknown' });
  });

  it('unwraps an Events API page into its events', () => {
    const split = splitRecords(readFileSync(fixture('events-page.json'), 'utf8'), { expand: expandOneLoginPage });
    if (!split.ok) throw new Error(split.message);
    expect(split.records).toHaveLength(2);
    expect(expandOneLoginPage({ event_type_id: 5, data: [] })).toBeNull();
  });

  describe('messy and foreign input', () => {
    it('keeps an event without a time, flagged, at the arrival time', () => {
      const event = ok(corpusRecord(panther, 2));
      expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
    });

    it('tolerates fields of the wrong type instead of dropping the event', () => {
      const event = ok({ event_type_id: 'five', user_name: 12, ipaddr: 'localhost', created_at: 3 });
      expect([event.action, event.target, event.src_ip]).toEqual(['unknown', null, null]);
    });

    it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
      const result = normalizeOneLoginEvent(record, ctx);
      expect(result.ok ? null : result.reason).toBe('not_an_object');
    });

    it.each([[{}], [{ user_name: 'Bob Cat' }], [{ eventType: 'user.session.start' }]])('rejects %j as not OneLogin, saying why', (record) => {
      const result = normalizeOneLoginEvent(record, ctx);
      expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
      expect(result.ok ? '' : result.message).toMatch(/not a OneLogin event: it has no event_type_id/);
    });
  });
});

describe('onelogin corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(corpusDir), `shared corpus missing at ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const records = corpusRecords(file);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const result = await parseBatch(body, adapter, { source: 'onelogin', batchId: 'corpus', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(records.length);
    for (const event of result.events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });
});
