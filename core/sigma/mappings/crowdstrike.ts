/**
 * CrowdStrike Falcon (`crowdstrike`), our own logsource `product: crowdstrike`: Event Streams (`metadata.eventType`,
 * `event.OperationName`), FDR events (`event_simpleName`, `CommandLine`), alerts, hosts and vulnerabilities,
 * by Falcon's field names as received.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/crowdstrike';

const fields = normalizedColumnFields(knownFields);

export const crowdStrikeMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'crowdstrike' }, sources: ['crowdstrike'], fields, knownFields },
];
