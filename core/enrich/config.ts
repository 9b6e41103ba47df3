/**
 * The `enrichment:` section of the routing document: which providers run, where their data or API lives, and the
 * *names* of the Worker secrets holding their credentials (never the values). A provider is on when its section
 * is present. `baseUrl` overrides exist for vendor sandboxes, corporate proxies and the loopback fakes of the
 * tests; every URL still goes through the outbound guard (https only, no private targets unless allow-listed).
 */
import { z } from 'zod';
import { defaultMaxSubjectsPerAlert } from './enrich-alert';

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a Worker secret name (letters, digits, underscores)');
const baseUrl = z.url().transform((u) => u.replace(/\/+$/, ''));
const ttlMinutes = z.number().int().min(1).max(60 * 24 * 90);

export const enrichmentConfigSchema = z
  .object({
    /** GeoIP2/GeoLite2 City (or Country/ASN) database in the LAKE R2 bucket; `asnR2Key` adds an ASN database. */
    geoipMmdb: z.object({ r2Key: z.string().min(1), asnR2Key: z.string().min(1).optional() }).strict().optional(),
    maxmind: z
      .object({ accountIdSecret: secretName, licenseKeySecret: secretName, baseUrl: baseUrl.optional(), ttlMinutes: ttlMinutes.optional() })
      .strict()
      .optional(),
    ipinfo: z.object({ tokenSecret: secretName, baseUrl: baseUrl.optional(), ttlMinutes: ttlMinutes.optional() }).strict().optional(),
    abuseipdb: z
      .object({ keySecret: secretName, maxAgeInDays: z.number().int().min(1).max(365).default(90), baseUrl: baseUrl.optional(), ttlMinutes: ttlMinutes.optional() })
      .strict()
      .optional(),
    virustotal: z.object({ keySecret: secretName, baseUrl: baseUrl.optional(), ttlMinutes: ttlMinutes.optional() }).strict().optional(),
    /** Okta org URL, e.g. https://acme.okta.com; the token needs the okta.users.read scope (read-only admin). */
    okta: z.object({ baseUrl, tokenSecret: secretName, ttlMinutes: ttlMinutes.optional() }).strict().optional(),
    /** Upper bound on subjects (IPs, users, domains) looked up per alert; each costs one call per provider on a cache miss. */
    maxSubjectsPerAlert: z.number().int().min(1).max(20).default(defaultMaxSubjectsPerAlert),
  })
  .strict();

export type EnrichmentConfig = z.infer<typeof enrichmentConfigSchema>;
export type EnrichmentConfigInput = z.input<typeof enrichmentConfigSchema>;
