/**
 * GitHub audit log collector: polls `GET /orgs/{org}/audit-log` or `GET /enterprises/{enterprise}/audit-log`
 * (https://docs.github.com/en/rest/orgs/orgs#get-the-audit-log-for-an-organization,
 * https://docs.github.com/en/enterprise-cloud@latest/rest/enterprise-admin/audit-log) with
 * `phrase=created:>=<since>`, `include`, `order=asc`, `per_page` (≤ 100), and follows the cursor links of the
 * `Link` header (`after=…`). Authentication is `Authorization: Bearer <token>` (a personal access token with
 * `read:audit_log` / `admin:org`, or a GitHub App installation token) with `X-GitHub-Api-Version`.
 *
 * When the last page has no next link the window is complete; the next run starts a new window at the
 * newest event's time minus an overlap (events are indexed a little late), and events seen twice are dropped
 * downstream by their `_document_id`.
 *
 * Rate limits (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api): a 403 or
 * 429 with `retry-after` (secondary limits) waits that long; with `x-ratelimit-remaining: 0` it waits until
 * `x-ratelimit-reset` (epoch seconds). Any other 403 is a permission problem and fails.
 *
 * A next link is only followed on the configured API origin: the token never leaves for another host.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import { classifyResponse, parseRetryAfter, type TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { linkRelation } from '../http/link-header';

const configSchema = z
  .object({
    /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
    baseUrl: z.url().default('https://api.github.com').transform((u) => u.replace(/\/+$/, '')),
    org: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/).optional(),
    enterprise: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/).optional(),
    tokenSecret: z.string().default('GITHUB_AUDIT_TOKEN'),
    include: z.enum(['web', 'git', 'all']).default('all'),
    apiVersion: z.string().default('2022-11-28'),
    lookbackMinutes: z.number().int().min(1).max(60 * 24 * 180).default(60),
    perPage: z.number().int().min(1).max(100).default(100),
  })
  .refine((c) => (c.org === undefined) !== (c.enterprise === undefined), { message: 'set exactly one of org or enterprise' });
type GitHubAuditConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({ next: z.string().nullable(), since: z.string() });
type GitHubAuditCursor = z.infer<typeof cursorSchema>;

/** How far a new window reaches behind the newest event seen (GitHub indexes audit events with a delay). */
export const githubOverlapMs = 10 * 60_000;

/** GitHub's search qualifiers take `YYYY-MM-DDTHH:MM:SS+00:00`. */
function createdPhrase(since: string): string {
  return `created:>=${since.replace(/\.\d+Z$/, '+00:00').replace(/Z$/, '+00:00')}`;
}

/** GitHub's rate-limit answers (403 or 429) are retryable; a plain 403 (missing scope) is not. */
export async function classifyGitHubResponse(response: Response, what: string, now = Date.now()): Promise<TransportResult<Response>> {
  if (response.status === 403 || response.status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
    const exhausted = response.headers.get('x-ratelimit-remaining') === '0';
    if (retryAfter !== undefined || exhausted || response.status === 429) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      const message = `${what} answered ${response.status} (rate limited)${detail ? `: ${detail}` : ''}`;
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      // Without any hint GitHub asks integrators to wait at least a minute.
      const wait = retryAfter ?? (exhausted && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 60_000);
      return { kind: 'retryable', message, retryAfterMs: wait };
    }
  }
  return classifyResponse(response, what);
}

function eventTime(event: unknown): string | null {
  const e = event as { '@timestamp'?: unknown; created_at?: unknown } | null;
  return toIsoMillis(e?.['@timestamp']) ?? toIsoMillis(e?.created_at);
}

export const githubAuditLogCollector: CollectorDefinition<GitHubAuditConfig, GitHubAuditCursor> = {
  type: 'github_audit_log',
  source: 'github',
  description: 'GitHub organization or enterprise audit log (/orgs/{org}/audit-log, /enterprises/{enterprise}/audit-log)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { next: null, since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString() };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<GitHubAuditCursor>>> {
    const token = deps.secret(config.tokenSecret);
    if (!token) return { kind: 'failure', message: `the secret ${config.tokenSecret} is not set (wrangler secret put ${config.tokenSecret})` };
    const path = config.org !== undefined ? `/orgs/${config.org}/audit-log` : `/enterprises/${config.enterprise!}/audit-log`;
    const params = new URLSearchParams({ phrase: createdPhrase(cursor.since), include: config.include, order: 'asc', per_page: String(config.perPage) });
    const url = cursor.next ?? `${config.baseUrl}${path}?${params}`;
    if (new URL(url).origin !== new URL(config.baseUrl).origin) {
      return { kind: 'failure', message: `GitHub returned a next link outside ${config.baseUrl}; refusing to send the token there` };
    }
    let response: Response;
    try {
      response = await deps.fetch(url, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': config.apiVersion,
          'user-agent': 'mantissa-log-collector',
        },
      });
    } catch (err) {
      return { kind: 'retryable', message: `GitHub ${path} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const classified = await classifyGitHubResponse(response, `GitHub ${path}`);
    if (classified.kind !== 'success') return classified;
    const body = (await response.json().catch(() => null)) as unknown;
    if (!Array.isArray(body)) return { kind: 'failure', message: `GitHub ${path} did not answer a JSON array` };
    const newest = body.reduce<string | null>((max, e) => {
      const t = eventTime(e);
      return t && (!max || t > max) ? t : max;
    }, null);
    const since = newest ? new Date(Math.max(Date.parse(cursor.since), Date.parse(newest) - githubOverlapMs)).toISOString() : cursor.since;
    const next = linkRelation(response.headers.get('link'), 'next');
    return { kind: 'success', value: { records: body, cursor: { next, since }, done: body.length === 0 || next === null } };
  },
};
