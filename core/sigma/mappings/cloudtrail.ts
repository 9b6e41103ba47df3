/**
 * AWS CloudTrail (`cloudtrail`) for SigmaHQ's `product: aws, service: cloudtrail` rules, which name CloudTrail's
 * record fields (`eventName`, `userIdentity.type`, `requestParameters.bucketName`) — the paths of `raw`.
 *
 * A record delivered by EventBridge ("AWS API Call via CloudTrail") is kept whole in `raw`, the record under
 * `detail`, so every known path also reads `detail.<path>`. `requestParameters`, `responseElements`,
 * `additionalEventData` and `serviceEventDetails` are each API's own objects: any path below them is admitted.
 * `status` (Splunk's CIM name in a few SigmaHQ rules, "success"/"failure") is our `outcome` column.
 */
import type { LogsourceMapping } from '../ir';
import { column, listOrSingle, nestedAlternates, normalizedColumnFields, plainPath } from './field-targets';
import { knownFields as cloudTrailFields } from './known-fields/cloudtrail';

const openObjects = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails'];

// EventBridge deliveries in our samples carry requestParameters and responseElements only.
const knownFields = [
  ...cloudTrailFields,
  ...openObjects.map((key) => `${key}.*`),
  'detail.requestParameters.*',
  'detail.responseElements.*',
];

/**
 * Parameters that are a list in some records and a single value in others (S3 ACL grants converted from XML,
 * policy statements and principals, which IAM accepts either way): both shapes, bare and in EventBridge.
 */
const listOrSingleParameters = [
  'requestParameters.x-amz-acl[?]',
  'requestParameters.AccessControlPolicy.AccessControlList.Grant[?].Grantee.URI',
  'requestParameters.AccessControlPolicy.AccessControlList.Grant[?].Permission',
  'requestParameters.bucketPolicy.Statement[?].Effect',
  'requestParameters.bucketPolicy.Statement[?].Principal',
  'requestParameters.bucketPolicy.Statement[?].Principal.AWS[?]',
];
const listOrSingleFields = Object.fromEntries(
  listOrSingleParameters.map((path) => [plainPath(path.replaceAll('[?]', '')), [...listOrSingle(path), ...listOrSingle(`detail.${path}`)]]),
);

export const cloudTrailMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'aws', service: 'cloudtrail' },
    sources: ['cloudtrail'],
    fields: {
      ...normalizedColumnFields(knownFields),
      ...nestedAlternates(knownFields, 'detail'),
      ...listOrSingleFields,
      status: column('outcome'),
    },
    knownFields,
  },
];
