/**
 * Okta System Log event → normalized event. Pure; never throws: anything that is a JSON object is kept
 * (what it lacks stays null and a missing time falls back to the arrival time, flagged), anything else is an
 * error value for the dead-letter prefix.
 *
 * Fields are read in place, leniently (https://developer.okta.com/docs/reference/api/system-log/#logevent-object:
 * every field optional; a field of the wrong type reads as absent), not through a zod schema of the event: zod's
 * copy of every nested object cost a third of the time per event on the ingest path and most of its garbage
 * (bench/normalize.bench.ts: 46k → see docs/benchmarks.md). The only shape check that can reject — "a JSON
 * object" — is the one above the reads.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, ipAddress, principalName, restoreKeyCase, text } from '../shared/lenient';

export const normalizeOktaEvent: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected an Okta System Log event (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const e = restoreKeyCase(record, camelKeys);
  const eventType = text(e.eventType) ?? text(e.legacyEventType) ?? 'unknown';
  const result = objectOf(e.outcome);
  const outcome = oktaOutcome(text(result?.result));
  const published = toIsoMillis(e.published);
  const actor = objectOf(e.actor);
  const client = objectOf(e.client);
  const geo = objectOf(client?.geographicalContext);
  const geolocation = objectOf(geo?.geolocation);
  const security = objectOf(e.securityContext);
  const authentication = objectOf(e.authenticationContext);
  const targets = targetsOf(e.target);
  const firstTarget = targets[0] ?? null;
  const app = targets.find((t) => t.type === 'AppInstance') ?? null;
  const debug = objectOf(objectOf(e.debugContext)?.debugData);
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
    outcome_reason: text(result?.reason),
    severity: oktaSeverity(text(e.severity)),
    actor: principalName(actor?.alternateId) ?? text(actor?.displayName),
    actor_id: text(actor?.id),
    actor_name: text(actor?.displayName),
    actor_type: text(actor?.type),
    src_ip: ipAddress(client?.ipAddress),
    src_country: text(geo?.country),
    src_region: text(geo?.state),
    src_city: text(geo?.city),
    src_lat: finiteNumber(geolocation?.lat),
    src_lon: finiteNumber(geolocation?.lon),
    src_asn: integer(security?.asNumber),
    src_asn_org: text(security?.asOrg),
    user_agent: text(objectOf(client?.userAgent)?.rawUserAgent),
    service: text(app?.displayName) ?? text(app?.alternateId),
    target: firstTarget ? principalName(firstTarget.alternateId) ?? text(firstTarget.displayName) ?? text(firstTarget.id) : null,
    target_type: firstTarget ? text(firstTarget.type) : null,
    session_id: text(authentication?.externalSessionId) ?? text(authentication?.rootSessionId),
    mfa_factor: mfaFactor(targets, debug),
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

function mfaFactor(targets: readonly Fields[], debug: Fields | null): string | null {
  const fromDebug = text(debug?.factor);
  if (fromDebug) return fromDebug;
  for (const t of targets) {
    const method = text(objectOf(t.detailEntry)?.methodTypeUsed);
    if (method) return method;
  }
  return null;
}

type Fields = Record<string, unknown>;

/** Top-level keys whose documented camelCase some pipelines lower-case (seen in Panther's test events). */
const camelKeys = ['eventType', 'legacyEventType', 'displayMessage', 'authenticationContext', 'debugContext', 'securityContext'] as const;

function objectOf(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

/** `target[]` entries that are objects (a null or a string in the array is skipped, not fatal). */
function targetsOf(value: unknown): Fields[] {
  if (!Array.isArray(value)) return [];
  const out: Fields[] = [];
  for (const t of value) {
    const o = objectOf(t);
    if (o) out.push(o);
  }
  return out;
}
