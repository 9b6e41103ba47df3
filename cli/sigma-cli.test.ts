/**
 * The Sigma side of the CLI: `rules import` of Sigma trees (ours and SigmaHQ's, with DRL attribution) and
 * `sigma convert` / `sigma test` on the rules library and its test events.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { requireCorpusPath } from '../core/sigma/conformance/corpus';
import type { CliIo } from './cli-io';
import { loadRuleFiles } from './rule-files';
import { runRulesCommand } from './rules-command';
import { runSigmaCommand } from './sigma-command';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, fetch, now: () => Date.parse('2026-11-27T00:00:00Z') };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const rulesRoot = fileURLToPath(new URL('../rules', import.meta.url));
const sigmaDir = join(rulesRoot, 'sigma');

/** A loopback stand-in for the rules API recording the requests, with stored rules to collide with. */
async function rulesApi(existing: { id: string; name: string; sigmaId?: string }[] = []) {
  const requests: { method: string; url: string; body: Record<string, unknown> | null }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body: body ? (JSON.parse(body) as Record<string, unknown>) : null });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') res.end(JSON.stringify({ rules: existing }));
      else {
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end(JSON.stringify({ id: 'rule_new' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('loading rule trees', () => {
  it('loads the whole rules/ tree: SQL rules and Sigma rules, ours under Apache-2.0 without a DRL attribution', () => {
    const loaded = loadRuleFiles(rulesRoot);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.problems).toEqual([]);
    const sigma = loaded.rules.filter((r) => r.kind === 'sigma');
    const sql = loaded.rules.filter((r) => r.kind === 'sql');
    expect(sql.length).toBeGreaterThan(0);
    expect(sigma.length).toBeGreaterThanOrEqual(20);
    for (const rule of sigma) {
      expect(rule.input.license, rule.file).toBe('Apache-2.0');
      expect(rule.input.attribution).toBeUndefined();
      expect(rule.sigmaId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(sigma.some((r) => r.correlation)).toBe(true);
  });

  it('marks SigmaHQ rules DRL-1.1 with their author, origin and the licence link (DRL 1.1 §2)', () => {
    const corpus = requireCorpusPath('sigma');
    const dir = mkdtempSync(join(tmpdir(), 'sigmahq-'));
    cpSync(join(corpus, 'LICENSE'), join(dir, 'LICENSE'));
    mkdirSync(join(dir, 'rules', 'identity', 'okta'), { recursive: true });
    cpSync(join(corpus, 'rules/identity/okta/okta_mfa_reset_or_deactivated.yml'), join(dir, 'rules/identity/okta/okta_mfa_reset_or_deactivated.yml'));
    const loaded = loadRuleFiles(join(dir, 'rules'));
    if (!loaded.ok) throw new Error(loaded.message);
    const [rule] = loaded.rules;
    expect(rule?.kind).toBe('sigma');
    if (rule?.kind !== 'sigma') return;
    expect(rule.sigmaId).toBe('50e068d7-1e6b-4054-87e5-0a592c40c7e0');
    expect(rule.input.license).toBe('DRL-1.1');
    expect(rule.input.attribution).toBe(
      '"Okta MFA Reset or Deactivated" by Austin Songer @austinsonger; SigmaHQ rule rules/identity/okta/okta_mfa_reset_or_deactivated.yml (https://github.com/SigmaHQ/sigma); licensed under the Detection Rule License (DRL) 1.1, https://github.com/SigmaHQ/Detection-Rule-License',
    );
    expect(rule.input.yaml).toBe(readFileSync(join(corpus, 'rules/identity/okta/okta_mfa_reset_or_deactivated.yml'), 'utf8'));
  });

  it('loads SigmaHQ’s identity-provider rules from the corpus', () => {
    const loaded = loadRuleFiles(requireCorpusPath('sigma/rules/identity'));
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.problems).toEqual([]);
    expect(loaded.rules.length).toBeGreaterThan(20);
    expect(loaded.rules.every((r) => r.kind === 'sigma' && r.input.license === 'DRL-1.1' && r.input.attribution?.includes('SigmaHQ rule rules/identity/'))).toBe(true);
  });

  it('reports an invalid Sigma rule with its line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigma-bad-'));
    writeFileSync(
      join(dir, 'bad.yml'),
      'title: Bad\nlogsource:\n  product: okta\n  service: okta\ndetection:\n  selection:\n    eventTyp: user.session.start\n  condition: selection\n',
    );
    const loaded = loadRuleFiles(dir);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.rules).toEqual([]);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]!.message).toMatch(/^line 7, column 5: .*eventTyp/);
  });
});

describe('mantissa rules import with Sigma rules', () => {
  it('sends each Sigma rule as {yaml, license}, correlations after the rules', async () => {
    const api = await rulesApi();
    const io = captureIo();
    expect(await runRulesCommand(['import', sigmaDir, '--url', api.url, '--token', 't'], io)).toBe(0);
    const posts = api.requests.filter((r) => r.method === 'POST');
    const loaded = loadRuleFiles(sigmaDir);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(posts).toHaveLength(loaded.rules.length);
    expect(posts.every((p) => typeof p.body?.yaml === 'string' && p.body.license === 'Apache-2.0')).toBe(true);
    const isCorrelation = (p: (typeof posts)[number]) => /^correlation:/m.test(String(p.body!.yaml));
    const firstCorrelation = posts.findIndex(isCorrelation);
    expect(firstCorrelation).toBeGreaterThan(0);
    expect(posts.slice(firstCorrelation).every(isCorrelation)).toBe(true);
  });

  it('matches existing rules by Sigma id and updates only the text (schedule and switch stay as set on the server)', async () => {
    const loaded = loadRuleFiles(sigmaDir);
    if (!loaded.ok) throw new Error(loaded.message);
    const target = loaded.rules.find((r) => r.kind === 'sigma')!;
    if (target.kind !== 'sigma') return;
    const api = await rulesApi([{ id: 'rule_x', name: 'renamed on the server', sigmaId: target.sigmaId! }]);
    const io = captureIo();
    expect(await runRulesCommand(['import', sigmaDir, '--url', api.url, '--token', 't', '--update'], io)).toBe(0);
    const patch = api.requests.find((r) => r.method === 'PATCH');
    expect(patch?.url).toBe('/api/rules/rule_x');
    expect(Object.keys(patch!.body!).sort()).toEqual(['license', 'yaml']);
  });

  it('sends nothing when a file is invalid, and the valid rules with --skip-invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigma-mixed-'));
    cpSync(join(sigmaDir, 'cloud'), dir, { recursive: true });
    writeFileSync(join(dir, 'broken.yml'), 'title: Broken\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  condition: nothing\n');
    const strict = await rulesApi();
    const io = captureIo();
    expect(await runRulesCommand(['import', dir, '--url', strict.url, '--token', 't'], io)).toBe(1);
    expect(strict.requests).toEqual([]);
    expect(io.err.join('')).toMatch(/broken\.yml: line \d+, column \d+: .*nothing[\s\S]*1 invalid file\(s\); nothing was sent/);

    const lenient = await rulesApi();
    const io2 = captureIo();
    expect(await runRulesCommand(['import', dir, '--url', lenient.url, '--token', 't', '--skip-invalid', '--disabled'], io2)).toBe(1);
    const posts = lenient.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(3);
    expect(posts.every((p) => p.body?.enabled === false)).toBe(true);
    expect(io2.out.join('')).toBe(`rules: ${posts.length} created, 0 updated, 0 skipped, 1 failed\n`);
  });
});

describe('mantissa sigma', () => {
  it('converts the library to every dialect with bound parameters', async () => {
    for (const dialect of ['d1', 'athena', 'bigquery', 'synapse']) {
      const io = captureIo();
      expect(await runSigmaCommand(['convert', sigmaDir, '--dialect', dialect, '--json'], io), io.err.join('')).toBe(0);
      const results = JSON.parse(io.out.join('')) as { ok: boolean; sql: string; params: unknown[] }[];
      expect(results.length).toBeGreaterThanOrEqual(20);
      expect(results.every((r) => r.ok && r.sql.length > 0)).toBe(true);
      expect(results.some((r) => r.params.length > 0)).toBe(true);
    }
  });

  it('inlines literals with --inline; converts an unknown field with a warning, or refuses it with --strict', async () => {
    const io = captureIo();
    expect(await runSigmaCommand(['convert', join(sigmaDir, 'cloud/aws_root_account_activity.yml'), '--dialect', 'athena', '--inline'], io)).toBe(0);
    expect(io.out.join('')).toContain("= 'root'");
    const dir = mkdtempSync(join(tmpdir(), 'sigma-unknown-'));
    writeFileSync(join(dir, 'x.yml'), 'title: X\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel: {noSuchField: 1}\n  condition: sel\n');
    const lenient = captureIo();
    expect(await runSigmaCommand(['convert', dir, '--dialect', 'd1', '--json'], lenient)).toBe(0);
    const [converted] = JSON.parse(lenient.out.join('')) as { ok: boolean; sql: string; warnings: string[] }[];
    expect(converted?.sql).toContain('$.noSuchField');
    expect(converted?.warnings).toEqual(['Field "noSuchField" (line 4) is not a known field of cloudtrail; reading raw.noSuchField.']);
    expect(lenient.err.join('')).toContain('1 converted (1 with warnings), 0 failed');
    const strict = captureIo();
    expect(await runSigmaCommand(['convert', dir, '--dialect', 'd1', '--strict'], strict)).toBe(1);
    expect(strict.err.join('')).toMatch(/x\.yml:4:\d+: Field "noSuchField"/);
  });

  it('tests a rule and a correlation on vendor records through the source parser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigma-test-'));
    const tests = parseDocument(readFileSync(join(sigmaDir, 'identity/mr_identity_mfa_fatigue.tests.yml'), 'utf8'), { merge: true }).toJS({ maxAliasCount: -1 }) as {
      sequences: { name: string; expect: 'match' | 'no_match'; events: { source?: string; event: unknown }[] }[];
    };
    const oktaOnly = tests.sequences.filter((s) => s.events.every((e) => !e.source));
    const firing = oktaOnly.find((s) => s.expect === 'match')!;
    const quiet = oktaOnly.find((s) => s.expect === 'no_match')!;
    for (const [name, testCase, expectMatch] of [
      ['firing', firing, true],
      ['quiet', quiet, false],
    ] as const) {
      const events = join(dir, `${name}.ndjson`);
      writeFileSync(events, testCase.events.map((e) => JSON.stringify(e.event)).join('\n'));
      const io = captureIo();
      expect(await runSigmaCommand(['test', join(sigmaDir, 'identity/mr_identity_mfa_fatigue.yml'), '--events', events, '--source', 'okta', '--json'], io), io.err.join('')).toBe(0);
      const { matched } = JSON.parse(io.out.join('')) as { matched: number[] };
      expect(matched.length > 0, `${name}: ${JSON.stringify(matched)}`).toBe(expectMatch);
    }
  });

  it('refuses a missing dialect or events file with usage', async () => {
    expect(await runSigmaCommand(['convert', sigmaDir], captureIo())).toBe(2);
    expect(await runSigmaCommand(['test', sigmaDir], captureIo())).toBe(2);
    expect(await runSigmaCommand(['explain', sigmaDir], captureIo())).toBe(2);
  });
});
