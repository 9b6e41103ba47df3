/**
 * CloudTrail record → normalized event. Pure; never throws. The record is kept as sent in `raw` (for an
 * EventBridge event, the whole envelope), and the CloudTrail fields are read from the record inside.
 */
import type { EventDraft, IdentityAction, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { readCloudTrailRecord, unwrapEventBridge, type CloudTrailRecord } from './cloudtrail-record-schema';

export const normalizeCloudTrailRecord: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a CloudTrail record (a JSON object), got ${Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const r = readCloudTrailRecord(unwrapEventBridge(value));
  // CloudTrail Insights events carry the API call they are about inside insightDetails.
  const insight = r.eventType === 'AwsCloudTrailInsight' ? r.insightDetails : undefined;
  const eventName = text(r.eventName) ?? text(insight?.eventName);
  if (!eventName && !text(r.eventSource) && !text(insight?.eventSource) && !hasCloudTrailField(value)) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a CloudTrail record: it has none of eventName, eventSource, eventType, eventVersion, userIdentity, awsRegion',
    };
  }
  const action = insight ? `Insight:${text(insight.insightType) ?? 'Unknown'}:${eventName ?? 'unknown'}` : (eventName ?? 'unknown');
  const failed = text(r.errorCode) !== null || consoleLoginResult(r) === 'Failure';
  const time = toIsoMillis(r.eventTime);
  const sourceIp = text(r.sourceIPAddress);
  const target = targetOf(r);
  const identity = identityAction(action, failed);

  const event: EventDraft = {
    event_id: text(r.eventID) ?? text(r.eventId),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: action === 'ConsoleLogin' ? 3002 : identity ? 3001 : 6003,
    class_name: action === 'ConsoleLogin' ? 'Authentication' : identity ? 'Account Change' : 'API Activity',
    action,
    identity_action: identity,
    outcome: failed ? 'failure' : 'success',
    outcome_reason: [text(r.errorCode), text(r.errorMessage)].filter(Boolean).join(': ') || null,
    severity: null,
    actor: actorOf(r),
    actor_id: text(r.userIdentity?.principalId),
    actor_name: text(r.userIdentity?.arn),
    actor_type: text(r.userIdentity?.type),
    // CloudTrail puts the calling service's name here when AWS acted on the caller's behalf.
    src_ip: ipAddress(sourceIp),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: text(r.userAgent),
    service: text(r.eventSource) ?? text(insight?.eventSource),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: text(r.userIdentity?.accessKeyId),
    mfa_factor: mfaUsed(r) ? 'MFA' : null,
    message: null,
  };
  return { ok: true, event };
};

/** A record with any documented CloudTrail top-level field is CloudTrail's, however sparse (samples redact). */
function hasCloudTrailField(value: Record<string, unknown>): boolean {
  return ['eventType', 'eventVersion', 'userIdentity', 'awsRegion', 'eventCategory', 'recipientAccountId'].some(
    (key) => key in value || key.toLowerCase() in value,
  );
}

function consoleLoginResult(r: CloudTrailRecord): string | null {
  return text(r.responseElements?.ConsoleLogin);
}

function mfaUsed(r: CloudTrailRecord): boolean {
  return (
    text(r.additionalEventData?.MFAUsed) === 'Yes' ||
    text(r.userIdentity?.sessionContext?.attributes?.mfaAuthenticated) === 'true'
  );
}

/** The person or principal behind the call, as an analyst would name it. */
function actorOf(r: CloudTrailRecord): string | null {
  const id = r.userIdentity;
  if (!id) return null;
  const type = text(id.type);
  if (type === 'Root') return 'root';
  const userName = principalName(id.userName);
  if (userName) return userName;
  const arn = text(id.arn);
  if (type === 'AssumedRole' && arn) {
    // arn:aws:sts::123456789012:assumed-role/RoleName/session-name — SSO sessions are named after the person.
    const [, role, session] = arn.split(':').at(-1)?.split('/') ?? [];
    if (session?.includes('@')) return session.toLowerCase();
    if (role && session) return `${role}/${session}`;
  }
  if (type === 'AWSService') return text(id.invokedBy);
  return arn ?? text(id.principalId);
}

const targetKeys: [key: string, type: string][] = [
  ['userName', 'IAMUser'],
  ['roleName', 'IAMRole'],
  ['groupName', 'IAMGroup'],
  ['policyArn', 'IAMPolicy'],
  ['roleArn', 'IAMRole'],
  ['bucketName', 'S3Bucket'],
  ['name', 'Resource'],
  ['functionName', 'LambdaFunction'],
  ['instanceId', 'EC2Instance'],
  ['trailName', 'CloudTrailTrail'],
  ['keyId', 'KMSKey'],
  ['secretId', 'Secret'],
];

function targetOf(r: CloudTrailRecord): [string, string] | null {
  const params = r.requestParameters;
  if (!params) return null;
  for (const [key, type] of targetKeys) {
    const value = text(params[key]);
    if (value) return [value, type];
  }
  return null;
}

const identityActions: Record<string, IdentityAction> = {
  CreateUser: 'account_create',
  DeleteUser: 'account_delete',
  CreateLoginProfile: 'password_change',
  UpdateLoginProfile: 'password_change',
  ChangePassword: 'password_change',
  AttachUserPolicy: 'privilege_grant',
  AttachRolePolicy: 'privilege_grant',
  AttachGroupPolicy: 'privilege_grant',
  PutUserPolicy: 'privilege_grant',
  PutRolePolicy: 'privilege_grant',
  AddUserToGroup: 'privilege_grant',
  DetachUserPolicy: 'privilege_revoke',
  DetachRolePolicy: 'privilege_revoke',
  DeleteUserPolicy: 'privilege_revoke',
  RemoveUserFromGroup: 'privilege_revoke',
  CreateAccessKey: 'token_issue',
  DeleteAccessKey: 'token_revoke',
  EnableMFADevice: 'factor_enroll',
  DeactivateMFADevice: 'factor_remove',
  DeleteVirtualMFADevice: 'factor_remove',
};

function identityAction(eventName: string, failed: boolean): IdentityAction | null {
  if (eventName === 'ConsoleLogin') return failed ? 'auth_failure' : 'auth_success';
  if (failed) return null; // a refused IAM change changed nothing
  return identityActions[eventName] ?? null;
}
