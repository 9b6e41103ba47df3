/**
 * CrowdStrike Falcon API resources (alerts, hosts, Spotlight vulnerabilities) → normalized events. Pure;
 * never throws.
 *
 * Invariants:
 * - An alert is a Detection Finding at the time the behaviour happened (`timestamp`, else
 *   `context_timestamp`, else when the alert was created); its outcome is unknown (the alert records a
 *   detection, and whether it was blocked is in outcome_reason).
 * - A host record is a Device Inventory snapshot at `last_seen`; it has no vendor event id.
 * - A vulnerability is a Vulnerability Finding on one host, at its last update; the CVE id leads the message.
 */
import type { EventDraft, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, falconSeverity, ocsf } from './event-draft';
import { alertSchema, hostSchema, vulnerabilitySchema } from './falcon-api-schema';

export function normalizeAlert(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const a = alertSchema.parse(record);
  const device = a.device ?? null;
  const hostname = text(device?.hostname) ?? text(a.source_endpoint_host_name);
  const userName = text(a.user_name) ?? text(a.source_account_name);
  const domain = text(a.logon_domain);
  return {
    ...blankEvent(ctx, toIsoMillis(a.timestamp) ?? toIsoMillis(a.context_timestamp) ?? toIsoMillis(a.created_timestamp), ocsf.detectionFinding),
    event_id: text(a.composite_id) ?? text(a.id),
    action: text(a.name) ?? text(a.display_name) ?? text(a.type) ?? 'alert',
    outcome: 'unknown',
    outcome_reason: text(a.pattern_disposition_description),
    severity: falconSeverity(a.severity_name, a.severity),
    actor: userName ? (domain && !userName.includes('\\') ? `${domain}\\${userName}` : userName) : principalName(a.user_principal),
    actor_id: text(a.user_id) ?? text(a.source_account_object_sid),
    actor_name: principalName(a.user_principal) ?? principalName(a.source_account_upn),
    src_ip: ipAddress(device?.local_ip) ?? ipAddress(a.source_endpoint_ip_address) ?? ipAddress(device?.external_ip),
    service: a.source_products?.[0] ?? text(a.product),
    target: hostname,
    target_type: hostname ? 'device' : null,
    message: text(a.description) ?? text(a.display_name),
  };
}

export function normalizeHost(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const h = hostSchema.parse(record);
  const hostname = text(h.hostname) ?? text(h.device_id);
  const os = text(h.os_product_name) ?? text(h.os_version);
  const platform = text(h.platform_name);
  return {
    ...blankEvent(ctx, toIsoMillis(h.last_seen) ?? toIsoMillis(h.modified_timestamp) ?? toIsoMillis(h.first_seen), ocsf.deviceInventory),
    action: 'device',
    outcome: 'unknown',
    outcome_reason: text(h.status),
    // The last user to log in, so that a user's events can be joined to the device they sit at.
    actor: principalName(h.last_login_user),
    actor_id: text(h.last_login_user_sid),
    src_ip: ipAddress(h.local_ip) ?? ipAddress(h.connection_ip) ?? ipAddress(h.external_ip),
    service: platform,
    target: hostname,
    target_type: hostname ? 'device' : null,
    message: [os, text(h.agent_version) && `sensor ${text(h.agent_version)}`].filter(Boolean).join(', ') || null,
  };
}

export function normalizeVulnerability(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const v = vulnerabilitySchema.parse(record);
  const cve = text(v.cve?.id) ?? text(v.vulnerability_id);
  const description = text(v.cve?.description);
  const app = v.apps?.find((a) => a)?.product_name_version ?? null;
  const hostname = text(v.host_info?.hostname) ?? text(v.aid);
  return {
    ...blankEvent(ctx, toIsoMillis(v.updated_timestamp) ?? toIsoMillis(v.created_timestamp), ocsf.vulnerabilityFinding),
    event_id: text(v.id),
    action: 'vulnerability',
    outcome: 'unknown',
    outcome_reason: text(v.status),
    severity: falconSeverity(v.cve?.severity, null),
    src_ip: ipAddress(v.host_info?.local_ip),
    service: text(app),
    target: hostname,
    target_type: hostname ? 'device' : null,
    message: cve ? (description ? `${cve}: ${description}` : cve) : description,
  };
}
