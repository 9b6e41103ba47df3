/**
 * The Worker's environment: bindings (typed by `wrangler types` in worker-configuration.d.ts) and the
 * configuration variables, validated once per isolate with zod. A bad variable fails every request with a
 * message naming it, instead of half-working.
 */
import { z } from 'zod';
import { roles } from '../core/auth/roles';
import { parseAllowList, type OutboundPolicy } from '../core/net/outbound-policy';

export type Env = Cloudflare.Env;

const roleMapSchema = z.record(z.string(), z.enum(roles));

const configSchema = z.object({
  MAX_INGEST_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  CORS_ORIGINS: z.string().default(''),
  ACCESS_TEAM_DOMAIN: z.string().default(''),
  ACCESS_AUD: z.string().default(''),
  ACCESS_DEFAULT_ROLE: z.enum(roles).default('viewer'),
  ACCESS_ROLES: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return roleMapSchema.parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object mapping emails or groups to roles' });
        return z.NEVER;
      }
    }),
  OUTBOUND_ALLOWLIST: z.string().default(''),
  PUBSUB_PUSH_AUDIENCE: z.string().default(''),
  PUBSUB_PUSH_SERVICE_ACCOUNTS: z.string().default(''),
  PUBSUB_PUSH_SOURCES: z.string().default('gcp_audit'),
  GOOGLE_OIDC_JWKS_URL: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
  GITHUB_WEBHOOK_SECRET: z.string().optional(),
});

export interface Config {
  readonly maxIngestBytes: number;
  readonly maxDecompressedBytes: number;
  readonly corsOrigins: ReadonlySet<string>;
  readonly access: { teamDomain: string; audience: string } | null;
  readonly accessDefaultRole: (typeof roles)[number];
  readonly accessRoles: Readonly<Record<string, (typeof roles)[number]>>;
  readonly outbound: OutboundPolicy;
  /** Pub/Sub push with Google OIDC tokens; null when PUBSUB_PUSH_AUDIENCE is empty. */
  readonly pubsubPush: { audience: string; serviceAccounts: ReadonlySet<string>; sources: string; jwksUrl: string } | null;
  /** Secret of GitHub webhooks (`wrangler secret put GITHUB_WEBHOOK_SECRET`); null = webhook route off. */
  readonly githubWebhookSecret: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration (wrangler.toml [vars] or secrets): ${issues}`);
  }
  const v = parsed.data;
  const config: Config = {
    maxIngestBytes: v.MAX_INGEST_BYTES,
    maxDecompressedBytes: v.MAX_INGEST_BYTES * 5,
    corsOrigins: new Set(v.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)),
    access: v.ACCESS_TEAM_DOMAIN && v.ACCESS_AUD ? { teamDomain: v.ACCESS_TEAM_DOMAIN, audience: v.ACCESS_AUD } : null,
    accessDefaultRole: v.ACCESS_DEFAULT_ROLE,
    accessRoles: v.ACCESS_ROLES,
    outbound: parseAllowList(v.OUTBOUND_ALLOWLIST),
    pubsubPush: v.PUBSUB_PUSH_AUDIENCE
      ? {
          audience: v.PUBSUB_PUSH_AUDIENCE,
          serviceAccounts: new Set(v.PUBSUB_PUSH_SERVICE_ACCOUNTS.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),
          sources: v.PUBSUB_PUSH_SOURCES,
          jwksUrl: v.GOOGLE_OIDC_JWKS_URL,
        }
      : null,
    githubWebhookSecret: v.GITHUB_WEBHOOK_SECRET || null,
  };
  cache.set(env, config);
  return config;
}
