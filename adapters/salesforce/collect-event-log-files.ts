/**
 * Salesforce Event Monitoring collector: lists new log files with SOQL on EventLogFile
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm)
 * through `GET {instance}/services/data/vXX.X/query?q=…` (following `nextRecordsUrl`), downloads each file's
 * CSV from its `LogFile` path (`/services/data/vXX.X/sobjects/EventLogFile/{Id}/LogFile`), and emits the rows
 * as objects keyed by the file's header row — what the salesforce parser reads (`EVENT_TYPE`, `REQUEST_ID`…).
 * Sessions come from the JWT bearer flow (collect-session.ts); the user needs "View Event Log Files" and "API
 * Enabled".
 *
 * Files are listed by `CreatedDate`, not `LogDate`: a file appears hours after the period it covers, and an
 * older period's file can appear after a newer one, so only the creation time is a safe cursor. The cursor
 * keeps the files listed but not yet read, the row reached in the current file (a page is at most
 * `rowsPerPage` rows), and the ids of the files read at exactly the newest creation time, so that the next
 * listing (`CreatedDate >= since`) skips them: no file is read twice, none is skipped.
 *
 * Limits: every listing and download counts against the org's daily API requests; when they are used up
 * Salesforce answers 403 REQUEST_LIMIT_EXCEEDED, which fails the run with that message until the count resets.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { queryResultSchema, salesforceAuthConfigSchema, salesforceGet, salesforceSession, soqlDateTime, type SalesforceSession } from './collect-session';

const configSchema = salesforceAuthConfigSchema.extend({
  /** Hourly files need the Event Monitoring add-on; Daily files exist in every org (Login and Logout at least). */
  interval: z.enum(['Daily', 'Hourly']).default('Daily'),
  /** Only these event types (`Login`, `API`, `ReportExport`…); all when empty. */
  eventTypes: z.array(z.string().regex(/^[A-Za-z0-9]+$/, 'an EventLogFile event type such as Login')).default([]),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 30).default(2 * 24 * 60),
  filesPerQuery: z.number().int().min(1).max(2000).default(200),
  rowsPerPage: z.number().int().min(1).max(50_000).default(5000),
});
type EventLogFilesConfig = z.infer<typeof configSchema>;

const pendingFileSchema = z.object({ id: z.string(), createdDate: z.string(), path: z.string() });

const cursorSchema = z.object({
  /** Lower bound (inclusive) on CreatedDate of the next listing. */
  since: z.string(),
  /** Files created at exactly `since` that have been read. */
  readAtSince: z.array(z.string()),
  /** Files listed and not read yet, oldest first. */
  files: z.array(pendingFileSchema),
  /** Rows of files[0] already emitted. */
  row: z.number().int().min(0),
  /** nextRecordsUrl of the current listing. */
  next: z.string().nullable(),
});
type EventLogFilesCursor = z.infer<typeof cursorSchema>;

const fileRecordSchema = z.looseObject({ Id: z.string(), CreatedDate: z.string(), LogFile: z.string() });

function listingQuery(config: EventLogFilesConfig, since: string): string {
  const types = config.eventTypes.length > 0 ? ` AND EventType IN (${config.eventTypes.map((t) => `'${t}'`).join(', ')})` : '';
  return (
    'SELECT Id, EventType, LogDate, LogFile, Interval, Sequence, CreatedDate, LogFileLength FROM EventLogFile' +
    ` WHERE CreatedDate >= ${soqlDateTime(since)} AND Interval = '${config.interval}'${types}` +
    ` ORDER BY CreatedDate ASC, Id ASC LIMIT ${config.filesPerQuery}`
  );
}

/** Lists the next files: the current listing's next page, or a new listing from `since`. */
async function listFiles(
  config: EventLogFilesConfig,
  session: SalesforceSession,
  cursor: EventLogFilesCursor,
  deps: CollectorDeps,
): Promise<TransportResult<Pick<EventLogFilesCursor, 'files' | 'next'>>> {
  const path = cursor.next ?? `/services/data/v${config.apiVersion}/query?${new URLSearchParams({ q: listingQuery(config, cursor.since) })}`;
  const what = 'Salesforce EventLogFile query';
  const response = await salesforceGet(config, session, path, deps, what);
  if (response.kind !== 'success') {
    // A query locator expires after 15 minutes idle: list again from `since` instead.
    if (cursor.next && response.kind === 'failure' && response.message.includes('INVALID_QUERY_LOCATOR')) return { kind: 'success', value: { files: [], next: null } };
    return response;
  }
  const result = queryResultSchema.safeParse(await response.value.json().catch(() => null));
  if (!result.success) return { kind: 'failure', message: `${what} did not answer {done, records}` };
  const files = [];
  for (const record of result.data.records) {
    const file = fileRecordSchema.safeParse(record);
    const createdDate = file.success ? toIsoMillis(file.data.CreatedDate) : null;
    if (!file.success || !createdDate) return { kind: 'failure', message: `${what} answered a record without Id, CreatedDate and LogFile` };
    if (createdDate === cursor.since && cursor.readAtSince.includes(file.data.Id)) continue;
    files.push({ id: file.data.Id, createdDate, path: file.data.LogFile });
  }
  return { kind: 'success', value: { files, next: result.data.done ? null : (result.data.nextRecordsUrl ?? null) } };
}

export const salesforceEventLogFilesCollector: CollectorDefinition<EventLogFilesConfig, EventLogFilesCursor> = {
  type: 'salesforce_event_log_files',
  source: 'salesforce',
  description: 'Salesforce Event Monitoring log files (EventLogFile CSV rows)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), readAtSince: [], files: [], row: 0, next: null };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<EventLogFilesCursor>>> {
    const session = await salesforceSession(config, deps);
    if (session.kind !== 'success') return session;

    let state = cursor;
    // A listing page can hold only files already read; a few more pages are listed before giving up the call.
    for (let listings = 0; state.files.length === 0 && listings < 5; listings++) {
      const startedListing = state.next === null;
      const listed = await listFiles(config, session.value, state, deps);
      if (listed.kind !== 'success') return listed;
      state = { ...state, ...listed.value, row: 0 };
      if (state.files.length === 0 && state.next === null && startedListing) {
        return { kind: 'success', value: { records: [], cursor: state, done: true } };
      }
    }
    const file = state.files[0];
    if (!file) return { kind: 'success', value: { records: [], cursor: state, done: false } };

    const what = `Salesforce EventLogFile ${file.id} LogFile`;
    const response = await salesforceGet(config, session.value, file.path, deps, what, 'text/csv');
    if (response.kind !== 'success') return response;
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(await response.value.text(), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
    } catch (err) {
      return { kind: 'failure', message: `${what} is not CSV with a header row (${err instanceof Error ? err.message : String(err)})` };
    }
    const records = rows.slice(state.row, state.row + config.rowsPerPage);
    const row = state.row + records.length;
    if (row < rows.length) return { kind: 'success', value: { records, cursor: { ...state, row }, done: false } };

    // The file is read: it moves the listing bound.
    const readAtSince = file.createdDate === state.since ? [...state.readAtSince, file.id] : [file.id];
    const since = file.createdDate > state.since ? file.createdDate : state.since;
    return {
      kind: 'success',
      value: { records, cursor: { since, readAtSince: file.createdDate >= state.since ? readAtSince : state.readAtSince, files: state.files.slice(1), row: 0, next: state.next }, done: false },
    };
  },
};
