import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { oktaSource } from './index';
import { normalizeOktaEvent } from './normalize-okta-event';

const adapter = oktaSource;
const ctx = { source: 'okta', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = fileURLToPath(new URL('./fixtures/system-log.ndjson', import.meta.url));

function ok(record: unknown) {
  const result = normalizeOktaEvent(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('normalizeOktaEvent', () => {
  it('matches the reviewed golden output for the corpus fixtures', () => {
    const { actual, expected } = runGoldenFixture(fixture, adapter);
    expect(actual).toEqual(expected);
  });

  it('produces rows that satisfy the normalized schema', () => {
    const { actual } = runGoldenFixture(fixture, adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it('maps a failed session start to an authentication failure', () => {
    const event = ok({
      eventType: 'user.session.start',
      published: '2026-03-01T10:00:00.000Z',
      outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      actor: { alternateId: 'Alice@Example.COM', id: '00u1' },
      client: { ipAddress: '203.0.113.9' },
    });
    expect(event).toMatchObject({
      identity_action: 'auth_failure',
      outcome: 'failure',
      outcome_reason: 'INVALID_CREDENTIALS',
      actor: 'alice@example.com',
      src_ip: '203.0.113.9',
      class_uid: 3002,
    });
  });

  it('keeps an event without a usable time, flagged, at the arrival time', () => {
    const event = ok({ eventType: 'user.session.start', published: 'redacted' });
    expect(event.event_time).toBe(ctx.ingestTime);
    expect(event.event_time_inferred).toBe(true);
  });

  it('tolerates fields of the wrong type instead of dropping the event', () => {
    const event = ok({ eventType: 'user.session.start', client: 'not-an-object', actor: { alternateId: 42 }, target: 'x' });
    expect(event.src_ip).toBeNull();
    expect(event.actor).toBeNull();
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeOktaEvent(record, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('not_an_object');
  });
});

describe('identity events on the real Okta samples', () => {
  const corpus = fileURLToPath(new URL('../../../shared/corpus/logs/okta/panther-analysis.Okta.SystemLog.ndjson', import.meta.url));
  const lines = readFileSync(corpus, 'utf8').split('\n');
  const at = (line: number) => ok(Object.fromEntries(Object.entries(JSON.parse(lines[line - 1]!) as object).filter(([k]) => !k.startsWith('p_'))));

  it.each([
    [21, 'user.session.start', 'session_start', 'success'],
    [6, 'user.session.start', 'auth_failure', 'failure'],
    [44, 'user.authentication.sso', 'auth_success', 'success'],
    [16, 'user.authentication.auth_via_mfa', 'mfa_accept', 'success'],
    [18, 'user.authentication.auth_via_mfa', 'mfa_deny', 'failure'],
  ])('line %i (%s) → %s', (line, action, identityAction, outcome) => {
    expect(at(line)).toMatchObject({ action, identity_action: identityAction, outcome });
  });
});
