/** AWS CloudTrail source: bare records, `{"Records": [...]}` log files, and EventBridge events. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandCloudTrailEnvelope } from './cloudtrail-record-schema';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail-record';

export const cloudTrailSource: SourceAdapter = {
  id: 'cloudtrail',
  name: 'AWS CloudTrail',
  parse: normalizeCloudTrailRecord,
  expand: expandCloudTrailEnvelope,
};
