/**
 * Salesforce audit records collector: LoginHistory
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_loginhistory.htm)
 * or SetupAuditTrail
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_setupaudittrail.htm)
 * read with SOQL through `GET {instance}/services/data/vXX.X/query?q=…`, following `nextRecordsUrl`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm). The records
 * keep their `attributes.type`, which is how the salesforce parser tells them apart. Sessions come from the
 * JWT bearer flow (collect-session.ts); the user needs "API Enabled" and "Manage Users" (LoginHistory) or
 * "View Setup and Configuration" (SetupAuditTrail).
 *
 * A window is one query (`<time field> >= since ORDER BY <time field>, Id`) read page by page; when it has no
 * more pages, the next window starts at the newest record's time minus an overlap, and records seen twice are
 * dropped downstream by their `Id`. An expired query locator (INVALID_QUERY_LOCATOR) restarts the window.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';
import { queryResultSchema, salesforceAuthConfigSchema, salesforceGet, salesforceSession, soqlDateTime } from './collect-session';

/** What each object is read with: its fields (the parser's) and the field that orders it in time. */
const objects = {
  LoginHistory: {
    timeField: 'LoginTime',
    fields: [
      'Id',
      'UserId',
      'LoginTime',
      'LoginType',
      'LoginUrl',
      'SourceIp',
      'Status',
      'Application',
      'Browser',
      'Platform',
      'ClientVersion',
      'ApiType',
      'ApiVersion',
      'CountryIso',
      'AuthMethodReference',
      'TlsProtocol',
      'CipherSuite',
      'LoginGeoId',
    ],
  },
  SetupAuditTrail: {
    timeField: 'CreatedDate',
    fields: ['Id', 'Action', 'Section', 'CreatedDate', 'CreatedById', 'CreatedBy.Username', 'CreatedBy.Name', 'Display', 'DelegateUser', 'ResponsibleNamespacePrefix'],
  },
} as const;

const configSchema = salesforceAuthConfigSchema.extend({
  object: z.enum(['LoginHistory', 'SetupAuditTrail']).default('LoginHistory'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 180).default(60),
  overlapMinutes: z.number().int().min(0).max(24 * 60).default(5),
});
type RecordsConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({ since: z.string(), next: z.string().nullable(), newest: z.string().nullable() });
type RecordsCursor = z.infer<typeof cursorSchema>;

export const salesforceRecordsCollector: CollectorDefinition<RecordsConfig, RecordsCursor> = {
  type: 'salesforce_records',
  source: 'salesforce',
  description: 'Salesforce LoginHistory or SetupAuditTrail records (SOQL over the REST API)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), next: null, newest: null };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<RecordsCursor>>> {
    const session = await salesforceSession(config, deps);
    if (session.kind !== 'success') return session;
    const { timeField, fields } = objects[config.object];
    const soql = `SELECT ${fields.join(', ')} FROM ${config.object} WHERE ${timeField} >= ${soqlDateTime(cursor.since)} ORDER BY ${timeField} ASC, Id ASC`;
    const path = cursor.next ?? `/services/data/v${config.apiVersion}/query?${new URLSearchParams({ q: soql })}`;
    const what = `Salesforce ${config.object} query`;
    const response = await salesforceGet(config, session.value, path, deps, what);
    if (response.kind !== 'success') {
      if (cursor.next && response.kind === 'failure' && response.message.includes('INVALID_QUERY_LOCATOR')) {
        return { kind: 'success', value: { records: [], cursor: { ...cursor, next: null }, done: false } };
      }
      return response;
    }
    const result = queryResultSchema.safeParse(await response.value.json().catch(() => null));
    if (!result.success) return { kind: 'failure', message: `${what} did not answer {done, records}` };
    const records = result.data.records;
    const newest = records.reduce<string | null>((max, r) => {
      const t = toIsoMillis(r[timeField]);
      return t && (!max || t > max) ? t : max;
    }, cursor.newest);
    const next = result.data.done ? null : (result.data.nextRecordsUrl ?? null);
    if (next) return { kind: 'success', value: { records, cursor: { since: cursor.since, next, newest }, done: false } };
    const since = newest ? new Date(Math.max(Date.parse(cursor.since), Date.parse(newest) - config.overlapMinutes * 60_000)).toISOString() : cursor.since;
    return { kind: 'success', value: { records, cursor: { since, next: null, newest }, done: true } };
  },
};
