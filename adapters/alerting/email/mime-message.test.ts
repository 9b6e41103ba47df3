import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMimeMessage, encodeQuotedPrintable, encodeUnstructuredHeader, formatEmailDate, parseMessageIds, type MimeMessageInput } from './mime-message';

const base: MimeMessageInput = {
  from: 'alerts@mantissa.example',
  to: ['soc@example.com'],
  subject: '[HIGH] Impossible travel for bob',
  date: new Date('2026-01-15T09:42:07.000Z'),
  messageId: '<0123abcd.mantissa@mantissa.example>',
  text: 'Plain body\nsecond line\n',
  html: '<p>HTML body</p>\n',
  boundary: '=_mantissa_0123456789abcdef',
};

/** Decodes quoted-printable the way RFC 2045 §6.7 reads it, independently of the encoder under test. */
function decodeQuotedPrintable(encoded: string): string {
  const bytes: number[] = [];
  const joined = encoded.replace(/=\r\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return new TextDecoder().decode(Uint8Array.from(bytes)).replace(/\r\n/g, '\n');
}

describe('encodeQuotedPrintable', () => {
  it.each([
    ['plain ASCII', 'hello world'],
    ['an equals sign', 'a=b and =?utf-8?'],
    ['UTF-8 text', 'Zürich · Lagos — 東京 🚨'],
    ['a trailing space and tab', 'ends with space \nends with tab\t'],
    ['a long line', `${'x'.repeat(200)} ${'é'.repeat(80)}`],
    ['a leading dot', '.\n.hidden\nnot.leading'],
  ])('round-trips %s with lines of at most 76 characters', (_, text) => {
    const encoded = encodeQuotedPrintable(text);
    expect(decodeQuotedPrintable(encoded)).toBe(text);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
      expect(line).not.toMatch(/^\./);
      expect(line).toMatch(/^[\x21-\x7e \t]*$/);
    }
  });

  it('never splits an =XX escape across a soft line break', () => {
    const encoded = encodeQuotedPrintable('é'.repeat(100));
    for (const line of encoded.split('\r\n')) expect(line).toMatch(/^(=[0-9A-F]{2})*=?$/);
  });
});

describe('encodeUnstructuredHeader', () => {
  it('folds plain ASCII at spaces without encoding it', () => {
    const header = encodeUnstructuredHeader('Subject', `[LOW] ${'word '.repeat(30)}`);
    expect(header).not.toContain('=?');
    for (const line of header.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(header.split('\r\n').slice(1).every((l) => l.startsWith(' '))).toBe(true);
  });

  it('encodes non-ASCII text as UTF-8 B encoded-words of at most 76 characters per line', () => {
    const header = encodeUnstructuredHeader('Subject', `[CRITICAL] Connexion inhabituelle depuis Zürich pour 東京オフィス ${'ü'.repeat(40)}`);
    const lines = header.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(Subject:)? =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    }
  });

  it('flattens CR and LF so that no header can be added', () => {
    const header = encodeUnstructuredHeader('Subject', 'x\r\nBcc: evil@x\nX-Other: y');
    expect(header).toBe('Subject: x Bcc: evil@x X-Other: y');
  });

  it('turns other control characters (NUL, ESC, DEL) into spaces', () => {
    expect(encodeUnstructuredHeader('Subject', 'x\u0000y\u001b[31mz\u007fw')).toBe('Subject: x y [31mz w');
  });

  it('encodes ASCII that contains "=?" so that it is not read as an encoded-word', () => {
    expect(encodeUnstructuredHeader('Subject', 'a =?utf-8?q?x?= b')).toMatch(/^Subject: =\?UTF-8\?B\?/);
  });
});

describe('formatEmailDate', () => {
  it('writes RFC 5322 date-time with a numeric zone', () => {
    expect(formatEmailDate(new Date('2026-01-15T09:42:07.000Z'))).toBe('Thu, 15 Jan 2026 09:42:07 +0000');
  });
});

describe('parseMessageIds', () => {
  it('keeps valid msg-ids in order and drops malformed ones', () => {
    expect(parseMessageIds('<a@x> junk <b c@y> <d@z>\r\nBcc: x <e@w>')).toEqual(['<a@x>', '<d@z>', '<e@w>']);
  });
});

describe('buildMimeMessage', () => {
  it('writes a multipart/alternative message a real parser reads back', async () => {
    const raw = buildMimeMessage({ ...base, inReplyTo: ['<first@mantissa.example>', '<second@mantissa.example>'] });
    const email = await PostalMime.parse(raw);
    expect(email.from).toEqual({ name: '', address: 'alerts@mantissa.example' });
    expect(email.to).toEqual([{ name: '', address: 'soc@example.com' }]);
    expect(email.subject).toBe(base.subject);
    expect(email.messageId).toBe(base.messageId);
    expect(email.inReplyTo).toBe('<first@mantissa.example> <second@mantissa.example>');
    expect(email.references).toBe('<first@mantissa.example> <second@mantissa.example>');
    expect(email.date).toBe('2026-01-15T09:42:07.000Z');
    // postal-mime keeps the CRLF that RFC 2046 §5.1.1 makes part of the next boundary delimiter.
    expect(email.text?.trimEnd()).toBe(base.text.trimEnd());
    expect(email.html?.trimEnd()).toBe(base.html.trimEnd());
    const header = (key: string) => email.headers.find((h) => h.key === key)?.value;
    expect(header('mime-version')).toBe('1.0');
    expect(header('auto-submitted')).toBe('auto-generated');
    expect(header('content-type')).toBe(`multipart/alternative; boundary="${base.boundary}"`);
  });

  it('uses CRLF line endings only and keeps header lines short', () => {
    const raw = buildMimeMessage({ ...base, to: Array.from({ length: 12 }, (_, i) => `member${i}@example.com`) });
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [head] = raw.split('\r\n\r\n');
    for (const line of head!.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('declares quoted-printable UTF-8 for both parts, text/plain first', () => {
    const raw = buildMimeMessage(base);
    const parts = raw.split(`--${base.boundary}`).slice(1, 3);
    expect(parts[0]).toContain('Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n');
    expect(parts[1]).toContain('Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n');
    expect(raw.endsWith(`--${base.boundary}--\r\n`)).toBe(true);
  });

  it.each([
    ['a From address with a line break', { from: 'alerts@mantissa.example\r\nBcc: evil@x' }],
    ['a To address with a display name', { to: ['Eve <eve@example.com>'] }],
    ['no To address', { to: [] }],
    ['a Message-ID without angle brackets', { messageId: 'abc@mantissa.example' }],
    ['a boundary QP output could contain', { boundary: 'mantissa' }],
  ])('refuses %s', (_, override) => {
    expect(() => buildMimeMessage({ ...base, ...override })).toThrow();
  });

  it('drops an In-Reply-To id that would smuggle a header', async () => {
    const raw = buildMimeMessage({ ...base, inReplyTo: ['<ok@mantissa.example>', '<x@y>\r\nBcc: evil@x'] });
    expect(raw).not.toMatch(/^Bcc:/im);
    expect((await PostalMime.parse(raw)).inReplyTo).toBe('<ok@mantissa.example>');
  });
});
