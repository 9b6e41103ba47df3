/** The pull collectors this build can run, by type (the `type` of an entry in COLLECTORS). */
import type { CollectorDefinition } from '../core/collect/collector';
import { oktaSystemLogCollector } from './okta/collect';
import { entraDirectoryAuditsCollector } from './entra_id/collect-audits';
import { entraSignInsCollector } from './entra_id/collect-signins';
import { googleWorkspaceReportsCollector } from './google_workspace/collect';
import { m365ManagementActivityCollector } from './m365/collect';
import { duoActivityCollector, duoAdministratorCollector, duoAuthenticationCollector, duoTelephonyCollector } from './duo/collect';
import { s3BucketCollector } from './s3/collect';
import { githubAuditLogCollector } from './github/collect';
import { slackAuditLogsCollector } from './slack/collect';
import { onePasswordEventsCollector } from './onepassword/collect';
import { crowdstrikeAlertsCollector } from './crowdstrike/collect';
import { salesforceEventLogFilesCollector } from './salesforce/collect-event-log-files';
import { salesforceRecordsCollector } from './salesforce/collect-records';
import { snowflakeLoginHistoryCollector, snowflakeQueryHistoryCollector } from './snowflake/collect';
import { jamfActionLogsCollector } from './jamf/collect';

const definitions = [oktaSystemLogCollector, entraSignInsCollector, entraDirectoryAuditsCollector, m365ManagementActivityCollector, googleWorkspaceReportsCollector, duoAuthenticationCollector, duoAdministratorCollector, duoTelephonyCollector, duoActivityCollector, s3BucketCollector, githubAuditLogCollector, slackAuditLogsCollector, onePasswordEventsCollector, crowdstrikeAlertsCollector, salesforceEventLogFilesCollector, salesforceRecordsCollector, snowflakeLoginHistoryCollector, snowflakeQueryHistoryCollector, jamfActionLogsCollector] as CollectorDefinition[];

export const collectorDefinitions: ReadonlyMap<string, CollectorDefinition> = new Map(definitions.map((d) => [d.type, d]));
