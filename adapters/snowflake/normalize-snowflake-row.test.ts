import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { snowflakeSource } from './index';
import { normalizeSnowflakeRow } from './normalize-snowflake-row';

const adapter = snowflakeSource;
const ctx = { source: 'snowflake', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/snowflake/', import.meta.url));

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
  const result = normalizeSnowflakeRow(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeSnowflakeRow', () => {
  it.each(['account-usage.ndjson', 'account-usage-docs.ndjson'])('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(['account-usage.ndjson', 'account-usage-docs.ndjson'])('produces rows that satisfy the normalized schema (%s)', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it.each([
    [{ EVENT_TYPE: 'LOGIN', IS_SUCCESS: 'YES' }, 'LOGIN', 3002],
    [{ QUERY_ID: 'q1', QUERY_TYPE: 'SELECT' }, 'SELECT', 6005],
    [{ SESSION_ID: 1, LOGIN_EVENT_ID: 2 }, 'SESSION', 3002],
    [{ PRIVILEGE: 'SELECT', GRANTEE_NAME: 'R' }, 'GRANT_PRIVILEGE', 3005],
    [{ GRANTEE_NAME: 'U', ROLE: 'SYSADMIN' }, 'GRANT_ROLE', 3005],
    [{ BYTES_TRANSFERRED: 10, TRANSFER_TYPE: 'COPY' }, 'COPY', 4001],
  ])('detects the view of %j', (row, action, classUid) => {
    const event = ok(row);
    expect([event.action, event.class_uid]).toEqual([action, classUid]);
  });

  it('maps corpus logins: success, failure, MFA factor and logout', () => {
    const file = 'panther-analysis.Snowflake.LoginHistory.ndjson';
    expect(ok(corpusRecord(file, 1))).toMatchObject({ identity_action: 'auth_success', outcome: 'success', actor: 'ckent@dailyplanet.org', src_ip: '1.1.1.1' });
    expect(ok(corpusRecord(file, 3))).toMatchObject({
      identity_action: 'auth_failure',
      outcome: 'failure',
      outcome_reason: '394304: JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH',
    });
    expect(ok(corpusRecord(file, 5))).toMatchObject({ identity_action: 'auth_success', mfa_factor: 'OTP' });
    expect(ok(corpusRecord(file, 12))).toMatchObject({ action: 'LOGOUT', identity_action: 'session_end' });
  });

  it('maps a refused second factor to an MFA denial', () => {
    expect(ok({ EVENT_TYPE: 'LOGIN', IS_SUCCESS: 'NO', ERROR_MESSAGE: 'EXT_AUTHN_DENIED' }).identity_action).toBe('mfa_deny');
  });

  it('maps user-management statements from the corpus query history', () => {
    const file = 'panther-analysis.Snowflake.QueryHistory.ndjson';
    expect(ok(corpusRecord(file, 8)).identity_action).toBe('account_create');
    expect(ok(corpusRecord(file, 9)).identity_action).toBe('account_enable');
    expect(ok(corpusRecord(file, 10)).identity_action).toBe('account_disable');
    expect(ok(corpusRecord(file, 7))).toMatchObject({ outcome: 'failure', identity_action: null });
  });

  it('reads a role grant as privilege_grant and a deleted one as privilege_revoke, at the deletion time', () => {
    expect(ok({ GRANTEE_NAME: 'MERCY', ROLE: 'SYSADMIN', CREATED_ON: '2024-10-08 11:24:50.682' }).identity_action).toBe('privilege_grant');
    const revoked = ok({ GRANTEE_NAME: 'MERCY', ROLE: 'SYSADMIN', CREATED_ON: '2024-10-08 11:24:50.682', DELETED_ON: '2024-10-09 08:00:00.000 -0700' });
    expect([revoked.identity_action, revoked.event_time]).toEqual(['privilege_revoke', '2024-10-09T15:00:00.000Z']);
  });

  it('reads Snowflake timestamps with an offset, without a zone, and as epoch seconds', () => {
    expect(ok({ EVENT_TYPE: 'LOGIN', EVENT_TIMESTAMP: '2024-01-01 10:00:00.000 -0700' }).event_time).toBe('2024-01-01T17:00:00.000Z');
    expect(ok({ EVENT_TYPE: 'LOGIN', EVENT_TIMESTAMP: '2024-10-08 14:38:46.061000000' }).event_time).toBe('2024-10-08T14:38:46.061Z');
    expect(ok({ EVENT_TYPE: 'LOGIN', EVENT_TIMESTAMP: 1728398326 }).event_time).toBe('2024-10-08T14:38:46.000Z');
    const untimed = ok({ EVENT_TYPE: 'LOGIN', EVENT_TIMESTAMP: 'yesterday' });
    expect([untimed.event_time, untimed.event_time_inferred]).toEqual([ctx.ingestTime, true]);
  });

  it('reads rows whose column names were lower-cased by the exporter', () => {
    expect(ok({ event_type: 'LOGIN', is_success: 'YES', user_name: 'A@B.COM' })).toMatchObject({ identity_action: 'auth_success', actor: 'a@b.com' });
  });

  it('tolerates columns of the wrong type instead of dropping the row', () => {
    const event = ok({ EVENT_TYPE: 'LOGIN', USER_NAME: 42, CLIENT_IP: { ip: 1 }, IS_SUCCESS: [] });
    expect([event.actor, event.src_ip, event.outcome]).toEqual([null, null, 'unknown']);
  });

  it('rejects an object with no Snowflake column, saying which columns it looked for', () => {
    const result = normalizeSnowflakeRow({ hello: 'world' }, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.reason, result.message]).toEqual(['unrecognized_shape', expect.stringMatching(/LOGIN_HISTORY/)]);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeSnowflakeRow(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('Snowflake corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, { source: 'snowflake', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });
});
