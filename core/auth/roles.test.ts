import { describe, expect, it } from 'vitest';
import { mayIngest, permissions, roleAllows, roles, type Principal } from './roles';

const principal = (role: Principal['role'], source: string | null = null): Principal => ({
  id: 'tok_1',
  name: 'test',
  role,
  source,
  via: 'token',
});

describe('roleAllows', () => {
  it('grants admins every permission', () => {
    for (const p of permissions) expect(roleAllows('admin', p)).toBe(true);
  });

  it.each(roles.filter((r) => r !== 'admin'))('denies %s token management and audit', (role) => {
    expect(roleAllows(role, 'tokens:manage')).toBe(false);
    expect(roleAllows(role, 'audit:read')).toBe(false);
  });

  it('lets the ingest role do nothing but ingest', () => {
    expect(permissions.filter((p) => roleAllows('ingest', p))).toEqual(['events:ingest']);
  });

  it('keeps viewers read-only', () => {
    for (const p of ['events:ingest', 'alerts:write', 'rules:write', 'playbooks:run', 'playbooks:approve'] as const) {
      expect(roleAllows('viewer', p)).toBe(false);
    }
  });

  it('lets responders but not analysts approve playbooks', () => {
    expect(roleAllows('responder', 'playbooks:approve')).toBe(true);
    expect(roleAllows('analyst', 'playbooks:approve')).toBe(false);
  });
});

describe('mayIngest', () => {
  it('scopes ingest tokens to their source', () => {
    expect(mayIngest(principal('ingest', 'okta'), 'okta')).toBe(true);
    expect(mayIngest(principal('ingest', 'okta'), 'cloudtrail')).toBe(false);
    expect(mayIngest(principal('ingest', '*'), 'cloudtrail')).toBe(true);
    expect(mayIngest(principal('ingest', 'gcp_audit,google_workspace'), 'google_workspace')).toBe(true);
    expect(mayIngest(principal('ingest', 'gcp_audit,google_workspace'), 'okta')).toBe(false);
    expect(mayIngest(principal('ingest', null), 'okta')).toBe(false);
  });

  it('lets admins ingest anything and viewers nothing', () => {
    expect(mayIngest(principal('admin'), 'okta')).toBe(true);
    expect(mayIngest(principal('viewer'), 'okta')).toBe(false);
    expect(mayIngest(principal('analyst'), 'okta')).toBe(false);
  });
});
