/**
 * Okta System Log collector: polls `GET /api/v1/logs` (https://developer.okta.com/docs/reference/api/system-log/#list-events)
 * with an API token (`Authorization: SSWS …`), `sortOrder=ASCENDING`, and follows `Link: <…>; rel="next"`.
 * In polling mode Okta always returns a next link, also on an empty page: the cursor keeps it and the
 * collector resumes there. If the link is lost, the `since` bound (newest event time minus an overlap)
 * restarts the window; events seen twice are dropped downstream by their uuid.
 *
 * A next link is only followed on the configured org's origin: the API token never leaves for another host.
 */
import { z } from 'zod';
import type { CollectorDefinition } from '../../core/collect/collector';
import { fetchResult, type TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { linkRelation } from '../http/link-header';

const configSchema = z.object({
  orgUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
  tokenSecret: z.string().default('OKTA_API_TOKEN'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 90).default(60),
  limit: z.number().int().min(1).max(1000).default(1000),
});
type OktaCollectorConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({ next: z.string().nullable(), since: z.string() });
type OktaCursor = z.infer<typeof cursorSchema>;

/** How far back `since` reaches behind the newest event seen, when the collector must restart from it. */
export const overlapMs = 5 * 60_000;

export const oktaSystemLogCollector: CollectorDefinition<OktaCollectorConfig, OktaCursor> = {
  type: 'okta',
  source: 'okta',
  description: 'Okta System Log (/api/v1/logs)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { next: null, since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString() };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<{ records: unknown[]; cursor: OktaCursor; done: boolean }>> {
    const token = deps.secret(config.tokenSecret);
    if (!token) return { kind: 'failure', message: `the secret ${config.tokenSecret} is not set (wrangler secret put ${config.tokenSecret})` };
    const url = cursor.next ?? `${config.orgUrl}/api/v1/logs?${new URLSearchParams({ since: cursor.since, sortOrder: 'ASCENDING', limit: String(config.limit) })}`;
    if (new URL(url).origin !== new URL(config.orgUrl).origin) {
      return { kind: 'failure', message: `Okta returned a next link outside ${config.orgUrl}; refusing to send the token there` };
    }
    const response = await fetchResult(deps.fetch, url, { headers: { authorization: `SSWS ${token}`, accept: 'application/json' } }, 'Okta /api/v1/logs');
    if (response.kind !== 'success') return response;
    const body = (await response.value.json().catch(() => null)) as unknown;
    if (!Array.isArray(body)) return { kind: 'failure', message: 'Okta /api/v1/logs did not answer a JSON array' };
    const newest = body.reduce<string | null>((max, e) => {
      const t = toIsoMillis((e as { published?: unknown })?.published);
      return t && (!max || t > max) ? t : max;
    }, null);
    const since = newest ? new Date(Date.parse(newest) - overlapMs).toISOString() : cursor.since;
    const next = linkRelation(response.value.headers.get('link'), 'next');
    return { kind: 'success', value: { records: body, cursor: { next, since }, done: body.length === 0 || next === null } };
  },
};
