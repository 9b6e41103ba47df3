import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../schema/event';
import { groupIdentityEvents, identitySubject } from './identity-event';

const base = {
  identity_action: null,
  actor: null,
  target: null,
  target_type: null,
} as const;

function ev(over: Partial<NormalizedEvent & { event_uid: string }>): NormalizedEvent & { event_uid: string } {
  return { ...base, event_uid: 'u', event_time: 't', source: 'okta', action: 'a', outcome: 'success', ...over } as NormalizedEvent & {
    event_uid: string;
  };
}

describe('identitySubject', () => {
  it('is the actor for sign-ins', () => {
    expect(identitySubject(ev({ identity_action: 'session_start', actor: 'Alice@Acme.test' }))).toBe('alice@acme.test');
  });

  it('is the target user for privilege grants done by an admin', () => {
    expect(
      identitySubject(
        ev({ identity_action: 'privilege_grant', actor: 'admin@acme.test', target: 'bob@acme.test', target_type: 'User' }),
      ),
    ).toBe('bob@acme.test');
  });

  it('is null for events that are not identity events', () => {
    expect(identitySubject(ev({ actor: 'alice@acme.test' }))).toBeNull();
  });
});

describe('groupIdentityEvents', () => {
  it('groups by subject and skips non-identity events', () => {
    const groups = groupIdentityEvents([
      ev({ event_uid: '1', identity_action: 'auth_failure', actor: 'a@x.test' }),
      ev({ event_uid: '2', identity_action: 'session_start', actor: 'a@x.test' }),
      ev({ event_uid: '3', actor: 'a@x.test' }),
      ev({ event_uid: '4', identity_action: 'session_start', actor: 'b@x.test' }),
    ]);
    expect([...groups.entries()].map(([k, v]) => [k, v.map((s) => s.eventUid)])).toEqual([
      ['a@x.test', ['1', '2']],
      ['b@x.test', ['4']],
    ]);
  });
});
