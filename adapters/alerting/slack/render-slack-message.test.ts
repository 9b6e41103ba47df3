import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { validateBlocks } from '../../../test/fakes/slack-chat';
import { blockTextBudget, blockTextLength, escapeMrkdwn, fitMrkdwn, slackLimits, truncateText, type Block } from './block-kit';
import { renderSlackAlert, renderSlackLifecycleNote, renderSlackThreadReply } from './render-slack-message';

const fixturePath = join(import.meta.dirname, 'fixtures', 'alert-notification.json');
const base = JSON.parse(readFileSync(fixturePath, 'utf8')) as AlertNotification;

function withAlert(patch: Partial<AlertNotification['alert']>, rest: Partial<AlertNotification> = {}): AlertNotification {
  return { ...base, ...rest, alert: { ...base.alert, ...patch } };
}

/** Every text a message's blocks carry. */
function mrkdwnTexts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return [b.text, ...(b.fields ?? [])].filter((t) => t?.type === 'mrkdwn').map((t) => t!.text);
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
}

/** A huge alert: 10 KB titles and summaries with emoji straddling every likely cut point, 500 evidence rows. */
function hugeAlert(): AlertNotification {
  const emojiRun = '😀👨‍👩‍👧'.repeat(4);
  const title = ('x'.repeat(137) + emojiRun).repeat(70);
  return withAlert({
    title,
    ruleName: `${'R'.repeat(298)}😀😀`,
    summary: ('&<>' + emojiRun + 'y'.repeat(90)).repeat(100),
    entities: {
      users: Array.from({ length: 400 }, (_, i) => `user${i}@example.com`),
      ips: Array.from({ length: 400 }, (_, i) => `198.51.100.${i % 256}`),
      hosts: Array.from({ length: 50 }, (_, i) => `host-${i}.corp.example.com`),
    },
    tags: Array.from({ length: 60 }, (_, i) => `attack.t${1000 + i}`),
    sources: ['okta', 'entra_id', 'cloudtrail'],
    evidence: Array.from({ length: 500 }, (_, i) => ({ event_time: `2026-11-27T16:${String(i % 60).padStart(2, '0')}:00.000Z`, actor: `user${i}@example.com`, action: `a`.repeat(500) + '😀', raw: 'z'.repeat(5000) })),
    enrichment: Array.from({ length: 50 }, (_, i) => ({ subject: `198.51.100.${i}`, provider: 'abuseipdb', text: `abuse confidence ${i}% ` + '😀'.repeat(300) })),
  });
}

describe('renderSlackAlert', () => {
  it('matches the reviewed golden rendering of the fixture alert', () => {
    const goldenPath = fixturePath.replace(/\.json$/, '.golden.json');
    const actual = renderSlackAlert(base);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('shows severity, rule, entities, times, count, sources, tags, summary, enrichment, evidence, link and attribution', () => {
    const { text, blocks } = renderSlackAlert(base);
    expect(text).toContain('MFA push fatigue against alice@example.com');
    const all = JSON.stringify(blocks);
    for (const expected of [
      '🟠 High: MFA push fatigue',
      '*Rule*\\nOkta MFA Push Notification Fatigue',
      '*Count*\\n14',
      '*Users*\\nalice@example.com',
      '*IPs*\\n203.0.113.9',
      '*Sources*\\nokta',
      'attack.t1621',
      '<!date^1795795862^{date_short_pretty} {time_secs}|2026-11-27T16:11:02.000Z>',
      'received 14 Okta Verify push prompts',
      'abuse confidence 87%',
      'action=user.mfa.okta_verify.deny_push',
      'https://mantissa.example.com/alerts/01J9ZK3V7Q0M1R8T2W4Y6A8C0E',
      'Detection Rule License (DRL) 1.1',
    ]) {
      expect(all).toContain(expected);
    }
    expect(all).not.toContain('"eventType"'); // the raw vendor record stays in the web UI
    expect(validateBlocks(blocks)).toEqual([]);
  });

  it('keeps a huge alert within every Block Kit limit and the total budget, attribution included', () => {
    const notification = hugeAlert();
    const { text, blocks } = renderSlackAlert(notification);
    expect(validateBlocks(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerMessage);
    expect(blockTextLength(blocks)).toBeLessThanOrEqual(blockTextBudget);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(slackLimits.fallbackText);
    expect(text.isWellFormed()).toBe(true);
    const last = blocks.filter((b) => b.type === 'context').map((b) => (b.type === 'context' ? b.elements.map((e) => e.text).join('') : ''));
    expect(last.some((t) => t.includes('Detection Rule License (DRL) 1.1'))).toBe(true);
    // Evidence shrank to what fits, and says how much more there is.
    expect(JSON.stringify(blocks)).toMatch(/\*Evidence\* \(first \d of 500\)/);
  });

  it('never drops the attribution, even when every other part is at its largest', () => {
    const attribution = `"Rule" by A & B <ab@example.com>; ${'licensed under DRL 1.1 '.repeat(80)}`.slice(0, 2000);
    const { blocks } = renderSlackAlert({ ...hugeAlert(), alert: { ...hugeAlert().alert, attribution } });
    expect(validateBlocks(blocks)).toEqual([]);
    const context = blocks.find((b) => b.type === 'context' && b.elements[0]!.text.startsWith('📜'));
    expect(context && context.type === 'context' ? context.elements.map((e) => e.text).join('') : '').toBe(escapeMrkdwn(`📜 ${attribution}`));
  });

  it.each([
    ['a mention', '<!channel> wake up', '<!channel>'],
    ['a user mention', 'ping <@U012AB3CD>', '<@U012AB3CD>'],
    ['a disguised link', '<https://evil.example/login|Reset your password>', '<https://evil.example'],
    ['markup', '<script>alert(1)</script> & more', '<script>'],
  ])('escapes %s in alert content so it cannot ping or link', (_name, hostile, forbidden) => {
    const notification = withAlert(
      { title: hostile, ruleName: hostile, summary: hostile, entities: { users: [hostile], ips: [], hosts: [hostile] }, tags: [hostile], evidence: [{ actor: hostile }], enrichment: [{ subject: hostile, provider: hostile, text: hostile }] },
      { actor: hostile },
    );
    for (const message of [renderSlackAlert(notification), renderSlackAlert({ ...notification, kind: 'acknowledge' }), renderSlackLifecycleNote({ ...notification, kind: 'resolve' })]) {
      for (const text of [message.text, ...mrkdwnTexts(message.blocks)]) expect(text).not.toContain(forbidden);
      expect(mrkdwnTexts(message.blocks).join('\n')).toContain(escapeMrkdwn(hostile));
    }
    expect(renderSlackThreadReply({ ...notification, kind: 'acknowledge' })).not.toContain(forbidden);
  });

  it('replaces lone surrogates and drops control and bidi-override characters from content', () => {
    const dirty = 'evil\u202Egpj.exe \uD83D broken\u0007 bell';
    const { text, blocks } = renderSlackAlert(withAlert({ title: dirty, summary: dirty, evidence: [{ file: dirty }], attribution: dirty }));
    const all = [text, ...mrkdwnTexts(blocks)].join('\n');
    expect(all.isWellFormed()).toBe(true);
    expect(all.includes('\u202E') || all.includes('\u0007')).toBe(false);
    expect(all).toContain('evilgpj.exe \uFFFD broken bell');
    expect(validateBlocks(blocks)).toEqual([]);
  });

  it('adds the status, who and when to the re-rendered message on acknowledge and resolve', () => {
    const acked = renderSlackAlert({ ...base, kind: 'acknowledge', actor: 'bob@example.com', at: '2026-11-27T16:30:00.000Z' });
    expect(mrkdwnTexts(acked.blocks)).toContain('👀 *Acknowledged* by bob@example.com · <!date^1795797000^{date_short_pretty} {time_secs}|2026-11-27T16:30:00.000Z>');
    expect(acked.text.startsWith('Acknowledged: ')).toBe(true);
    const fp = renderSlackAlert(withAlert({ status: 'false_positive' }, { kind: 'resolve', actor: null }));
    expect(mrkdwnTexts(fp.blocks).some((t) => t.startsWith('✅ *Resolved as a false positive* · '))).toBe(true);
  });
});

describe('truncation', () => {
  it('cuts before a surrogate pair rather than through it', () => {
    const value = 'ab😀cd';
    expect(truncateText(value, 4)).toBe('ab…');
    expect(truncateText(value, 5)).toBe('ab😀…');
    expect(truncateText(value, 6)).toBe(value);
  });

  it.each([150, 151, 152, 153])('keeps the header well formed when the %i-unit limit falls inside an emoji', (limit) => {
    const title = 'e'.repeat(limit - 6) + '😀'.repeat(10);
    const out = truncateText(title, limit);
    expect(out.length).toBeLessThanOrEqual(limit);
    expect(out.isWellFormed()).toBe(true);
  });

  it('fits the escaped text and never leaves half an entity', () => {
    for (let max = 1; max < 40; max++) {
      const out = fitMrkdwn('a&b<c>d'.repeat(10), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
  });
});
