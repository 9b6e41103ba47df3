import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { splitRecords } from '../../core/ingest/split-records';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { googleWorkspaceSource } from './index';
import { isWorkspaceActivity, normalizeWorkspaceActivity } from './normalize-workspace-activity';
import { expandWorkspaceActivities } from './reports-activity-schema';

const adapter = googleWorkspaceSource;
const ctx = { source: 'google_workspace', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpusDir = process.env.MANTISSA_CORPUS
  ? `${process.env.MANTISSA_CORPUS}logs/google-workspace/`
  : fileURLToPath(new URL('../../../shared/corpus/logs/google-workspace/', import.meta.url));

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
  const result = normalizeWorkspaceActivity(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const documented = (line: number) => JSON.parse(readFileSync(fixture('documented.ndjson'), 'utf8').split('\n')[line - 1]!) as Record<string, unknown>;
const panther = 'panther-analysis.GSuite.ActivityEvent.ndjson';

describe('normalizeWorkspaceActivity', () => {
  it.each(['activities.ndjson', 'documented.ndjson', 'activities-page.json'])('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it('produces rows that satisfy the normalized schema', () => {
    for (const name of ['activities.ndjson', 'documented.ndjson']) {
      const { actual } = runGoldenFixture(fixture(name), adapter);
      for (const row of actual as Record<string, unknown>[]) {
        const { line: _line, ...event } = row;
        expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
      }
    }
  });

  describe('identity actions on corpus samples', () => {
    it.each([
      [36, 'login_success', 'session_start', 'success'],
      [127, 'login_failure', 'auth_failure', 'failure'],
      [42, 'logout', 'session_end', 'success'],
      [49, 'login_success', 'auth_success', 'success'], // saml: a sign-in to an app
      [125, 'ASSIGN_ROLE', 'privilege_grant', 'success'],
      [70, 'CREATE_USER', 'account_create', 'success'],
      [68, 'authorize', 'oauth_consent', 'success'],
      [90, '2sv_enroll', 'factor_enroll', 'success'],
      [91, '2sv_disable', 'factor_remove', 'success'],
      [43, 'account_disabled_spamming', 'account_disable', 'unknown'],
      [89, 'suspicious_login', null, 'unknown'],
      [40, 'login_success', null, 'unknown'], // a login_success filed as an account warning
      [1, 'DELETE_ROLE', null, 'success'],
    ] as const)('line %i (%s) → %s', (line, action, identityAction, outcome) => {
      expect(ok(corpusRecord(panther, line))).toMatchObject({ action, identity_action: identityAction, outcome });
    });

    it('names the user a role was assigned to', () => {
      expect(ok(corpusRecord(panther, 125))).toMatchObject({ actor: 'bobert@example.com', target: 'bob@example.com', target_type: 'User' });
    });
  });

  // The corpus has no MFA challenge; these activities are written from the Reports API documentation.
  describe('MFA and admin events (fixtures written from the documentation)', () => {
    it.each([
      [1, 'session_start', 'success', 'google_authenticator'], // login_success after password + authenticator
      [2, 'auth_failure', 'failure', null], // login_failure_invalid_password
      [3, 'mfa_deny', 'failure', 'google_prompt'], // login_failure_invalid_second_factor
      [4, 'mfa_deny', 'failure', 'idv_preregistered_phone'], // login_challenge "Challenge Failed"
      [5, 'mfa_accept', 'success', 'google_authenticator'], // login_verification "Challenge Passed"
      [6, 'privilege_revoke', 'success', null], // UNASSIGN_ROLE
      [7, 'account_disable', 'success', null], // SUSPEND_USER
      [8, 'password_reset', 'success', null], // admin CHANGE_PASSWORD
      [9, 'token_revoke', 'success', null], // token revoke
    ] as const)('documented line %i → %s', (line, identityAction, outcome, factor) => {
      expect(ok(documented(line))).toMatchObject({ identity_action: identityAction, outcome, mfa_factor: factor });
    });

    it('reads API-shaped parameters, network info and lower-cases emails', () => {
      expect(ok(documented(1))).toMatchObject({ actor: 'ada.lovelace@example.com', src_asn: 64500, src_country: 'US', src_region: 'US-CA' });
      expect(ok(documented(7))).toMatchObject({ target: 'alan.turing@example.com', target_type: 'User' });
    });
  });

  describe('multi-event activities and pages', () => {
    it('splits an activity with two events into one record each, keeping the envelope', () => {
      const records = expandWorkspaceActivities(documented(10));
      expect(records).toHaveLength(2);
      const events = (records ?? []).map((r) => ok(r));
      expect(events.map((e) => e.action)).toEqual(['change_user_access', 'change_document_visibility']);
      expect(events.map((e) => e.actor)).toEqual(['ada.lovelace@example.com', 'ada.lovelace@example.com']);
    });

    it('leaves a single-event activity as it is', () => {
      expect(expandWorkspaceActivities(documented(1))).toBeNull();
    });

    it('unwraps an activities.list page, splitting its multi-event activities', () => {
      const split = splitRecords(readFileSync(fixture('activities-page.json'), 'utf8'), { expand: expandWorkspaceActivities });
      if (!split.ok) throw new Error(split.message);
      expect(split.records).toHaveLength(3);
    });

    it('keeps the first event and leaves the rest in raw when given a multi-event activity directly', () => {
      expect(ok(documented(10)).action).toBe('change_user_access');
    });
  });

  describe('feed detection', () => {
    it.each([
      ['streamalert.gsuite.reports.ndjson', 1], // API shape, kind audit#activity
      [panther, 36], // flattened
      [panther, 34], // only id.applicationName and type
    ] as const)('recognises %s line %i', (file, line) => {
      expect(isWorkspaceActivity(corpusRecord(file, line))).toBe(true);
    });
  });

  describe('messy and foreign input', () => {
    it('keeps an activity without a time, flagged, at the arrival time', () => {
      const event = ok(corpusRecord(panther, 36));
      expect([event.event_time, event.event_time_inferred]).toEqual([ctx.ingestTime, true]);
    });

    it('does not take a placeholder for an IP address', () => {
      expect(ok(corpusRecord('streamalert.gsuite.reports.ndjson', 1)).src_ip).toBeNull();
    });

    it('tolerates fields of the wrong type instead of dropping the event', () => {
      const event = ok({ kind: 'admin#reports#activity', id: { applicationName: 'login', time: 7 }, actor: 'x', events: 'y', ipAddress: 1 });
      expect([event.action, event.actor, event.src_ip, event.event_time_inferred]).toEqual(['unknown', null, null, true]);
    });

    it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
      const result = normalizeWorkspaceActivity(record, ctx);
      expect(result.ok ? null : result.reason).toBe('not_an_object');
    });

    it.each([[{}], [{ name: 'login_success' }], [{ id: 'abc' }]])('rejects %j as not a Workspace activity, saying why', (record) => {
      const result = normalizeWorkspaceActivity(record, ctx);
      expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
      expect(result.ok ? '' : result.message).toMatch(/not a Google Workspace activity/);
    });
  });
});

describe('google-workspace corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(corpusDir), `shared corpus missing at ${corpusDir}`).toBe(true);
  });

  const files = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    : [];
  it.each(files)('accepts every line of %s that holds vendor fields', async (file) => {
    // Two Panther test events (GSuite.ActivityEvent lines 128-129) are enrichment fixtures for Panther's
    // standard rules: once their p_ keys are dropped they are {} — nothing of Google's — and are rejected
    // (asserted below) rather than counted here.
    const records = corpusRecords(file).filter((r) => Object.keys(r).length > 0);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const result = await parseBatch(body, adapter, { source: 'google_workspace', batchId: 'corpus', ingestTime: ctx.ingestTime });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(records.length);
    for (const event of result.events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });

  it('rejects the two corpus lines that hold only Panther metadata', () => {
    const empty = corpusRecords(panther)
      .map((r, i) => [i + 1, r] as const)
      .filter(([, r]) => Object.keys(r).length === 0);
    expect(empty.map(([line]) => line)).toEqual([128, 129]);
    for (const [, r] of empty) expect(normalizeWorkspaceActivity(r, ctx)).toMatchObject({ ok: false, reason: 'unrecognized_shape' });
  });
});

describe('multi-event activities', () => {
  it('give each event its own id, so collectors de-duplicating by id keep them all', async () => {
    const { parseBatch } = await import('../../core/ingest/parse-batch');
    const { googleWorkspaceSource } = await import('./index');
    const activity = {
      kind: 'admin#reports#activity',
      id: { time: '2026-03-01T10:00:00.000Z', uniqueQualifier: '-123', applicationName: 'drive', customerId: 'C0' },
      actor: { email: 'alice@acme.test' },
      events: [
        { type: 'access', name: 'view', parameters: [{ name: 'doc_id', value: 'a' }] },
        { type: 'access', name: 'download', parameters: [{ name: 'doc_id', value: 'a' }] },
      ],
    };
    const result = await parseBatch(JSON.stringify(activity), googleWorkspaceSource, { source: 'google_workspace', batchId: 'b', ingestTime: '2026-03-01T10:05:00.000Z' });
    if (!result.ok) throw new Error(result.message);
    expect(result.events.map((e) => [e.event_id, e.action])).toEqual([
      ['-123#0', 'view'],
      ['-123#1', 'download'],
    ]);
  });
});
