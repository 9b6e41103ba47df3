/**
 * CrowdStrike Falcon source: Alerts API v1/v2, hosts, Spotlight vulnerabilities, Falcon Data Replicator
 * events and Event Streams records; a whole API response (`{"resources": [...]}`) is unwrapped.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandFalconApiResponse } from './falcon-api-schema';
import { normalizeCrowdStrikeRecord } from './normalize-crowdstrike-record';

export const crowdStrikeSource: SourceAdapter = {
  id: 'crowdstrike',
  name: 'CrowdStrike Falcon',
  parse: normalizeCrowdStrikeRecord,
  expand: expandFalconApiResponse,
};
