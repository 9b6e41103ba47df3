/**
 * Microsoft 365 record → normalized event. Pure; never throws.
 *
 * Feed detection (after restoring PascalCase keys): a message trace row has `MessageTraceId`, or a sender, a
 * recipient and a `Received` time; an audit record has `Operation`, or a `RecordType` with a `CreationTime`.
 * Anything else is not Microsoft 365's and is rejected.
 *
 * Identity view:
 * - Azure AD logons (`UserLoggedIn`, `UserLoginFailed`) are Entra ID sign-ins: the error (`ErrorNumber`, else the
 *   `LogonError` name) is read with Entra ID's table, so 50074 is an MFA prompt and 500121 an MFA denial, not a
 *   password failure. A logon whose `ExtendedProperties.RequestType` is a Strong Authentication Service step
 *   (`SAS:BeginAuth`, `SAS:ProcessAuth`, `SAS:EndAuth`) is the MFA step itself.
 * - Azure AD directory operations ("Add member to role.", "Update user.") use Entra ID's activity table.
 * - Exchange role-group and management-role assignments grant or revoke admin rights.
 * Note `ResultStatus` of a logon says whether the *request was processed*, not whether the sign-in succeeded;
 * the operation name decides.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { directoryIdentityAction } from '../entra_id/directory-activity';
import {
  codeForLogonError,
  identityActionOf,
  signInVerdict,
  verdictForUnknownLogonError,
  type SignInVerdict,
} from '../entra_id/sign-in-status';
import { auditRecordSchema, messageTraceSchema, restorePascalKeys, type AuditRecord, type MessageTrace } from './m365-schema';

export type M365Feed = 'audit' | 'message_trace';

/** The feed of a record as received (keys in any case). */
export function detectM365Feed(record: Record<string, unknown>): M365Feed | null {
  return feedOf(restorePascalKeys(record));
}

function feedOf(record: Record<string, unknown>): M365Feed | null {
  if ('MessageTraceId' in record || ('SenderAddress' in record && 'RecipientAddress' in record && 'Received' in record)) {
    return 'message_trace';
  }
  if ('Operation' in record || ('RecordType' in record && 'CreationTime' in record)) return 'audit';
  return null;
}

export const normalizeM365Record: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Microsoft 365 audit record or message trace row (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  const record = restorePascalKeys(value);
  switch (feedOf(record)) {
    case 'audit':
      return { ok: true, event: auditEvent(auditRecordSchema.parse(record), ctx) };
    case 'message_trace':
      return { ok: true, event: messageTraceEvent(messageTraceSchema.parse(record), ctx) };
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message:
          'not a Microsoft 365 record: expected a Management Activity API audit record (Operation, or RecordType with CreationTime) ' +
          'or a message trace row (MessageTraceId, or SenderAddress, RecipientAddress and Received)',
      };
  }
};

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

// ---------------------------------------------------------------- audit records

/** Workloads of the record types that sometimes arrive without `Workload`. */
const workloadByRecordType = new Map<number, string>([
  [1, 'Exchange'],
  [2, 'Exchange'],
  [3, 'Exchange'],
  [4, 'SharePoint'],
  [6, 'SharePoint'],
  [8, 'AzureActiveDirectory'],
  [9, 'AzureActiveDirectory'],
  [14, 'SharePoint'],
  [15, 'AzureActiveDirectory'],
  [50, 'Exchange'],
]);

/** `UserType` of the common schema. */
const userTypeNames = new Map<number, string>([
  [0, 'Regular'],
  [1, 'Reserved'],
  [2, 'Admin'],
  [3, 'DcAdmin'],
  [4, 'System'],
  [5, 'Application'],
  [6, 'ServicePrincipal'],
  [7, 'CustomPolicy'],
  [8, 'SystemPolicy'],
]);

/** Exchange cmdlets that change who holds admin rights. */
const exchangeRoleCmdlets = new Map<string, IdentityAction>([
  ['add-rolegroupmember', 'privilege_grant'],
  ['new-managementroleassignment', 'privilege_grant'],
  ['remove-rolegroupmember', 'privilege_revoke'],
  ['remove-managementroleassignment', 'privilege_revoke'],
]);

/** AAD `Target` entries whose ID is the type of the object acted on. */
const directoryObjectTypes = new Set(['User', 'Group', 'Role', 'ServicePrincipal', 'Application', 'Device', 'Policy']);

function auditEvent(r: AuditRecord, ctx: ParseContext): EventDraft {
  const operation = text(r.Operation) ?? 'unknown';
  const workload = text(r.Workload) ?? workloadByRecordType.get(integer(r.RecordType) ?? -1) ?? null;
  const base = {
    ...blank(ctx, toIsoMillis(r.CreationTime)),
    event_id: text(r.Id),
    action: operation,
    actor: principalName(r.UserId),
    actor_id: knownText(r.UserKey),
    actor_type: userTypeNames.get(integer(r.UserType) ?? -1) ?? null,
    src_ip: clientIp(r.ClientIP) ?? clientIp(r.ClientIPAddress) ?? clientIp(r.ActorIpAddress),
    user_agent: text(r.UserAgent) ?? text(extended(r, 'UserAgent')) ?? text(r.ClientInfoString),
    service: workload,
    session_id: text(r.AppAccessContext?.AADSessionId) ?? text(r.SessionId),
    target: text(r.ObjectId),
  };

  if (operation === 'UserLoggedIn' || operation === 'UserLoginFailed') {
    const verdict = logonVerdict(r, operation);
    const code = integer(r.ErrorNumber);
    const logonError = text(r.LogonError);
    return {
      ...base,
      class_uid: 3002,
      class_name: 'Authentication',
      identity_action: identityActionFor(verdict),
      outcome: verdict === 'success' || verdict === 'mfa_accept' ? 'success' : verdict === 'auth_failure' || verdict === 'mfa_deny' ? 'failure' : 'unknown',
      outcome_reason: operation === 'UserLoginFailed' ? [code, logonError].filter((v) => v !== null).join(': ') || null : null,
      // For a logon, ObjectId is the resource signed in to (as an Entra sign-in's resourceId).
      target_type: base.target ? 'Resource' : null,
      message: text(extended(r, 'RequestType')),
    };
  }

  const outcome = resultOutcome(text(r.ResultStatus));
  if (workload === 'AzureActiveDirectory') {
    const identity =
      outcome === 'failure'
        ? null
        : directoryIdentityAction(operation, () =>
            (r.ModifiedProperties ?? []).map((p) => ({ name: text(p?.Name), oldValue: p?.OldValue ?? null, newValue: p?.NewValue ?? null })),
          );
    const [classUid, className] = identity ? identityClass(identity) : [3004, 'Entity Management'];
    return {
      ...base,
      class_uid: classUid,
      class_name: className,
      identity_action: identity,
      outcome,
      target: directoryTarget(r) ?? base.target,
      target_type: directoryTargetType(r),
    };
  }

  if (workload === 'Exchange') {
    const roleChange = outcome === 'failure' ? null : (exchangeRoleCmdlets.get(operation.toLowerCase()) ?? null);
    const member = text(parameter(r, 'Member')) ?? text(parameter(r, 'User'));
    return {
      ...base,
      class_uid: roleChange ? 3005 : 6003,
      class_name: roleChange ? 'User Access Management' : 'API Activity',
      identity_action: roleChange,
      outcome,
      target: roleChange && member ? principalName(member) : (text(parameter(r, 'Identity')) ?? base.target),
      target_type: roleChange && member ? 'User' : null,
    };
  }

  if (workload === 'SharePoint' || workload === 'OneDrive') {
    return { ...base, class_uid: 6001, class_name: 'Web Resources Activity', outcome, target_type: text(r.ItemType) };
  }

  return { ...base, class_uid: 6003, class_name: 'API Activity', outcome };
}

type LogonVerdict = SignInVerdict | 'mfa_accept';

function logonVerdict(r: AuditRecord, operation: 'UserLoggedIn' | 'UserLoginFailed'): LogonVerdict {
  const requestType = text(extended(r, 'RequestType')) ?? '';
  const strongAuthStep = requestType.startsWith('SAS:');
  if (operation === 'UserLoggedIn') {
    if (!strongAuthStep) return 'success';
    return requestType === 'SAS:BeginAuth' ? 'mfa_challenge' : 'mfa_accept';
  }
  const logonError = text(r.LogonError);
  const code = integer(r.ErrorNumber) ?? codeForLogonError(logonError);
  let verdict: SignInVerdict =
    code !== null ? (signInVerdict(code) ?? 'auth_failure') : logonError ? verdictForUnknownLogonError(logonError) : 'auth_failure';
  // A failed login cannot be a success, whatever code it carries.
  if (verdict === 'success') verdict = 'auth_failure';
  // A failed Strong Authentication step is a failed second factor, not a failed password.
  if (verdict === 'auth_failure' && strongAuthStep) verdict = 'mfa_deny';
  return verdict;
}

function identityActionFor(verdict: LogonVerdict): IdentityAction | null {
  return verdict === 'mfa_accept' ? 'mfa_accept' : identityActionOf(verdict);
}

function identityClass(action: IdentityAction): [number, string] {
  if (action.startsWith('privilege_') || action === 'oauth_consent') return [3005, 'User Access Management'];
  return [3001, 'Account Change'];
}

function resultOutcome(status: string | null): Outcome {
  switch (status?.toLowerCase()) {
    case 'success':
    case 'succeeded':
    case 'partiallysucceeded':
    case 'true':
      return 'success';
    case 'failed':
    case 'failure':
    case 'false':
      return 'failure';
    default:
      return 'unknown';
  }
}

function extended(r: AuditRecord, name: string): string | null {
  for (const p of r.ExtendedProperties ?? []) if (p?.Name === name) return p.Value ?? null;
  return null;
}

function parameter(r: AuditRecord, name: string): string | null {
  for (const p of r.Parameters ?? []) if (p?.Name === name) return p.Value ?? null;
  return null;
}

/** The UPN among an AAD record's targets (`Type` 5), which names the account acted on. */
function directoryTarget(r: AuditRecord): string | null {
  for (const t of r.Target ?? []) if (integer(t?.Type) === 5) return principalName(t?.ID);
  return null;
}

function directoryTargetType(r: AuditRecord): string | null {
  for (const t of r.Target ?? []) {
    const id = text(t?.ID);
    if (id && directoryObjectTypes.has(id)) return id;
  }
  return null;
}

/** `"Not Available"` is the schema's placeholder for a missing key. */
function knownText(value: unknown): string | null {
  const s = text(value);
  return s === 'Not Available' ? null : s;
}

/** ClientIP as Microsoft writes it: `1.2.3.4`, `1.2.3.4:50321`, `[2001:db8::1]:443`, or a bare IPv6 address. */
export function clientIp(value: unknown): string | null {
  const s = text(value);
  if (!s) return null;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    return end > 1 ? ipAddress(s.slice(1, end)) : null;
  }
  const direct = ipAddress(s);
  if (direct) return direct;
  const colon = s.indexOf(':');
  return colon > 0 && colon === s.lastIndexOf(':') ? ipAddress(s.slice(0, colon)) : null;
}

// ---------------------------------------------------------------- message trace

function messageTraceEvent(m: MessageTrace, ctx: ParseContext): EventDraft {
  const status = text(m.Status);
  const traceId = text(m.MessageTraceId);
  const recipient = principalName(m.RecipientAddress);
  return {
    ...blank(ctx, toIsoMillis(m.Received)),
    // One trace id per message, one row per recipient: Microsoft keys a row by both.
    event_id: traceId && recipient ? `${traceId}:${recipient}` : traceId,
    class_uid: 4009,
    class_name: 'Email Activity',
    action: status ?? 'MessageTrace',
    outcome: deliveryOutcome(status),
    outcome_reason: deliveryOutcome(status) === 'failure' ? status : null,
    actor: principalName(m.SenderAddress),
    src_ip: ipAddress(m.FromIP),
    service: 'Exchange Online',
    target: recipient,
    target_type: recipient ? 'EmailAddress' : null,
    message: text(m.Subject),
  };
}

function deliveryOutcome(status: string | null): Outcome {
  switch (status?.toLowerCase()) {
    case 'delivered':
    case 'expanded':
    case 'resolved':
      return 'success';
    case 'failed':
    case 'filteredasspam':
    case 'quarantined':
      return 'failure';
    default:
      return 'unknown'; // Pending, GettingStatus, None
  }
}
