/**
 * Amazon VPC Flow Logs (`vpc_flow`) as `product: aws, service: vpcflowlogs` and our own `product: vpc_flow`.
 * Text records are stored under the native field names (`srcaddr`, `dstport`, `action`, `log-status`); JSON
 * exports keep their own keys (Panther's camelCase `srcAddr`, `dstPort`).
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/vpc-flow';

const fields = normalizedColumnFields(knownFields);

export const vpcFlowMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'aws', service: 'vpcflowlogs' }, sources: ['vpc_flow'], fields, knownFields },
  { logsource: { product: 'vpc_flow' }, sources: ['vpc_flow'], fields, knownFields },
];
