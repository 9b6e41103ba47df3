/**
 * Amazon GuardDuty finding, as documented in the API reference (Finding,
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html) and the finding format guide
 * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html). Findings arrive bare, as the
 * `detail` of an EventBridge "GuardDuty Finding" event (unwrapped before the parser runs), or as a GetFindings
 * response page `{"findings": [...]}` (unwrapped by the source's `expand`).
 *
 * Only the fields the normalizer reads are declared; the rest stays in raw. Every field is lenient.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

/** RemoteIpDetails (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_RemoteIpDetails.html). `asn` is a string. */
const remoteIpDetails = z.looseObject({
  ipAddressV4: lenient(z.string()),
  ipAddressV6: lenient(z.string()),
  organization: lenient(
    z.looseObject({ asn: lenient(z.union([z.string(), z.number()])), asnOrg: lenient(z.string()), isp: lenient(z.string()), org: lenient(z.string()) }),
  ),
  country: lenient(z.looseObject({ countryCode: lenient(z.string()), countryName: lenient(z.string()) })),
  city: lenient(z.looseObject({ cityName: lenient(z.string()) })),
  geoLocation: lenient(z.looseObject({ lat: lenient(z.number()), lon: lenient(z.number()) })),
});
export type RemoteIpDetails = z.infer<typeof remoteIpDetails>;

const withRemoteIp = z.looseObject({ remoteIpDetails: lenient(remoteIpDetails) });

const action = z.looseObject({
  actionType: lenient(z.string()),
  awsApiCallAction: lenient(
    z.looseObject({
      api: lenient(z.string()),
      serviceName: lenient(z.string()),
      errorCode: lenient(z.string()),
      remoteIpDetails: lenient(remoteIpDetails),
      userAgent: lenient(z.looseObject({ fullUserAgent: lenient(z.string()), userAgentCategory: lenient(z.string()) })),
      affectedResources: lenient(z.record(z.string(), z.unknown())),
    }),
  ),
  networkConnectionAction: lenient(
    z.looseObject({ blocked: lenient(z.boolean()), connectionDirection: lenient(z.string()), remoteIpDetails: lenient(remoteIpDetails) }),
  ),
  portProbeAction: lenient(z.looseObject({ blocked: lenient(z.boolean()), portProbeDetails: lenient(z.array(lenient(withRemoteIp))) })),
  dnsRequestAction: lenient(z.looseObject({ blocked: lenient(z.boolean()), domain: lenient(z.string()) })),
  kubernetesApiCallAction: lenient(
    z.looseObject({
      remoteIpDetails: lenient(remoteIpDetails),
      userAgent: lenient(z.string()),
      verb: lenient(z.string()),
      statusCode: lenient(z.number()),
    }),
  ),
  rdsLoginAttemptAction: lenient(withRemoteIp),
});

const named = z.looseObject({ name: lenient(z.string()) });

export const guardDutyFindingSchema = z.looseObject({
  schemaVersion: lenient(z.string()),
  accountId: lenient(z.string()),
  region: lenient(z.string()),
  id: lenient(z.string()),
  arn: lenient(z.string()),
  type: lenient(z.string()),
  title: lenient(z.string()),
  description: lenient(z.string()),
  severity: lenient(z.union([z.number(), z.string()])),
  createdAt: lenient(z.union([z.string(), z.number()])),
  updatedAt: lenient(z.union([z.string(), z.number()])),
  resource: lenient(
    z.looseObject({
      resourceType: lenient(z.string()),
      accessKeyDetails: lenient(
        z.looseObject({ accessKeyId: lenient(z.string()), principalId: lenient(z.string()), userName: lenient(z.string()), userType: lenient(z.string()) }),
      ),
      instanceDetails: lenient(z.looseObject({ instanceId: lenient(z.string()) })),
      s3BucketDetails: lenient(z.array(lenient(named))),
      eksClusterDetails: lenient(named),
      ecsClusterDetails: lenient(named),
      kubernetesDetails: lenient(
        z.looseObject({ kubernetesUserDetails: lenient(z.looseObject({ username: lenient(z.string()), uid: lenient(z.string()) })) }),
      ),
      rdsDbInstanceDetails: lenient(z.looseObject({ dbInstanceIdentifier: lenient(z.string()) })),
      rdsDbUserDetails: lenient(z.looseObject({ user: lenient(z.string()) })),
      lambdaDetails: lenient(z.looseObject({ functionName: lenient(z.string()) })),
    }),
  ),
  service: lenient(
    z.looseObject({
      serviceName: lenient(z.string()),
      action: lenient(action),
      count: lenient(z.number()),
      eventFirstSeen: lenient(z.string()),
      eventLastSeen: lenient(z.string()),
      archived: lenient(z.boolean()),
    }),
  ),
});
export type GuardDutyFinding = z.infer<typeof guardDutyFindingSchema>;

export function readGuardDutyFinding(record: Record<string, unknown>): GuardDutyFinding {
  return guardDutyFindingSchema.parse(record);
}

/** A GetFindings / ListFindings-then-GetFindings response page: `{"findings": [...]}`. */
export function expandGuardDutyFindings(value: Record<string, unknown>): unknown[] | null {
  return Array.isArray(value.findings) && value.type === undefined ? value.findings : null;
}
