// The email destination end to end: the real adapter against a recording send_email binding (its MIME read back
// with postal-mime) and against the SendGrid and SES loopback fakes, through the real outbound guard.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import { guardedFetch } from '../../http/guarded-fetch';
import type { DeliveryContext, DeliveryReceipt, EmailBinding } from '../destination';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { sendgridFakeApiKey, startSendgridFake } from '../../../test/fakes/sendgrid';
import { sesFake, startSesFake, verifySigV4 } from '../../../test/fakes/ses';
import { emailConfigSchema, emailDestination, type EmailConfig } from './index';

const trigger = JSON.parse(readFileSync(new URL('./fixtures/trigger-notification.json', import.meta.url), 'utf8')) as AlertNotification;
const now = new Date('2026-01-15T09:42:10.000Z');

function withAlert(patch: Partial<AlertNotification['alert']>, rest: Partial<AlertNotification> = {}): AlertNotification {
  return { ...trigger, ...rest, alert: { ...trigger.alert, ...patch } };
}

const acknowledge = withAlert({ status: 'acknowledged' }, { kind: 'acknowledge', actor: 'bob@example.com', deliveryKey: `${trigger.alert.id}:dst_email_soc:acknowledge:1`, at: '2026-01-15T09:50:00.000Z' });

interface SentMessage {
  readonly from: string;
  readonly to: string;
  readonly raw: string;
}

/** A send_email binding that records what it is given; `answer` decides what each call returns or throws. */
function recordingBinding(answer: (message: SentMessage, index: number) => unknown = () => undefined): EmailBinding & { sent: SentMessage[] } {
  const sent: SentMessage[] = [];
  return {
    sent,
    send(message) {
      if (typeof message.raw !== 'string') throw new Error('the adapter sends raw MIME as a string');
      const m = { from: message.from, to: message.to, raw: message.raw };
      sent.push(m);
      try {
        return Promise.resolve(answer(m, sent.length - 1));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
}

function context(overrides: Partial<DeliveryContext> & { secrets?: Record<string, string>; allow?: string } = {}): DeliveryContext {
  const { secrets = {}, allow = '', ...rest } = overrides;
  return {
    fetch: guardedFetch(parseAllowList(allow)),
    secret: (name) => secrets[name],
    now,
    previous: null,
    ...rest,
  };
}

const cloudflare = emailConfigSchema.parse({ provider: 'cloudflare', from: 'alerts@mantissa.example', to: ['soc@example.com', 'oncall@example.com'] }) as Extract<EmailConfig, { provider: 'cloudflare' }>;

async function requestCount(fake: RunningFake): Promise<number> {
  return ((await (await fetch(`${fake.origin}/__fake/requests`)).json()) as unknown[]).length;
}

async function admin(fake: RunningFake, action: string, body: unknown = {}): Promise<unknown> {
  return (await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: JSON.stringify(body) })).json();
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function expectSuccess(result: Awaited<ReturnType<typeof emailDestination.deliver>>): DeliveryReceipt {
  if (result.kind !== 'success') throw new Error(`expected success, got ${result.kind}: ${result.message}`);
  return result.value;
}

describe('email destination: config', () => {
  it('accepts each provider and fills the defaults', () => {
    const sendgrid = emailConfigSchema.parse({ provider: 'sendgrid', from: 'alerts@mantissa.example', to: ['soc@example.com'], apiKeySecret: 'SENDGRID_API_KEY' });
    expect(sendgrid).toMatchObject({ baseUrl: 'https://api.sendgrid.com' });
    const ses = emailConfigSchema.parse({ provider: 'ses', from: 'alerts@mantissa.example', to: ['soc@example.com'], region: 'eu-west-1', accessKeyIdSecret: 'SES_KEY_ID', secretAccessKeySecret: 'SES_SECRET' });
    expect(ses).toMatchObject({ region: 'eu-west-1' });
  });

  it.each([
    ['an unknown provider', { provider: 'smtp', from: 'a@mantissa.example', to: ['b@example.com'] }],
    ['a display name', { provider: 'cloudflare', from: 'Alerts <a@mantissa.example>', to: ['b@example.com'] }],
    ['a line break in an address', { provider: 'cloudflare', from: 'a@mantissa.example', to: ['b@example.com\r\nBcc: evil@x'] }],
    ['no recipient', { provider: 'cloudflare', from: 'a@mantissa.example', to: [] }],
    ['51 recipients for the binding', { provider: 'cloudflare', from: 'a@mantissa.example', to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) }],
    ['a secret name that is not one', { provider: 'sendgrid', from: 'a@mantissa.example', to: ['b@example.com'], apiKeySecret: 'SG.xxxx' }],
    ['a region that is not one', { provider: 'ses', from: 'a@mantissa.example', to: ['b@example.com'], region: 'Ireland', accessKeyIdSecret: 'A', secretAccessKeySecret: 'B' }],
    ['a misspelt setting', { provider: 'cloudflare', from: 'a@mantissa.example', to: ['b@example.com'], bcc: ['c@example.com'] }],
    ['credentials in the SendGrid base URL', { provider: 'sendgrid', from: 'a@mantissa.example', to: ['b@example.com'], apiKeySecret: 'K', baseUrl: 'https://u:p@api.sendgrid.com' }],
  ])('refuses %s', (_, config) => {
    expect(emailConfigSchema.safeParse(config).success).toBe(false);
  });

  it('declares the strictest provider rate limit (SES sandbox: 1 message a second)', () => {
    expect(emailDestination.rateLimit).toEqual({ requests: 1, perMs: 1000 });
  });
});

describe('email destination: Cloudflare send_email binding', () => {
  it('sends one well-formed MIME message per recipient', async () => {
    const binding = recordingBinding();
    const receipt = expectSuccess(await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: binding })));
    expect(binding.sent.map((m) => [m.from, m.to])).toEqual([
      ['alerts@mantissa.example', 'soc@example.com'],
      ['alerts@mantissa.example', 'oncall@example.com'],
    ]);
    const email = await PostalMime.parse(binding.sent[0]!.raw);
    expect(email.from?.address).toBe('alerts@mantissa.example');
    expect(email.to).toEqual([{ name: '', address: 'soc@example.com' }]);
    expect(email.subject).toBe('[HIGH] MFA push fatigue for alice@example.com from 203.0.113.9');
    expect(email.date).toBe(now.toISOString());
    expect(email.messageId).toMatch(/^<[0-9a-f]{32}\.mantissa@mantissa\.example>$/);
    expect(email.text).toContain('Open the alert: https://mantissa.example.com/alerts/alt_01JH7Q2V4M8Y9Z');
    expect(email.html).toContain('<a href="https://mantissa.example.com/alerts/alt_01JH7Q2V4M8Y9Z">');
    expect(email.text).toContain('Lagos, Nigeria · AS37148');
    expect(email.headers.find((h) => h.key === 'mime-version')?.value).toBe('1.0');
    // What the binding itself checks (Miniflare's copy of it): From: is the envelope sender, no Received: header.
    expect(email.from?.address).toBe(binding.sent[0]!.from);
    expect(email.headers.map((h) => h.key)).not.toContain('received');
    expect(binding.sent[0]!.raw).toMatch(/\r\nContent-Type: text\/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n/);
    expect(binding.sent[0]!.raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Without an id from the binding, the receipt holds our own Message-ID (both copies share it).
    expect(receipt.externalId).toBe(email.messageId);
    expect(receipt.detail).toBe('sent to 2 recipients via Cloudflare Email');
  });

  it('derives the Message-ID from the deliveryKey, so a resend is the same message', async () => {
    const first = recordingBinding();
    const again = recordingBinding();
    const other = recordingBinding();
    await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: first }));
    await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: again, now: new Date(now.getTime() + 60_000) }));
    await emailDestination.deliver({ ...trigger, deliveryKey: `${trigger.deliveryKey}-2` }, cloudflare, context({ sendEmail: other }));
    const ids = await Promise.all([first, again, other].map(async (b) => (await PostalMime.parse(b.sent[0]!.raw)).messageId));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('keeps the ids the binding answers with, one per recipient', async () => {
    const binding = recordingBinding((_, i) => ({ messageId: `cf-${i}@mantissa.example` }));
    const receipt = expectSuccess(await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: binding })));
    expect(receipt.externalId).toBe('<cf-0@mantissa.example> <cf-1@mantissa.example>');
  });

  it('threads acknowledge under the trigger mail with In-Reply-To and References', async () => {
    const binding = recordingBinding();
    const previous = { externalId: '<cf-0@mantissa.example> <cf-1@mantissa.example>', detail: 'sent to 2 recipients via Cloudflare Email' };
    const receipt = expectSuccess(await emailDestination.deliver(acknowledge, cloudflare, context({ sendEmail: binding, previous })));
    const email = await PostalMime.parse(binding.sent[1]!.raw);
    expect(email.inReplyTo).toBe('<cf-0@mantissa.example> <cf-1@mantissa.example>');
    expect(email.references).toBe('<cf-0@mantissa.example> <cf-1@mantissa.example>');
    expect(email.subject).toBe('Re: [HIGH] MFA push fatigue for alice@example.com from 203.0.113.9');
    expect(email.text).toContain('Acknowledged by bob@example.com at 2026-01-15T09:50:00.000Z.');
    expect(email.text).toContain('Rule attribution: Adapted from a SigmaHQ rule');
    expect(receipt.detail).toContain('in reply to the alert mail');
  });

  it('sends a standalone acknowledge mail when there was no trigger receipt', async () => {
    const binding = recordingBinding();
    expectSuccess(await emailDestination.deliver(acknowledge, cloudflare, context({ sendEmail: binding })));
    const email = await PostalMime.parse(binding.sent[0]!.raw);
    expect(email.inReplyTo).toBeUndefined();
    expect(binding.sent[0]!.raw).not.toMatch(/^References:/m);
  });

  it('keeps a title with CR/LF from adding headers', async () => {
    const binding = recordingBinding();
    await emailDestination.deliver(withAlert({ title: 'Login\r\nBcc: evil@x\r\n\r\n<b>body</b>' }), cloudflare, context({ sendEmail: binding }));
    const raw = binding.sent[0]!.raw;
    const email = await PostalMime.parse(raw);
    expect(email.bcc).toBeUndefined();
    expect(email.headers.map((h) => h.key)).not.toContain('bcc');
    const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(headerBlock.split('\r\n').filter((l) => /^[A-Za-z-]+:/.test(l)).map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      'From',
      'To',
      'Subject',
      'Date',
      'Message-ID',
      'MIME-Version',
      'Auto-Submitted',
      'Content-Type',
    ]);
    expect(email.subject).toBe('[HIGH] Login Bcc: evil@x <b>body</b>');
    expect(email.html).toContain('Login Bcc: evil@x &lt;b&gt;body&lt;/b&gt;');
  });

  it('encodes a non-ASCII subject as RFC 2047 encoded-words that decode back', async () => {
    const binding = recordingBinding();
    const title = 'Connexion inhabituelle de Zoë depuis Zürich — 東京 🚨';
    await emailDestination.deliver(withAlert({ title }), cloudflare, context({ sendEmail: binding }));
    expect(binding.sent[0]!.raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    const email = await PostalMime.parse(binding.sent[0]!.raw);
    expect(email.subject).toBe(`[HIGH] ${title}`);
    expect(email.text).toContain(title);
    expect(email.html).toContain(title);
  });

  it('escapes <script> from the title and the evidence in the HTML part', async () => {
    const binding = recordingBinding();
    await emailDestination.deliver(withAlert({ title: '<script>alert(1)</script>', evidence: [{ action: '<script>steal()</script>' }] }), cloudflare, context({ sendEmail: binding }));
    const email = await PostalMime.parse(binding.sent[0]!.raw);
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('&lt;script&gt;steal()&lt;/script&gt;');
  });

  it('matches the reviewed golden message', () => {
    const binding = recordingBinding();
    return emailDestination.deliver(trigger, { ...cloudflare, to: ['soc@example.com'] }, context({ sendEmail: binding })).then(() => {
      const goldenPath = new URL('./fixtures/trigger.golden.eml', import.meta.url);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, binding.sent[0]!.raw);
      // Read back with CRLF restored, in case a checkout normalises line endings (CRLF-only is asserted above).
      expect(binding.sent[0]!.raw).toBe(readFileSync(goldenPath, 'utf8').replace(/\r?\n/g, '\r\n'));
    });
  });

  it('fails, naming the binding, when send_email is not configured', async () => {
    const result = await emailDestination.deliver(trigger, cloudflare, context());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('send_email binding is not configured') });
  });

  it('fails for a recipient the binding does not allow', async () => {
    const binding = recordingBinding(({ to }) => {
      throw new Error(`email to ${to} not allowed`);
    });
    const result = await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: binding }));
    expect(result).toEqual({ kind: 'failure', message: 'send_email binding refused the message to soc@example.com: email to soc@example.com not allowed' });
  });

  it('is retryable on any other binding error, and says who already got the mail', async () => {
    const binding = recordingBinding((_, i) => {
      if (i === 1) throw new Error('internal error; reference = 8f2c');
      return undefined;
    });
    const result = await emailDestination.deliver(trigger, cloudflare, context({ sendEmail: binding }));
    expect(result).toEqual({
      kind: 'retryable',
      message: 'send_email binding refused the message to oncall@example.com: internal error; reference = 8f2c (already sent to soc@example.com)',
    });
  });
});

describe('email destination: SendGrid', () => {
  let fake: RunningFake;
  let config: Extract<EmailConfig, { provider: 'sendgrid' }>;
  const secrets = { SENDGRID_API_KEY: sendgridFakeApiKey };
  const ctx = (extra: Partial<DeliveryContext> & { secrets?: Record<string, string> } = {}) => context({ secrets, allow: `127.0.0.1:${fake.port}`, ...extra });

  beforeAll(async () => {
    fake = await startSendgridFake();
    config = emailConfigSchema.parse({
      provider: 'sendgrid',
      from: 'alerts@mantissa.example',
      to: ['soc@example.com', 'oncall@example.com'],
      apiKeySecret: 'SENDGRID_API_KEY',
      baseUrl: fake.origin,
    }) as typeof config;
  });
  afterAll(() => fake.close());
  beforeEach(() => admin(fake, 'reset'));

  it('posts the documented mail/send body and keeps X-Message-Id', async () => {
    const receipt = expectSuccess(await emailDestination.deliver(trigger, config, ctx()));
    const sent = (await (await fetch(`${fake.origin}/__fake/sent`)).json()) as { messageId: string; body: Record<string, unknown> }[];
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { personalizations: unknown; from: unknown; subject: string; content: { type: string; value: string }[]; custom_args: unknown };
    expect(body.personalizations).toEqual([{ to: [{ email: 'soc@example.com' }, { email: 'oncall@example.com' }] }]);
    expect(body.from).toEqual({ email: 'alerts@mantissa.example' });
    expect(body.subject).toBe('[HIGH] MFA push fatigue for alice@example.com from 203.0.113.9');
    expect(body.content.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    expect(body.content[0]!.value).toContain('Rule attribution:');
    expect(body.content[1]!.value).toContain('Rule attribution:');
    expect(body.custom_args).toEqual({ mantissa_alert_id: trigger.alert.id, mantissa_delivery_key: trigger.deliveryKey });
    expect(receipt).toEqual({ externalId: sent[0]!.messageId, detail: `accepted by SendGrid for 2 recipients (${sent[0]!.messageId})` });
  });

  it('fails with SendGrid’s own message on a 400', async () => {
    const result = await emailDestination.deliver(trigger, { ...config, from: 'not-an-address' }, ctx());
    expect(result.kind).toBe('failure');
    expect(result.kind === 'failure' && result.message).toBe(
      'SendGrid mail send answered 400: The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter. (field from.email)',
    );
  });

  it('fails on 401 with a wrong API key', async () => {
    const result = await emailDestination.deliver(trigger, config, ctx({ secrets: { SENDGRID_API_KEY: 'SG.revoked' } }));
    expect(result).toEqual({ kind: 'failure', message: 'SendGrid mail send answered 401: The provided authorization grant is invalid, expired, or revoked' });
  });

  it('fails on 403 (a key without mail.send)', async () => {
    await admin(fake, 'fail', { status: 403, times: 1, body: JSON.stringify({ errors: [{ field: null, message: 'access forbidden' }] }) });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'failure', message: 'SendGrid mail send answered 403: access forbidden' });
  });

  it('is retryable on 429, waiting until X-RateLimit-Reset', async () => {
    await admin(fake, 'throttle', { times: 1, resetInSeconds: 30 });
    const result = await emailDestination.deliver(trigger, config, ctx({ now: new Date() }));
    expect(result).toMatchObject({ kind: 'retryable', message: 'SendGrid mail send answered 429: too many requests' });
    const wait = result.kind === 'retryable' ? result.retryAfterMs : undefined;
    expect(wait).toBeGreaterThan(27_000);
    expect(wait).toBeLessThanOrEqual(31_000);
  });

  it('is retryable on 429 with Retry-After', async () => {
    await admin(fake, 'fail', { status: 429, times: 1, retryAfterSeconds: 12, body: JSON.stringify({ errors: [{ field: null, message: 'too many requests' }] }) });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'retryable', message: 'SendGrid mail send answered 429: too many requests', retryAfterMs: 12_000 });
  });

  it('is retryable on 500', async () => {
    await admin(fake, 'fail', { status: 500, times: 1, body: JSON.stringify({ errors: [{ field: null, message: 'internal error' }] }) });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'retryable', message: 'SendGrid mail send answered 500: internal error' });
  });

  it('is retryable when the connection is refused', async () => {
    const port = await closedPort();
    const result = await emailDestination.deliver(trigger, { ...config, baseUrl: `http://127.0.0.1:${port}` }, context({ secrets, allow: `127.0.0.1:${port}` }));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^SendGrid mail send failed: .*ECONNREFUSED/) });
  });

  it('fails, naming the secret, when the API key is not set', async () => {
    const result = await emailDestination.deliver(trigger, config, ctx({ secrets: {} }));
    expect(result).toEqual({ kind: 'failure', message: 'SendGrid API key secret SENDGRID_API_KEY is not set (wrangler secret put SENDGRID_API_KEY)' });
    expect(await requestCount(fake)).toBe(0);
  });

  it('refuses a base URL the outbound guard does not allow, without a request', async () => {
    const result = await emailDestination.deliver(trigger, { ...config, baseUrl: 'http://169.254.169.254' }, ctx());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused') });
  });
});

describe('email destination: Amazon SES', () => {
  let fake: RunningFake;
  let config: Extract<EmailConfig, { provider: 'ses' }>;
  const secrets = { SES_ACCESS_KEY_ID: sesFake.accessKeyId, SES_SECRET_ACCESS_KEY: sesFake.secretAccessKey };
  const ctx = (extra: Partial<DeliveryContext> & { secrets?: Record<string, string> } = {}) => context({ secrets, allow: `127.0.0.1:${fake.port}`, now: new Date(), ...extra });

  beforeAll(async () => {
    fake = await startSesFake();
    config = emailConfigSchema.parse({
      provider: 'ses',
      from: 'alerts@mantissa.example',
      to: ['soc@example.com', 'oncall@example.com'],
      region: sesFake.region,
      accessKeyIdSecret: 'SES_ACCESS_KEY_ID',
      secretAccessKeySecret: 'SES_SECRET_ACCESS_KEY',
      endpoint: fake.origin,
    }) as typeof config;
  });
  afterAll(() => fake.close());
  beforeEach(() => admin(fake, 'reset'));

  it('sends a SigV4-signed SendEmail the fake verifies, and keeps the MessageId', async () => {
    const receipt = expectSuccess(await emailDestination.deliver(trigger, config, ctx()));
    const sent = (await (await fetch(`${fake.origin}/__fake/sent`)).json()) as { messageId: string; body: Record<string, unknown> }[];
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({
      FromEmailAddress: 'alerts@mantissa.example',
      Destination: { ToAddresses: ['soc@example.com', 'oncall@example.com'] },
      Content: { Simple: { Subject: { Data: '[HIGH] MFA push fatigue for alice@example.com from 203.0.113.9', Charset: 'UTF-8' }, Body: { Text: { Charset: 'UTF-8' }, Html: { Charset: 'UTF-8' } } } },
    });
    const requests = (await (await fetch(`${fake.origin}/__fake/requests`)).json()) as { headers: Record<string, string> }[];
    expect(requests[0]!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${sesFake.accessKeyId}/\\d{8}/${sesFake.region}/ses/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$`),
    );
    expect(receipt).toEqual({ externalId: sent[0]!.messageId, detail: `accepted by SES for 2 recipients (${sent[0]!.messageId})` });
  });

  it('fails when the signature is made with the wrong secret key', async () => {
    const result = await emailDestination.deliver(trigger, config, ctx({ secrets: { ...secrets, SES_SECRET_ACCESS_KEY: 'not-the-secret' } }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(/^SES SendEmail \(eu-west-1\) answered 403 InvalidSignatureException: The request signature we calculated/) });
  });

  it('fails with SES’s message when the sender is not verified', async () => {
    const result = await emailDestination.deliver(trigger, { ...config, from: 'alerts@unverified.example' }, ctx());
    expect(result).toEqual({
      kind: 'failure',
      message: 'SES SendEmail (eu-west-1) answered 400 MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: alerts@unverified.example',
    });
  });

  it('is retryable on 429 TooManyRequestsException', async () => {
    await admin(fake, 'throttle', { times: 1 });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'retryable', message: 'SES SendEmail (eu-west-1) answered 429 TooManyRequestsException: Too Many Requests' });
  });

  it('is retryable on the sending-rate ThrottlingException, even as a 400', async () => {
    await admin(fake, 'sending-rate', { times: 1 });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'retryable', message: 'SES SendEmail (eu-west-1) answered 400 ThrottlingException: Maximum sending rate exceeded.' });
  });

  it('is retryable on 503', async () => {
    await admin(fake, 'fail', { status: 503, times: 1, body: JSON.stringify({ message: 'Service Unavailable' }) });
    expect(await emailDestination.deliver(trigger, config, ctx())).toEqual({ kind: 'retryable', message: 'SES SendEmail (eu-west-1) answered 503: Service Unavailable' });
  });

  it.each([
    ['SES_ACCESS_KEY_ID', 'SES access key id secret SES_ACCESS_KEY_ID is not set (wrangler secret put SES_ACCESS_KEY_ID)'],
    ['SES_SECRET_ACCESS_KEY', 'SES secret access key secret SES_SECRET_ACCESS_KEY is not set (wrangler secret put SES_SECRET_ACCESS_KEY)'],
  ])('fails, naming it, when %s is not set', async (missing, message) => {
    const result = await emailDestination.deliver(trigger, config, ctx({ secrets: Object.fromEntries(Object.entries(secrets).filter(([k]) => k !== missing)) }));
    expect(result).toEqual({ kind: 'failure', message });
    expect(await requestCount(fake)).toBe(0);
  });

  it('defaults to the regional SES endpoint, which the guard lets through as https', async () => {
    const { sesEndpoint } = await import('./send-ses');
    expect(sesEndpoint({ ...config, endpoint: undefined })).toBe('https://email.eu-west-1.amazonaws.com');
  });
});

describe('SES fake: SigV4 verifier', () => {
  // The worked example of the AWS Signature Version 4 documentation (IAM ListUsers, 2015-08-30), so that the
  // fake's independent verifier is itself checked against AWS's published signature.
  const example = {
    method: 'GET',
    url: '/?Action=ListUsers&Version=2010-05-08',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: 'iam.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    },
    body: '',
  };
  const expectFor = { region: 'us-east-1', service: 'iam', secrets: { AKIDEXAMPLE: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, now: new Date('2015-08-30T12:36:00Z') };

  it('accepts AWS’s documented example signature', () => {
    expect(verifySigV4(example, expectFor)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('refuses it once the body or a signed header changes', () => {
    expect(verifySigV4({ ...example, body: 'x' }, expectFor)).toMatchObject({ ok: false, type: 'InvalidSignatureException' });
    expect(verifySigV4({ ...example, headers: { ...example.headers, host: 'evil.example' } }, expectFor)).toMatchObject({ ok: false, type: 'InvalidSignatureException' });
  });
});
