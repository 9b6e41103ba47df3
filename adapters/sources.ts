/** The log sources this build can ingest, by source id (the `:source` of `POST /ingest/:source`). */
import type { SourceAdapter } from '../core/ingest/source-adapter';
import { expandCloudTrailEnvelope } from './cloudtrail/cloudtrail-record-schema';
import { normalizeCloudTrailRecord } from './cloudtrail/normalize-cloudtrail-record';
import { normalizeOktaEvent } from './okta/normalize-okta-event';

const adapters: SourceAdapter[] = [
  { id: 'okta', name: 'Okta System Log', parse: normalizeOktaEvent },
  { id: 'cloudtrail', name: 'AWS CloudTrail', parse: normalizeCloudTrailRecord, expand: expandCloudTrailEnvelope },
];

export const sourceAdapters: ReadonlyMap<string, SourceAdapter> = new Map(adapters.map((a) => [a.id, a]));
