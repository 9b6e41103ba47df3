/**
 * Google Workspace Admin SDK Reports API collector: `GET {admin}/admin/reports/v1/activity/users/all/applications/
 * {applicationName}?startTime=…&endTime=…&maxResults=…&pageToken=…`
 * (https://developers.google.com/workspace/admin/reports/v1/reference/activities/list), for each configured
 * application (login, admin, drive, token by default). Answers are `{"kind": "admin#reports#activities",
 * "items": [...], "nextPageToken"?}`, newest first; a page token is only valid with the same query.
 * Auth: a service account with domain-wide delegation for the scope
 * `https://www.googleapis.com/auth/admin.reports.audit.readonly`, acting for an admin (collect-token.ts).
 * Exhausted quotas are answered 503 (https://developers.google.com/admin-sdk/reports/v1/limits) or 429 by
 * Google's front end; both are retried by the runner with exponential backoff, honouring Retry-After if sent.
 *
 * Cursor, per application: a sweep reads `[since, now]` page by page (the page token and the sweep's end are
 * kept between runs); when a sweep ends, `since` moves to the newest activity time seen minus the overlap.
 * Google documents that report data arrives late (login activity within hours, other applications up to days:
 * https://support.google.com/a/answer/7061566), so activities that appear after their sweep are found by the
 * next one while they are inside the overlap; activities read twice are dropped downstream by their
 * `id.uniqueQualifier` (the parser's event_id). A saved page token the API refuses (400) restarts the sweep.
 *
 * URLs are only ever built from the configured base URL: the access token never goes anywhere else.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { fetchWithServiceAccount, parseServiceAccountKey } from './collect-token';

export const reportsAuditScope = 'https://www.googleapis.com/auth/admin.reports.audit.readonly';

const configSchema = z.object({
  /** Worker secret holding the service account's JSON key file (or its PEM private key, with clientEmail). */
  serviceAccountKeySecret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)')
    .default('GOOGLE_SERVICE_ACCOUNT_KEY'),
  clientEmail: z.email().optional(),
  /** The Workspace admin the service account acts for (the JWT's `sub`). */
  delegatedAdmin: z.email(),
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9]+$/)
    .optional(),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  reportsBaseUrl: z
    .url()
    .default('https://admin.googleapis.com')
    .transform((u) => u.replace(/\/+$/, '')),
  applications: z
    .array(z.string().regex(/^[a-z][a-z_]*$/, 'an applicationName such as login, admin, drive, token'))
    .min(1)
    .default(['login', 'admin', 'drive', 'token']),
  lookbackMinutes: z.number().int().min(1).max(180 * 24 * 60).default(60),
  overlapMinutes: z.number().int().min(0).max(10 * 24 * 60).default(60),
  maxResults: z.number().int().min(1).max(1000).default(1000),
});
export type GoogleWorkspaceReportsConfig = z.infer<typeof configSchema>;

const applicationStateSchema = z.object({
  since: z.string(),
  /** End of the sweep in progress (null between sweeps). */
  until: z.string().nullable(),
  pageToken: z.string().nullable(),
  newest: z.string().nullable(),
  /** End of the last completed sweep. */
  sweptUntil: z.string().nullable(),
});
type ApplicationState = z.infer<typeof applicationStateSchema>;

const cursorSchema = z.object({ applications: z.record(z.string(), applicationStateSchema) });
export type GoogleWorkspaceReportsCursor = z.infer<typeof cursorSchema>;

const pageSchema = z.object({ items: z.array(z.unknown()).optional(), nextPageToken: z.string().optional() });

export const googleWorkspaceReportsCollector: CollectorDefinition<GoogleWorkspaceReportsConfig, GoogleWorkspaceReportsCursor> = {
  type: 'google_workspace_reports',
  source: 'google_workspace',
  description: 'Google Workspace activity reports (Admin SDK Reports API)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { applications: Object.fromEntries(config.applications.map((a) => [a, initialState(config, now)])) };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<GoogleWorkspaceReportsCursor>>> {
    const secret = deps.secret(config.serviceAccountKeySecret);
    if (!secret) {
      return { kind: 'failure', message: `the secret ${config.serviceAccountKeySecret} is not set (wrangler secret put ${config.serviceAccountKeySecret})` };
    }
    const key = parseServiceAccountKey(secret, config.clientEmail);
    if (!key.ok) return { kind: 'failure', message: `${config.serviceAccountKeySecret}: ${key.message}` };

    const stateOf = (apps: GoogleWorkspaceReportsCursor['applications'], a: string) => apps[a] ?? initialState(config, deps.now);
    const application = config.applications.find((a) => !caughtUp(stateOf(cursor.applications, a), deps.now));
    if (!application) return { kind: 'success', value: { records: [], cursor, done: true } };

    const state = stateOf(cursor.applications, application);
    const until = state.until ?? deps.now.toISOString();
    const query = new URLSearchParams({ startTime: state.since, endTime: until, maxResults: String(config.maxResults) });
    if (config.customerId) query.set('customerId', config.customerId);
    if (state.pageToken) query.set('pageToken', state.pageToken);
    const what = `Google Admin SDK Reports API (${application})`;
    const response = await fetchWithServiceAccount(
      deps.fetch,
      { tokenUrl: config.tokenUrl, key: key.key, subject: config.delegatedAdmin, scope: reportsAuditScope },
      `${config.reportsBaseUrl}/admin/reports/v1/activity/users/all/applications/${application}?${query}`,
      what,
    );
    if (response.kind === 'failure' && state.pageToken && / answered 400\b/.test(response.message)) {
      // A saved page token the API no longer accepts: start the application's sweep again from `since`.
      const restarted = { ...state, until: null, pageToken: null };
      return { kind: 'success', value: { records: [], cursor: { applications: { ...cursor.applications, [application]: restarted } }, done: false } };
    }
    if (response.kind !== 'success') return response;
    const page = pageSchema.safeParse(await response.value.json().catch(() => null));
    if (!page.success) return { kind: 'failure', message: `${what} did not answer an activities list` };

    const items = page.data.items ?? [];
    const newest = items.reduce<string | null>((max, item) => {
      const t = toIsoMillis((item as { id?: { time?: unknown } } | null)?.id?.time);
      return t && (!max || t > max) ? t : max;
    }, state.newest);
    let next: ApplicationState;
    if (page.data.nextPageToken) {
      next = { ...state, until, pageToken: page.data.nextPageToken, newest };
    } else {
      const since = newest ? new Date(Math.max(Date.parse(state.since), Date.parse(newest) - config.overlapMinutes * 60_000)).toISOString() : state.since;
      next = { since, until: null, pageToken: null, newest: null, sweptUntil: until };
    }
    const applications = { ...cursor.applications, [application]: next };
    return {
      kind: 'success',
      value: { records: items, cursor: { applications }, done: config.applications.every((a) => caughtUp(stateOf(applications, a), deps.now)) },
    };
  },
};

function initialState(config: GoogleWorkspaceReportsConfig, now: Date): ApplicationState {
  return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), until: null, pageToken: null, newest: null, sweptUntil: null };
}

/** Swept up to this run's `now`, with no sweep in progress. */
function caughtUp(state: ApplicationState, now: Date): boolean {
  return state.pageToken === null && state.until === null && state.sweptUntil !== null && Date.parse(state.sweptUntil) >= now.getTime();
}
