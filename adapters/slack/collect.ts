/**
 * Slack Audit Logs API collector (Enterprise Grid): polls `GET https://api.slack.com/audit/v1/logs`
 * (https://docs.slack.dev/admins/audit-logs-api/, https://docs.slack.dev/reference/audit-logs-api/methods-actions-reference)
 * with `oldest` and `latest` (epoch seconds, inclusive), `limit` (≤ 9999) and the `cursor` of
 * `response_metadata.next_cursor`. Authentication is a user token (`xoxp-…`) of an organization owner with the
 * `auditlogs:read` scope, as `Authorization: Bearer`.
 *
 * Slack lists entries newest first, so a window is fixed before it is paged: `latest` is set when the window
 * opens and kept in the cursor, the next cursor walks back through it, and when Slack gives no next cursor the
 * window is complete. The next window opens at that `latest` minus an overlap (entries are indexed late);
 * entries seen twice are dropped downstream by their `id`.
 *
 * Rate limits: Tier 3 (about 50 calls a minute, organization-wide); a 429 carries `Retry-After`. Slack's
 * errors come as `{"ok": false, "error": "…"}` (with a 4xx status, or a 200 for some).
 * Only the configured base URL is ever called: Slack's cursor is a value, never a URL.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import { fetchResult, type TransportResult } from '../../core/collect/transport';

const configSchema = z.object({
  baseUrl: z.url().default('https://api.slack.com').transform((u) => u.replace(/\/+$/, '')),
  tokenSecret: z.string().default('SLACK_AUDIT_TOKEN'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 90).default(60),
  overlapMinutes: z.number().int().min(0).max(24 * 60).default(10),
  limit: z.number().int().min(1).max(9999).default(1000),
});
type SlackAuditConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({
  /** Epoch seconds, inclusive. */
  oldest: z.number().int(),
  /** Epoch seconds, inclusive; null until the window opens. */
  latest: z.number().int().nullable(),
  next: z.string().nullable(),
});
type SlackAuditCursor = z.infer<typeof cursorSchema>;

const responseSchema = z.looseObject({
  ok: z.boolean().optional(),
  error: z.string().optional(),
  entries: z.array(z.unknown()).optional(),
  response_metadata: z.looseObject({ next_cursor: z.string().optional() }).optional(),
});

export const slackAuditLogsCollector: CollectorDefinition<SlackAuditConfig, SlackAuditCursor> = {
  type: 'slack_audit_logs',
  source: 'slack',
  description: 'Slack Audit Logs API (Enterprise Grid, /audit/v1/logs)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { oldest: Math.floor(now.getTime() / 1000) - config.lookbackMinutes * 60, latest: null, next: null };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<SlackAuditCursor>>> {
    const token = deps.secret(config.tokenSecret);
    if (!token) return { kind: 'failure', message: `the secret ${config.tokenSecret} is not set (wrangler secret put ${config.tokenSecret})` };
    const latest = cursor.latest ?? Math.floor(deps.now.getTime() / 1000);
    const params = new URLSearchParams({ oldest: String(cursor.oldest), latest: String(latest), limit: String(config.limit) });
    if (cursor.next) params.set('cursor', cursor.next);
    const response = await fetchResult(
      deps.fetch,
      `${config.baseUrl}/audit/v1/logs?${params}`,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      'Slack /audit/v1/logs',
    );
    if (response.kind !== 'success') return response;
    const parsed = responseSchema.safeParse(await response.value.json().catch(() => null));
    if (!parsed.success) return { kind: 'failure', message: 'Slack /audit/v1/logs did not answer an Audit Logs response' };
    if (parsed.data.ok === false) return { kind: 'failure', message: `Slack /audit/v1/logs answered error: ${parsed.data.error ?? 'unknown'}` };
    const entries = parsed.data.entries ?? [];
    const next = parsed.data.response_metadata?.next_cursor || null;
    if (next && entries.length > 0) return { kind: 'success', value: { records: entries, cursor: { oldest: cursor.oldest, latest, next }, done: false } };
    // The window is complete: the next one opens at its end, minus the overlap.
    const oldest = Math.max(cursor.oldest, latest - config.overlapMinutes * 60);
    return { kind: 'success', value: { records: entries, cursor: { oldest, latest: null, next: null }, done: true } };
  },
};
