import { describe, expect, it } from 'vitest';
import { parseItdrConfig } from './config';
import { canonicalAccount, groupByPerson, resolvePerson } from './resolve';

const identity = parseItdrConfig({
  identity: {
    aliases: { 'duo:dx7e1': 'alice@corp.com', 'a.smith@corp.com': 'alice@corp.com' },
    domainAliases: { 'corp.onmicrosoft.com': 'corp.com' },
    defaultDomain: 'corp.com',
  },
}).identity;

describe('resolvePerson', () => {
  it.each([
    ['okta', 'alice@corp.com', null, 'alice@corp.com'],
    ['entra_id', 'Alice@corp.onmicrosoft.com', null, 'alice@corp.com'],
    ['google_workspace', 'ALICE@CORP.COM', null, 'alice@corp.com'],
    ['duo', 'alice', null, 'alice@corp.com'],
    ['m365', 'CORP\\alice', null, 'alice@corp.com'],
    ['okta', 'a.smith@corp.com', null, 'alice@corp.com'],
    ['duo', 'someone-else', 'DX7E1', 'alice@corp.com'],
  ])('resolves %s %s to one person', (source, actor, actorId, expected) => {
    expect(resolvePerson({ source, subject: null, actor, actorId }, identity)).toBe(expected);
  });

  it('prefers the subject (the account acted on) over the actor', () => {
    expect(resolvePerson({ source: 'okta', subject: 'bob@corp.com', actor: 'admin@corp.com', actorId: 'x' }, identity)).toBe('bob@corp.com');
  });

  it('falls back to the provider id when the event names no account', () => {
    expect(resolvePerson({ source: 'okta', subject: null, actor: null, actorId: '00uABC' }, identity)).toBe('okta:00uabc');
    expect(resolvePerson({ source: 'okta', subject: null, actor: null, actorId: null }, identity)).toBeNull();
  });

  it('is idempotent on canonical keys', () => {
    expect(canonicalAccount(canonicalAccount('CORP\\Alice', identity), identity)).toBe('alice@corp.com');
  });

  it('keeps distinct people apart', () => {
    const groups = groupByPerson(
      [
        { source: 'okta', subject: null, actor: 'alice@corp.com', actorId: null },
        { source: 'entra_id', subject: null, actor: 'bob@corp.onmicrosoft.com', actorId: null },
        { source: 'duo', subject: null, actor: 'alice', actorId: null },
      ],
      identity,
    );
    expect([...groups.keys()]).toEqual(['alice@corp.com', 'bob@corp.com']);
    expect(groups.get('alice@corp.com')).toHaveLength(2);
  });
});
