import { describe, expect, it } from 'vitest';
import { ingestLimits, splitRecords } from './split-records';

const values = (body: string, options = {}) => {
  const result = splitRecords(body, options);
  if (!result.ok) throw new Error(result.message);
  return result.records.map((r) => (r.ok ? [r.line, r.value] : [r.line, 'ERROR', r.message]));
};

describe('splitRecords: JSON', () => {
  it('splits NDJSON and keeps the sender line numbers across blank lines and CRLF', () => {
    expect(values('{"a":1}\r\n\n{"a":2}\n')).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
    ]);
  });

  it('isolates a malformed line without losing its neighbours', () => {
    const result = splitRecords('{"a":1}\n{"a":\n{"a":3}');
    if (!result.ok) throw new Error(result.message);
    expect(result.records.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = result.records[1]!;
    expect([bad.line, bad.text, !bad.ok && bad.message.startsWith('not valid JSON')]).toEqual([2, '{"a":', true]);
  });

  it('reads a JSON array with element indexes as lines', () => {
    expect(values(' [{"a":1},{"a":2}]')).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });

  it('refuses a broken JSON array as a whole, since element boundaries are unknown', () => {
    const result = splitRecords('[{"a":1},');
    expect(!result.ok && result.reason).toBe('malformed');
  });

  it('reads one pretty-printed object as one record', () => {
    expect(values('{\n  "a": 1\n}\n')).toEqual([[1, { a: 1 }]]);
  });

  it('lets a source unwrap a whole-body container, numbering its events like array elements', () => {
    const expand = (o: Record<string, unknown>) => (Array.isArray(o.Records) ? (o.Records as unknown[]) : null);
    expect(values('{"Records":[{"x":1},{"x":2}]}', { expand })).toEqual([
      [1, { x: 1 }],
      [2, { x: 2 }],
    ]);
  });

  it('gives the events of a container line that line’s number', () => {
    const expand = (o: Record<string, unknown>) => (Array.isArray(o.Records) ? (o.Records as unknown[]) : null);
    expect(values('{"Records":[{"x":1},{"x":2}]}\n{"x":3}', { expand })).toEqual([
      [1, { x: 1 }],
      [1, { x: 2 }],
      [2, { x: 3 }],
    ]);
  });

  it('refuses an empty body', () => {
    expect(splitRecords('  \n').ok).toBe(false);
  });
});

describe('splitRecords: delivery envelopes', () => {
  const b64 = (v: unknown) => btoa(JSON.stringify(v));
  it.each([
    ['a Kubernetes audit EventList', { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ n: 1 }, { n: 2 }] }, [{ n: 1 }, { n: 2 }]],
    ['an Okta event hook', { eventType: 'com.okta.event_hook', data: { events: [{ n: 1 }] } }, [{ n: 1 }]],
    ['a Pub/Sub push message', { message: { data: b64({ n: 1 }), messageId: '1' }, subscription: 'projects/p/subscriptions/s' }, [{ n: 1 }]],
    ['an EventBridge event', { 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: { n: 1 } }, [{ n: 1 }]],
    ['a CloudWatch Logs subscription', { messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', message: '{"n":1}' }, { id: '2', message: 'plain text' }] }, [{ n: 1 }, 'plain text']],
    ['a Firehose delivery', { requestId: 'r', timestamp: 1, records: [{ data: b64({ n: 1 }) }] }, [{ n: 1 }]],
    ['a Pub/Sub message wrapping an EventBridge event', { message: { data: b64({ 'detail-type': 'x', source: 'aws.x', detail: { n: 1 } }) }, subscription: 's' }, [{ n: 1 }]],
  ])('unwraps %s', (_label, envelope, expected) => {
    expect(values(JSON.stringify(envelope)).map(([, v]) => v)).toEqual(expected);
  });

  it('keeps CloudTrail EventBridge events whole for the CloudTrail parser', () => {
    const event = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', detail: { eventName: 'x' } };
    expect(values(JSON.stringify(event))).toEqual([[1, event]]);
  });
});

describe('splitRecords: text sources', () => {
  it('reads lines as strings for line formats, and still reads JSON bodies as JSON', () => {
    expect(values('<34>1 2026-01-01T00:00:00Z host app - - - hi\n\n<13>Jan  1 00:00:00 host x\n', { text: 'lines' })).toEqual([
      [1, '<34>1 2026-01-01T00:00:00Z host app - - - hi'],
      [3, '<13>Jan  1 00:00:00 host x'],
    ]);
    expect(values('{"a":1}', { text: 'lines' })).toEqual([[1, { a: 1 }]]);
  });

  it('reads CSV rows keyed by the header, with the line each row starts on, quoted newlines included', () => {
    expect(values('EVENT_TYPE,USER_ID,NOTE\nLogin,005x,"two\nlines"\nAPI,006y,plain\n', { text: 'csv' })).toEqual([
      [2, { EVENT_TYPE: 'Login', USER_ID: '005x', NOTE: 'two\nlines' }],
      [4, { EVENT_TYPE: 'API', USER_ID: '006y', NOTE: 'plain' }],
    ]);
  });

  it('reads a line format that starts with [ or { as text when it is not JSON', () => {
    expect(values('[JSSACCESSLOG] 2026-01-01 user=a\n[JSSACCESSLOG] 2026-01-02 user=b', { text: 'lines' })).toEqual([
      [1, '[JSSACCESSLOG] 2026-01-01 user=a'],
      [2, '[JSSACCESSLOG] 2026-01-02 user=b'],
    ]);
    expect(values('{"a":1}\n{not json} text', { text: 'lines' })).toEqual([
      [1, { a: 1 }],
      [2, '{not json} text'],
    ]);
  });

  it('turns lines after a header line into objects keyed by its fields, and drops the header', () => {
    const textHeader = (line: string) => (line.startsWith('version ') ? line.split(' ') : null);
    expect(values('2 111 eni-1 ACCEPT\nversion account-id action\n5 222 REJECT\n5 333\n', { text: 'lines', textHeader })).toEqual([
      [1, '2 111 eni-1 ACCEPT'],
      [3, { version: '5', 'account-id': '222', action: 'REJECT' }],
      [4, 'ERROR', 'has 2 fields but the header line names 3'],
    ]);
  });

  it('rejects a broken CSV row on its own', () => {
    const rows = values('A,B\n1,2\n3,"open\n', { text: 'csv' });
    expect(rows[0]).toEqual([2, { A: '1', B: '2' }]);
    expect(rows[1]![1]).toBe('ERROR');
  });
});

describe('splitRecords: limits', () => {
  it('rejects a record over the size limit on its own', () => {
    const big = `{"a":"${'x'.repeat(ingestLimits.maxLineBytes)}"}`;
    const rows = values(`{"a":1}\n${big}`);
    expect(rows[0]).toEqual([1, { a: 1 }]);
    expect(rows[1]!.slice(0, 2)).toEqual([2, 'ERROR']);
    expect(String(rows[1]![2])).toMatch(/limit is 1048576 bytes per record/);
  });

  it('rejects JSON nested deeper than the limit on its own', () => {
    const deep = `${'['.repeat(ingestLimits.maxDepth + 1)}${']'.repeat(ingestLimits.maxDepth + 1)}`;
    const rows = values(`{"a":1}\n{"d":${deep}}`);
    expect(String(rows[1]![2])).toMatch(/nested more than 64 levels/);
  });

  it('does not count brackets inside strings as nesting', () => {
    expect(values(`{"s":"${'['.repeat(200)}"}`)[0]![1]).toEqual({ s: '['.repeat(200) });
  });

  it('refuses a body with too many records as a whole', () => {
    const result = splitRecords('{}\n'.repeat(ingestLimits.maxRecords + 1));
    expect(!result.ok && result.reason).toBe('too_many_records');
  });
});
