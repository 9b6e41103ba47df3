/**
 * Cloudflare Logpush source: NDJSON records of the http_requests, firewall_events, access_requests,
 * gateway_dns, gateway_http, gateway_network and audit_logs(_v2) datasets, the dataset detected per record.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeLogpushRecord } from './normalize-logpush-record';

export const cloudflareSource: SourceAdapter = { id: 'cloudflare', name: 'Cloudflare Logpush', parse: normalizeLogpushRecord };
