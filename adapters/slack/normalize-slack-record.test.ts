import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { slackSource } from './index';
import { normalizeSlackRecord } from './normalize-slack-record';

const adapter = slackSource;
const ctx = { source: 'slack', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/slack-audit/', import.meta.url));
const auditFile = 'panther-analysis.Slack.AuditLogs.ndjson';

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
  const result = normalizeSlackRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const fixtures = ['slack-logs.ndjson', 'slack-logs-docs.ndjson'];

describe('normalizeSlackRecord', () => {
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
    ['an Audit Logs entry', { action: 'user_login', actor: { type: 'user', user: { email: 'a@b.c' } } }, 'user_login'],
    ['an access log entry', { user_id: 'U1', username: 'bob', date_first: 1422922864, ip: '192.0.2.1' }, 'access_log'],
    ['an integration log entry', { user_id: 'U1', app_id: 'A1', change_type: 'removed', date: '1392163201' }, 'integration_removed'],
  ])('detects %s', (_name, record, action) => {
    expect(ok(record).action).toBe(action);
  });

  it('maps sign-ins and sessions', () => {
    expect(ok({ action: 'user_login', actor: {} })).toMatchObject({ identity_action: 'auth_success', outcome: 'success', class_uid: 3002 });
    expect(ok({ action: 'user_login_failed', actor: {} })).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure' });
    expect(ok(corpusRecord(auditFile, 6))).toMatchObject({ identity_action: 'session_end', actor: 'user@example.com' });
    expect(ok(corpusRecord(auditFile, 12))).toMatchObject({ identity_action: 'session_end', target: 'target@example.com', target_type: 'user' });
  });

  it('maps corpus role changes to privilege grants and revokes', () => {
    expect(ok(corpusRecord(auditFile, 38))).toMatchObject({ identity_action: 'privilege_grant', target: 'example-account@example.com' });
    expect(ok(corpusRecord(auditFile, 37)).identity_action).toBe('privilege_revoke');
    expect(ok(corpusRecord(auditFile, 44)).identity_action).toBe('privilege_grant');
  });

  it('reads an access log entry as a sign-in at its first time, with its count', () => {
    const event = ok(corpusRecord('streamalert.slack.access.ndjson', 1));
    expect(event).toMatchObject({
      identity_action: 'auth_success',
      event_time: '2015-02-03T00:21:04.000Z',
      actor: 'bob',
      src_ip: '127.0.0.1',
      src_country: 'US',
      message: 'count=1, date_last=2015-02-03T00:21:04.000Z',
    });
  });

  it('reads an app added with scopes as an OAuth consent', () => {
    expect(ok(corpusRecord('streamalert.slack.integration.ndjson', 2))).toMatchObject({ identity_action: 'oauth_consent', message: 'chat:write:user,channels:read' });
    expect(ok(corpusRecord('streamalert.slack.integration.ndjson', 1)).identity_action).toBeNull();
  });

  it('reads epoch seconds as numbers or text, and Panther’s rewritten date_create', () => {
    expect(ok({ action: 'x', actor: {}, date_create: 1727883102 }).event_time).toBe('2024-10-02T15:31:42.000Z');
    expect(ok({ action: 'x', actor: {}, date_create: '1727883102' }).event_time).toBe('2024-10-02T15:31:42.000Z');
    expect(ok({ action: 'x', actor: {}, date_create: '2022-07-28 16:48:14' }).event_time).toBe('2022-07-28T16:48:14.000Z');
    expect(ok({ action: 'x', actor: {} }).event_time_inferred).toBe(true);
  });

  it('unwraps a whole Audit Logs API response into its entries', async () => {
    const body = JSON.stringify({ entries: [{ action: 'user_login', actor: {} }, { action: 'user_logout', actor: {} }], response_metadata: { next_cursor: '' } });
    const result = await parseBatch(body, adapter, { source: 'slack', batchId: 'b', ingestTime: ctx.ingestTime });
    expect(result.ok && result.events.map((e) => e.action)).toEqual(['user_login', 'user_logout']);
  });

  it('tolerates fields of the wrong type instead of dropping the entry', () => {
    const event = ok({ action: 'user_login', actor: { user: 'bob' }, context: { ip_address: 7 }, entity: [] });
    expect([event.actor, event.src_ip, event.target]).toEqual([null, null, null]);
  });

  it('rejects an object with no Slack log field, saying what was expected', () => {
    const result = normalizeSlackRecord({ hello: 'world' }, ctx);
    expect(result.ok ? '' : result.message).toMatch(/not a Slack log entry/);
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeSlackRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('Slack corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, { source: 'slack', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });
});
