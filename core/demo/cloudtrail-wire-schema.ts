/**
 * The AWS CloudTrail record exactly as the demo generator emits it: the fields of
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * and of the userIdentity element
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html),
 * per identity type, in CloudTrail's key order.
 *
 * Strict on purpose: it is the generator's contract and the test oracle for every generated record. The ingest
 * parser's schema (adapters/cloudtrail) is the lenient one.
 *
 * Invariants (each one a rule CloudTrail follows and the refinement checks):
 * - `eventTime` is ISO-8601 UTC to the second with a `Z`; `eventID` is a UUID.
 * - API calls carry a `requestID`; console sign-ins do not.
 * - `eventCategory: "Data"` exactly when `managementEvent` is false (S3 object and Lambda invoke calls).
 * - `errorCode` and `errorMessage` come together.
 * - A `ConsoleLogin` is an `AwsConsoleSignIn` with `additionalEventData.MFAUsed` and
 *   `responseElements.ConsoleLogin`.
 */
import { z } from 'zod';

const accountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const isoSeconds = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'CloudTrail times are UTC to the second');
const accessKeyIdSchema = z.string().regex(/^(AKIA|ASIA)[A-Z2-7]{16}$/, 'an access key id is AKIA/ASIA + 16 base32 characters');

const sessionAttributesSchema = z.strictObject({
  creationDate: isoSeconds,
  mfaAuthenticated: z.enum(['true', 'false']),
});

const roleIssuerSchema = z.strictObject({
  type: z.literal('Role'),
  principalId: z.string().regex(/^AROA[A-Z2-7]{17}$/),
  arn: z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/),
  accountId: accountIdSchema,
  userName: z.string().min(1),
});

export const cloudTrailUserIdentitySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('IAMUser'),
    principalId: z.string().regex(/^AIDA[A-Z2-7]{17}$/),
    arn: z.string().regex(/^arn:aws:iam::\d{12}:user\/.+$/),
    accountId: accountIdSchema,
    accessKeyId: accessKeyIdSchema.optional(),
    userName: z.string().min(1),
    sessionContext: z
      .strictObject({
        sessionIssuer: z.strictObject({}),
        webIdFederationData: z.strictObject({}),
        attributes: sessionAttributesSchema,
      })
      .optional(),
  }),
  z.strictObject({
    type: z.literal('AssumedRole'),
    principalId: z.string().regex(/^AROA[A-Z2-7]{17}:.+$/),
    arn: z.string().regex(/^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+$/),
    accountId: accountIdSchema,
    accessKeyId: accessKeyIdSchema,
    sessionContext: z.strictObject({
      sessionIssuer: roleIssuerSchema,
      webIdFederationData: z.record(z.string(), z.unknown()),
      attributes: sessionAttributesSchema,
    }),
  }),
  z.strictObject({
    type: z.literal('Root'),
    principalId: accountIdSchema,
    arn: z.string().regex(/^arn:aws:iam::\d{12}:root$/),
    accountId: accountIdSchema,
    accessKeyId: z.union([accessKeyIdSchema, z.literal('')]),
    sessionContext: z
      .strictObject({
        sessionIssuer: z.strictObject({}),
        webIdFederationData: z.strictObject({}),
        attributes: sessionAttributesSchema,
      })
      .optional(),
  }),
  z.strictObject({
    type: z.literal('AWSService'),
    invokedBy: z.string().regex(/^[a-z0-9-]+\.amazonaws\.com$/),
  }),
  z.strictObject({
    type: z.literal('WebIdentityUser'),
    principalId: z.string().min(1),
    userName: z.string().min(1),
    identityProvider: z.string().regex(/^arn:aws:iam::\d{12}:oidc-provider\/.+$/),
  }),
]);
export type CloudTrailUserIdentity = z.infer<typeof cloudTrailUserIdentitySchema>;

export const cloudTrailResourceSchema = z.strictObject({
  accountId: accountIdSchema.optional(),
  type: z.string().regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/),
  ARN: z.string().startsWith('arn:aws:'),
});

const jsonObject = z.record(z.string(), z.unknown());

export const cloudTrailRecordSchema = z
  .strictObject({
    eventVersion: z.enum(['1.08', '1.09', '1.10', '1.11']),
    userIdentity: cloudTrailUserIdentitySchema,
    eventTime: isoSeconds,
    eventSource: z.string().regex(/^[a-z0-9-]+\.amazonaws\.com$/),
    eventName: z.string().regex(/^[A-Za-z0-9]+$/),
    awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
    sourceIPAddress: z.union([z.ipv4(), z.ipv6(), z.string().regex(/^[a-z0-9-]+\.amazonaws\.com$/)]),
    userAgent: z.string().min(1),
    errorCode: z.string().min(1).optional(),
    errorMessage: z.string().min(1).optional(),
    requestParameters: jsonObject.nullable(),
    responseElements: jsonObject.nullable(),
    additionalEventData: jsonObject.optional(),
    requestID: z.string().min(1).optional(),
    eventID: z.uuid(),
    readOnly: z.boolean(),
    resources: z.array(cloudTrailResourceSchema).min(1).optional(),
    eventType: z.enum(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent']),
    managementEvent: z.boolean(),
    recipientAccountId: accountIdSchema,
    eventCategory: z.enum(['Management', 'Data']),
    tlsDetails: z
      .strictObject({
        tlsVersion: z.enum(['TLSv1.2', 'TLSv1.3']),
        cipherSuite: z.string().min(1),
        clientProvidedHostHeader: z.string().min(1),
      })
      .optional(),
    sessionCredentialFromConsole: z.literal('true').optional(),
  })
  .superRefine((record, ctx) => {
    if (record.eventType === 'AwsApiCall' && record.requestID === undefined) {
      ctx.addIssue({ code: 'custom', path: ['requestID'], message: 'an AwsApiCall carries a requestID' });
    }
    if ((record.eventCategory === 'Data') === record.managementEvent) {
      ctx.addIssue({ code: 'custom', path: ['managementEvent'], message: 'data events are exactly the non-management events' });
    }
    if ((record.errorCode === undefined) !== (record.errorMessage === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['errorCode'], message: 'errorCode and errorMessage come together' });
    }
    if (record.eventName === 'ConsoleLogin') {
      const mfa = record.additionalEventData?.MFAUsed;
      const result = record.responseElements?.ConsoleLogin;
      if (record.eventType !== 'AwsConsoleSignIn') {
        ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'ConsoleLogin is an AwsConsoleSignIn' });
      }
      if (mfa !== 'Yes' && mfa !== 'No') {
        ctx.addIssue({ code: 'custom', path: ['additionalEventData', 'MFAUsed'], message: 'MFAUsed is "Yes" or "No"' });
      }
      if (result !== 'Success' && result !== 'Failure') {
        ctx.addIssue({ code: 'custom', path: ['responseElements', 'ConsoleLogin'], message: 'ConsoleLogin is "Success" or "Failure"' });
      }
    }
  });
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;
