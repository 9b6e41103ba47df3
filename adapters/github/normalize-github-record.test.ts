import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { githubSource } from './index';
import { normalizeGitHubRecord } from './normalize-github-record';

const adapter = githubSource;
const ctx = { source: 'github', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/logs/github-audit/', import.meta.url));
const auditFile = 'panther-analysis.GitHub.Audit.ndjson';
const gheFile = 'streamalert.ghe.general.ndjson';

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
  const result = normalizeGitHubRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const fixtures = ['audit-log.ndjson', 'audit-log-docs.ndjson', 'ghe-logstash.ndjson', 'ghe-syslog.log', 'webhooks.ndjson'];

describe('normalizeGitHubRecord', () => {
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
    ['an audit log event', { action: 'repo.create', actor: 'mona', repo: 'o/r' }, 'repo.create'],
    ['a wrapped webhook delivery', { x_github_event: 'repository', x_github_delivery: 'd1', payload: { action: 'created', sender: { login: 'mona' } } }, 'repository.created'],
    ['a wrapped webhook without an action', { x_github_event: 'push', x_github_delivery: 'd2', payload: { ref: 'refs/heads/main', sender: { login: 'mona' } } }, 'push'],
    ['a bare webhook payload', { action: 'deleted', sender: { login: 'mona' }, repository: { full_name: 'o/r' } }, 'webhook.deleted'],
    ['a logstash GHE record', { program: 'github_audit', message: '<190>May 22 12:05:54 ghe github_audit: {"action":"user.login","actor":"mona"}' }, 'user.login'],
    ['a GHE syslog line', '<190>May 22 12:05:54 ghe github_audit: {"action":"user.login","actor":"mona"}', 'user.login'],
  ])('detects %s', (_name, record, action) => {
    expect(ok(record).action).toBe(action);
  });

  it('maps corpus membership changes to privilege grants and revokes', () => {
    expect(ok(corpusRecord(auditFile, 30))).toMatchObject({ identity_action: 'privilege_grant', class_uid: 3006, target: 'cat', target_type: 'user' });
    expect(ok(corpusRecord(auditFile, 31))).toMatchObject({ identity_action: 'privilege_revoke', target: 'bob' });
    expect(ok(corpusRecord(auditFile, 93)).identity_action).toBe('privilege_grant');
    expect(ok(corpusRecord(auditFile, 94)).identity_action).toBe('privilege_grant');
  });

  it('makes org.update_member a grant only when the new role is admin', () => {
    expect(ok(corpusRecord(auditFile, 84)).identity_action).toBeNull();
    expect(ok({ action: 'org.update_member', permission: 'admin', user: 'mona' }).identity_action).toBe('privilege_grant');
    expect(ok({ action: 'org.update_member', permission: 'read', old_permission: 'admin', user: 'mona' }).identity_action).toBe('privilege_revoke');
  });

  it('maps corpus GHE two-factor changes to factor enroll and remove', () => {
    expect(ok(corpusRecord(gheFile, 11)).identity_action).toBe('factor_remove');
    expect(ok(corpusRecord(gheFile, 12)).identity_action).toBe('factor_enroll');
  });

  it('maps sign-ins, tokens and OAuth consent', () => {
    expect(ok({ action: 'user.failed_login', actor: 'mona' })).toMatchObject({ identity_action: 'auth_failure', outcome: 'failure' });
    expect(ok({ action: 'user.login', actor: 'mona' })).toMatchObject({ identity_action: 'auth_success', outcome: 'success' });
    expect(ok({ action: 'personal_access_token.access_revoked', hashed_token: 'abc=' })).toMatchObject({ identity_action: 'token_revoke', session_id: 'abc=' });
    expect(ok({ action: 'oauth_authorization.create', actor: 'mona' }).identity_action).toBe('oauth_consent');
  });

  it('uses the workflow conclusion as the outcome of a workflow run', () => {
    expect(ok(corpusRecord(auditFile, 2))).toMatchObject({ outcome: 'failure', outcome_reason: 'failure' });
  });

  it('reads epoch milliseconds, Panther’s at_sign_timestamp, and flags an unreadable time', () => {
    expect(ok({ action: 'a.b', '@timestamp': 1671111111111 }).event_time).toBe('2022-12-15T13:31:51.111Z');
    expect(ok({ action: 'a.b', at_sign_timestamp: '2022-08-16 16:56:49.309' }).event_time).toBe('2022-08-16T16:56:49.309Z');
    const untimed = ok(corpusRecord(auditFile, 49));
    expect([untimed.event_time, untimed.event_time_inferred]).toEqual([ctx.ingestTime, true]);
  });

  it('falls back to the relay’s receive time when a GHE event carries none', () => {
    const event = ok(corpusRecord(gheFile, 9));
    expect([event.event_time, event.event_time_inferred]).toEqual(['2017-09-06T03:49:31.600Z', false]);
  });

  it('keeps a GHE syslog line’s audit event as raw, and refuses a line whose JSON was cut', () => {
    const line = '<190>May 22 12:05:54 ghe github_audit: {"action":"user.login","actor":"mona","actor_ip":"192.0.2.1"}';
    expect(ok(line)).toMatchObject({ raw: '{"action":"user.login","actor":"mona","actor_ip":"192.0.2.1"}', src_ip: '192.0.2.1' });
    const cut = normalizeGitHubRecord('<190>May 22 12:05:54 ghe github_audit: {"action":"user.lo', ctx);
    expect(cut.ok ? '' : cut.reason).toBe('invalid_json');
  });

  it('gives webhook deliveries their delivery id and the arrival time, flagged', () => {
    const event = ok({ x_github_event: 'organization', x_github_delivery: 'd-1', payload: { action: 'member_added', membership: { user: { login: 'mona' } }, sender: { login: 'octo-admin', id: 1 } } });
    expect(event).toMatchObject({ event_id: 'd-1', identity_action: 'privilege_grant', actor: 'octo-admin', actor_id: '1', target: 'mona', event_time_inferred: true });
  });

  it('does not take a location outside the globe for coordinates', () => {
    const event = ok(corpusRecord(gheFile, 1));
    expect([event.src_country, event.src_lat, event.src_lon]).toEqual(['US', null, -123]);
  });

  it('tolerates fields of the wrong type instead of dropping the event', () => {
    const event = ok({ action: 'repo.create', actor: 5, actor_location: 'US', actor_ip: { ip: 1 } });
    expect([event.actor, event.src_country, event.src_ip]).toEqual([null, null, null]);
    expect(ok({ action: { name: 'repo.create' }, actor: 'mona', created_at: 1621305118553 })).toMatchObject({ action: 'unknown', actor: 'mona' });
  });

  it('rejects objects and lines that are not GitHub’s, saying what was expected', () => {
    const object = normalizeGitHubRecord({ hello: 'world' }, ctx);
    expect(object.ok ? '' : object.message).toMatch(/not a GitHub record/);
    const line = normalizeGitHubRecord('Jan 1 00:00:00 host sshd[1]: Accepted password', ctx);
    expect(line.ok ? '' : line.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeGitHubRecord(record, ctx);
    expect(result.ok ? '' : result.reason).toBe('not_an_object');
  });
});

describe('GitHub corpus', () => {
  it('is present (the shared corpus sits beside the repository)', () => {
    expect(existsSync(corpusDir), `the shared corpus is missing: ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir) ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const lines = corpusLines(file);
    const result = await parseBatch(lines.join('\n'), adapter, { source: 'github', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(lines.length);
  });
});
