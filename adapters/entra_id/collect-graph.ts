/**
 * Microsoft Graph audit-log collectors (sign-ins, directory audits): one definition per feed, built here.
 *
 * Wire (https://learn.microsoft.com/en-us/graph/api/signin-list, .../directoryaudit-list): `GET
 * {graph}/{v1.0|beta}/auditLogs/{signIns|directoryAudits}?$filter=<time> ge <since> and <time> le <now>&$orderby=<time>
 * asc&$top=<n>` with an app-only token (client credentials, collect-token.ts); the answer is
 * `{"@odata.context", "value": [...], "@odata.nextLink"?}` and the next link is a full URL carrying `$skiptoken`.
 * Throttling is 429 with Retry-After (https://learn.microsoft.com/en-us/graph/throttling), honoured by the
 * runner's retry wrapper.
 *
 * Cursor: a sweep reads every record of `[since, now]` page by page (the next link is kept between runs); when a
 * sweep ends, `since` moves to the newest record time seen minus the overlap. Records are indexed late
 * (https://learn.microsoft.com/en-us/entra/identity/monitoring-health/reference-log-latency gives no bound; sign-ins
 * are seen up to about two hours late), so a record that appears after its sweep is found by the next one as long
 * as it is inside the overlap; records read twice are dropped downstream by their `id`. The sweep does not depend
 * on the order Graph returns records in.
 *
 * A saved next link that Graph refuses (400, e.g. an expired `$skiptoken`) restarts the sweep from `since`.
 *
 * The access token is only sent to the configured Graph origin: a next link elsewhere is refused.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { fetchWithClientCredentials, microsoftTokenUrl } from './collect-token';

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)');

const configSchema = z
  .object({
    /** Directory (tenant) id, or a verified domain of the tenant. */
    tenantId: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a tenant GUID or domain'),
    clientId: z.string().min(1),
    clientSecretName: secretName.default('GRAPH_CLIENT_SECRET'),
    /** Default: https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token. */
    tokenUrl: z.url().optional(),
    scope: z.string().default('https://graph.microsoft.com/.default'),
    graphBaseUrl: z
      .url()
      .default('https://graph.microsoft.com')
      .transform((u) => u.replace(/\/+$/, '')),
    apiVersion: z.enum(['v1.0', 'beta']).default('v1.0'),
    /** How far back the first run reaches (Entra ID keeps 7 days without a premium licence, 30 with P1/P2). */
    lookbackMinutes: z.number().int().min(1).max(30 * 24 * 60).default(60),
    overlapMinutes: z.number().int().min(0).max(24 * 60).default(15),
    /** `$top`: Graph's maximum and default page size for these lists is 1,000. */
    pageSize: z.number().int().min(1).max(1000).default(1000),
  })
  .transform((c) => ({ ...c, tokenUrl: c.tokenUrl ?? microsoftTokenUrl(c.tenantId) }));
export type GraphAuditLogConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({
  /** Lower bound of the current sweep. */
  since: z.string(),
  /** `@odata.nextLink` of the sweep in progress. */
  next: z.string().nullable(),
  /** Newest record time seen in the sweep in progress. */
  newest: z.string().nullable(),
});
export type GraphAuditLogCursor = z.infer<typeof cursorSchema>;

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

export interface GraphAuditFeed {
  readonly type: string;
  readonly description: string;
  readonly path: 'signIns' | 'directoryAudits';
  /** The record's time, filtered and ordered on. */
  readonly timeField: 'createdDateTime' | 'activityDateTime';
}

export function graphAuditLogCollector(feed: GraphAuditFeed): CollectorDefinition<GraphAuditLogConfig, GraphAuditLogCursor> {
  const what = `Microsoft Graph /auditLogs/${feed.path}`;
  return {
    type: feed.type,
    source: 'entra_id',
    description: feed.description,
    configSchema,
    cursorSchema,
    start(config, now) {
      return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), next: null, newest: null };
    },
    async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<GraphAuditLogCursor>>> {
      const clientSecret = deps.secret(config.clientSecretName);
      if (!clientSecret) {
        return { kind: 'failure', message: `the secret ${config.clientSecretName} is not set (wrangler secret put ${config.clientSecretName})` };
      }
      const url = cursor.next ?? firstPageUrl(config, feed, cursor.since, deps.now);
      if (!sameOrigin(url, config.graphBaseUrl)) {
        return { kind: 'failure', message: `Microsoft Graph returned a next link outside ${config.graphBaseUrl}; refusing to send the access token there` };
      }
      const response = await fetchWithClientCredentials(
        deps.fetch,
        { tokenUrl: config.tokenUrl, clientId: config.clientId, clientSecret, scope: config.scope },
        url,
        { headers: { accept: 'application/json' } },
        what,
      );
      if (response.kind === 'failure' && cursor.next && / answered 400\b/.test(response.message)) {
        // A next link Graph no longer accepts (its $skiptoken expired while the collector was down): start the
        // sweep again from `since`; what was already stored is dropped downstream by id.
        return { kind: 'success', value: { records: [], cursor: { since: cursor.since, next: null, newest: cursor.newest }, done: false } };
      }
      if (response.kind !== 'success') return response;
      const page = pageSchema.safeParse(await response.value.json().catch(() => null));
      if (!page.success) return { kind: 'failure', message: `${what} did not answer an OData collection ({"value": [...]})` };

      const newest = page.data.value.reduce<string | null>((max, record) => {
        const t = toIsoMillis((record as Record<string, unknown> | null)?.[feed.timeField]);
        return t && (!max || t > max) ? t : max;
      }, cursor.newest);
      const next = page.data['@odata.nextLink'] ?? null;
      if (next) return { kind: 'success', value: { records: page.data.value, cursor: { since: cursor.since, next, newest }, done: false } };
      // The sweep is over: the next one starts `overlap` before the newest record seen (never earlier than this one).
      const since = newest ? new Date(Math.max(Date.parse(cursor.since), Date.parse(newest) - config.overlapMinutes * 60_000)).toISOString() : cursor.since;
      return { kind: 'success', value: { records: page.data.value, cursor: { since, next: null, newest: null }, done: true } };
    },
  };
}

function firstPageUrl(config: GraphAuditLogConfig, feed: GraphAuditFeed, since: string, now: Date): string {
  const filter = `${feed.timeField} ge ${since} and ${feed.timeField} le ${now.toISOString()}`;
  // OData reads `+` literally; spaces are sent as %20.
  return `${config.graphBaseUrl}/${config.apiVersion}/auditLogs/${feed.path}?$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent(`${feed.timeField} asc`)}&$top=${config.pageSize}`;
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}
