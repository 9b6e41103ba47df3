/** Google Cloud Audit Logs source: LogEntry exports (Pub/Sub, Logging API, sinks); Pub/Sub push unwrapped upstream. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeGcpAuditEntry } from './normalize-gcp-audit-entry';

export const gcpAuditSource: SourceAdapter = { id: 'gcp_audit', name: 'Google Cloud Audit Logs', parse: normalizeGcpAuditEntry };
