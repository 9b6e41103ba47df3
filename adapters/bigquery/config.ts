/**
 * Configuration of the BigQuery lake engine, validated once when the engine is built (a misconfiguration throws
 * there, naming every bad field, never on the first query). The service-account key is parsed here too, and is
 * never echoed in an error.
 */
import { z } from 'zod';
import { parseServiceAccountKey, type ServiceAccountKey } from '../google_workspace/collect-token';
import { googleTokenUrl } from '../llm/vertex/access-token';

export const bigQueryApiBaseUrl = 'https://bigquery.googleapis.com';

// https://cloud.google.com/resource-manager/docs/creating-managing-projects: 6–30 lower-case letters, digits and
// hyphens, starting with a letter; legacy domain-scoped ids carry a `domain:` prefix.
const projectIdPattern = /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// https://cloud.google.com/bigquery/docs/datasets#dataset-naming: letters, digits and underscores, ≤ 1,024.
const datasetPattern = /^[A-Za-z0-9_]{1,1024}$/;

const bytesMessage = 'must be a positive whole number of bytes';
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const bigQueryConfigSchema = z.object({
  projectId: z.string({ error: 'is required' }).regex(projectIdPattern, 'must be a Google Cloud project id (6–30 lower-case letters, digits or hyphens, starting with a letter)'),
  dataset: z.string({ error: 'is required' }).regex(datasetPattern, 'must be a BigQuery dataset id (letters, digits and underscores)'),
  location: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be a BigQuery location such as US, EU or europe-west4').optional(),
  serviceAccountKey: z.string({ error: 'is required (the service account JSON key file)' }).min(1, 'is required (the service account JSON key file)'),
  tokenUrl: httpUrl.optional(),
  apiBaseUrl: httpUrl.optional(),
  maximumBytesBilled: z
    .union([
      z.number({ error: bytesMessage }).int(bytesMessage).positive(bytesMessage).max(Number.MAX_SAFE_INTEGER, bytesMessage),
      z.string({ error: bytesMessage }).regex(/^[1-9]\d*$/, bytesMessage),
    ], { error: bytesMessage })
    .optional(),
});

export type BigQueryConfigInput = z.input<typeof bigQueryConfigSchema>;

export interface BigQuerySettings {
  readonly projectId: string;
  readonly dataset: string;
  readonly location: string | undefined;
  readonly key: ServiceAccountKey;
  readonly tokenUrl: string;
  readonly apiBaseUrl: string;
  /** int64 as a decimal string, as the API takes it. */
  readonly maximumBytesBilled: string | undefined;
}

export class BigQueryConfigError extends Error {
  override readonly name = 'BigQueryConfigError';
}

export function parseBigQueryConfig(input: unknown): BigQuerySettings {
  const parsed = bigQueryConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new BigQueryConfigError(`invalid BigQuery configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'} ${i.message}`).join('; ')}`);
  }
  const c = parsed.data;
  if (!c.serviceAccountKey.trim().startsWith('{')) {
    throw new BigQueryConfigError('invalid BigQuery configuration: serviceAccountKey must be the service account JSON key file (IAM → Service accounts → Keys → Add key → JSON)');
  }
  const key = parseServiceAccountKey(c.serviceAccountKey, undefined);
  if (!key.ok) throw new BigQueryConfigError(`invalid BigQuery configuration: serviceAccountKey: ${key.message}`);
  return {
    projectId: c.projectId,
    dataset: c.dataset,
    location: c.location,
    key: key.key,
    tokenUrl: c.tokenUrl ?? googleTokenUrl,
    apiBaseUrl: (c.apiBaseUrl ?? bigQueryApiBaseUrl).replace(/\/+$/, ''),
    maximumBytesBilled: c.maximumBytesBilled === undefined ? undefined : String(c.maximumBytesBilled),
  };
}
