import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { expandCompactTimestamp } from './event-log-file-schema';
import { salesforceSource } from './index';
import { normalizeSalesforceRecord } from './normalize-salesforce-record';

const adapter = salesforceSource;
const ctx = { source: 'salesforce', ingestTime: '2026-01-01T00:00:00.000Z' };
const batchCtx = { source: 'salesforce', batchId: 'b', ingestTime: ctx.ingestTime };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/salesforce/', import.meta.url));
const rawLogFile = 'cribl.cribl-salesforce-rest-io.salesforce_eventlogfile.raw.log';
const criblParsedFile = 'cribl.cribl-salesforce-rest-io.salesforce_eventlogfile.cribl-parsed.ndjson';

/** The corpus file's lines as sent by the ingest-corpus tool: keys starting with p_ (Panther metadata) dropped. */
function corpusLines(file: string): string[] {
  return readFileSync(`${corpusDir}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))));
}

function corpusRecord(file: string, line: number): unknown {
  return JSON.parse(corpusLines(file)[line - 1]!);
}

function ok(record: unknown) {
  const result = normalizeSalesforceRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const fixtures = [
  'event-log-file-rows.ndjson',
  'event-log-file-login.csv',
  'event-log-file-apexcallout.csv',
  'rest-records.ndjson',
  'rest-records-docs.ndjson',
];

describe('normalizeSalesforceRecord', () => {
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

  it.each([
    [{ EVENT_TYPE: 'Login', LOGIN_STATUS: 'LOGIN_NO_ERROR' }, 'Login', 'auth_success'],
    [{ attributes: { type: 'LoginHistory' }, Status: 'Success' }, 'LoginHistory', 'auth_success'],
    [{ LoginTime: '2025-09-02T20:11:47.000+0000', Status: 'Success' }, 'LoginHistory', 'auth_success'],
    [{ Action: 'resetpassword', Section: 'Manage Users' }, 'resetpassword', 'password_reset'],
    [{ attributes: { type: 'LogoutEvent' }, EventDate: '2025-10-02T20:45:10.000+0000' }, 'LogoutEvent', 'session_end'],
    [{ EventIdentifier: 'e1', EventDate: '2025-10-02T20:45:10.000+0000', Username: 'a@b.c' }, 'RealTimeEvent', null],
  ])('detects the feed of %j', (record, action, identity) => {
    const event = ok(record);
    expect([event.action, event.identity_action]).toEqual([action, identity]);
  });

  it('maps corpus logins: EventLogFile success, LoginHistory failure, and LoginAs as an impersonation session', () => {
    expect(ok(corpusRecord('panther-analysis.Salesforce.Login.ndjson', 1))).toMatchObject({
      identity_action: 'auth_success',
      outcome: 'success',
      actor: 'user@yourcompany.io',
      src_ip: '12.12.12.12',
    });
    expect(ok(corpusRecord('cribl.cribl-salesforce-rest-io.salesforce_loginhistory.ndjson', 19))).toMatchObject({
      identity_action: 'auth_failure',
      outcome: 'failure',
      outcome_reason: 'Invalid Password',
    });
    expect(ok(corpusRecord('panther-analysis.Salesforce.LoginAs.ndjson', 1))).toMatchObject({
      identity_action: 'session_start',
      actor: 'admin.user@yourcompany.io',
      target: 'fdokawnjf',
      target_type: 'user',
    });
  });

  it('maps a login refused at identity verification to an MFA denial', () => {
    expect(ok({ LoginTime: '2025-10-02T19:40:00.000+0000', Status: 'Failed: Verification Error' }).identity_action).toBe('mfa_deny');
  });

  it('maps corpus SetupAuditTrail user changes to identity actions', () => {
    const file = 'cribl.cribl-salesforce-rest-io.salesforce_setupadittrail.ndjson';
    expect(ok(corpusRecord(file, 1)).identity_action).toBe('account_create');
    expect(ok(corpusRecord(file, 2))).toMatchObject({ identity_action: 'factor_enroll', target: 'jdoe@acme.com' });
    expect(ok(corpusRecord(file, 13)).identity_action).toBe('password_change');
    expect(ok(corpusRecord(file, 82)).identity_action).toBeNull();
  });

  it('credits a Login-As setup change to the delegate, not to the impersonated creator', () => {
    const event = ok({ Action: 'PermSetAssign', Section: 'Manage Users', CreatedById: '005A', DelegateUser: 'Admin@Acme.com', Display: 'Permission set X: assigned to user Y (UserID: [005B])' });
    expect(event).toMatchObject({ actor: 'admin@acme.com', actor_id: null, identity_action: 'privilege_grant', target: '005B' });
  });

  it('reads the EventLogFile compact TIMESTAMP when TIMESTAMP_DERIVED is missing', () => {
    expect(expandCompactTimestamp('20250918160017.614')).toBe('2025-09-18T16:00:17.614Z');
    expect(expandCompactTimestamp('2023-05-04 21:36:47.569')).toBe('2023-05-04 21:36:47.569');
    expect(ok({ EVENT_TYPE: 'URI', TIMESTAMP: '20250918160017.614' }).event_time).toBe('2025-09-18T16:00:17.614Z');
    const untimed = ok({ EVENT_TYPE: 'URI', TIMESTAMP: '2025-13-45' });
    expect([untimed.event_time, untimed.event_time_inferred]).toEqual([ctx.ingestTime, true]);
  });

  it('keeps a CSV row’s columns as raw but leaves a typed JSON row to the pipeline', () => {
    expect(ok({ EVENT_TYPE: 'Login', LOGIN_STATUS: 'LOGIN_NO_ERROR' }).raw).toBe('{"EVENT_TYPE":"Login","LOGIN_STATUS":"LOGIN_NO_ERROR"}');
    expect(ok({ EVENT_TYPE: 'Login', CPU_TIME: 17 }).raw).toBeUndefined();
  });

  it('does not take "Salesforce.com IP" or a numeric client code for an address or a user agent', () => {
    const event = ok({ EVENT_TYPE: 'URI', CLIENT_IP: 'Salesforce.com IP', USER_AGENT: '10240' });
    expect([event.src_ip, event.user_agent]).toEqual([null, null]);
  });

  it('tolerates fields of the wrong type instead of dropping the record', () => {
    const event = ok({ EVENT_TYPE: 'Login', USER_NAME: 7, SOURCE_IP: ['1.2.3.4'], LOGIN_STATUS: {} });
    expect([event.actor, event.src_ip, event.outcome]).toEqual([null, null, 'unknown']);
    expect(ok({ EVENT_TYPE: 0, USER_NAME: 'A@B.com' })).toMatchObject({ action: 'unknown', actor: 'a@b.com' });
  });

  it('rejects an object that is neither an EventLogFile row nor an sObject record', () => {
    const result = normalizeSalesforceRecord({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/not a Salesforce record/);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeSalesforceRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('Salesforce corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, batchCtx);
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });

  it('reads every line of the raw EventLogFile sample as CSV under its event type’s header row', async () => {
    // The raw sample is Cribl's: data lines of three event types without their files' header rows. The header
    // of each event type is recovered from Cribl's own parse of the same lines (the cribl-parsed file, same
    // order), then each event type is sent as Salesforce serves it: a header row, then its lines.
    const rawLines = readFileSync(`${corpusDir}${rawLogFile}`, 'utf8').split('\n').filter((l) => l !== '');
    const parsed = readFileSync(`${corpusDir}${criblParsedFile}`, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p._raw)).toEqual(rawLines);

    const byType = Map.groupBy(parsed.keys(), (i) => String(parsed[i]!.EVENT_TYPE));
    expect(byType.size).toBe(3);
    for (const [, indexes] of byType) {
      const rows = indexes.map((i) => parsed[i]!);
      const header = headerOf(rows);
      const body = [header.join(','), ...indexes.map((i) => rawLines[i]!)].join('\n');
      const result = await parseBatch(body, adapter, batchCtx);
      if (!result.ok) throw new Error(result.message);
      expect(result.format).toBe('csv');
      expect(result.deadLetters).toEqual([]);
      expect(result.accepted).toBe(rows.length);
      // Each event's raw holds the row's columns exactly as Cribl parsed them.
      expect(result.events.map((e) => JSON.parse(e.raw) as unknown)).toEqual(rows.map((r) => columnsOf(r)));
    }
  });
});

const criblKeys = new Set(['_raw', 'host', 'source', '_time', 'cribl_breaker']);

function columnsOf(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !criblKeys.has(k)));
}

/**
 * The column order of Cribl's `_raw` lines: the column whose parsed value matches position i in every row;
 * columns that are equal in every row (all empty, say) are interchangeable and placed in name order.
 */
function headerOf(rows: Record<string, unknown>[]): string[] {
  const columns = Object.keys(columnsOf(rows[0]!));
  const fields = rows.map((r) => (parseCsv(String(r._raw)) as string[][])[0]!);
  const candidates = fields[0]!.map((_, i) => new Set(columns.filter((c) => rows.every((r, n) => r[c] === fields[n]![i]))));
  const header: (string | undefined)[] = candidates.map(() => undefined);
  const take = (i: number, column: string) => {
    header[i] = column;
    candidates.forEach((set, j) => j !== i && set.delete(column));
  };
  for (let progress = true; progress; ) {
    progress = false;
    candidates.forEach((set, i) => {
      if (header[i] === undefined && set.size === 1) {
        take(i, [...set][0]!);
        progress = true;
      }
    });
  }
  candidates.forEach((set, i) => header[i] ?? take(i, [...set].sort()[0]!));
  return header.map((h) => h!);
}
