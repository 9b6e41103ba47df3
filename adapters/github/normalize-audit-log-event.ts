/**
 * GitHub audit log event (REST API, streaming, or GitHub Enterprise Server syslog) → normalized event. Pure;
 * never throws.
 *
 * Invariants:
 * - An audit entry records something that happened: outcome is success, except `user.failed_login` and
 *   workflow runs whose `conclusion` is not success.
 * - Membership changes (org, team, repository, moderators) are privilege grants/revokes in OCSF Group
 *   Management; role changes are User Access Management. `org.update_member` is a grant only when the new
 *   role is admin, a revoke when the old one was.
 * - Credentials: personal access tokens, OAuth tokens, SSH and deploy keys are token_issue/token_revoke;
 *   authorizing an OAuth app or installing a GitHub App is oauth_consent.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { finiteNumber, ipAddress, principalName, text } from '../shared/lenient';
import { auditLogEventSchema, type AuditLogEvent } from './audit-log-schema';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';

export function normalizeAuditLogEvent(record: Record<string, unknown>, ctx: ParseContext, fallbackTime: string | null = null): EventDraft {
  const e = auditLogEventSchema.parse(record);
  const data = e.data ?? null;
  const action = text(e.action) ?? 'unknown';
  const time = toIsoMillis(e['@timestamp']) ?? toIsoMillis(e.at_sign_timestamp) ?? toIsoMillis(e.created_at) ?? fallbackTime;
  const outcome = auditOutcome(action, text(e.conclusion));
  const identity = outcome === 'failure' && action !== 'user.failed_login' ? null : auditIdentity(action, e);
  const location = e.actor_location ?? data?.actor_location ?? null;
  const target = auditTarget(e, identity !== null || action.includes('member') || action.startsWith('user.'));
  const org = Array.isArray(e.org) ? (e.org[0] ?? null) : text(e.org);
  const actor = text(e.actor);
  return {
    ...blankEvent(ctx, time, auditClass(action, identity)),
    event_id: text(e._document_id) ?? text(data?._document_id),
    action,
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? (text(e.conclusion) ?? text(data?.reason)) : null,
    actor: principalName(actor),
    actor_id: idText(e.actor_id),
    actor_name: principalName(e.external_identity_nameid) ?? text(e.external_identity_username),
    actor_type: e.actor_is_bot === true || actor?.endsWith('[bot]') ? 'bot' : e.actor_is_bot === false ? 'user' : null,
    src_ip: ipAddress(e.actor_ip),
    src_country: text(location?.country_code),
    src_region: text(location?.region_name) ?? text(location?.region),
    src_city: text(location?.city),
    src_lat: latitude(location?.location?.lat),
    src_lon: longitude(location?.location?.lon),
    user_agent: text(e.user_agent) ?? text(data?.user_agent),
    service: org ?? text(e.business),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: text(e.hashed_token) ?? idText(e.token_id) ?? idText(data?.actor_session),
    message: text(e.programmatic_access_type),
  };
}

function auditOutcome(action: string, conclusion: string | null): Outcome {
  if (action === 'user.failed_login') return 'failure';
  if (conclusion === null) return 'success';
  return conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped' ? 'success' : 'failure';
}

const membershipGrants = new Set([
  'org.add_member',
  'org.add_billing_manager',
  'team.add_member',
  'repo.add_member',
  'organization_moderators.add_user',
  'business.add_organization_member',
]);
const membershipRevokes = new Set([
  'org.remove_member',
  'org.remove_billing_manager',
  'org.remove_outside_collaborator',
  'team.remove_member',
  'repo.remove_member',
  'organization_moderators.remove_user',
  'business.remove_organization_member',
]);

const fixedIdentity: Record<string, IdentityAction> = {
  'team.promote_maintainer': 'privilege_grant',
  'business.add_admin': 'privilege_grant',
  'user.promote': 'privilege_grant',
  'team.demote_maintainer': 'privilege_revoke',
  'business.remove_admin': 'privilege_revoke',
  'user.demote': 'privilege_revoke',
  'user.login': 'auth_success',
  'user.failed_login': 'auth_failure',
  'user.logout': 'session_end',
  'user.create': 'account_create',
  'user.suspend': 'account_disable',
  'user.unsuspend': 'account_enable',
  'user.destroy': 'account_delete',
  'user.delete': 'account_delete',
  'user.change_password': 'password_change',
  'user.forgot_password': 'password_reset',
  'user.reset_password': 'password_reset',
  'two_factor_authentication.enabled': 'factor_enroll',
  'two_factor_authentication.add_factor': 'factor_enroll',
  'two_factor_authentication.disabled': 'factor_remove',
  'two_factor_authentication.remove_factor': 'factor_remove',
  'personal_access_token.create': 'token_issue',
  'personal_access_token.access_granted': 'token_issue',
  'personal_access_token.access_revoked': 'token_revoke',
  'personal_access_token.destroy': 'token_revoke',
  'personal_access_token.revoke': 'token_revoke',
  'oauth_access.create': 'token_issue',
  'oauth_access.destroy': 'token_revoke',
  'oauth_access.revoke': 'token_revoke',
  'public_key.create': 'token_issue',
  'public_key.delete': 'token_revoke',
  'deploy_key.create': 'token_issue',
  'deploy_key.delete': 'token_revoke',
  'oauth_authorization.create': 'oauth_consent',
  'oauth_authorization.destroy': 'token_revoke',
  'integration_installation.create': 'oauth_consent',
};

function auditIdentity(action: string, e: AuditLogEvent): IdentityAction | null {
  if (membershipGrants.has(action)) return 'privilege_grant';
  if (membershipRevokes.has(action)) return 'privilege_revoke';
  if (action === 'org.update_member' || action === 'repo.update_member') {
    const role = (text(e.permission) ?? text(e.role) ?? text(e.data?.permission))?.toLowerCase();
    const old = (text(e.old_permission) ?? text(e.data?.old_permission))?.toLowerCase();
    if (role === 'admin') return 'privilege_grant';
    if (old === 'admin') return 'privilege_revoke';
    return null;
  }
  return fixedIdentity[action] ?? null;
}

function auditClass(action: string, identity: IdentityAction | null): OcsfClass {
  if (membershipGrants.has(action) || membershipRevokes.has(action)) return ocsf.groupManagement;
  switch (identity) {
    case 'auth_success':
    case 'auth_failure':
    case 'session_end':
    case 'oauth_consent':
      return ocsf.authentication;
    case 'privilege_grant':
    case 'privilege_revoke':
      return ocsf.userAccess;
    case null:
      break;
    default:
      return ocsf.accountChange;
  }
  if (action === 'org.update_member' || action === 'repo.update_member') return ocsf.userAccess;
  if (action.startsWith('git.')) return ocsf.apiActivity;
  if (action.startsWith('team.')) return ocsf.groupManagement;
  return ocsf.entityManagement;
}

/**
 * What the event was done to: for identity, membership and user events the affected user (`user`), else the
 * repository, team, organization or enterprise, and only then `user` (which often repeats the actor on
 * repository and settings events, where the repository or organization is what matters).
 */
function auditTarget(e: AuditLogEvent, aboutUser: boolean): [string, string] | null {
  const user = text(e.user);
  if (user && aboutUser) return [principalName(user) ?? user, 'user'];
  const repo = text(e.repo) ?? text(e.repository);
  if (repo) return [repo, 'repository'];
  const team = text(e.team) ?? text(e.data?.team);
  if (team) return [team, 'team'];
  const org = Array.isArray(e.org) ? (e.org[0] ?? null) : text(e.org);
  if (org) return [org, 'organization'];
  const business = text(e.business);
  if (business) return [business, 'enterprise'];
  return user ? [principalName(user) ?? user, 'user'] : null;
}

function idText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}

function latitude(value: unknown): number | null {
  const n = finiteNumber(value);
  return n !== null && n >= -90 && n <= 90 ? n : null;
}

function longitude(value: unknown): number | null {
  const n = finiteNumber(value);
  return n !== null && n >= -180 && n <= 180 ? n : null;
}
