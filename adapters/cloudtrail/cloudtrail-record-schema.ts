/**
 * AWS CloudTrail record, as documented in the CloudTrail record contents reference
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * Records arrive bare, in `{"Records": [...]}` log files, or inside an EventBridge envelope
 * (`detail-type: "AWS API Call via CloudTrail"`, record in `detail`).
 */
import { z } from 'zod';
import { lenient, restoreKeyCase } from '../shared/lenient';
import { isPlainObject } from '../../core/ingest/split-records';

const sessionIssuer = z.looseObject({
  type: lenient(z.string()),
  userName: lenient(z.string()),
  arn: lenient(z.string()),
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: lenient(z.string()),
  eventTime: lenient(z.string()),
  eventSource: lenient(z.string()),
  eventName: lenient(z.string()),
  eventType: lenient(z.string()),
  eventID: lenient(z.string()),
  awsRegion: lenient(z.string()),
  sourceIPAddress: lenient(z.string()),
  userAgent: lenient(z.string()),
  errorCode: lenient(z.string()),
  errorMessage: lenient(z.string()),
  readOnly: lenient(z.union([z.boolean(), z.string()])),
  recipientAccountId: lenient(z.string()),
  requestParameters: lenient(z.record(z.string(), z.unknown()).nullable()),
  responseElements: lenient(z.record(z.string(), z.unknown()).nullable()),
  additionalEventData: lenient(z.record(z.string(), z.unknown()).nullable()),
  eventId: lenient(z.string()),
  insightDetails: lenient(
    z.looseObject({ eventName: lenient(z.string()), eventSource: lenient(z.string()), state: lenient(z.string()), insightType: lenient(z.string()) }),
  ),
  userIdentity: lenient(
    z.looseObject({
      type: lenient(z.string()),
      principalId: lenient(z.string()),
      arn: lenient(z.string()),
      accountId: lenient(z.string()),
      accessKeyId: lenient(z.string()),
      userName: lenient(z.string()),
      invokedBy: lenient(z.string()),
      sessionContext: lenient(
        z.looseObject({
          sessionIssuer: lenient(sessionIssuer),
          attributes: lenient(z.looseObject({ mfaAuthenticated: lenient(z.string()) })),
        }),
      ),
    }),
  ),
});
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

const camelKeys = [
  'eventVersion', 'eventTime', 'eventSource', 'eventName', 'eventType', 'eventID', 'awsRegion', 'sourceIPAddress',
  'userAgent', 'errorCode', 'errorMessage', 'readOnly', 'recipientAccountId', 'requestParameters',
  'responseElements', 'additionalEventData', 'userIdentity',
] as const;

export function readCloudTrailRecord(record: Record<string, unknown>): CloudTrailRecord {
  return cloudTrailRecordSchema.parse(restoreKeyCase(record, camelKeys));
}

/** `{"Records": [...]}` (a CloudTrail log file, or one line of one) → its records; anything else → null. */
export function expandCloudTrailEnvelope(value: Record<string, unknown>): unknown[] | null {
  return Array.isArray(value.Records) ? value.Records : null;
}

/** The record inside an EventBridge event, or the value itself. */
export function unwrapEventBridge(value: Record<string, unknown>): Record<string, unknown> {
  if (typeof value['detail-type'] === 'string' && isPlainObject(value.detail)) return value.detail;
  return value;
}
