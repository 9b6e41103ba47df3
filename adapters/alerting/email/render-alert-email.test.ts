import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { alertEmailSubject, evidenceTable, maxEvidenceColumns, maxEvidenceRows, renderAlertEmail } from './render-alert-email';

const trigger = JSON.parse(readFileSync(new URL('./fixtures/trigger-notification.json', import.meta.url), 'utf8')) as AlertNotification;

function withAlert(patch: Partial<AlertNotification['alert']>, rest: Partial<AlertNotification> = {}): AlertNotification {
  return { ...trigger, ...rest, alert: { ...trigger.alert, ...patch } };
}

const acknowledge = withAlert({ status: 'acknowledged' }, { kind: 'acknowledge', actor: 'bob@example.com', deliveryKey: 'k:ack', at: '2026-01-15T09:50:00.000Z' });
const resolve = withAlert({ status: 'closed' }, { kind: 'resolve', actor: 'bob@example.com', deliveryKey: 'k:resolve', at: '2026-01-15T10:05:00.000Z' });
const falsePositive = withAlert({ status: 'false_positive' }, { kind: 'resolve', actor: null, deliveryKey: 'k:fp' });

describe('alertEmailSubject', () => {
  it('is [SEVERITY] title for a trigger', () => {
    expect(alertEmailSubject(trigger)).toBe('[HIGH] MFA push fatigue for alice@example.com from 203.0.113.9');
  });

  it('is a reply subject for acknowledge and resolve, so mail clients thread it', () => {
    expect(alertEmailSubject(acknowledge)).toBe('Re: [HIGH] MFA push fatigue for alice@example.com from 203.0.113.9');
    expect(alertEmailSubject(resolve)).toMatch(/^Re: \[HIGH\] /);
  });

  it('is one line of at most 200 characters whatever the title', () => {
    const subject = alertEmailSubject(withAlert({ title: `evil\r\nBcc: x@y\u2028${'long '.repeat(80)}` }));
    expect(subject).not.toMatch(/[\r\n\u2028]/);
    expect(Array.from(subject)).toHaveLength(200);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject.startsWith('[HIGH] evil Bcc: x@y long')).toBe(true);
  });
});

describe('renderAlertEmail', () => {
  it('carries the facts of a trigger in both parts', () => {
    const { text, html } = renderAlertEmail(trigger);
    for (const part of [text, html]) {
      for (const fact of ['Okta MFA push fatigue followed by success', 'rule_okta_mfa_push_fatigue', 'alice@example.com', '203.0.113.9', '2026-01-15T09:31:55.000Z', '2026-01-15T09:41:58.000Z', '14', 'attack.t1621', 'okta']) {
        expect(part).toContain(fact);
      }
      expect(part).toContain('denied 13 Okta Verify pushes');
      expect(part).toContain('Lagos, Nigeria · AS37148 · hosting provider');
      expect(part).toContain('user.mfa.okta_verify.deny_push');
      expect(part).toContain('https://mantissa.example.com/alerts/alt_01JH7Q2V4M8Y9Z');
    }
    expect(html).toContain('<a href="https://mantissa.example.com/alerts/alt_01JH7Q2V4M8Y9Z">');
    expect(html).toContain('{&quot;country&quot;:&quot;NG&quot;,&quot;city&quot;:&quot;Lagos&quot;}');
  });

  it.each([
    ['trigger', trigger],
    ['acknowledge', acknowledge],
    ['resolve', resolve],
  ])('shows the rule attribution in both parts of a %s', (_, notification) => {
    const { text, html } = renderAlertEmail(notification);
    expect(text).toContain('Rule attribution: Adapted from a SigmaHQ rule (https://github.com/SigmaHQ/sigma), Detection Rule License (DRL) 1.1');
    expect(html).toContain('Rule attribution: Adapted from a SigmaHQ rule (https://github.com/SigmaHQ/sigma), Detection Rule License (DRL) 1.1');
  });

  it('leaves the attribution out when the rule has none', () => {
    const { text, html } = renderAlertEmail(withAlert({ attribution: null }));
    expect(text).not.toContain('attribution');
    expect(html).not.toContain('attribution');
  });

  it('says who acknowledged and when', () => {
    const { text, html } = renderAlertEmail(acknowledge);
    expect(text).toContain('Acknowledged by bob@example.com at 2026-01-15T09:50:00.000Z.');
    expect(html).toContain('Acknowledged by bob@example.com at 2026-01-15T09:50:00.000Z.');
    expect(text).not.toContain('Evidence');
  });

  it('says resolved, and false positive when it was one', () => {
    expect(renderAlertEmail(resolve).text).toContain('Resolved by bob@example.com at 2026-01-15T10:05:00.000Z.');
    expect(renderAlertEmail(falsePositive).text).toContain('Resolved as a false positive at 2026-01-15T09:42:07.000Z.');
  });

  it('escapes markup from titles, entities, evidence, enrichment and the summary', () => {
    const script = '<script>alert(1)</script>';
    const { html } = renderAlertEmail(
      withAlert({
        title: `x ${script}`,
        ruleName: `<img src=x onerror=alert(1)>`,
        entities: { users: [`"><svg onload=alert(1)>`], ips: [], hosts: [script] },
        evidence: [{ [`<b>key</b>`]: script, note: `' onmouseover='alert(1)` }],
        enrichment: [{ subject: script, provider: '<i>p</i>', text: script }],
        summary: script,
      }),
    );
    expect(html).not.toMatch(/<script|<img|<svg|<b>key|<i>p/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&#39; onmouseover=&#39;alert(1)');
  });

  it('does not link an alert URL that is not http(s)', () => {
    const { html, text } = renderAlertEmail(withAlert({ url: 'javascript:alert(1)' }));
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
  });
});

describe('evidenceTable', () => {
  it('keeps a bounded sample: the first rows and the first non-empty columns', () => {
    const evidence = Array.from({ length: 9 }, (_, i) => Object.fromEntries([...Array.from({ length: 12 }, (_, c) => [`col${c}`, `${i}-${c}`]), ['empty', null]]));
    const table = evidenceTable(evidence);
    expect(table.rows).toHaveLength(maxEvidenceRows);
    expect(table.columns).toHaveLength(maxEvidenceColumns);
    expect(table.columns).not.toContain('empty');
    expect(table.hiddenColumns).toBe(4);
    expect(table.hiddenRows).toBe(4);
    expect(table.rows[0]![0]).toBe('0-0');
  });
});
