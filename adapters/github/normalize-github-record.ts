/**
 * GitHub record → normalized event: detects the feed from the record's shape. Pure; never throws.
 *
 * Feeds, in detection order:
 * 1. A text line (`text: 'lines'`): GitHub Enterprise Server syslog, `… github_audit: {json}`. Its `raw` is the
 *    audit event's JSON, so rules read GitHub's field names.
 * 2. A webhook delivery wrapped by the webhook route: `{x_github_event, x_github_delivery, payload}`.
 * 3. A logstash record of a GHE syslog line: `message` holding `github_audit: {json}` (`program: github_audit`).
 * 4. A bare webhook payload: a `sender` account (audit events have none).
 * 5. An audit log event (REST API, streaming, exports): an `action` (of whatever type), a `_document_id`, or
 *    an `actor` with a time, org, repo or enterprise.
 * Anything else is refused as not GitHub.
 */
import type { ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { auditEventFromSyslogLine, isAuditLogEvent, isForwardedSyslogRecord } from './audit-log-schema';
import { normalizeAuditLogEvent } from './normalize-audit-log-event';
import { normalizeWebhookDelivery } from './normalize-webhook-delivery';
import { isBareWebhookPayload, isWebhookDelivery } from './webhook-schema';

export const normalizeGitHubRecord: RecordParser = (record, ctx): ParseResult => {
  if (typeof record === 'string') {
    const inner = auditEventFromSyslogLine(record);
    if (!inner.ok) return { ok: false, reason: record.includes('github_audit:') ? 'invalid_json' : 'unrecognized_shape', message: inner.message };
    const event = normalizeAuditLogEvent(inner.event, ctx);
    event.raw = JSON.stringify(inner.event);
    return { ok: true, event };
  }
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a GitHub audit log event or webhook delivery (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  if (isWebhookDelivery(record)) return { ok: true, event: normalizeWebhookDelivery(record, ctx, false) };
  if (isForwardedSyslogRecord(record)) {
    const inner = auditEventFromSyslogLine(record.message);
    if (!inner.ok) return { ok: false, reason: 'invalid_json', message: inner.message };
    // The relay's own receive time stands in when the audit event's is unusable (GHE test data sends 123).
    const relayed = toIsoMillis(record['@timestamp']);
    return { ok: true, event: normalizeAuditLogEvent(inner.event, ctx, relayed) };
  }
  if (isBareWebhookPayload(record)) return { ok: true, event: normalizeWebhookDelivery(record, ctx, true) };
  if (isAuditLogEvent(record)) return { ok: true, event: normalizeAuditLogEvent(record, ctx) };
  return {
    ok: false,
    reason: 'unrecognized_shape',
    message:
      'not a GitHub record: expected an audit log event (action), a webhook delivery ({x_github_event, x_github_delivery, payload}) or a GitHub Enterprise syslog line (github_audit: {...})',
  };
};
