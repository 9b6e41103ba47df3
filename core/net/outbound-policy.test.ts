import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, parseAllowList } from './outbound-policy';

const none = parseAllowList('');

describe('checkOutboundUrl', () => {
  it.each([
    'https://hooks.slack.com/services/T/B/X',
    'https://acme.cloudflareaccess.com/cdn-cgi/access/certs',
    'https://8.8.8.8/',
  ])('allows public https %s', (url) => {
    expect(checkOutboundUrl(url, none).ok).toBe(true);
  });

  it.each([
    ['http://example.com/', /only https/],
    ['https://localhost/', /loopback/],
    ['https://127.0.0.1:8787/', /loopback/],
    ['https://10.1.2.3/', /private/],
    ['https://172.20.0.1/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://169.254.169.254/latest/meta-data/', /link-local/],
    ['https://100.64.0.1/', /carrier-grade/],
    ['https://[::1]/', /loopback/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[fd00::1]/', /unique-local/],
    ['https://[fe80::1]/', /link-local/],
    ['https://metadata.google.internal/', /internal/],
    ['https://user:pw@example.com/', /credentials/],
    ['file:///etc/passwd', /only https/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', (url, reason) => {
    const decision = checkOutboundUrl(url, none);
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.reason).toMatch(reason);
  });

  it('allows an allow-listed loopback host:port over http, and only that port', () => {
    const policy = parseAllowList('127.0.0.1:9999');
    expect(checkOutboundUrl('http://127.0.0.1:9999/certs', policy).ok).toBe(true);
    expect(checkOutboundUrl('http://127.0.0.1:9998/certs', policy).ok).toBe(false);
  });
});
