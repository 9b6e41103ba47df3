import { describe, expect, it } from 'vitest';
import type { NotificationAlert } from './notification';
import {
  compileRedactionPolicy,
  knownCardIssuer,
  luhnValid,
  redactAlert,
  redactText,
  redactionPolicySchema,
  validCpf,
  validSpanishId,
  validUsSsn,
  type CompiledRedaction,
  type RedactionPolicyInput,
} from './redact';

/**
 * Snippets of real third-party samples from the shared corpus (../shared/corpus/logs, see its SOURCES.md), cut
 * to the fields that matter here:
 * - okta: panther-analysis.scenario.compromised-root-creds.attacker_okta.ndjson (panther-labs/panther-analysis,
 *   test_scenarios/compromised-root-creds/attacker_okta.yml, Apache-2.0), first event.
 * - cloudtrailOtrf: otrf.ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson (OTRF/Security-Datasets,
 *   datasets/atomic/aws/collection/ec2_proxy_s3_exfiltration.zip, MIT), first event.
 * - cloudtrailPanther: panther-analysis.AWS.CloudTrail.ndjson (panther-labs/panther-analysis rules/** Tests,
 *   Apache-2.0), the lambda:ListFunctions AccessDenied event.
 */
const corpus = {
  okta: `{"uuid": "5f09746d-2213-11eb-ad64-a7e5a0a8ce4f", "published": "2020-10-25T10:20:22.000Z", "eventType": "user.session.start", "actor": {"id": "unknown", "type": "User", "alternateId": "tracey_stone@acme.io", "displayName": "unknown"}, "client": {"geographicalContext": {"geolocation": {"lat": 44.25, "lon": -26.06}, "city": "Bucharest", "postalCode": "050595"}, "ipAddress": "92.55.146.245"}, "outcome": {"result": "FAILURE", "reason": "VERIFICATION_ERROR"}, "transaction": {"id": "X6hzz7TDy8EEslV80dmzRgAAApw", "type": "WEB"}, "debugContext": {"debugData": {"deviceFingerprint": "164995752e4644fce6833bf4cafaxxxxx", "requestUri": "/api/v1/authn"}}}`,
  cloudtrailOtrf: `{"userAgent":"console.ec2.amazonaws.com","awsRegion":"us-east-1","userIdentity":{"arn":"arn:aws:iam::123456789123:user/pedro","type":"IAMUser","userName":"pedro","sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"2020-09-13T17:16:47Z"}},"accountId":"123456789123","principalId":"AIDAICAK2CN5MGHIIDIHA","accessKeyId":"ASIA5FLZVX4OI4ZDQJOL"},"recipientAccountId":"123456789123","eventName":"DescribeInstanceTypes","sourceIPAddress":"1.2.3.4","eventSource":"ec2.amazonaws.com","requestID":"2db6a7b5-876c-4995-8258-e6f09d9ef934","@timestamp":"2020-09-14T00:44:23.000Z","eventID":"fd4f1042-c7f6-4107-a6ee-d841d92596e7"}`,
  cloudtrailPanther: `{"awsRegion": "us-east-1", "errorCode": "AccessDenied", "errorMessage": "User: arn:aws:iam::187901811700:user/exposed.user is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action", "eventID": "57b719ad-f2fa-4d18-bd84-29fee11799b1", "eventTime": "2024-06-02 20:16:32.000000000", "recipientAccountId": "187901811700", "requestID": "ea7dbdf9-6c03-421e-abf4-f201919f9f26", "sourceIPAddress": "73.252.165.138", "userIdentity": {"accessKeyId": "AKIASXP6SDP2F3JQERZ2", "accountId": "187901811700", "arn": "arn:aws:iam::187901811700:user/exposed.user"}}`,
};

const hashKey = 'k3y-for-tests-0123456789abcdef';

function compile(input: RedactionPolicyInput = {}, secrets: Record<string, string> = { REDACTION_HASH_KEY: hashKey }): CompiledRedaction {
  const result = compileRedactionPolicy(redactionPolicySchema.parse(input), (name) => secrets[name]);
  if (!result.ok) throw new Error(result.message);
  return result.compiled;
}

const masked = compile();
const hashed = compile({ mode: 'hash', hashKeySecret: 'REDACTION_HASH_KEY' });
const redact = (text: string, compiled = masked) => redactText(text, compiled);

/** Tokens built from parts, so that no secret scanner mistakes this file for a leak. */
const fake = {
  githubClassic: ['gh', 'p_', 'R8qZ3vN1xW5tY7uK2mA9sD4fG6hJ0lP3oI8e'].join(''),
  githubOauth: ['gh', 'o_', '16C7e42F292c6912E7710c838347Ae178B4a'].join(''),
  githubFineGrained: ['github', '_pat_', '11ABCDEFG0abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP'].join(''),
  slack: ['xo', 'xb-', '2431563784-5172839417254-Hb8sLq0aZ9yX2wV4uT6rS1pQ'].join(''),
  stripe: ['sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc9x'].join(''),
  google: ['AI', 'za', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'].join(''),
  jwt: ['eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ', 'eyJzdWIiOiIwMHUxZjJrM2w0bTVuNnA3cTgiLCJlbWFpbCI6ImFAYi5jbyJ9', 'c2lnbmF0dXJlLWJ5dGVzLWhlcmU'].join('.'),
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('redactText on corpus samples', () => {
  it('masks the Okta actor email and keeps ids, times, the IP and coordinates', () => {
    const out = redact(corpus.okta);
    expect(out).toContain('"alternateId": "[email]"');
    expect(out).not.toContain('tracey_stone');
    for (const kept of ['5f09746d-2213-11eb-ad64-a7e5a0a8ce4f', '2020-10-25T10:20:22.000Z', '92.55.146.245', 'X6hzz7TDy8EEslV80dmzRgAAApw', '164995752e4644fce6833bf4cafaxxxxx', '"postalCode": "050595"', '-26.06']) {
      expect(out).toContain(kept);
    }
  });

  it('masks the CloudTrail access key id and keeps ARNs, 12-digit account ids, UUIDs and the principal id', () => {
    const out = redact(corpus.cloudtrailOtrf);
    expect(out).toContain('"accessKeyId":"[aws-access-key-id]"');
    for (const kept of ['arn:aws:iam::123456789123:user/pedro', '"accountId":"123456789123"', '"recipientAccountId":"123456789123"', '2db6a7b5-876c-4995-8258-e6f09d9ef934', 'fd4f1042-c7f6-4107-a6ee-d841d92596e7', 'AIDAICAK2CN5MGHIIDIHA', '2020-09-13T17:16:47Z', '"sourceIPAddress":"1.2.3.4"']) {
      expect(out).toContain(kept);
    }
  });

  it('leaves an AccessDenied message and its nanosecond timestamp alone but masks the AKIA key', () => {
    const out = redact(corpus.cloudtrailPanther);
    expect(out).toContain('"accessKeyId": "[aws-access-key-id]"');
    expect(out.replace('"accessKeyId": "[aws-access-key-id]"', '"accessKeyId": "AKIASXP6SDP2F3JQERZ2"')).toBe(corpus.cloudtrailPanther);
  });
});

describe('hash mode', () => {
  it('gives one value the same token in every text and different values different tokens', () => {
    const a = redact('login by tracey_stone@acme.io from 92.55.146.245', hashed);
    const b = redact('MFA reset for Tracey_Stone@ACME.io', hashed);
    const c = redact('login by homer.simpson@duff.com', hashed);
    const token = /\[email:[0-9a-f]{8}\]/.exec(a)![0];
    expect(b).toContain(token);
    expect(c).not.toContain(token);
    expect(c).toMatch(/\[email:[0-9a-f]{8}\]/);
  });

  it('depends on the key, so a token cannot be recomputed without it', () => {
    const other = compile({ mode: 'hash', hashKeySecret: 'K' }, { K: 'another-key-of-enough-length' });
    expect(redact('tracey_stone@acme.io', hashed)).not.toBe(redact('tracey_stone@acme.io', other));
  });

  it('keeps the email domain when asked', () => {
    const keep = compile({ mode: 'hash', hashKeySecret: 'REDACTION_HASH_KEY', keep: { emailDomain: true } });
    expect(redact('from tracey_stone@acme.io.', keep)).toMatch(/^from \[email:[0-9a-f]{8}\]@acme\.io\.$/);
    expect(redact('from tracey_stone@acme.io.', compile({ keep: { emailDomain: true } }))).toBe('from [email]@acme.io.');
  });

  it.each([
    [{ mode: 'hash', hashKeySecret: 'MISSING' }, {}, 'missing_hash_key', /MISSING/],
    [{ mode: 'hash', hashKeySecret: 'SHORT' }, { SHORT: 'tooshort' }, 'weak_hash_key', /shorter than 16/],
  ] as const)('refuses to compile %j without a usable key', (input, secrets, reason, message) => {
    const result = compileRedactionPolicy(redactionPolicySchema.parse(input), (n) => (secrets as Record<string, string>)[n]);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.message).toMatch(message);
    expect(!result.ok && result.message).not.toContain('tooshort');
  });

  it('rejects a hash policy without a key secret name at validation', () => {
    const parsed = redactionPolicySchema.safeParse({ mode: 'hash' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['hashKeySecret']);
  });
});

describe('payment cards', () => {
  it.each([
    ['Visa with spaces', 'card 4111 1111 1111 1111 declined'],
    ['Mastercard', 'pan=5555555555554444;'],
    ['Amex 4-6-5', 'amex 3782 822463 10005'],
    ['Discover with dashes', '6011-1111-1111-1117'],
    ['JCB', '3530111333300000'],
    ['Diners 14 digits', '36227206271667'],
    ['UnionPay', '6200000000000005'],
  ])('masks a %s number', (_, text) => {
    expect(redact(text)).toContain('[card]');
    expect(redact(text)).not.toMatch(/\d{4}[ -]?\d{4}[ -]?\d{4}/);
  });

  it.each([
    ['a failing Luhn check', '4111 1111 1111 1112'],
    ['mixed separators', '4111-1111 1111 1111'],
    ['an epoch-millisecond timestamp that passes Luhn', 'ts=1717359392006'],
    ['a 12-digit AWS account id', 'account 123456789012'],
    ['an ARN', 'arn:aws:iam::187901811700:role/Admin'],
    ['a 20-digit number', '41111111111111111111'],
    ['digits inside a hex id', 'f26228572e3f9acd88e0cadc1fcc8e0a'],
    ['a Luhn-valid number with no card prefix', '1234567812345670'],
  ])('keeps %s', (_, text) => {
    expect(redact(text)).toBe(text);
  });

  it('knows Luhn and issuer prefixes', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(knownCardIssuer('4111111111111111')).toBe(true);
    expect(knownCardIssuer('411111111111111')).toBe(false);
    expect(knownCardIssuer('2221000000000009')).toBe(true);
  });
});

describe('phone numbers', () => {
  it.each([
    'call +44 20 7946 0018 now',
    'mobile: +234 803 123 4567',
    '+1 (415) 555-0132',
    '+1-202-555-0143',
    '(415) 555-0132',
    '415-555-0132',
    '415.555.0132',
    '1-800-555-0199',
    '020 7946 0018',
    '07700 900123',
    '01 23 45 67 89',
  ])('masks %j', (text) => {
    const out = redact(text);
    expect(out).toContain('[phone]');
    expect(out.replace(/\[phone\]/g, '')).not.toMatch(/\d{3}/);
  });

  it.each([
    ['an ISO timestamp', '2024-01-15T10:00:00.000Z'],
    ['a CloudTrail nanosecond time', '2024-06-02 20:16:32.000000000'],
    ['a syslog time', 'Sep 14 00:44:23 bastion sshd[1234]: Accepted publickey'],
    ['a UTC offset', '2024-01-15T10:00:00+01:00'],
    ['a UUID', 'ea7dbdf9-6c03-421e-abf4-f201919f9f26'],
    ['an IPv4 address', 'from 198.51.100.213 and 10.100.200.3000'],
    ['an IPv6 address', 'from 2001:db8:85a3::8a2e:370:7334'],
    ['a 12-digit account id', '187901811700'],
    ['an epoch in seconds', 'iat=1717359392'],
    ['an ARN', 'arn:aws:iam::187901811700:user/exposed.user'],
    ['a version string', 'agent 2.301.1234'],
    ['an invalid NANP exchange', '415-155-0132'],
    ['a date with dots', '05.12.2024'],
  ])('keeps %s', (_, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('national ids', () => {
  it.each([
    ['us-ssn', 'ssn 123-45-6789'],
    ['us-ssn', 'SSN: 536 22 1234'],
    ['uk-nino', 'NI number AB 12 34 56 C'],
    ['uk-nino', 'nino=JG103759A'],
    ['es-dni', 'DNI 12345678Z'],
    ['es-dni', 'NIE X1234567L'],
    ['br-cpf', 'CPF 529.982.247-25'],
    ['ca-sin', 'SIN 130 692 544'],
  ])('masks a valid %s', (kind, text) => {
    expect(redact(text)).toContain(`[${kind}]`);
  });

  it.each([
    ['SSN area 000', '000-12-3456'],
    ['SSN area 666', '666-12-3456'],
    ['SSN area 9xx', '912-12-3456'],
    ['SSN group 00', '123-00-4567'],
    ['SSN serial 0000', '123-45-0000'],
    ['a bare 9-digit number', '123456789'],
    ['a NINO with a forbidden prefix', 'GB123456A'],
    ['a NINO with a forbidden first letter', 'QQ123456C'],
    ['a NINO with suffix E', 'AB123456E'],
    ['a DNI with the wrong letter', '12345678A'],
    ['a CPF with a wrong check digit', '529.982.247-26'],
    ['a repeated-digit CPF', '111.111.111-11'],
    ['a SIN failing Luhn', '130 692 545'],
    ['a date', '2024-01-15'],
  ])('keeps %s', (_, text) => {
    expect(redact(text)).toBe(text);
  });

  it('validates each scheme', () => {
    expect(validUsSsn('078', '05', '1120')).toBe(true);
    expect(validUsSsn('900', '12', '3456')).toBe(false);
    expect(validSpanishId('', '12345678', 'Z')).toBe(true);
    expect(validSpanishId('Y', '1234567', 'X')).toBe(true);
    expect(validCpf('52998224725')).toBe(true);
  });
});

describe('secrets', () => {
  it.each([
    ['github-token', `remote: https://x:${fake.githubClassic}@github.com/acme/app.git`],
    ['github-token', `token ${fake.githubOauth}`],
    ['github-token', fake.githubFineGrained],
    ['slack-token', `SLACK_BOT_TOKEN=${fake.slack}`],
    ['stripe-key', `stripe.api_key = ${fake.stripe}`],
    ['google-api-key', `https://maps.googleapis.com/maps/api/geocode/json?key=${fake.google}&address=x`],
    ['jwt', `id_token=${fake.jwt}`],
    ['slack-webhook', 'POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx'],
  ])('masks a %s', (kind, text) => {
    const out = redact(text);
    expect(out).toContain(`[${kind}]`);
    for (const value of Object.values(fake)) expect(out).not.toContain(value);
  });

  it('masks a PEM private key block, also when the sample was cut before its END line', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwJ3Tt0Yc\nq8nW1xZ2AbCd\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key: ${pem}\nnext line`)).toBe('key: [private-key]\nnext line');
    expect(redact('{"k":"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA')).toBe('{"k":"[private-key]');
    expect(redact('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----')).toContain('MIIBIjANBgkq');
  });

  it('masks AWS secret keys only next to their name', () => {
    expect(redact(`aws_secret_access_key = ${fake.awsSecret}`)).toBe('aws_secret_access_key = [aws-secret-access-key]');
    expect(redact(`{"SecretAccessKey": "${fake.awsSecret}"}`)).toBe('{"SecretAccessKey": "[aws-secret-access-key]"}');
    expect(redact(`etag ${fake.awsSecret}`)).toBe(`etag ${fake.awsSecret}`);
  });

  it.each([
    ['password=hunter2&user=bob', 'password=[password]&user=bob'],
    ['passwd: s3cr3t!', 'passwd: [password]'],
    ['PASSWORD = "correct horse battery"', 'PASSWORD = "[password]"'],
    ['{"username": "bob", "password": "p@ss\\"word"}', '{"username": "bob", "password": "[password]"}'],
    ["{'client_secret': \"abc123def456\"}", "{'client_secret': \"[secret]\"}"],
    ['{"passwordChanged": "2024-03-02T10:00:00.000Z"}', '{"passwordChanged": "2024-03-02T10:00:00.000Z"}'],
    ['user.account.reset_password by admin', 'user.account.reset_password by admin'],
  ])('password-like values: %j', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('masks the token of an Authorization header and keeps the scheme', () => {
    expect(redact('Authorization: Bearer 00AbCdEfGhIjKlMnOpQrStUv')).toBe('Authorization: Bearer [bearer-token]');
    expect(redact('authorization: SSWS 00fake-okta-api-token')).toBe('authorization: SSWS [bearer-token]');
    expect(redact('{"Authorization":"Basic YWxhZGRpbjpvcGVuc2VzYW1l"}')).toBe('{"Authorization":"Basic [bearer-token]"}');
    expect(redact('curl -H "Bearer abcdefghijklmnopqrstuvwx.yz"')).toBe('curl -H "Bearer [bearer-token]"');
  });

  it('can be switched off per category', () => {
    const emailsOnly = compile({ secrets: false, phoneNumbers: false, paymentCards: false, nationalIds: false });
    expect(redact(`a@b.io ${fake.githubClassic} 4111 1111 1111 1111 +44 20 7946 0018`, emailsOnly)).toBe(
      `[email] ${fake.githubClassic} 4111 1111 1111 1111 +44 20 7946 0018`,
    );
  });
});

describe('custom patterns', () => {
  it('redacts with RE2, by name or with a literal replacement', () => {
    const policy = compile({
      custom: [
        { name: 'employee-id', pattern: 'EMP-\\d{6}' },
        { name: 'patient', pattern: 'mrn[:=]\\s*\\d+', replacement: 'MRN-REDACTED', caseInsensitive: true },
      ],
    });
    expect(redact('EMP-004211 opened MRN: 99812 for bob@clinic.example', policy)).toBe('[employee-id] opened MRN-REDACTED for [email]');
  });

  it('hashes custom matches too', () => {
    const policy = compile({ mode: 'hash', hashKeySecret: 'REDACTION_HASH_KEY', custom: [{ name: 'employee-id', pattern: 'EMP-\\d{6}' }] });
    expect(redact('EMP-004211 and EMP-004211', policy)).toMatch(/^\[employee-id:([0-9a-f]{8})\] and \[employee-id:\1\]$/);
  });

  it.each([
    ['(?=secret)\\w+', /custom pattern "x".*lookaround/],
    ['(\\w)\\1', /custom pattern "x".*backreferences/],
    ['(unclosed', /custom pattern "x".*not valid RE2 syntax/],
    ['a*', /matches the empty string/],
  ])('rejects %j with a message naming the pattern', (pattern, message) => {
    const parsed = redactionPolicySchema.safeParse({ custom: [{ name: 'x', pattern }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join('\n')).toMatch(message);
    expect(parsed.error!.issues[0]!.path).toEqual(['custom', 0, 'pattern']);
  });

  it('rejects duplicate names and names that are not tokens', () => {
    expect(redactionPolicySchema.safeParse({ custom: [{ name: 'a', pattern: 'x' }, { name: 'a', pattern: 'y' }] }).success).toBe(false);
    expect(redactionPolicySchema.safeParse({ custom: [{ name: 'Has Space', pattern: 'x' }] }).success).toBe(false);
  });

  it('cannot hang on a catastrophic-backtracking pattern (RE2 is linear)', () => {
    // A backtracking engine would not finish these within the test timeout; RE2 answers at once.
    const policy = compile({ custom: [{ name: 'redos', pattern: '(a+)+$' }] });
    expect(redact(`${'a'.repeat(50_000)}!`, policy)).toBe(`${'a'.repeat(50_000)}!`);
    expect(redact('a'.repeat(50_000), policy)).toBe('[redos]');
  });
});

describe('built-in detectors on adversarial input', () => {
  it.each([
    ['letters', 'a'.repeat(50_000)],
    ['digits', '1'.repeat(50_000)],
    ['spaced digits', '1 '.repeat(25_000)],
    ['dotted digits', '1.'.repeat(25_000)],
    ['at signs', 'a@'.repeat(25_000)],
    ['domain labels', `x@${'a.'.repeat(25_000)}`],
    ['plus digits', '+1 '.repeat(16_000)],
    ['jwt heads', 'eyJ'.repeat(16_000)],
    ['password prefixes', 'password='.repeat(5_000)],
    ['escaped quotes', `{"password": "${'\\"'.repeat(20_000)}`],
    ['pem header without end', `-----BEGIN PRIVATE KEY-----${'A'.repeat(50_000)}`],
  ])('finishes on %s (a quadratic scan would outlast the test timeout) and keeps the text bounded', (_, text) => {
    const out = redact(text, hashed);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(text.length * 2);
  });
});

describe('redactAlert', () => {
  const attribution =
    '"Okta MFA Reset or Deactivated" by Jane Analyst <jane.analyst@example.org>; https://github.com/SigmaHQ/sigma (rules/identity/okta/okta_mfa_reset_or_deactivated.yml); licensed under the Detection Rule License (DRL) 1.1, https://github.com/SigmaHQ/Detection-Rule-License/blob/6ec7fbde6101d101b5b5d1fcb8f9b69fbc76c04a/LICENSE.Detection.Rules.md';
  const alert: NotificationAlert = {
    id: 'alt_01JD8M2K7Q',
    ruleId: 'okta-mfa-reset',
    ruleName: 'MFA reset for tracey_stone@acme.io',
    title: 'MFA factor reset for tracey_stone@acme.io from 92.55.146.245',
    severity: 'high',
    status: 'open',
    entities: { users: ['tracey_stone@acme.io'], ips: ['92.55.146.245'], hosts: ['laptop-0042'] },
    firstSeen: '2020-10-25T10:20:22.000Z',
    lastSeen: '2020-10-25T10:21:22.000Z',
    count: 2,
    dedupKey: 'okta-mfa-reset:tracey_stone@acme.io',
    tags: ['attack.t1556.006'],
    sources: ['okta'],
    evidence: [
      {
        actor: 'tracey_stone@acme.io',
        src_ip: '92.55.146.245',
        count: 4111111111111111,
        account: 187901811700,
        raw: corpus.okta,
        request: { headers: { Authorization: 'Bearer 00AbCdEfGhIjKlMnOpQrStUv', 'X-Api-Key': 'k-123' }, password: 'hunter2', phones: ['+44 20 7946 0018'] },
        mfa: null,
        ok: true,
      },
    ],
    url: 'https://mantissa.example/alerts/alt_01JD8M2K7Q?user=tracey_stone@acme.io',
    attribution,
    summary: 'tracey_stone@acme.io (+1 415-555-0132) reset MFA after 3 failures.',
    enrichment: [{ subject: 'tracey_stone@acme.io', provider: 'okta', text: 'Finance · manager homer@springfield.gov · ACTIVE' }],
  };

  it('walks every human-readable string and returns a new object', () => {
    const out = redactAlert(alert, masked);
    expect(out).not.toBe(alert);
    expect(out.ruleName).toBe('MFA reset for [email]');
    expect(out.title).toBe('MFA factor reset for [email] from 92.55.146.245');
    expect(out.entities).toEqual({ users: ['[email]'], ips: ['92.55.146.245'], hosts: ['laptop-0042'] });
    expect(out.summary).toBe('[email] ([phone]) reset MFA after 3 failures.');
    expect(out.enrichment).toEqual([{ subject: '[email]', provider: 'okta', text: 'Finance · manager [email] · ACTIVE' }]);
    const evidence = out.evidence[0]!;
    expect(evidence).toMatchObject({ actor: '[email]', src_ip: '92.55.146.245', count: '[card]', account: 187901811700, mfa: null, ok: true });
    expect(evidence.request).toEqual({ headers: { Authorization: '[secret]', 'X-Api-Key': '[secret]' }, password: '[password]', phones: ['[phone]'] });
    expect(evidence.raw).toBe(redact(corpus.okta));
    const { url: _url, dedupKey: _dedupKey, ...rest } = out;
    expect(JSON.stringify(rest)).not.toContain('tracey_stone');
  });

  it('never touches the url, the attribution, ids, tags or times', () => {
    const out = redactAlert(alert, hashed);
    expect(out.url).toBe(alert.url);
    expect(out.attribution).toBe(attribution);
    expect([out.id, out.ruleId, out.tags, out.sources, out.firstSeen, out.lastSeen, out.severity, out.status]).toEqual([
      alert.id, alert.ruleId, alert.tags, alert.sources, alert.firstSeen, alert.lastSeen, alert.severity, alert.status,
    ]);
  });

  it('hashes the dedup key consistently in hash mode and leaves it in mask mode', () => {
    expect(redactAlert(alert, masked).dedupKey).toBe(alert.dedupKey);
    const once = redactAlert(alert, hashed).dedupKey;
    expect(once).toMatch(/^okta-mfa-reset:\[email:[0-9a-f]{8}\]$/);
    expect(redactAlert({ ...alert, title: 'other' }, hashed).dedupKey).toBe(once);
    expect(once).toBe(`okta-mfa-reset:${/\[email:[0-9a-f]{8}\]/.exec(redactAlert(alert, hashed).title)![0]}`);
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(alert);
    redactAlert(alert, hashed);
    expect(JSON.stringify(alert)).toBe(before);
  });
});
