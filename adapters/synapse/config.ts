/**
 * Configuration of the Synapse serverless SQL query engine: where the workspace's serverless endpoint is
 * (`<workspace>-ondemand.sql.azuresynapse.net`, port 1433), which database holds the external tables/views over
 * the lake, and how to authenticate — a SQL login, or an Entra ID app registration (client credentials) whose
 * service principal is a database user (`CREATE USER [app] FROM EXTERNAL PROVIDER`).
 *
 * Invariant: secrets (password, client secret) never appear in an error message.
 */
import { z } from 'zod';

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    message: 'must be a host name such as myworkspace-ondemand.sql.azuresynapse.net (no scheme, port or path)',
  });

export const synapseAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sql'), user: z.string().min(1, 'is required'), password: z.string().min(1, 'is required') }),
  z.object({
    kind: z.literal('entra'),
    tenantId: z.string().regex(/^[A-Za-z0-9.-]+$/, { message: 'must be the directory (tenant) id or a verified domain' }),
    clientId: z.string().min(1, 'is required'),
    clientSecret: z.string().min(1, 'is required'),
  }),
]);

export const synapseConfigSchema = z.object({
  server: hostname,
  port: z.coerce.number().int().min(1).max(65535).default(1433),
  database: z.string().min(1, 'is required').max(128),
  auth: synapseAuthSchema,
  /** Token endpoint override (tests, sovereign clouds); defaults to login.microsoftonline.com for the tenant. */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type SynapseConfig = z.infer<typeof synapseConfigSchema>;

export class SynapseConfigError extends Error {
  override readonly name = 'SynapseConfigError';
}

/** Parses raw configuration; the error lists each bad field by path, without echoing secret values. */
export function parseSynapseConfig(raw: unknown): SynapseConfig {
  const parsed = synapseConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'config'}: ${i.message}`);
  throw new SynapseConfigError(`invalid Synapse query engine configuration: ${problems.join('; ')}`);
}
