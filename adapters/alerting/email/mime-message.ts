/**
 * A minimal RFC 5322 / MIME (RFC 2045–2047) writer for the one message shape the email destination sends
 * through the Cloudflare `send_email` binding: a `multipart/alternative` with a text/plain and a text/html part,
 * both UTF-8 and quoted-printable.
 *
 * Why not a library: `mimetext` (what Cloudflare's examples use) writes its Node entry with the platform's EOL
 * (LF on Linux, not CRLF), leaves bodies un-encoded (7bit) unless the caller encodes them, writes custom header
 * values (In-Reply-To, References) verbatim without refusing CR/LF, emits the whole subject as one unfolded
 * encoded-word, and pulls in core-js. What we need is small enough to own and test against a real parser.
 *
 * Invariants:
 * - CRLF line endings everywhere, no line longer than 78 characters except an unbreakable address;
 * - no header value can carry CR or LF: unstructured text is flattened to one line first, addresses and
 *   msg-ids are checked against strict patterns and refused (thrown) otherwise;
 * - non-ASCII header text goes out as RFC 2047 `=?UTF-8?B?…?=` encoded-words split on character boundaries,
 *   each line ≤ 76 characters (RFC 2047 §2);
 * - the boundary starts with `=_`, which quoted-printable output can never contain (`=` is always followed by
 *   two hex digits or a line break there), so no body can end a part early.
 */

const encoder = new TextEncoder();

/** dot-atom local part @ a host name (RFC 5322 §3.4.1, without quoted strings or literals). */
const addressPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
/** `<id-left@id-right>` with no angle brackets, spaces or controls inside (RFC 5322 §3.6.4). */
const messageIdPattern = /^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/;

export interface MimeMessageInput {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly date: Date;
  /** `<…@…>` */
  readonly messageId: string;
  /** msg-ids this message answers (In-Reply-To and References), oldest first. */
  readonly inReplyTo?: readonly string[];
  readonly text: string;
  readonly html: string;
  /** Must start with `=_` (see the module invariants) and be at most 70 characters (RFC 2046 §5.1.1). */
  readonly boundary: string;
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && addressPattern.test(value);
}

export function isMessageId(value: string): boolean {
  return value.length <= 250 && messageIdPattern.test(value);
}

/** Every `<…>` msg-id in a stored string (e.g. a receipt's externalId), in order, valid ones only. */
export function parseMessageIds(value: string): string[] {
  return [...value.matchAll(/<[^<>\s]*>/g)].map((m) => m[0]).filter(isMessageId);
}

/** RFC 5322 §3.3 date-time in UTC: `Thu, 01 Jan 2026 00:00:00 +0000`. */
export function formatEmailDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** One line of text for a header: controls (CR, LF, TAB, NUL…) and Unicode line separators become spaces. */
export function toSingleLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** `Name: value` folded at spaces to ≤ 78 characters per line where the value allows it. */
function foldAtSpaces(name: string, words: readonly string[]): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > 78 && line !== `${name}:`) {
      lines.push(line);
      line = ` ${word}`;
    } else {
      line += ` ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** An unstructured header (Subject): plain folded ASCII when it can be, RFC 2047 encoded-words otherwise. */
export function encodeUnstructuredHeader(name: string, value: string): string {
  const text = toSingleLine(value);
  // "=?" in plain text would be read as the start of an encoded-word, so such text is encoded too.
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes('=?') && text.split(' ').every((w) => w.length <= 70)) {
    return foldAtSpaces(name, text === '' ? [] : text.split(' '));
  }
  // 39 bytes → 52 base64 characters → a 64-character encoded-word; with "Subject: " or a leading space every
  // line stays within RFC 2047's 76 characters. Chunks end on whole characters, never inside a UTF-8 sequence.
  const words: string[] = [];
  let chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length + bytes.length > 39) {
      words.push(`=?UTF-8?B?${base64(Uint8Array.from(chunk))}?=`);
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0) words.push(`=?UTF-8?B?${base64(Uint8Array.from(chunk))}?=`);
  return `${name}: ${words.join('\r\n ')}`;
}

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF hard breaks, lines are soft-broken
 * before 76 characters without splitting an `=XX`, trailing spaces and tabs are encoded, and a `.` opening a
 * line is encoded too so that no SMTP hop can mistake it for the end of DATA.
 */
export function encodeQuotedPrintable(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n')
    .split('\n')
    .map(encodeQuotedPrintableLine)
    .join('\r\n');
}

function encodeQuotedPrintableLine(line: string): string {
  const bytes = encoder.encode(line);
  const out: string[] = [];
  let current = '';
  bytes.forEach((b, i) => {
    const last = i === bytes.length - 1;
    let token: string;
    if ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)) token = String.fromCharCode(b);
    else token = `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = '';
    }
    if (current === '' && token === '.') token = '=2E';
    current += token;
  });
  out.push(current);
  return out.join('\r\n');
}

function assertAddress(address: string, field: string): string {
  if (!isEmailAddress(address)) throw new Error(`${field} address ${JSON.stringify(address)} is not a plain addr-spec`);
  return address;
}

/** The complete message, headers and body, with CRLF line endings. Throws on an invalid address or id. */
export function buildMimeMessage(input: MimeMessageInput): string {
  const from = assertAddress(input.from, 'From');
  const to = input.to.map((a) => assertAddress(a, 'To'));
  if (to.length === 0) throw new Error('a message needs at least one To address');
  if (!isMessageId(input.messageId)) throw new Error(`Message-ID ${JSON.stringify(input.messageId)} is not <id@domain>`);
  if (!/^=_[0-9A-Za-z'()+_,\-./:=?]{1,68}$/.test(input.boundary)) throw new Error('boundary must start with =_ and use RFC 2046 characters');
  const replyTo = (input.inReplyTo ?? []).filter(isMessageId);

  const headers = [
    `From: ${from}`,
    foldAtSpaces('To', to.map((a, i) => (i < to.length - 1 ? `${a},` : a))),
    encodeUnstructuredHeader('Subject', input.subject),
    `Date: ${formatEmailDate(input.date)}`,
    `Message-ID: ${input.messageId}`,
    ...(replyTo.length > 0 ? [foldAtSpaces('In-Reply-To', replyTo), foldAtSpaces('References', replyTo)] : []),
    'MIME-Version: 1.0',
    // RFC 3834 §5: machine-generated, so vacation responders and auto-repliers stay quiet.
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/alternative; boundary="${input.boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [`--${input.boundary}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable', '', encodeQuotedPrintable(body)].join('\r\n');
  return [...headers, '', part('text/plain', input.text), part('text/html', input.html), `--${input.boundary}--`, ''].join('\r\n');
}
