/**
 * PII/PHI and secret redaction for alerts, applied after enrichment and before any destination sees the alert
 * (core/alerting/notification.ts). Pure: a policy (zod, every detector on by default) is compiled once, then
 * `redactText` / `redactAlert` run synchronously on plain data.
 *
 * Invariants:
 * - One pass per string: every detector reports spans on the original text, overlapping spans are resolved by
 *   detector priority (secrets, then custom patterns, then PII), and the output is assembled once — a token such
 *   as `[email:1a2b3c4d]` is never matched again by a later detector.
 * - Built-in detectors are JavaScript regular expressions written to run in linear time (bounded repetitions,
 *   lookbehind-anchored starts, no nested unbounded quantifiers). User patterns (`custom`) run on RE2 (re2js):
 *   linear whatever they contain; a pattern RE2 cannot compile is a validation error naming the pattern.
 * - Candidates are validated before they are redacted (Luhn + issuer prefix for cards, the SSA's invalid SSN
 *   ranges, NINO prefix rules, DNI/NIE letter, CPF and SIN check digits, NANP digit rules), so timestamps, UUIDs,
 *   IP addresses, 12-digit AWS account ids and ARNs survive.
 * - `hash` mode replaces a value with `[kind:<first 8 hex of HMAC-SHA256(key, value)>]`: the same value gives
 *   the same token in every alert (analysts can still correlate), and without the key the token cannot be
 *   reversed by guessing. The key is a Worker secret named by `hashKeySecret`.
 * - `redactAlert` never touches the alert's url, its attribution (licence text that must be shown as is), ids,
 *   tags, sources, times, severity or status.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { RE2JS } from 're2js';
import { z } from 'zod';
import { checkRe2Pattern } from '../sigma/parse/regex';
import type { EnrichmentNote, NotificationAlert } from './notification';

const customPatternSchema = z
  .object({
    /** Becomes the token: `[name]` (mask) or `[name:1a2b3c4d]` (hash), unless `replacement` is given. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and dashes (e.g. "employee-id")'),
    /** RE2 syntax (https://github.com/google/re2/wiki/Syntax): no backreferences or lookaround. */
    pattern: z.string().min(1).max(1000),
    /** Literal text put in place of each match (no group references). */
    replacement: z.string().max(100).optional(),
    caseInsensitive: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    const problem = checkRe2Pattern(p.pattern, { i: p.caseInsensitive, m: false, s: false });
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `custom pattern "${p.name}": ${problem}` });
      return;
    }
    if (RE2JS.compile(p.pattern).matcher('').find()) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `custom pattern "${p.name}" matches the empty string; it would redact nothing useful` });
    }
  });

export const redactionPolicySchema = z
  .object({
    emails: z.boolean().default(true),
    phoneNumbers: z.boolean().default(true),
    /** Payment card numbers: 13–19 digits (single spaces or dashes allowed), known issuer prefix, Luhn-valid. */
    paymentCards: z.boolean().default(true),
    /** US SSN, UK NINO, Spanish DNI/NIE, Brazilian CPF, Canadian SIN — each with its check rules. */
    nationalIds: z.boolean().default(true),
    /** Credentials: cloud and SaaS keys, tokens, JWTs, private keys, password values, Authorization headers. */
    secrets: z.boolean().default(true),
    custom: z.array(customPatternSchema).max(50).default([]),
    mode: z.enum(['mask', 'hash']).default('mask'),
    /** Name of the Worker secret holding the HMAC key (required in `hash` mode; at least 16 characters). */
    hashKeySecret: z.string().min(1).optional(),
    keep: z.object({ emailDomain: z.boolean().default(false) }).default({ emailDomain: false }),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'hash' && !p.hashKeySecret) {
      ctx.addIssue({ code: 'custom', path: ['hashKeySecret'], message: 'hash mode needs hashKeySecret: the name of a Worker secret holding the HMAC key' });
    }
    const names = p.custom.map((c) => c.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) ctx.addIssue({ code: 'custom', path: ['custom'], message: `custom pattern name "${duplicate}" is used twice` });
  });

export type RedactionPolicy = z.infer<typeof redactionPolicySchema>;
export type RedactionPolicyInput = z.input<typeof redactionPolicySchema>;

interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  /** What the HMAC is computed over (normalized: lower-cased email, digits of a card…). */
  readonly value: string;
  /** A custom pattern's literal replacement. */
  readonly replacement?: string;
}

interface Detector {
  readonly find: (text: string) => Span[];
}

export interface CompiledRedaction {
  readonly mode: 'mask' | 'hash';
  readonly keepEmailDomain: boolean;
  readonly secrets: boolean;
  readonly detectors: readonly Detector[];
  readonly hashKey: Uint8Array | null;
}

export type CompileRedactionResult =
  | { ok: true; compiled: CompiledRedaction }
  | { ok: false; reason: 'missing_hash_key' | 'weak_hash_key' | 'invalid_pattern'; message: string };

export const minHashKeyLength = 16;

/** Builds the detectors of a validated policy; reads the HMAC key (hash mode) through `secret`. */
export function compileRedactionPolicy(policy: RedactionPolicy, secret: (name: string) => string | undefined = () => undefined): CompileRedactionResult {
  let hashKey: Uint8Array | null = null;
  if (policy.mode === 'hash') {
    const name = policy.hashKeySecret;
    const key = name ? secret(name) : undefined;
    if (!name || !key) {
      return { ok: false, reason: 'missing_hash_key', message: `redaction hash mode needs the secret ${name ?? '(hashKeySecret not set)'} (wrangler secret put ${name ?? 'NAME'})` };
    }
    if (key.length < minHashKeyLength) {
      return { ok: false, reason: 'weak_hash_key', message: `the secret ${name} is shorter than ${minHashKeyLength} characters; use e.g. \`openssl rand -hex 32\`` };
    }
    hashKey = new TextEncoder().encode(key);
  }
  const custom: Detector[] = [];
  for (const c of policy.custom) {
    const problem = checkRe2Pattern(c.pattern, { i: c.caseInsensitive, m: false, s: false });
    if (problem) return { ok: false, reason: 'invalid_pattern', message: `custom pattern "${c.name}": ${problem}` };
    custom.push(re2Detector(c.name, RE2JS.compile(c.pattern, c.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0), c.replacement));
  }
  const detectors: Detector[] = [
    ...(policy.secrets ? secretDetectors : []),
    ...custom,
    ...(policy.emails ? [emailDetector(policy.keep.emailDomain)] : []),
    ...(policy.paymentCards ? [cardDetector] : []),
    ...(policy.nationalIds ? nationalIdDetectors : []),
    ...(policy.phoneNumbers ? phoneDetectors : []),
  ];
  return { ok: true, compiled: { mode: policy.mode, keepEmailDomain: policy.keep.emailDomain, secrets: policy.secrets, detectors, hashKey } };
}

/** Redacts every detected value in `text`. */
export function redactText(text: string, compiled: CompiledRedaction): string {
  if (text === '') return text;
  const accepted: Span[] = [];
  for (const detector of compiled.detectors) {
    for (const span of detector.find(text)) {
      if (span.end <= span.start) continue;
      if (accepted.some((a) => span.start < a.end && a.start < span.end)) continue;
      accepted.push(span);
    }
  }
  if (accepted.length === 0) return text;
  accepted.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of accepted) {
    out += text.slice(at, span.start) + token(span, compiled);
    at = span.end;
  }
  return out + text.slice(at);
}

/** A new alert with every human-readable string redacted (see the module header for what is left alone). */
export function redactAlert(alert: NotificationAlert, compiled: CompiledRedaction): NotificationAlert {
  const r = (s: string) => redactText(s, compiled);
  return {
    ...alert,
    ruleName: r(alert.ruleName),
    title: r(alert.title),
    entities: { users: alert.entities.users.map(r), ips: alert.entities.ips.map(r), hosts: alert.entities.hosts.map(r) },
    // The dedup key often embeds an entity (`rule:alice@example.com`). Hash tokens are stable, so hashing keeps
    // the key stable across trigger/resolve; masking would merge different users' alerts, so it is left as is.
    dedupKey: compiled.mode === 'hash' ? r(alert.dedupKey) : alert.dedupKey,
    evidence: alert.evidence.map((e) => redactRecord(e, compiled)),
    summary: alert.summary === null ? null : r(alert.summary),
    enrichment: alert.enrichment.map((n): EnrichmentNote => ({ ...n, subject: r(n.subject), text: r(n.text) })),
  };
}

function redactRecord(record: Record<string, unknown>, compiled: CompiledRedaction): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactValue(v, compiled, k)]));
}

function redactValue(value: unknown, compiled: CompiledRedaction, key: string | null): unknown {
  if (key !== null && compiled.secrets && (typeof value === 'string' || typeof value === 'number') && String(value) !== '') {
    const kind = sensitiveKeyKind(key);
    if (kind) return token({ start: 0, end: 0, kind, value: String(value) }, compiled);
  }
  if (typeof value === 'string') return redactText(value, compiled);
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    const redacted = redactText(text, compiled);
    return redacted === text ? value : redacted;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, compiled, null));
  if (value !== null && typeof value === 'object') return redactRecord(value as Record<string, unknown>, compiled);
  return value;
}

const passwordKeys = new Set(['password', 'passwd', 'passphrase', 'userpassword', 'newpassword', 'oldpassword']);
const secretKeys = new Set([
  'secret', 'clientsecret', 'apikey', 'apisecret', 'accesstoken', 'refreshtoken', 'idtoken', 'sessiontoken', 'token',
  'authorization', 'authtoken', 'apitoken', 'privatekey', 'secretkey', 'secretaccesskey', 'awssecretaccesskey',
]);

/** Evidence fields whose whole value is a credential, by name (`password`, `client_secret`, `X-Api-Key`…). */
function sensitiveKeyKind(key: string): string | null {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  // Custom headers spell the same names with an X- prefix (X-Api-Key, X-Auth-Token).
  const bare = normalized.startsWith('x') && (secretKeys.has(normalized.slice(1)) || passwordKeys.has(normalized.slice(1))) ? normalized.slice(1) : normalized;
  if (passwordKeys.has(bare)) return 'password';
  if (secretKeys.has(bare)) return 'secret';
  return null;
}

function token(span: Span, compiled: CompiledRedaction): string {
  if (span.replacement !== undefined) return span.replacement;
  if (compiled.mode === 'mask' || !compiled.hashKey) return `[${span.kind}]`;
  const mac = hmac(sha256, compiled.hashKey, new TextEncoder().encode(span.value));
  return `[${span.kind}:${Array.from(mac.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Detectors

interface RegexRule {
  readonly kind: string;
  /** Must carry the `g` flag; `d` when `group` is used. */
  readonly regex: RegExp;
  /** The capture group(s) to replace (the first that participated); the whole match when absent. */
  readonly groups?: readonly number[];
  readonly accept?: (match: RegExpExecArray) => boolean;
  readonly normalize?: (value: string) => string;
}

function regexDetector(rule: RegexRule): Detector {
  return {
    find(text) {
      const spans: Span[] = [];
      const regex = new RegExp(rule.regex.source, rule.regex.flags);
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0] === '') {
          regex.lastIndex++;
          continue;
        }
        if (rule.accept && !rule.accept(m)) continue;
        let start = m.index;
        let end = m.index + m[0].length;
        if (rule.groups) {
          const group = rule.groups.find((g) => m.indices?.[g] !== undefined);
          if (group === undefined) continue;
          [start, end] = m.indices![group]!;
        }
        const raw = text.slice(start, end);
        spans.push({ start, end, kind: rule.kind, value: rule.normalize ? rule.normalize(raw) : raw });
      }
      return spans;
    },
  };
}

function re2Detector(name: string, pattern: RE2JS, replacement: string | undefined): Detector {
  return {
    find(text) {
      const spans: Span[] = [];
      const matcher = pattern.matcher(text);
      let from = 0;
      while (from <= text.length && matcher.find(from)) {
        const start = matcher.start();
        const end = matcher.end();
        if (end > start) spans.push({ start, end, kind: name, value: text.slice(start, end), ...(replacement !== undefined ? { replacement } : {}) });
        from = end > start ? end : start + 1;
      }
      return spans;
    },
  };
}

const digitsOnly = (s: string) => s.replace(/\D/g, '');

const secretDetectors: readonly Detector[] = [
  // PEM private keys (PKCS#1/#8, EC, OpenSSH, encrypted, PGP blocks); an evidence sample cut before the END line
  // is redacted to its end.
  regexDetector({
    kind: 'private-key',
    regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  }),
  // JWT (RFC 7519): base64url header and payload of a JSON object both start with "eyJ" ('{"').
  regexDetector({ kind: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g }),
  // Authorization / Proxy-Authorization header values (Bearer, Basic, Okta SSWS, Token, Digest…), scheme kept.
  regexDetector({
    kind: 'bearer-token',
    regex: /\b(?:proxy-)?authorization(["']?\s*[:=]\s*["']?)(?:Bearer|Basic|SSWS|Token|Digest|ApiKey)\s+([^\s"',;]+)/dgi,
    groups: [2],
  }),
  regexDetector({ kind: 'bearer-token', regex: /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/dg, groups: [1] }),
  // AWS access key ids (long-term AKIA, temporary ASIA, and the ABIA/ACCA variants); the secret key only next to
  // its name, since 40 base64 characters alone are indistinguishable from any other hash.
  regexDetector({ kind: 'aws-access-key-id', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g }),
  regexDetector({
    kind: 'aws-secret-access-key',
    regex: /\b(?:aws_secret_access_key|aws_secret_key|secret_access_key|secretAccessKey)(["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    groups: [2],
  }),
  // GitHub: classic PAT (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_),
  // fine-grained PAT (github_pat_).
  regexDetector({ kind: 'github-token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})\b/g }),
  regexDetector({ kind: 'slack-token', regex: /\bxox[abpr]-[A-Za-z0-9-]{10,250}/g }),
  regexDetector({ kind: 'slack-webhook', regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{10,300}/g }),
  regexDetector({ kind: 'stripe-key', regex: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,247}\b/g }),
  regexDetector({ kind: 'google-api-key', regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g }),
  // "password": "…" in JSON (escaped quotes inside the value are part of it).
  regexDetector({
    kind: 'password',
    regex: /(["'])(?:password|passwd|passphrase|new_?password|old_?password)\1\s*:\s*"((?:[^"\\\r\n]|\\.){1,1000})"/dgi,
    groups: [2],
  }),
  regexDetector({
    kind: 'secret',
    regex: /(["'])(?:secret|client_?secret|api_?key|api_?secret|access_?token|refresh_?token|id_?token|session_?token|private_?key)\1\s*:\s*"((?:[^"\\\r\n]|\\.){1,4000})"/dgi,
    groups: [2],
  }),
  // password=… / passwd: … / password = "…" in logs, URLs, config dumps and command lines.
  regexDetector({
    kind: 'password',
    regex: /\b(?:password|passwd|passphrase)\s*[=:]\s*(?:"([^"\r\n]{1,1000})"|'([^'\r\n]{1,1000})'|([^\s"'&,;]{1,1000}))/dgi,
    groups: [1, 2, 3],
  }),
  regexDetector({
    kind: 'secret',
    regex: /\b(?:client_secret|api_?key|api_secret|access_token|refresh_token|secret)\s*[=:]\s*(?:"([^"\r\n]{1,4000})"|'([^'\r\n]{1,4000})'|([^\s"'&,;]{1,4000}))/dgi,
    groups: [1, 2, 3],
  }),
];

function emailDetector(keepDomain: boolean): Detector {
  // Local part and labels are bounded (RFC 5321: 64 / 63 octets) and the start is anchored by a lookbehind,
  // so a long run of word characters without "@" costs O(64) per position at most.
  return regexDetector({
    kind: 'email',
    regex: /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,63}(?![A-Za-z0-9-])/dg,
    ...(keepDomain ? { groups: [1] } : {}),
    accept: (m) => !m[1]!.startsWith('.') && !m[1]!.endsWith('.'),
    normalize: (v) => v.toLowerCase(),
  });
}

/** Luhn (ISO/IEC 7812-1 annex B) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer identification number ranges and lengths of the major card networks. */
export function knownCardIssuer(digits: string): boolean {
  const len = digits.length;
  const p = (n: number) => Number(digits.slice(0, n));
  if (digits[0] === '4') return len === 13 || len === 16 || len === 19; // Visa
  if ((p(2) >= 51 && p(2) <= 55) || (p(4) >= 2221 && p(4) <= 2720)) return len === 16; // Mastercard
  if (p(2) === 34 || p(2) === 37) return len === 15; // American Express
  if (p(4) >= 2200 && p(4) <= 2204) return len >= 16 && len <= 19; // Mir
  if (p(4) === 6011 || (p(3) >= 644 && p(3) <= 649) || p(2) === 65) return len >= 16 && len <= 19; // Discover
  if (p(4) >= 3528 && p(4) <= 3589) return len >= 16 && len <= 19; // JCB
  if ((p(3) >= 300 && p(3) <= 305) || p(4) === 3095 || p(2) === 36 || p(2) === 38 || p(2) === 39) return len >= 14 && len <= 19; // Diners
  if (p(2) === 62) return len >= 16 && len <= 19; // UnionPay
  if (p(2) === 50 || (p(2) >= 56 && p(2) <= 69)) return len >= 13 && len <= 19; // Maestro
  return false;
}

const cardDetector = regexDetector({
  kind: 'card',
  regex: /(?<![\w.+-])\d(?:[ -]?\d){12,18}(?![\w-])/g,
  accept: (m) => {
    const separators = new Set(m[0].replace(/\d/g, ''));
    const digits = digitsOnly(m[0]);
    return separators.size <= 1 && knownCardIssuer(digits) && luhnValid(digits);
  },
  normalize: digitsOnly,
});

/** SSA: area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
export function validUsSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const ninoForbiddenPrefixes = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function validSpanishId(prefix: string, digits: string, letter: string): boolean {
  if ((prefix === '' && digits.length !== 8) || (prefix !== '' && digits.length !== 7)) return false;
  const number = Number(`${prefix === '' ? '' : 'XYZ'.indexOf(prefix)}${digits}`);
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23] === letter;
}

/** Brazilian CPF: two mod-11 check digits; repeated-digit numbers are refused by the Receita Federal. */
export function validCpf(digits: string): boolean {
  if (digits.length !== 11 || /^(\d)\1{10}$/.test(digits)) return false;
  const check = (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Number(digits[i]) * (n + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === Number(digits[9]) && check(10) === Number(digits[10]);
}

const nationalIdDetectors: readonly Detector[] = [
  // US SSN, written with dashes or spaces (9 bare digits are too ambiguous to redact on sight).
  regexDetector({
    kind: 'us-ssn',
    regex: /(?<![\w.+-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g,
    accept: (m) => validUsSsn(m[1]!, m[3]!, m[4]!),
    normalize: digitsOnly,
  }),
  // UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O never second; seven prefixes
  // never allocated), six digits, suffix A–D; upper case, optionally spaced in pairs.
  regexDetector({
    kind: 'uk-nino',
    regex: /(?<!\w)([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])( ?)(\d{2})\2(\d{2})\2(\d{2})\2([A-D])(?!\w)/g,
    accept: (m) => !ninoForbiddenPrefixes.has(m[1]!),
    normalize: (v) => v.replace(/\s/g, ''),
  }),
  regexDetector({
    kind: 'es-dni',
    regex: /(?<![\w-])([XYZ]?)(\d{7,8})-?([A-Z])(?![\w-])/g,
    accept: (m) => validSpanishId(m[1]!, m[2]!, m[3]!),
    normalize: (v) => v.replace(/-/g, ''),
  }),
  regexDetector({
    kind: 'br-cpf',
    regex: /(?<![\w.-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w.-])/g,
    accept: (m) => validCpf(digitsOnly(m[0])),
    normalize: digitsOnly,
  }),
  // Canadian SIN: 9 digits in groups of three, Luhn-valid; 0 and 8 are never a first digit.
  regexDetector({
    kind: 'ca-sin',
    regex: /(?<![\w.+-])([1-79]\d{2})([- ])(\d{3})\2(\d{3})(?![\w-])/g,
    accept: (m) => luhnValid(digitsOnly(m[0])),
    normalize: digitsOnly,
  }),
];

const phoneDetectors: readonly Detector[] = [
  // International (E.164 written with "+"): 8 to 15 digits, separators single spaces, dots or dashes.
  regexDetector({
    kind: 'phone',
    regex: /(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\))?[ .-]?\d[\d .-]{5,17}\d(?!\d|[.-]\d)/g,
    accept: (m) => {
      const n = digitsOnly(m[0]).length;
      return n >= 8 && n <= 15 && !/[ .-]{2}/.test(m[0]);
    },
    normalize: (v) => `+${digitsOnly(v)}`,
  }),
  // North American (NANP) with separators: (415) 555-0132, 415-555-0132, 415.555.0132, 1-415-555-0132.
  // Area code and exchange start with 2–9.
  regexDetector({
    kind: 'phone',
    regex: /(?<![\w.+:/-])(?:1[ .-])?(?:\(([2-9]\d{2})\) ?|([2-9]\d{2})([ .-]))[2-9]\d{2}[ .-]\d{4}(?!\w|[.-]\d)/g,
    accept: (m) => m[1] !== undefined || new Set(m[0].replace(/\d/g, '')).size === 1,
    normalize: (v) => digitsOnly(v).replace(/^1(?=\d{10}$)/, ''),
  }),
  // National numbers with a trunk 0 and separators: UK 020 7946 0018 / 07700 900123, FR 01 23 45 67 89, DE 030 1234567.
  regexDetector({
    kind: 'phone',
    regex: /(?<![\w.+:/-])(?:0[1-9](?:[ .-]\d{2}){4}|0\d{2,4}[ -]\d{3,6}(?:[ -]\d{3,4})?)(?!\w|[.:-]\d)/g,
    accept: (m) => {
      const n = digitsOnly(m[0]).length;
      return n >= 10 && n <= 12;
    },
    normalize: digitsOnly,
  }),
];
