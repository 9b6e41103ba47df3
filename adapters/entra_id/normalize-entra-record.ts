/**
 * Microsoft Entra ID record → normalized event. Pure; never throws.
 *
 * Feed detection (plain property reads, then one lenient zod parse of the detected shape):
 * - a diagnostic-settings record has an object `properties` (or a `category` and an `operationName`); its
 *   `category` picks the reader — `*SignInLogs` sign-ins, `AuditLogs` audits, risk categories risk events — and
 *   when the category is something else (exports also use the audit's own category, e.g. `Policy`), the shape of
 *   `properties` decides; anything left is kept as a generic diagnostic event;
 * - otherwise a Graph resource: a security alert (`vendorInformation`, `serviceSource` or `detectionSource`), a
 *   risk detection (`riskEventType`), a directory audit (`activityDisplayName`, or `initiatedBy`), or a sign-in
 *   (`createdDateTime` or `status` together with a user, app or IP field).
 * An object with none of these is not Entra ID's and is rejected.
 *
 * Identity view: sign-ins by error code (sign-in-status.ts), audits by activity name (directory-activity.ts);
 * a failed audit operation changed nothing and has no identity action.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, ipAddress, principalName, text } from '../shared/lenient';
import { directoryIdentityAction } from './directory-activity';
import {
  diagnosticAuditSchema,
  diagnosticOtherSchema,
  diagnosticRiskSchema,
  diagnosticSignInSchema,
  directoryAuditSchema,
  restoreEnvelopeKeys,
  riskDetectionSchema,
  securityAlertSchema,
  signInSchema,
  type DiagnosticEnvelope,
  type DirectoryAudit,
  type RiskDetection,
  type SecurityAlert,
  type SignIn,
} from './entra-schema';
import { identityActionOf, signInVerdict, type SignInVerdict } from './sign-in-status';

export type EntraFeed =
  | 'diagnostic_sign_in'
  | 'diagnostic_audit'
  | 'diagnostic_risk'
  | 'diagnostic_other'
  | 'graph_sign_in'
  | 'graph_directory_audit'
  | 'graph_security_alert'
  | 'graph_risk_detection';

export function detectEntraFeed(record: Record<string, unknown>): EntraFeed | null {
  const properties = record.properties;
  if (isPlainObject(properties) || (typeof record.category === 'string' && typeof record.operationName === 'string')) {
    const category = typeof record.category === 'string' ? record.category.toLowerCase() : '';
    const props = isPlainObject(properties) ? properties : {};
    if (category.endsWith('signinlogs')) return 'diagnostic_sign_in';
    if (category === 'auditlogs') return 'diagnostic_audit';
    if ('riskEventType' in props) return 'diagnostic_risk';
    if (isAuditShape(props)) return 'diagnostic_audit';
    if (isSignInShape(props)) return 'diagnostic_sign_in';
    return 'diagnostic_other';
  }
  if ('vendorInformation' in record || 'serviceSource' in record || 'detectionSource' in record) return 'graph_security_alert';
  if ('riskEventType' in record) return 'graph_risk_detection';
  if (isAuditShape(record)) return 'graph_directory_audit';
  if (isSignInShape(record)) return 'graph_sign_in';
  return null;
}

function isAuditShape(o: Record<string, unknown>): boolean {
  return 'activityDisplayName' in o || 'initiatedBy' in o;
}

function isSignInShape(o: Record<string, unknown>): boolean {
  const aboutSomeone = 'userPrincipalName' in o || 'appId' in o || 'ipAddress' in o || 'servicePrincipalId' in o;
  return aboutSomeone && ('createdDateTime' in o || 'status' in o);
}

export const normalizeEntraRecord: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected an Entra ID record (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  const record = restoreEnvelopeKeys(value);
  const feed = detectEntraFeed(record);
  switch (feed) {
    case 'diagnostic_sign_in': {
      const env = diagnosticSignInSchema.parse(record);
      return ok(signInEvent(env.properties ?? {}, env, ctx));
    }
    case 'diagnostic_audit': {
      const env = diagnosticAuditSchema.parse(record);
      return ok(auditEvent(env.properties ?? {}, env, ctx));
    }
    case 'diagnostic_risk': {
      const env = diagnosticRiskSchema.parse(record);
      return ok(riskEvent(env.properties ?? {}, env, ctx));
    }
    case 'diagnostic_other':
      return ok(otherDiagnosticEvent(diagnosticOtherSchema.parse(record), ctx));
    case 'graph_sign_in':
      return ok(signInEvent(signInSchema.parse(record), null, ctx));
    case 'graph_directory_audit':
      return ok(auditEvent(directoryAuditSchema.parse(record), null, ctx));
    case 'graph_security_alert':
      return ok(alertEvent(securityAlertSchema.parse(record), ctx));
    case 'graph_risk_detection':
      return ok(riskEvent(riskDetectionSchema.parse(record), null, ctx));
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message:
          'not an Entra ID record: expected a Graph sign-in (createdDateTime/status with userPrincipalName, appId or ipAddress), ' +
          'a directory audit (activityDisplayName or initiatedBy), a security alert (vendorInformation or serviceSource), ' +
          'a risk detection (riskEventType), or a diagnostic-settings record (category with properties)',
      };
  }
};

function ok(event: EventDraft): ParseResult {
  return { ok: true, event };
}

/** Every column empty but the ones each feed always sets. */
function blank(ctx: ParseContext, time: string | null): EventDraft {
  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: null,
    class_name: null,
    action: 'unknown',
    identity_action: null,
    outcome: 'unknown',
    outcome_reason: null,
    severity: null,
    actor: null,
    actor_id: null,
    actor_name: null,
    actor_type: null,
    src_ip: null,
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: null,
    target: null,
    target_type: null,
    session_id: null,
    mfa_factor: null,
    message: null,
  };
}

// ---------------------------------------------------------------- sign-ins

function signInEvent(s: SignIn, env: DiagnosticEnvelope | null, ctx: ParseContext): EventDraft {
  const code = errorCode(s, env);
  // A record without an error code but blocked by Conditional Access (the 53003 family) is still a failure.
  const verdict = signInVerdict(code) ?? (s.conditionalAccessStatus === 'failure' ? 'auth_failure' : null);
  const category = text(env?.category)?.toLowerCase() ?? '';
  const servicePrincipal = category.startsWith('serviceprincipal') || (!s.userPrincipalName && !!s.servicePrincipalId);
  const managedIdentity = category.startsWith('managedidentity');
  const location = s.location ?? null;
  const failureReason = text(s.status?.failureReason);
  const event = blank(ctx, toIsoMillis(s.createdDateTime) ?? toIsoMillis(env?.time));
  return {
    ...event,
    event_id: text(s.id),
    class_uid: 3002,
    class_name: 'Authentication',
    action: text(env?.operationName) ?? 'Sign-in activity',
    identity_action: identityActionOf(verdict),
    outcome: signInOutcome(verdict),
    outcome_reason: code !== null && code !== 0 ? (failureReason ? `${code}: ${failureReason}` : String(code)) : null,
    severity: riskSeverity(text(s.riskLevelDuringSignIn)),
    actor: principalName(s.userPrincipalName) ?? text(s.servicePrincipalName) ?? text(s.userDisplayName),
    actor_id: text(s.userId) ?? text(s.servicePrincipalId),
    actor_name: text(s.userDisplayName) ?? text(s.servicePrincipalName),
    actor_type: managedIdentity ? 'ManagedIdentity' : servicePrincipal ? 'ServicePrincipal' : s.userPrincipalName || s.userId ? 'User' : null,
    src_ip: ipAddress(s.ipAddress) ?? ipAddress(env?.callerIpAddress),
    src_country: place(location?.countryOrRegion) ?? place(env?.location),
    src_region: place(location?.state),
    src_city: place(location?.city),
    src_lat: finiteNumber(location?.geoCoordinates?.latitude),
    src_lon: finiteNumber(location?.geoCoordinates?.longitude),
    src_asn: integer(s.autonomousSystemNumber),
    // Graph's v1.0 sign-in has no userAgent; Microsoft's parse of it (deviceDetail.browser) is the next best.
    // clientAppUsed ("Browser", "Exchange ActiveSync") names a protocol, not an agent: it stays in raw.
    user_agent: text(s.userAgent) ?? text(s.deviceDetail?.browser),
    service: text(s.appDisplayName) ?? text(s.resourceDisplayName),
    target: text(s.resourceDisplayName),
    target_type: text(s.resourceDisplayName) ? 'Resource' : null,
    session_id: text(s.sessionId),
    mfa_factor: mfaFactor(s),
    message: text(s.status?.additionalDetails),
  };
}

/** The sign-in's error code: `status.errorCode`, else the envelope's `resultType` ("0", "50126", "Success"). */
function errorCode(s: SignIn, env: DiagnosticEnvelope | null): number | null {
  return codeOf(s.status?.errorCode) ?? codeOf(env?.resultType) ?? codeOf(env?.resultSignature);
}

function codeOf(value: unknown): number | null {
  const n = integer(value);
  if (n !== null) return n;
  const word = text(value)?.toLowerCase();
  if (word === 'success') return 0;
  if (word === 'failure') return -1; // a failure whose code the exporter dropped
  return null;
}

function signInOutcome(verdict: SignInVerdict | null): Outcome {
  switch (verdict) {
    case 'success':
      return 'success';
    case 'auth_failure':
    case 'mfa_deny':
      return 'failure';
    default:
      return 'unknown'; // an MFA prompt or an interrupt: the sign-in has not finished
  }
}

/** A location part; Entra writes "Unknown" when it could not place the address, which is no place. */
function place(value: unknown): string | null {
  const s = text(value);
  return s === null || s === 'Unknown' ? null : s;
}

/** Methods that are the first factor, not a second one. */
const primaryMethods = new Set(['password', 'previously satisfied']);

function mfaFactor(s: SignIn): string | null {
  const fromDetail = text(s.mfaDetail?.authMethod);
  if (fromDetail) return fromDetail;
  for (const step of s.authenticationDetails ?? []) {
    const method = text(step?.authenticationMethod);
    if (method && !primaryMethods.has(method.toLowerCase())) return method;
  }
  return null;
}

function riskSeverity(level: string | null): Severity | null {
  switch (level?.toLowerCase()) {
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
      return 'high';
    default:
      return null; // none, hidden, unknownFutureValue
  }
}

// ---------------------------------------------------------------- directory audits

function auditEvent(a: DirectoryAudit, env: DiagnosticEnvelope | null, ctx: ParseContext): EventDraft {
  const action = text(a.activityDisplayName) ?? text(a.operationName) ?? text(env?.operationName) ?? 'unknown';
  const outcome = auditOutcome(text(a.result) ?? text(env?.result) ?? text(env?.resultType));
  const targets = (a.targetResources ?? []).filter((t) => t !== undefined);
  const identity =
    outcome === 'failure'
      ? null
      : directoryIdentityAction(action, () =>
          targets.flatMap((t) =>
            (t.modifiedProperties ?? []).map((p) => ({
              name: text(p?.displayName),
              oldValue: p?.oldValue ?? null,
              newValue: p?.newValue ?? null,
            })),
          ),
        );
  // The account an identity action is about is the User target (a role grant also lists the role).
  const target = (identity ? targets.find((t) => targetType(t) === 'User') : undefined) ?? targets[0];
  const user = hasAny(a.initiatedBy?.user) ? a.initiatedBy?.user : null;
  const app = hasAny(a.initiatedBy?.app) ? a.initiatedBy?.app : null;
  const classification = identity ? identityClass(identity) : auditClass(text(a.category));
  const event = blank(ctx, toIsoMillis(a.activityDateTime) ?? toIsoMillis(env?.time));
  return {
    ...event,
    event_id: text(a.id),
    class_uid: classification[0],
    class_name: classification[1],
    action,
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? text(a.resultReason) : null,
    actor:
      principalName(user?.userPrincipalName) ??
      text(user?.displayName) ??
      text(app?.displayName) ??
      text(app?.servicePrincipalName) ??
      text(env?.identity),
    actor_id: text(user?.id) ?? text(app?.servicePrincipalId) ?? text(app?.appId),
    actor_name: text(user?.displayName) ?? text(app?.displayName),
    actor_type: user ? 'User' : app ? 'ServicePrincipal' : null,
    src_ip:
      ipAddress(user?.ipAddress) ??
      ipAddress(env?.callerIpAddress) ??
      ipAddress(env?.ipAddress) ??
      ipAddress(detail(a, 'ipaddr')),
    user_agent: text(a.userAgent) ?? text(detail(a, 'User-Agent')),
    service: text(a.loggedByService),
    target: target ? principalName(target.userPrincipalName) ?? text(target.displayName) ?? text(target.id) : null,
    target_type: target ? targetType(target) : null,
    message: outcome === 'failure' ? null : text(a.resultReason),
  };
}

type TargetResource = NonNullable<NonNullable<DirectoryAudit['targetResources']>[number]>;

/** Graph names the type (User, Group, Role, ServicePrincipal, Policy...); a target with a UPN is a user. */
function targetType(t: TargetResource): string | null {
  return text(t.type) ?? (text(t.userPrincipalName) ? 'User' : null);
}

function hasAny(o: Record<string, unknown> | null | undefined): boolean {
  if (!o) return false;
  for (const key in o) if (o[key] !== null && o[key] !== undefined && o[key] !== '') return true;
  return false;
}

function detail(a: DirectoryAudit, key: string): string | null {
  for (const d of a.additionalDetails ?? []) if (d?.key === key) return d.value ?? null;
  return null;
}

function auditOutcome(result: string | null): Outcome {
  switch (result?.toLowerCase()) {
    case 'success':
      return 'success';
    case 'failure':
    case 'failed':
    case 'timeout':
      return 'failure';
    default:
      return 'unknown';
  }
}

/** OCSF class of an audited identity change: rights (roles, app permissions, consent) or the account itself. */
function identityClass(action: IdentityAction): [number, string] {
  if (action.startsWith('privilege_') || action === 'oauth_consent') return [3005, 'User Access Management'];
  return [3001, 'Account Change'];
}

function auditClass(category: string | null): [number, string] {
  return category === 'GroupManagement' ? [3006, 'Group Management'] : [3004, 'Entity Management'];
}

// ---------------------------------------------------------------- alerts and risk

function alertEvent(a: SecurityAlert, ctx: ParseContext): EventDraft {
  const userState = (a.userStates ?? []).find((u) => u !== undefined);
  const evidence = (a.evidence ?? []).filter((e) => e !== undefined);
  const userEvidence = evidence.find((e) => e.userAccount)?.userAccount;
  const event = blank(ctx, toIsoMillis(a.createdDateTime) ?? toIsoMillis(a.eventDateTime) ?? toIsoMillis(a.firstActivityDateTime));
  return {
    ...event,
    event_id: text(a.id),
    class_uid: 2004,
    class_name: 'Detection Finding',
    action: text(a.title) ?? text(a.category) ?? 'alert',
    severity: alertSeverity(text(a.severity)),
    actor: principalName(userState?.userPrincipalName) ?? principalName(userEvidence?.userPrincipalName) ?? text(userState?.accountName),
    actor_id: text(userState?.aadUserId) ?? text(userEvidence?.azureAdUserId),
    actor_type: userState || userEvidence ? 'User' : null,
    src_ip: ipAddress(userState?.logonIp) ?? ipAddress(evidence.find((e) => e.ipAddress)?.ipAddress),
    service: text(a.vendorInformation?.provider) ?? text(a.serviceSource) ?? text(a.detectionSource),
    target: text(a.hostStates?.find((h) => h !== undefined)?.fqdn),
    target_type: a.hostStates?.some((h) => h?.fqdn) ? 'Host' : null,
    message: text(a.description),
  };
}

function alertSeverity(severity: string | null): Severity | null {
  switch (severity?.toLowerCase()) {
    case 'informational':
      return 'info';
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
      return 'high';
    default:
      return null;
  }
}

function riskEvent(r: RiskDetection, env: DiagnosticEnvelope | null, ctx: ParseContext): EventDraft {
  const location = r.location ?? null;
  const time = toIsoMillis(r.detectedDateTime) ?? toIsoMillis(r.activityDateTime) ?? toIsoMillis(env?.time);
  return {
    ...blank(ctx, time),
    event_id: text(r.id),
    class_uid: 2004,
    class_name: 'Detection Finding',
    action: text(r.riskEventType) ?? text(env?.operationName) ?? 'riskDetection',
    severity: riskSeverity(text(r.riskLevel)),
    actor: principalName(r.userPrincipalName) ?? text(r.userDisplayName),
    actor_id: text(r.userId),
    actor_name: text(r.userDisplayName),
    actor_type: r.userPrincipalName || r.userId ? 'User' : null,
    src_ip: ipAddress(r.ipAddress) ?? ipAddress(env?.callerIpAddress),
    src_country: place(location?.countryOrRegion),
    src_region: place(location?.state),
    src_city: place(location?.city),
    src_lat: finiteNumber(location?.geoCoordinates?.latitude),
    src_lon: finiteNumber(location?.geoCoordinates?.longitude),
    service: 'Identity Protection',
    message: r.riskDetail === 'none' ? null : text(r.riskDetail),
  };
}

// ---------------------------------------------------------------- other diagnostic categories

function otherDiagnosticEvent(env: DiagnosticEnvelope, ctx: ParseContext): EventDraft {
  const props = env.properties ?? {};
  const code = codeOf(env.resultType) ?? codeOf(env.resultSignature);
  return {
    ...blank(ctx, toIsoMillis(env.time)),
    event_id: text(props.id),
    action: text(env.operationName) ?? text(env.category) ?? 'unknown',
    outcome: code === null ? 'unknown' : code === 0 ? 'success' : 'failure',
    outcome_reason: text(env.resultDescription),
    actor: principalName(props.userPrincipalName) ?? text(env.identity),
    src_ip: ipAddress(env.callerIpAddress) ?? ipAddress(props.ipAddress),
    src_country: text(env.location),
    service: text(env.category),
  };
}
