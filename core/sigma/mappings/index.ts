/**
 * The processing pipeline's data (stage 2): how each Sigma logsource reads our events. One file per log source
 * we collect; the vendor field paths each source's events carry are generated into `known-fields/` from the
 * shared corpus samples and the adapters' fixtures (see mappings.test.ts).
 *
 * Invariants (checked by mappings.test.ts):
 * - A mapping applies to a rule when every key its logsource sets (product, service, category) equals the
 *   rule's (pySigma's logsource condition; the pipeline takes the most specific): `product: kubernetes,
 *   service: audit` also serves rules that add `category: application`. No two mappings apply to any SigmaHQ
 *   rule of the corpus, nor to one of ours.
 * - Field names resolve as `lookupField` in field-targets.ts reads them: `fields`, then `knownFields`.
 * - Every known path occurs in our samples or fixtures for the mapping's sources; every mapped field has at
 *   least one such path or a column among its targets (the others are the same value in another delivery shape).
 */
import type { LogsourceMapping } from '../ir';
import { azureActivityMappings } from './azure-activity';
import { cloudflareMappings } from './cloudflare';
import { cloudTrailMappings } from './cloudtrail';
import { crowdStrikeMappings } from './crowdstrike';
import { dockerMappings } from './docker';
import { duoMappings } from './duo';
import { entraIdMappings } from './entra-id';
import { gcpAuditMappings } from './gcp-audit';
import { githubMappings } from './github';
import { googleWorkspaceMappings } from './google-workspace';
import { guardDutyMappings } from './guardduty';
import { identityViewMappings } from './identity-view';
import { jamfMappings } from './jamf';
import { jsonEventsMappings } from './json-events';
import { kubernetesAuditMappings } from './kubernetes-audit';
import { m365Mappings } from './m365';
import { oktaMappings } from './okta';
import { oneloginMappings } from './onelogin';
import { onePasswordMappings } from './onepassword';
import { salesforceMappings } from './salesforce';
import { slackMappings } from './slack';
import { snowflakeMappings } from './snowflake';
import { syslogMappings } from './syslog';
import { vpcFlowMappings } from './vpc-flow';

export const sigmaMappings: LogsourceMapping[] = [
  ...oktaMappings,
  ...entraIdMappings,
  ...googleWorkspaceMappings,
  ...duoMappings,
  ...oneloginMappings,
  ...m365Mappings,
  ...githubMappings,
  ...slackMappings,
  ...onePasswordMappings,
  ...crowdStrikeMappings,
  ...jamfMappings,
  ...snowflakeMappings,
  ...salesforceMappings,
  ...cloudTrailMappings,
  ...azureActivityMappings,
  ...gcpAuditMappings,
  ...guardDutyMappings,
  ...vpcFlowMappings,
  ...kubernetesAuditMappings,
  ...dockerMappings,
  ...cloudflareMappings,
  ...syslogMappings,
  ...jsonEventsMappings,
  ...identityViewMappings,
];
