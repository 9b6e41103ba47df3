/**
 * Delivery envelopes that wrap events whatever the source, unwrapped before a source's parser sees them.
 * Each is documented by its sender:
 * - Kubernetes audit webhook: `{"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [...]}`
 * - Okta event hook: `{"eventType": "com.okta.event_hook", "data": {"events": [...]}}`
 * - Google Cloud Pub/Sub push: `{"message": {"data": "<base64 JSON>", "messageId", "publishTime"}, "subscription"}`
 * - Amazon EventBridge / CloudWatch Events: `{"detail-type": "...", "source": "aws.…", "detail": {...}}`
 * - CloudWatch Logs subscription payload (decompressed): `{"messageType": "DATA_MESSAGE", "logEvents": [{"message": "..."}]}`
 * - Amazon Data Firehose HTTP endpoint delivery: `{"requestId", "timestamp", "records": [{"data": "<base64>"}]}`
 *
 * Unwrapping is recursive (a Pub/Sub message may carry an EventBridge event) up to a small depth; a value that
 * is no envelope is returned as itself. Pure: base64 is decoded with atob, no Node APIs.
 */
import { isPlainObject } from './split-records';

const maxDepth = 3;

export function unwrapEnvelopes(value: unknown, depth = 0): unknown[] {
  if (depth >= maxDepth || !isPlainObject(value)) return [value];
  const inner = envelopeContents(value);
  if (inner === null) return [value];
  return inner.flatMap((v) => unwrapEnvelopes(v, depth + 1));
}

function envelopeContents(v: Record<string, unknown>): unknown[] | null {
  // Kubernetes audit webhook batch
  if (v.kind === 'EventList' && Array.isArray(v.items)) return v.items;
  // Okta event hook delivery
  if (v.eventType === 'com.okta.event_hook' && isPlainObject(v.data) && Array.isArray(v.data.events)) return v.data.events;
  // Pub/Sub push
  if (isPlainObject(v.message) && typeof v.message.data === 'string' && typeof v.subscription === 'string') {
    const decoded = decodeBase64Json(v.message.data);
    return decoded === undefined ? null : Array.isArray(decoded) ? decoded : [decoded];
  }
  // EventBridge
  // (An event whose detail is empty stays whole: the envelope is then all there is to keep.)
  if (typeof v['detail-type'] === 'string' && isPlainObject(v.detail) && Object.keys(v.detail).length > 0 && typeof v.source === 'string') {
    // CloudTrail's parser reads EventBridge envelopes itself and keeps them in raw; others get the detail.
    if (v['detail-type'] === 'AWS API Call via CloudTrail' || v['detail-type'] === 'AWS Console Sign In via CloudTrail') return null;
    return [v.detail];
  }
  // CloudWatch Logs subscription
  if (v.messageType === 'DATA_MESSAGE' && Array.isArray(v.logEvents)) {
    return v.logEvents.map((e) => (isPlainObject(e) && typeof e.message === 'string' ? parseMaybeJson(e.message) : e));
  }
  // Firehose HTTP endpoint delivery
  if (typeof v.requestId === 'string' && Array.isArray(v.records) && v.records.every((r) => isPlainObject(r) && typeof r.data === 'string')) {
    return (v.records as { data: string }[]).map((r) => {
      const text = decodeBase64Text(r.data);
      return text === undefined ? r : parseMaybeJson(text.trim());
    });
  }
  return null;
}

function decodeBase64Text(data: string): string | undefined {
  try {
    const binary = atob(data);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeBase64Json(data: string): unknown {
  const text = decodeBase64Text(data);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function parseMaybeJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
