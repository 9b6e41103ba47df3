/**
 * CrowdStrike Falcon API resources, as the REST API returns them (one resource per record):
 * - Alerts API v1/v2 (`/alerts/entities/alerts/v1|v2`): https://www.falconpy.io/Service-Collections/Alerts.html
 *   (CrowdStrike's own reference is in the Falcon console documentation, behind a login)
 * - Hosts / devices (`/devices/entities/devices/v2`): https://www.falconpy.io/Service-Collections/Hosts.html
 * - Spotlight vulnerabilities (`/spotlight/combined/vulnerabilities/v1`): https://www.falconpy.io/Service-Collections/Spotlight-Vulnerabilities.html
 *
 * Invariants: every field is optional and lenient; only the fields the normalizer reads are described, the
 * rest pass through (`looseObject`) and stay in `raw`.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.union([z.number(), z.string()]).nullable());

const deviceSchema = z.looseObject({
  device_id: str,
  hostname: str,
  local_ip: str,
  external_ip: str,
  connection_ip: str,
  mac_address: str,
  platform_name: str,
  os_version: str,
  os_product_name: str,
  agent_version: str,
  machine_domain: str,
  first_seen: str,
  last_seen: str,
  modified_timestamp: str,
  last_login_user: str,
  last_login_user_sid: str,
  last_login_timestamp: str,
  product_type_desc: str,
  status: str,
});

export const alertSchema = z.looseObject({
  composite_id: str,
  id: str,
  timestamp: str,
  context_timestamp: str,
  created_timestamp: str,
  name: str,
  display_name: str,
  description: str,
  type: str,
  product: str,
  source_products: lenient(z.array(z.string()).nullable()),
  severity: num,
  severity_name: str,
  status: str,
  tactic: str,
  technique: str,
  cmdline: str,
  filename: str,
  user_name: str,
  user_id: str,
  user_principal: str,
  logon_domain: str,
  /** Identity Protection (idp) alerts name the account instead of a process user. */
  source_account_name: str,
  source_account_upn: str,
  source_account_object_sid: str,
  source_endpoint_ip_address: str,
  source_endpoint_host_name: str,
  pattern_disposition_description: str,
  device: lenient(deviceSchema.nullable()),
});
export type Alert = z.infer<typeof alertSchema>;

export const hostSchema = deviceSchema;
export type Host = z.infer<typeof hostSchema>;

export const vulnerabilitySchema = z.looseObject({
  id: str,
  aid: str,
  vulnerability_id: str,
  created_timestamp: str,
  updated_timestamp: str,
  status: str,
  cve: lenient(z.looseObject({ id: str, severity: str, base_score: num, description: str, exprt_rating: str }).nullable()),
  apps: lenient(z.array(lenient(z.looseObject({ product_name_version: str, product_name_normalized: str, vendor_normalized: str }).nullable())).nullable()),
  host_info: lenient(z.looseObject({ hostname: str, local_ip: str, platform: str, os_version: str, machine_domain: str }).nullable()),
});
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

/** A whole API response posted as one body: `{meta, resources: [...], errors}`. */
export function expandFalconApiResponse(value: Record<string, unknown>): unknown[] | null {
  return Array.isArray(value.resources) && ('meta' in value || 'errors' in value) ? value.resources : null;
}
