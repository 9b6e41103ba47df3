/**
 * GuardDuty finding → normalized event (OCSF 2004 Detection Finding). Pure; never throws.
 *
 * Detection: a finding has a `type` in GuardDuty's `ThreatPurpose:ResourceType/ThreatFamilyName` form, a
 * GuardDuty ARN, or `service.serviceName: "guardduty"`. The remote party of the activity
 * (`service.action.*.remoteIpDetails`, whichever action the finding has) is `src_ip`, with its geolocation and
 * ASN; for an OUTBOUND connection that is the address the instance connected to. `event_time` is `updatedAt`: an
 * updated finding (same id, higher `service.count`) is a new event about the same finding.
 */
import type { EventDraft, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, ipAddress, principalName, text } from '../shared/lenient';
import { readGuardDutyFinding, type GuardDutyFinding, type RemoteIpDetails } from './finding-schema';

export const normalizeGuardDutyFinding: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a GuardDuty finding (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  if (record.source === 'aws.guardduty' && typeof record['detail-type'] === 'string') return eventBridgeNotice(record, ctx);
  const f = readGuardDutyFinding(record);
  const type = text(f.type);
  if (!type && !text(f.arn)?.includes(':guardduty:') && text(f.service?.serviceName) !== 'guardduty') {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a GuardDuty finding: it has no finding type, no GuardDuty ARN and no service.serviceName "guardduty"',
    };
  }
  const a = f.service?.action;
  const remote = remoteIp(f);
  const time = toIsoMillis(f.updatedAt) ?? toIsoMillis(f.createdAt) ?? toIsoMillis(f.service?.eventLastSeen);
  const accessKey = f.resource?.accessKeyDetails;
  const kubernetesUser = f.resource?.kubernetesDetails?.kubernetesUserDetails;
  const target = targetOf(f);

  const event: EventDraft = {
    event_id: text(f.id),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: 2004,
    class_name: 'Detection Finding',
    action: type ?? 'unknown',
    identity_action: null,
    outcome: outcomeOf(f),
    outcome_reason: text(a?.awsApiCallAction?.errorCode),
    severity: guardDutySeverity(f.severity),
    actor: principalName(accessKey?.userName) ?? principalName(kubernetesUser?.username) ?? principalName(f.resource?.rdsDbUserDetails?.user),
    actor_id: text(accessKey?.principalId) ?? text(kubernetesUser?.uid),
    actor_name: null,
    actor_type: text(accessKey?.userType),
    src_ip: ipAddress(remote?.ipAddressV4) ?? ipAddress(remote?.ipAddressV6),
    src_country: text(remote?.country?.countryName) ?? text(remote?.country?.countryCode),
    src_region: null,
    src_city: text(remote?.city?.cityName),
    src_lat: finiteNumber(remote?.geoLocation?.lat),
    src_lon: finiteNumber(remote?.geoLocation?.lon),
    src_asn: integer(remote?.organization?.asn),
    src_asn_org: text(remote?.organization?.asnOrg),
    user_agent: text(a?.awsApiCallAction?.userAgent?.fullUserAgent) ?? text(a?.kubernetesApiCallAction?.userAgent),
    service: text(a?.awsApiCallAction?.serviceName),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: text(accessKey?.accessKeyId),
    mfa_factor: null,
    message: text(f.title) ?? text(f.description),
  };
  return { ok: true, event };
};

/** The remote party of whichever action the finding describes; a port probe names its first prober. */
function remoteIp(f: GuardDutyFinding): RemoteIpDetails | undefined {
  const a = f.service?.action;
  return (
    a?.networkConnectionAction?.remoteIpDetails ??
    a?.awsApiCallAction?.remoteIpDetails ??
    a?.kubernetesApiCallAction?.remoteIpDetails ??
    a?.rdsLoginAttemptAction?.remoteIpDetails ??
    a?.portProbeAction?.portProbeDetails?.find((d) => d?.remoteIpDetails)?.remoteIpDetails
  );
}

/** Whether the detected activity got through: blocked connections and refused or failed API calls did not. */
function outcomeOf(f: GuardDutyFinding): Outcome {
  const a = f.service?.action;
  if (a?.awsApiCallAction) return text(a.awsApiCallAction.errorCode) ? 'failure' : 'success';
  const status = a?.kubernetesApiCallAction?.statusCode;
  if (status !== undefined) return status >= 400 ? 'failure' : 'success';
  const blocked = a?.networkConnectionAction?.blocked ?? a?.portProbeAction?.blocked ?? a?.dnsRequestAction?.blocked;
  if (blocked === undefined) return 'unknown';
  return blocked ? 'failure' : 'success';
}

/**
 * GuardDuty's bands (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html): Critical
 * 9.0–10.0, High 7.0–8.9, Medium 4.0–6.9, Low 1.0–3.9; 0 is reserved and read as Low. Exports that carry the
 * label instead of the number are read too.
 */
function guardDutySeverity(value: unknown): Severity | null {
  const n = finiteNumber(value);
  if (n === null) {
    const label = text(value)?.toLowerCase();
    return label === 'low' || label === 'medium' || label === 'high' || label === 'critical' ? label : null;
  }
  if (n >= 9) return 'critical';
  if (n >= 7) return 'high';
  if (n >= 4) return 'medium';
  return 'low';
}

/** The AWS resource the finding is about, typed by GuardDuty's `resourceType`. */
function targetOf(f: GuardDutyFinding): [string, string | null] | null {
  const r = f.resource;
  const type = text(r?.resourceType);
  const name =
    text(r?.instanceDetails?.instanceId) ??
    text(r?.s3BucketDetails?.find((b) => text(b?.name))?.name) ??
    text(r?.eksClusterDetails?.name) ??
    text(r?.ecsClusterDetails?.name) ??
    text(r?.rdsDbInstanceDetails?.dbInstanceIdentifier) ??
    text(r?.lambdaDetails?.functionName) ??
    firstAffectedResource(f.service?.action?.awsApiCallAction?.affectedResources) ??
    text(r?.accessKeyDetails?.accessKeyId);
  return name ? [name, type] : null;
}

function firstAffectedResource(resources: Record<string, unknown> | undefined): string | null {
  if (!resources) return null;
  for (const value of Object.values(resources)) {
    const s = text(value);
    if (s) return s;
  }
  return null;
}

/**
 * A GuardDuty EventBridge event whose `detail` is empty (core unwraps those that carry a finding): kept as a
 * notice so nothing the sender delivered is lost, with the envelope's own id and time.
 */
function eventBridgeNotice(envelope: Record<string, unknown>, ctx: { source: string; ingestTime: string }): ParseResult {
  const time = toIsoMillis(envelope.time);
  const resources = Array.isArray(envelope.resources) ? envelope.resources.filter((r): r is string => typeof r === 'string') : [];
  return {
    ok: true,
    event: {
      event_id: text(envelope.id),
      source: ctx.source,
      event_time: time ?? ctx.ingestTime,
      event_time_inferred: time === null,
      ingest_time: ctx.ingestTime,
      class_uid: 2004,
      class_name: 'Detection Finding',
      action: text(envelope['detail-type']) ?? 'GuardDuty Finding',
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
      src_region: text(envelope.region),
      src_city: null,
      src_lat: null,
      src_lon: null,
      src_asn: null,
      src_asn_org: null,
      user_agent: null,
      service: 'guardduty',
      target: resources[0] ?? text(envelope.account),
      target_type: resources[0] ? 'AwsResource' : text(envelope.account) ? 'AwsAccount' : null,
      session_id: null,
      mfa_factor: null,
      message: 'EventBridge GuardDuty event without finding details',
    },
  };
}
