import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { syslogSource } from './index';
import { normalizeSyslogLine } from './normalize-syslog-line';
import { parseSyslogLine } from './parse-syslog-line';

const adapter = syslogSource;
const ctx = { source: 'syslog', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusLogs = fileURLToPath(new URL('../../../shared/corpus/logs/', import.meta.url));

function ok(record: unknown) {
  const result = normalizeSyslogLine(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

function raw(line: string) {
  return JSON.parse(ok(line).raw!) as Record<string, unknown>;
}

describe('normalizeSyslogLine', () => {
  it.each(['rfc-examples.log', 'security-and-relays.log'])('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(['rfc-examples.log', 'security-and-relays.log'])('produces rows of %s that satisfy the normalized schema', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived' }).success).toBe(true);
    }
  });

  it('reads the RFC 5424 header, structured data and BOM of §6.5 example 3', () => {
    const line = '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...';
    expect(raw(line)).toEqual({
      pri: 165,
      facility: 20,
      severity: 5,
      version: 1,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      app_name: 'evntslog',
      procid: null,
      msgid: 'ID47',
      structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } },
      msg: 'An application event log entry...',
    });
    expect(ok(line)).toMatchObject({ event_time: '2003-10-11T22:14:15.003Z', severity: 'low', action: 'ID47', service: 'evntslog' });
  });

  it('unescapes \\" \\\\ and \\] in parameter values and keeps any other backslash (RFC 5424 §6.3.3)', () => {
    const sd = raw('<14>1 - - - - - [x@1 a="q\\"uote" b="back\\\\slash" c="br\\]acket" d="C:\\temp"]').structured_data;
    expect(sd).toEqual({ 'x@1': { a: 'q"uote', b: 'back\\slash', c: 'br]acket', d: 'C:\\temp' } });
  });

  it('keeps malformed structured data as message text instead of dropping it', () => {
    const m = raw('<14>1 2026-01-01T00:00:00Z h a - - [broken no-equals] text');
    expect([m.structured_data, m.msg]).toEqual([null, '[broken no-equals] text']);
  });

  it.each([
    [0, 'critical'],
    [1, 'critical'],
    [2, 'critical'],
    [3, 'high'],
    [4, 'medium'],
    [5, 'low'],
    [6, 'info'],
    [7, 'info'],
  ])('maps PRI severity %i to %s', (severity, expected) => {
    expect(ok(`<${8 + severity}>Oct 11 22:14:15 host app: text`).severity).toBe(expected);
  });

  it('takes the year from the arrival, or the year before when that would be more than a day ahead', () => {
    expect(ok('<13>Dec 31 23:59:59 h app: x').event_time).toBe('2025-12-31T23:59:59.000Z');
    expect(ok('<13>Jan  1 12:00:00 h app: x').event_time).toBe('2026-01-01T12:00:00.000Z');
    expect(normalizeSyslogLine('<13>Jan  2 23:00:00 h app: x', ctx)).toMatchObject({ ok: true, event: { event_time: '2025-01-02T23:00:00.000Z' } });
  });

  it('drops an RFC 6587 octet count before the PRI', () => {
    const m = raw('37 <34>1 2026-01-01T00:00:00Z h su - - - hi');
    expect([m.pri, m.app_name, m.msg]).toEqual([34, 'su', 'hi']);
  });

  it('reads a BSD line without PRI (a relay stripped it) and one without HOSTNAME', () => {
    expect(raw('Oct 11 22:14:15 mymachine su: hello')).toMatchObject({ pri: null, hostname: 'mymachine', app_name: 'su', msg: 'hello' });
    expect(raw('<13>Oct 11 22:14:15 sshd[42]: hello')).toMatchObject({ hostname: null, app_name: 'sshd', procid: '42', msg: 'hello' });
  });

  it('accepts a line that is not syslog as a message, time inferred', () => {
    const event = ok('just some text: with a colon');
    expect(event).toMatchObject({ message: 'just some text: with a colon', event_time: ctx.ingestTime, event_time_inferred: true, action: 'syslog', severity: null });
  });

  it.each([
    ['Accepted password for alice from 192.0.2.1 port 22 ssh2', 'auth_success', 'success', 'alice', '192.0.2.1'],
    ['Accepted publickey for alice from 2001:db8::1 port 22 ssh2: RSA SHA256:x', 'auth_success', 'success', 'alice', '2001:db8::1'],
    ['Failed password for invalid user admin from 203.0.113.5 port 4242 ssh2', 'auth_failure', 'failure', 'admin', '203.0.113.5'],
    ['Failed password for root from 203.0.113.5 port 4242 ssh2', 'auth_failure', 'failure', 'root', '203.0.113.5'],
    ['pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)', 'session_start', 'success', 'alice', null],
    ['pam_unix(sshd:session): session closed for user alice', 'session_end', 'success', 'alice', null],
  ])('reads sshd "%s"', (msg, identity, outcome, actor, ip) => {
    const event = ok(`<38>Oct 11 22:14:15 host sshd[1]: ${msg}`);
    expect([event.identity_action, event.outcome, event.actor, event.src_ip, event.class_uid]).toEqual([identity, outcome, actor, ip, 3002]);
  });

  it('does not read sshd-looking text from another program', () => {
    expect(ok('<38>Oct 11 22:14:15 host myapp: Accepted password for alice from 192.0.2.1 port 22').identity_action).toBeNull();
  });

  it('reads sudo commands and refusals', () => {
    const run = ok('<85>Oct 11 22:14:15 host sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id');
    expect([run.action, run.actor, run.target, run.target_type, run.outcome, run.class_uid]).toEqual(['sudo', 'alice', 'root', 'user', 'success', 1007]);
    const refused = ok('<85>Oct 11 22:14:15 host sudo: bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/sh');
    expect([refused.outcome, refused.outcome_reason, refused.identity_action]).toEqual(['failure', '3 incorrect password attempts', 'auth_failure']);
  });

  it('reads a relay JSON object, filling from its fields what the message text lacks', () => {
    const event = ok({ message: 'Accepted password for alice from 192.0.2.1 port 22 ssh2', hostname: 'bastion', appname: 'sshd', severity: 'info', timestamp: '2026-02-01T10:00:00Z' });
    expect(event).toMatchObject({ identity_action: 'auth_success', target: 'bastion', severity: 'info', event_time: '2026-02-01T10:00:00.000Z' });
    expect(event.raw).toBeUndefined();
    expect(ok({ MESSAGE: 'x', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'cron', PRIORITY: '3', __REALTIME_TIMESTAMP: '1767225600000000' })).toMatchObject({
      service: 'cron',
      severity: 'high',
      event_time: '2026-01-01T00:00:00.000Z',
      event_time_inferred: false,
    });
  });

  it('rejects a JSON object with no message text, and values that are neither text nor objects', () => {
    const noText = normalizeSyslogLine({ level: 'info' }, ctx);
    expect(noText.ok ? '' : noText.message).toMatch(/message, msg or MESSAGE/);
    for (const value of [42, null, ['a']]) expect(normalizeSyslogLine(value, ctx)).toMatchObject({ ok: false, reason: 'not_an_object' });
  });

  it('never lets a hostile line take quadratic time', () => {
    const line = `<13>Oct 11 22:14:15 h a: ${'['.repeat(50_000)}`;
    const sd = `<13>1 - - - - - ${'[a b="'.repeat(20_000)}`;
    // Quadratic parsing of 50,000 brackets would outlast the test timeout; both lines must still get an answer.
    expect(parseSyslogLine(line, ctx.ingestTime)).toBeDefined();
    expect(parseSyslogLine(sd, ctx.ingestTime)).toBeDefined();
  });
});

// There is no syslog sample in the shared corpus; its text files (VPC flow logs, a Salesforce EventLogFile) are
// line logs that are not syslog, which this source must still accept one message per line.
describe('shared corpus text lines', () => {
  it('finds the corpus (../shared/corpus beside the repository)', () => {
    expect(existsSync(corpusLogs), `missing shared corpus at ${corpusLogs}`).toBe(true);
  });

  const files = existsSync(corpusLogs) ? readdirSync(corpusLogs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.log')) : [];
  it('has text files to read', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('accepts every line of %s', async (file) => {
    const body = readFileSync(`${corpusLogs}${file}`, 'utf8');
    const result = await parseBatch(body, adapter, { source: 'syslog', batchId: 'b', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').filter((l) => l.trim() !== '').length);
  });
});
