/**
 * R2 object keys of the lake. Hive-style partitions (`source=…/date=YYYY-MM-DD/hour=HH`) so that Athena partition
 * projection, BigQuery external tables and Synapse OPENROWSET can prune by source and time.
 * The layout is documented in docs/storage-schema.md; change both together.
 */
export function partitionPath(source: string, isoTime: string): string {
  // isoTime is UTC ISO-8601: 2026-11-27T16:18:41.000Z
  return `source=${source}/date=${isoTime.slice(0, 10)}/hour=${isoTime.slice(11, 13)}`;
}

/** The batch exactly as received (decompressed, then gzip-compressed), partitioned by the time it arrived. */
export function rawBatchKey(source: string, receivedAt: string, batchId: string): string {
  return `raw/${partitionPath(source, receivedAt)}/${batchId}.ndjson.gz`;
}

/** Normalized rows of one batch that fall in one event hour, partitioned by event time. */
export function normalizedBatchKey(source: string, eventHour: string, batchId: string): string {
  return `events/${partitionPath(source, eventHour)}/${batchId}.ndjson.gz`;
}

/** Rejected lines of a batch, each with its line number and error, partitioned by the time it arrived. */
export function deadLetterKey(source: string, receivedAt: string, batchId: string): string {
  return `deadletter/${partitionPath(source, receivedAt)}/${batchId}.ndjson`;
}

/** Evidence collected by a playbook run. */
export function playbookEvidenceKey(runId: string): string {
  return `evidence/playbook-runs/${runId}.json`;
}

/** The UTC hour an ISO time falls in, as an ISO time: 2026-11-27T16:00:00.000Z. */
export function hourOf(isoTime: string): string {
  return `${isoTime.slice(0, 13)}:00:00.000Z`;
}
