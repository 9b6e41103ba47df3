/**
 * Okta System Log event → normalized event. Pure; never throws: anything that is a JSON object is kept
 * (what it lacks stays null and a missing time falls back to the arrival time, flagged), anything else is an
 * error value for the dead-letter prefix.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, ipAddress, principalName, text } from '../shared/lenient';
import { readOktaLogEvent, type OktaLogEvent } from './system-log-schema';

export const normalizeOktaEvent: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected an Okta System Log event (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const e = readOktaLogEvent(record);
  const eventType = text(e.eventType) ?? text(e.legacyEventType) ?? 'unknown';
  const outcome = oktaOutcome(text(e.outcome?.result));
  const published = toIsoMillis(e.published);
  const geo = e.client?.geographicalContext ?? null;
  const targets = (e.target ?? []).filter((t) => t !== undefined);
  const firstTarget = targets[0] ?? null;
  const app = targets.find((t) => t.type === 'AppInstance') ?? null;
  const debug = e.debugContext?.debugData ?? null;
  const classification = classify(eventType);

  const event: EventDraft = {
    event_id: text(e.uuid),
    source: ctx.source,
    event_time: published ?? ctx.ingestTime,
    event_time_inferred: published === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action: eventType,
    identity_action: identityAction(eventType, outcome),
    outcome,
    outcome_reason: text(e.outcome?.reason),
    severity: oktaSeverity(text(e.severity)),
    actor: principalName(e.actor?.alternateId) ?? text(e.actor?.displayName),
    actor_id: text(e.actor?.id),
    actor_name: text(e.actor?.displayName),
    actor_type: text(e.actor?.type),
    src_ip: ipAddress(e.client?.ipAddress),
    src_country: text(geo?.country),
    src_region: text(geo?.state),
    src_city: text(geo?.city),
    src_lat: finiteNumber(geo?.geolocation?.lat),
    src_lon: finiteNumber(geo?.geolocation?.lon),
    src_asn: integer(e.securityContext?.asNumber),
    src_asn_org: text(e.securityContext?.asOrg),
    user_agent: text(e.client?.userAgent?.rawUserAgent),
    service: text(app?.displayName) ?? text(app?.alternateId),
    target: firstTarget ? principalName(firstTarget.alternateId) ?? text(firstTarget.displayName) ?? text(firstTarget.id) : null,
    target_type: firstTarget ? text(firstTarget.type) : null,
    session_id: text(e.authenticationContext?.externalSessionId) ?? text(e.authenticationContext?.rootSessionId),
    mfa_factor: mfaFactor(e, debug),
    message: text(e.displayMessage),
  };
  return { ok: true, event };
};

function oktaOutcome(result: string | null): Outcome {
  switch (result?.toUpperCase()) {
    case 'SUCCESS':
    case 'ALLOW':
      return 'success';
    case 'FAILURE':
    case 'DENY':
      return 'failure';
    default:
      return 'unknown'; // SKIPPED, UNKNOWN, CHALLENGE, or absent
  }
}

function oktaSeverity(severity: string | null): Severity | null {
  switch (severity?.toUpperCase()) {
    case 'DEBUG':
    case 'INFO':
      return 'info';
    case 'WARN':
      return 'medium';
    case 'ERROR':
      return 'high';
    default:
      return null;
  }
}

/** Okta event types → identity actions. Sign-in types depend on the outcome. */
const outcomeDependent: Record<string, [success: IdentityAction, failure: IdentityAction]> = {
  'user.session.start': ['session_start', 'auth_failure'],
  'user.authentication.sso': ['auth_success', 'auth_failure'],
  'user.authentication.verify': ['auth_success', 'auth_failure'],
  'user.authentication.authenticate': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_idp': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_social': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_richclient': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_mfa': ['mfa_accept', 'mfa_deny'],
  'user.authentication.auth_via_radius': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_ad_agent': ['auth_success', 'auth_failure'],
  'user.authentication.auth_via_ldap_agent': ['auth_success', 'auth_failure'],
};

const fixed: Record<string, IdentityAction> = {
  'user.session.end': 'session_end',
  'user.session.clear': 'session_end',
  'system.push.send_factor_verify_push': 'mfa_challenge',
  'user.mfa.okta_verify': 'mfa_challenge',
  'user.mfa.okta_verify.deny_push': 'mfa_deny',
  'user.mfa.okta_verify.deny_push_upgrade_needed': 'mfa_deny',
  'user.mfa.factor.activate': 'factor_enroll',
  'system.mfa.factor.activate': 'factor_enroll',
  'user.mfa.factor.deactivate': 'factor_remove',
  'system.mfa.factor.deactivate': 'factor_remove',
  'user.mfa.factor.reset_all': 'factor_remove',
  'user.mfa.factor.suspend': 'factor_remove',
  'user.account.privilege.grant': 'privilege_grant',
  'group.privilege.grant': 'privilege_grant',
  'user.session.impersonation.grant': 'privilege_grant',
  'user.account.privilege.revoke': 'privilege_revoke',
  'group.privilege.revoke': 'privilege_revoke',
  'user.session.impersonation.revoke': 'privilege_revoke',
  'user.lifecycle.create': 'account_create',
  'user.lifecycle.activate': 'account_enable',
  'user.lifecycle.reactivate': 'account_enable',
  'user.lifecycle.unsuspend': 'account_enable',
  'user.account.unlock': 'account_enable',
  'user.lifecycle.deactivate': 'account_disable',
  'user.lifecycle.suspend': 'account_disable',
  'user.lifecycle.delete.initiated': 'account_delete',
  'user.lifecycle.delete.completed': 'account_delete',
  'user.account.update_password': 'password_change',
  'user.account.reset_password': 'password_reset',
  'user.lifecycle.password_reset': 'password_reset',
  'app.oauth2.token.grant': 'token_issue',
  'app.oauth2.as.token.grant': 'token_issue',
  'app.oauth2.as.token.grant.access_token': 'token_issue',
  'app.oauth2.as.token.grant.refresh_token': 'token_issue',
  'app.oauth2.as.token.grant.id_token': 'token_issue',
  'system.api_token.create': 'token_issue',
  'app.oauth2.token.revoke': 'token_revoke',
  'app.oauth2.as.token.revoke': 'token_revoke',
  'system.api_token.revoke': 'token_revoke',
  'app.oauth2.consent.grant': 'oauth_consent',
  'app.oauth2.as.consent.grant': 'oauth_consent',
};

function identityAction(eventType: string, outcome: Outcome): IdentityAction | null {
  const type = eventType.toLowerCase();
  const pair = outcomeDependent[type];
  if (pair) {
    if (outcome === 'success') return pair[0];
    if (outcome === 'failure') return pair[1];
    return null;
  }
  return fixed[type] ?? null;
}

/** OCSF class for an Okta event type (https://schema.ocsf.io/classes). */
function classify(eventType: string): [number, string] | null {
  const t = eventType.toLowerCase();
  if (t.startsWith('user.session.') || t.startsWith('user.authentication.') || t.startsWith('user.mfa.okta_verify') || t.startsWith('system.push.')) {
    return [3002, 'Authentication'];
  }
  if (t.includes('privilege') || t.startsWith('user.session.impersonation')) return [3005, 'User Access Management'];
  if (t.startsWith('group.user_membership')) return [3006, 'Group Management'];
  if (t.startsWith('user.account.') || t.startsWith('user.lifecycle.') || t.includes('.mfa.factor.')) {
    return [3001, 'Account Change'];
  }
  if (t.startsWith('app.oauth2.')) return [3002, 'Authentication'];
  if (t.startsWith('application.') || t.startsWith('policy.') || t.startsWith('system.') || t.startsWith('group.')) {
    return [3004, 'Entity Management'];
  }
  return null;
}

function mfaFactor(e: OktaLogEvent, debug: Record<string, unknown> | null): string | null {
  const fromDebug = text(debug?.factor);
  if (fromDebug) return fromDebug;
  for (const t of e.target ?? []) {
    const method = text(t?.detailEntry?.methodTypeUsed);
    if (method) return method;
  }
  return null;
}
