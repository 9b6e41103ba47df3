/**
 * Builds single AWS CloudTrail records in CloudTrail's wire format (see cloudtrail-wire-schema.ts), and the
 * `userIdentity` element for each kind of principal the demo account has.
 *
 * Invariants:
 * - Output is a function of the arguments: ids come from the `Random` passed in, times from `t` (truncated to
 *   the second, as CloudTrail records them).
 * - Keys are written in CloudTrail's order.
 * - S3 calls get S3-style request ids (16 upper-case hex) and an `x-amz-id-2`; console sign-ins get no request
 *   id; every other call gets a UUID request id.
 */
import type { CloudTrailRecord, CloudTrailUserIdentity } from './cloudtrail-wire-schema';
import type { AwsIamUser, AwsRole } from './organisation';
import type { Random } from './random';

type Resource = NonNullable<CloudTrailRecord['resources']>[number];
type JsonObject = Record<string, unknown>;

export interface CloudTrailCallSpec {
  readonly identity: CloudTrailUserIdentity;
  readonly eventSource: string;
  readonly eventName: string;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly requestParameters: JsonObject | null;
  readonly responseElements: JsonObject | null;
  readonly additionalEventData?: JsonObject;
  readonly error?: { readonly code: string; readonly message: string };
  readonly readOnly: boolean;
  readonly resources?: readonly Resource[];
  readonly eventType?: CloudTrailRecord['eventType'];
  readonly category: CloudTrailRecord['eventCategory'];
  readonly requestIdStyle: 'uuid' | 's3' | 'none';
  /** `tlsDetails.clientProvidedHostHeader`; null when the call came from inside AWS (no TLS details). */
  readonly tlsHost: string | null;
  readonly fromConsole?: boolean;
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `Nov 27, 2026, 5:18:41 PM` form CloudTrail uses for credential expirations and IAM create dates. */
export function cloudTrailDate(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

export function cloudTrailRecord(t: number, rng: Random, accountId: string, spec: CloudTrailCallSpec): CloudTrailRecord {
  const s3 = spec.requestIdStyle === 's3';
  const additionalEventData = s3
    ? { ...spec.additionalEventData, 'x-amz-id-2': rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 75) + '=' }
    : spec.additionalEventData;
  const requestID = spec.requestIdStyle === 'uuid' ? rng.uuid4() : s3 ? rng.chars('0123456789ABCDEF', 16) : undefined;
  const tls12 = spec.tlsHost !== null && rng.chance(0.08);
  const record: CloudTrailRecord = {
    eventVersion: '1.09',
    userIdentity: spec.identity,
    eventTime: isoSeconds(t),
    eventSource: spec.eventSource,
    eventName: spec.eventName,
    awsRegion: spec.region,
    sourceIPAddress: spec.sourceIp,
    userAgent: spec.userAgent,
    ...(spec.error ? { errorCode: spec.error.code, errorMessage: spec.error.message } : {}),
    requestParameters: spec.requestParameters,
    responseElements: spec.responseElements,
    ...(additionalEventData ? { additionalEventData } : {}),
    ...(requestID ? { requestID } : {}),
    eventID: rng.uuid4(),
    readOnly: spec.readOnly,
    ...(spec.resources ? { resources: [...spec.resources] } : {}),
    eventType: spec.eventType ?? 'AwsApiCall',
    managementEvent: spec.category === 'Management',
    recipientAccountId: accountId,
    eventCategory: spec.category,
    ...(spec.tlsHost !== null
      ? {
          tlsDetails: {
            tlsVersion: tls12 ? 'TLSv1.2' : 'TLSv1.3',
            cipherSuite: tls12 ? 'ECDHE-RSA-AES128-GCM-SHA256' : 'TLS_AES_128_GCM_SHA256',
            clientProvidedHostHeader: spec.tlsHost,
          },
        }
      : {}),
    ...(spec.fromConsole ? { sessionCredentialFromConsole: 'true' as const } : {}),
  };
  return record;
}

/** An IAM user signing in to the console (no key yet). */
export function iamUserSignInIdentity(user: AwsIamUser, accountId: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: user.userId, arn: user.arn, accountId, userName: user.userName };
}

/** An IAM user calling with a long-term access key (`AKIA…`) or a console session key (`ASIA…`). */
export function iamUserIdentity(
  user: Pick<AwsIamUser, 'userId' | 'arn' | 'userName'>,
  accountId: string,
  accessKeyId: string,
  session?: { readonly createdAt: number; readonly mfa: boolean },
): CloudTrailUserIdentity {
  const base = { type: 'IAMUser' as const, principalId: user.userId, arn: user.arn, accountId, accessKeyId, userName: user.userName };
  if (!session) return base;
  return { ...base, sessionContext: sessionContextOf(session.createdAt, session.mfa) };
}

function sessionContextOf(createdAt: number, mfa: boolean): { sessionIssuer: Record<string, never>; webIdFederationData: Record<string, never>; attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' } } {
  return { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: isoSeconds(createdAt), mfaAuthenticated: mfa ? 'true' : 'false' } };
}

/** A role session (`assumed-role/<role>/<session>`). */
export function assumedRoleIdentity(
  role: AwsRole,
  sessionName: string,
  accountId: string,
  accessKeyId: string,
  createdAt: number,
  mfa: boolean,
  webIdFederationData: Record<string, unknown> = {},
): CloudTrailUserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `${role.roleId}:${sessionName}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: role.roleId, arn: role.arn, accountId, userName: role.name },
      webIdFederationData,
      attributes: { creationDate: isoSeconds(createdAt), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

export function rootIdentity(accountId: string, session?: { readonly accessKeyId: string; readonly createdAt: number }): CloudTrailUserIdentity {
  const base = { type: 'Root' as const, principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId };
  if (!session) return { ...base, accessKeyId: '' };
  return { ...base, accessKeyId: session.accessKeyId, sessionContext: sessionContextOf(session.createdAt, false) };
}

export function serviceIdentity(service: string): CloudTrailUserIdentity {
  return { type: 'AWSService', invokedBy: service };
}

export function webIdentity(providerArn: string, subject: string): CloudTrailUserIdentity {
  return {
    type: 'WebIdentityUser',
    principalId: `${providerArn}:sts.amazonaws.com:${subject}`,
    userName: subject,
    identityProvider: providerArn,
  };
}

/** `resources` entries for an S3 object and its bucket. */
export function s3ObjectResources(accountId: string, bucket: string, key: string): Resource[] {
  return [
    { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
    { accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
  ];
}

export function s3BucketResources(accountId: string, bucket: string): Resource[] {
  return [{ accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }];
}

export function s3AdditionalData(bytesIn: number, bytesOut: number): JsonObject {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    bytesTransferredOut: bytesOut,
  };
}

/** The STS response for a new role session. */
export function assumeRoleResponse(role: AwsRole, sessionName: string, accountId: string, accessKeyId: string, expiresAt: number): JsonObject {
  return {
    credentials: { accessKeyId, expiration: cloudTrailDate(expiresAt) },
    assumedRoleUser: {
      assumedRoleId: `${role.roleId}:${sessionName}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    },
  };
}
