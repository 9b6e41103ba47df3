import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { onePasswordSource } from './index';
import { normalizeOnePasswordEvent } from './normalize-onepassword-event';

const adapter = onePasswordSource;
const ctx = { source: 'onepassword', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/1password/', import.meta.url));
const signInFile = 'panther-analysis.OnePassword.SignInAttempt.ndjson';
const auditFile = 'cribl.cribl-1password-rest-io.cribl_1password_auditevents.ndjson';

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
  const result = normalizeOnePasswordEvent(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const fixtures = ['events.ndjson', 'events-docs.ndjson'];

describe('normalizeOnePasswordEvent', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows that satisfy the normalized schema (%s)', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it.each([
    ['a sign-in attempt', { category: 'success', type: 'credentials_ok', target_user: {} }, 'signin.success', 3002],
    ['an item usage', { item_uuid: 'i1', vault_uuid: 'v1', action: 'fill' }, 'item.fill', 6001],
    ['an audit event', { actor_uuid: 'a1', action: 'create', object_type: 'satoken' }, 'satoken.create', 3001],
  ])('detects %s', (_name, record, action, classUid) => {
    const event = ok(record);
    expect([event.action, event.class_uid]).toEqual([action, classUid]);
  });

  it('maps corpus sign-ins: success and failed credentials', () => {
    expect(ok(corpusRecord(signInFile, 1))).toMatchObject({
      identity_action: 'auth_success',
      outcome: 'success',
      outcome_reason: 'credentials_ok',
      actor: 'homer@springfield.gov',
      src_ip: '1.1.1.1',
      session_id: '12345',
    });
    expect(ok(corpusRecord(signInFile, 4))).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure', outcome_reason: 'password_secret_bad', src_ip: '111.111.111.111' });
    expect(ok(corpusRecord(signInFile, 5))).toMatchObject({ src_country: 'RU', src_city: 'Moscow', src_lat: 55.752 });
  });

  it('maps a failed second factor to an MFA denial, naming the factor', () => {
    expect(ok({ category: 'mfa_failed', type: 'totp_bad', target_user: {} })).toMatchObject({ identity_action: 'mfa_deny', outcome: 'failure', mfa_factor: 'totp' });
    expect(ok({ category: 'mfa_failed', type: 'duo_timeout', target_user: {} }).mfa_factor).toBe('duo');
  });

  it('maps corpus audit events: delegated sessions and service account tokens', () => {
    expect(ok(corpusRecord(auditFile, 1))).toMatchObject({ action: 'dlgdsess.dlgsess', identity_action: 'session_start', actor: 'peter@acme.com', session_id: 'INGTJQJOJJFZ5EDBUWPJTXI6DA' });
    expect(ok(corpusRecord(auditFile, 49))).toMatchObject({ action: 'satoken.create', identity_action: 'token_issue', message: 'Test' });
    expect(ok(corpusRecord(auditFile, 14)).identity_action).toBeNull();
  });

  it('makes the user who gains vault or group access the target of the grant', () => {
    const event = ok({ actor_uuid: 'A', action: 'grant', object_type: 'uva', object_uuid: 'VAULT', aux_details: { email: 'W@Example.com' } });
    expect(event).toMatchObject({ identity_action: 'privilege_grant', target: 'w@example.com', target_type: 'user', service: 'VAULT' });
  });

  it('does not take a malformed client address for an IP', () => {
    expect(ok(corpusRecord('panther-analysis.OnePassword.ItemUsage.ndjson', 3)).src_ip).toBeNull();
  });

  it('reads nanosecond RFC 3339 times and Panther’s rewritten ones', () => {
    expect(ok({ category: 'success', type: 'credentials_ok', timestamp: '2025-07-28T18:49:16.504514981Z' }).event_time).toBe('2025-07-28T18:49:16.504Z');
    expect(ok({ category: 'success', type: 'credentials_ok', timestamp: '2021-12-15 18:02:23' }).event_time).toBe('2021-12-15T18:02:23.000Z');
    expect(ok({ category: 'success', type: 'x' }).event_time_inferred).toBe(true);
  });

  it('unwraps a whole Events API response', async () => {
    const body = JSON.stringify({ cursor: 'c', has_more: false, items: [{ category: 'success', type: 'credentials_ok' }, { item_uuid: 'i', action: 'fill' }] });
    const result = await parseBatch(body, adapter, { source: 'onepassword', batchId: 'b', ingestTime: ctx.ingestTime });
    expect(result.ok && result.events.map((e) => e.action)).toEqual(['signin.success', 'item.fill']);
  });

  it('tolerates fields of the wrong type instead of dropping the record', () => {
    const event = ok({ category: 'success', target_user: 'homer', client: { ip_address: 1 }, location: [] });
    expect([event.actor, event.src_ip, event.src_country]).toEqual([null, null, null]);
  });

  it('rejects an object with no 1Password field, saying what was expected', () => {
    const result = normalizeOnePasswordEvent({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/not a 1Password Events API record/);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeOnePasswordEvent(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('1Password corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, { source: 'onepassword', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });
});
