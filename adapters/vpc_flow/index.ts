/** Amazon VPC Flow Logs source: text lines (default and custom formats, header lines) and JSON records. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { flowLogHeader } from './flow-log-record-schema';
import { normalizeFlowLogRecord } from './normalize-flow-log-record';

export const vpcFlowSource: SourceAdapter = {
  id: 'vpc_flow',
  name: 'Amazon VPC Flow Logs',
  parse: normalizeFlowLogRecord,
  text: 'lines',
  textHeader: flowLogHeader,
};
