/**
 * GeoIP2 records — the same shape in MaxMind's web service answers (https://dev.maxmind.com/geoip/docs/web-services/responses/)
 * and in GeoIP2/GeoLite2 City, Country and ASN databases (https://dev.maxmind.com/geoip/docs/databases/city-and-country/,
 * …/databases/asn/) — turned into one line: "Ashburn, US · AS14618 Amazon.com, Inc. · anonymous VPN".
 * Lenient by design: every field is optional, unknown fields are ignored, a wrong type drops only that field.
 */
import { z } from 'zod';
import { noteLine } from './provider-http';

const names = z.record(z.string(), z.string()).optional().catch(undefined);
const place = z.object({ names, iso_code: z.string().optional().catch(undefined) }).optional().catch(undefined);

export const geoRecordSchema = z.object({
  city: place,
  country: place,
  registered_country: place,
  subdivisions: z.array(z.object({ names, iso_code: z.string().optional().catch(undefined) })).optional().catch(undefined),
  location: z.object({ accuracy_radius: z.number().optional().catch(undefined) }).optional().catch(undefined),
  traits: z
    .object({
      autonomous_system_number: z.number().optional().catch(undefined),
      autonomous_system_organization: z.string().optional().catch(undefined),
      isp: z.string().optional().catch(undefined),
      is_anonymous: z.boolean().optional().catch(undefined),
      is_anonymous_vpn: z.boolean().optional().catch(undefined),
      is_hosting_provider: z.boolean().optional().catch(undefined),
      is_tor_exit_node: z.boolean().optional().catch(undefined),
      is_public_proxy: z.boolean().optional().catch(undefined),
      user_type: z.string().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  // GeoLite2/GeoIP2 ASN databases keep these at the top level.
  autonomous_system_number: z.number().optional().catch(undefined),
  autonomous_system_organization: z.string().optional().catch(undefined),
});
export type GeoRecord = z.infer<typeof geoRecordSchema>;

const en = (n: Record<string, string> | undefined) => n?.en ?? (n ? Object.values(n)[0] : undefined);

/** The place and network of a GeoIP2 record, or null when it carries neither. */
export function describeGeoRecord(record: GeoRecord): string | null {
  const country = record.country?.iso_code ?? record.registered_country?.iso_code ?? en(record.country?.names);
  const city = en(record.city?.names);
  const region = city ? undefined : en(record.subdivisions?.[0]?.names);
  const where = [city ?? region, country].filter(Boolean).join(', ');
  const asn = record.traits?.autonomous_system_number ?? record.autonomous_system_number;
  const org = record.traits?.autonomous_system_organization ?? record.autonomous_system_organization ?? record.traits?.isp;
  const network = asn !== undefined ? `AS${asn}${org ? ` ${org}` : ''}` : org;
  const t = record.traits;
  const flags = [
    t?.is_tor_exit_node && 'Tor exit',
    t?.is_anonymous_vpn && 'anonymous VPN',
    t?.is_public_proxy && 'public proxy',
    t?.is_hosting_provider && 'hosting provider',
    !t?.is_anonymous_vpn && !t?.is_tor_exit_node && !t?.is_public_proxy && t?.is_anonymous && 'anonymizer',
  ];
  const line = noteLine([where, network, ...flags]);
  return line === '' ? null : line;
}
