/**
 * The log sources this build can ingest, by source id (the `:source` of `POST /ingest/:source`). Each
 * adapter folder exports its SourceAdapter from index.ts; add a source by adding it here.
 */
import type { SourceAdapter } from '../core/ingest/source-adapter';
import { azureActivitySource } from './azure_activity';
import { cloudflareSource } from './cloudflare';
import { crowdStrikeSource } from './crowdstrike';
import { cloudTrailSource } from './cloudtrail';
import { dockerSource } from './docker';
import { duoSource } from './duo';
import { entraIdSource } from './entra_id';
import { gcpAuditSource } from './gcp_audit';
import { githubSource } from './github';
import { googleWorkspaceSource } from './google_workspace';
import { guardDutySource } from './guardduty';
import { jamfSource } from './jamf';
import { jsonSource } from './json';
import { kubernetesAuditSource } from './kubernetes_audit';
import { m365Source } from './m365';
import { oktaSource } from './okta';
import { oneloginSource } from './onelogin';
import { onePasswordSource } from './onepassword';
import { salesforceSource } from './salesforce';
import { slackSource } from './slack';
import { snowflakeSource } from './snowflake';
import { syslogSource } from './syslog';
import { vpcFlowSource } from './vpc_flow';

const adapters: SourceAdapter[] = [
  oktaSource,
  entraIdSource,
  googleWorkspaceSource,
  duoSource,
  oneloginSource,
  m365Source,
  githubSource,
  slackSource,
  onePasswordSource,
  crowdStrikeSource,
  jamfSource,
  snowflakeSource,
  salesforceSource,
  cloudTrailSource,
  azureActivitySource,
  gcpAuditSource,
  guardDutySource,
  vpcFlowSource,
  kubernetesAuditSource,
  dockerSource,
  cloudflareSource,
  syslogSource,
  jsonSource,
];

export const sourceAdapters: ReadonlyMap<string, SourceAdapter> = new Map(adapters.map((a) => [a.id, a]));
