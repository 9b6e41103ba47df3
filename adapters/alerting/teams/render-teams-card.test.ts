import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { checkMessage } from '../../../test/fakes/teams';
import { escapeCardText, fitCardText, payloadBytes, teamsPayloadBudgetBytes, type CardElement, type TeamsMessage } from './adaptive-card';
import { renderTeamsAlert, renderTeamsLifecycleNote } from './render-teams-card';

const fixturePath = join(import.meta.dirname, 'fixtures', 'alert-notification.json');
const base = JSON.parse(readFileSync(fixturePath, 'utf8')) as AlertNotification;

function withAlert(patch: Partial<AlertNotification['alert']>, rest: Partial<AlertNotification> = {}): AlertNotification {
  return { ...base, ...rest, alert: { ...base.alert, ...patch } };
}

/** Every text of a card: TextBlocks (nested too) and fact titles and values. */
function cardTexts(message: TeamsMessage): string[] {
  const walk = (elements: readonly CardElement[]): string[] =>
    elements.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : e.type === 'FactSet' ? e.facts.flatMap((f) => [f.title, f.value]) : walk(e.items)));
  return walk(message.attachments[0].content.body);
}

function hugeAlert(): AlertNotification {
  const emoji = '😀👨‍👩‍👧';
  return withAlert({
    title: ('t'.repeat(143) + emoji).repeat(70),
    summary: ('[x](https://e) ' + emoji).repeat(700),
    entities: { users: Array.from({ length: 500 }, (_, i) => `u${i}@example.com`), ips: Array.from({ length: 500 }, (_, i) => `192.0.2.${i % 256}`), hosts: [] },
    tags: Array.from({ length: 80 }, (_, i) => `attack.t${1000 + i}`),
    evidence: Array.from({ length: 500 }, (_, i) => ({ event_time: base.alert.firstSeen, actor: `u${i}@example.com`, message: emoji.repeat(300), raw: 'r'.repeat(4000) })),
    enrichment: Array.from({ length: 60 }, (_, i) => ({ subject: `192.0.2.${i}`, provider: 'abuseipdb', text: emoji.repeat(200) })),
  });
}

describe('renderTeamsAlert', () => {
  it('matches the reviewed golden rendering of the fixture alert', () => {
    const goldenPath = fixturePath.replace(/\.json$/, '.golden.json');
    const actual = renderTeamsAlert(base);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('builds the documented envelope with facts, evidence, attribution and a link to the alert', () => {
    const message = renderTeamsAlert(base);
    expect(message).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
    const card = message.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', actions: [{ type: 'Action.OpenUrl', url: base.alert.url }] });
    const facts = card.body.find((e) => e.type === 'FactSet');
    expect(facts?.type === 'FactSet' && Object.fromEntries(facts.facts.map((f) => [f.title, f.value]))).toEqual({
      Severity: '🟠 High',
      Rule: 'Okta MFA Push Notification Fatigue',
      Users: 'alice@example.com',
      IPs: '203.0.113.9',
      'First seen': '2026-11-27 16:11:02 UTC',
      'Last seen': '2026-11-27 16:18:41 UTC',
      Count: '14',
      Sources: 'okta',
      Tags: 'attack.credential\\_access, attack.t1621',
    });
    const texts = cardTexts(message);
    expect(texts).toContain('**Evidence** (3 rows)');
    expect(texts.some((t) => t.startsWith('📜 "Okta MFA Push Notification Fatigue" by Example Author'))).toBe(true);
    expect(texts.join('\n')).not.toContain('eventType'); // raw stays in the web UI
    expect(typeof checkMessage(JSON.stringify(message))).toBe('object');
  });

  it('shrinks a huge alert under the budget, evidence first, keeping the attribution whole', () => {
    const notification = hugeAlert();
    const message = renderTeamsAlert(notification);
    expect(payloadBytes(message)).toBeLessThanOrEqual(teamsPayloadBudgetBytes);
    expect(typeof checkMessage(JSON.stringify(message))).toBe('object'); // valid, and no lone surrogate anywhere
    const texts = cardTexts(message);
    expect(texts).toContain(`📜 ${escapeCardText(base.alert.attribution!)}`);
    // Evidence went down to one row while enrichment still shows all ten lines: evidence shrinks first.
    expect(texts).toContain('**Evidence** (first 1 of 500)');
    expect(texts).toContain('+50 more in the alert');
    expect(cardTexts(renderTeamsAlert(notification, Number.MAX_SAFE_INTEGER))).toContain('**Evidence** (first 10 of 500)');
  });

  it('falls back to the barest card, attribution whole, when nothing else fits', () => {
    const message = renderTeamsAlert(hugeAlert(), 3000);
    const texts = cardTexts(message);
    expect(texts).toContain(`📜 ${escapeCardText(base.alert.attribution!)}`);
    expect(texts.some((t) => t.startsWith('**Evidence**') || t.startsWith('**Enrichment**'))).toBe(false);
    expect(texts[1]!.length).toBeLessThanOrEqual(150); // the title, at its shortest
    expect(typeof checkMessage(JSON.stringify(message))).toBe('object');
  });

  it('keeps a little evidence when only the evidence is large', () => {
    const message = renderTeamsAlert(withAlert({ evidence: Array.from({ length: 500 }, (_, i) => ({ n: i, message: 'm'.repeat(3000) })) }));
    expect(payloadBytes(message)).toBeLessThanOrEqual(teamsPayloadBudgetBytes);
    expect(cardTexts(message).find((t) => t.startsWith('**Evidence**'))).toBe('**Evidence** (first 10 of 500)');
  });

  it.each([
    ['a Markdown link', '[Reset your password](https://evil.example/login)', '[Reset your password](https://evil.example'],
    ['emphasis', '**URGENT** _click_', '**URGENT**'],
    ['a list marker', '- fake item', '\n- fake'],
    ['HTML', '<script>alert(1)</script><at>General</at>', null],
  ])('shows %s in alert content literally', (_name, hostile, forbidden) => {
    const notification = withAlert(
      { title: hostile, ruleName: hostile, summary: hostile, entities: { users: [hostile], ips: [], hosts: [] }, tags: [hostile], evidence: [{ actor: hostile }], enrichment: [{ subject: hostile, provider: 'x', text: hostile }] },
      { actor: hostile },
    );
    for (const message of [renderTeamsAlert(notification), renderTeamsLifecycleNote({ ...notification, kind: 'resolve' })]) {
      const all = cardTexts(message).join('\n');
      if (forbidden) expect(`\n${all}`).not.toContain(forbidden);
      expect(all).toContain(escapeCardText(hostile));
    }
  });

  it('replaces lone surrogates and drops control and bidi-override characters from content', () => {
    const dirty = 'evil\u202Egpj.exe \uD83D broken\u0007 bell';
    const message = renderTeamsAlert(withAlert({ title: dirty, summary: dirty, evidence: [{ file: dirty }], attribution: dirty }));
    const all = cardTexts(message).join('\n');
    expect(all.includes('\u202E') || all.includes('\u0007')).toBe(false);
    expect(all).toContain('evilgpj.exe \uFFFD broken bell');
    expect(typeof checkMessage(JSON.stringify(message))).toBe('object');
  });

  it('renders acknowledge and resolve as a short card with who, when and the attribution', () => {
    const message = renderTeamsLifecycleNote({ ...base, kind: 'acknowledge', actor: 'bob@example.com', at: '2026-11-27T16:30:00.000Z' });
    const texts = cardTexts(message);
    expect(texts[0]).toBe('👀 **Acknowledged** by bob@example.com · 2026-11-27 16:30:00 UTC');
    expect(texts.some((t) => t.startsWith('📜 '))).toBe(true);
    expect(payloadBytes(message)).toBeLessThan(4000);
    const fp = renderTeamsLifecycleNote(withAlert({ status: 'false_positive' }, { kind: 'resolve', actor: null }));
    expect(cardTexts(fp)[0]).toMatch(/^✅ \*\*Resolved as a false positive\*\* · /);
  });
});

describe('card text', () => {
  it('escapes Markdown punctuation and line-leading markers', () => {
    expect(escapeCardText('a_b *c* [d](e) `f` ~g~ \\')).toBe('a\\_b \\*c\\* \\[d\\](e) \\`f\\` \\~g\\~ \\\\');
    expect(escapeCardText('# h\n> q\n+ p\n1. n')).toBe('\\# h\n\\> q\n\\+ p\n1\\. n');
  });

  it('cuts escaped text within the limit without splitting an escape or a surrogate pair', () => {
    for (let max = 1; max < 30; max++) {
      const out = fitCardText('_😀*'.repeat(10), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      expect(out.replace(/\\[_*]/g, '')).not.toMatch(/[\\_*]/);
    }
  });
});
