import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiToken } from '../core/auth/api-token';
import type { CliIo } from './cli-io';
import { loadRuleFiles, runRulesCommand } from './rules-command';
import { runLakeCommand } from './lake-command';
import { planTokenCreate, runTokenCommand } from './token-command';

function captureIo(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, fetch, now: () => Date.parse('2026-11-27T00:00:00Z') };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A loopback stand-in for the rules API that records what it was sent. */
async function rulesApi(existing: { id: string; name: string }[] = []) {
  const requests: { method: string; url: string; auth: string | undefined; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: body ? JSON.parse(body) : null });
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== 'Bearer good-token') {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { code: 'unauthenticated', message: 'The API token is unknown, revoked or expired.' } }));
      } else if (req.method === 'GET') {
        res.end(JSON.stringify({ rules: existing }));
      } else if (req.method === 'POST' && (JSON.parse(body) as { sql?: string }).sql?.includes('api_tokens')) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { code: 'invalid_sql', message: 'Table "api_tokens" is not queryable.' } }));
      } else {
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end(JSON.stringify({ id: 'rule_new' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const rulesDir = fileURLToPath(new URL('../rules/sql', import.meta.url));

describe('mantissa rules import', () => {
  it('creates every rule of rules/sql with the token, skipping names that exist', async () => {
    const loaded = loadRuleFiles(rulesDir);
    if (!loaded.ok) throw new Error(loaded.message);
    const api = await rulesApi([{ id: 'rule_1', name: loaded.rules[0]!.name }]);
    const io = captureIo();
    expect(await runRulesCommand(['import', rulesDir, '--url', api.url, '--token', 'good-token'], io)).toBe(0);
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(loaded.rules.length - 1);
    expect(posts.every((p) => p.auth === 'Bearer good-token')).toBe(true);
    expect(io.out.join('')).toBe(`rules: ${loaded.rules.length - 1} created, 0 updated, 1 skipped, 0 failed\n`);
  });

  it('updates existing rules with --update', async () => {
    const loaded = loadRuleFiles(rulesDir);
    if (!loaded.ok) throw new Error(loaded.message);
    const api = await rulesApi([{ id: 'rule_1', name: loaded.rules[0]!.name }]);
    expect(await runRulesCommand(['import', rulesDir, '--url', api.url, '--token', 'good-token', '--update'], captureIo())).toBe(0);
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.url)).toEqual(['/api/rules/rule_1']);
  });

  it('validates every file before sending anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'a.yml'), 'name: ok\nseverity: low\nsql: SELECT 1\n');
    writeFileSync(join(dir, 'b.yml'), 'name: bad\nseverity: urgent\nsql: SELECT 1\n');
    const api = await rulesApi();
    const io = captureIo();
    expect(await runRulesCommand(['import', dir, '--url', api.url, '--token', 'good-token'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/b\.yml: severity: /);
    expect(api.requests).toEqual([]);
  });

  it('reports the server’s refusal per rule and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'a.yml'), 'name: sneaky\nseverity: low\nsql: SELECT * FROM api_tokens\n');
    const api = await rulesApi();
    const io = captureIo();
    expect(await runRulesCommand(['import', dir, '--url', api.url, '--token', 'good-token'], io)).toBe(1);
    expect(io.err.join('')).toContain('400 Table "api_tokens" is not queryable.');
  });

  it('stops with the server’s message on a bad token', async () => {
    const api = await rulesApi();
    const io = captureIo();
    expect(await runRulesCommand(['import', rulesDir, '--url', api.url, '--token', 'wrong'], io)).toBe(1);
    expect(io.err.join('')).toContain('listing rules failed (401)');
  });

  it('needs a token and the import action', async () => {
    expect(await runRulesCommand(['import', rulesDir], captureIo())).toBe(2);
    expect(await runRulesCommand(['export', rulesDir], captureIo({ MANTISSA_TOKEN: 't' }))).toBe(2);
  });
});

describe('mantissa token create', () => {
  it('plans an INSERT of the token’s hash, never the token', async () => {
    const plan = await planTokenCreate({ name: "o'brien", role: 'ingest', source: 'okta', expiresDays: 30, now: new Date('2026-11-27T00:00:00Z') });
    expect(plan.token).toMatch(/^mlt_[0-9A-Za-z]{40}$/);
    expect(plan.sql).toContain(await hashApiToken(plan.token));
    expect(plan.sql).not.toContain(plan.token);
    expect(plan.sql).toContain("'o''brien'");
    expect(plan.sql).toContain("'2026-12-27T00:00:00.000Z'");
  });

  it('prints the token on stdout and the SQL on stderr with --print-sql', async () => {
    const io = captureIo();
    expect(await runTokenCommand(['create', '--name', 'first-admin', '--role', 'admin', '--print-sql'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/^mlt_[0-9A-Za-z]{40}\n$/);
    expect(io.err.join('')).toContain('INSERT INTO api_tokens');
  });

  it.each([
    [['create', '--role', 'admin', '--remote'], /--name is required/],
    [['create', '--name', 'x', '--role', 'root', '--remote'], /--role must be one of/],
    [['create', '--name', 'x', '--role', 'ingest', '--remote'], /--source is required/],
    [['create', '--name', 'x', '--role', 'admin'], /exactly one of --remote or --local/],
    [['create', '--name', 'x', '--role', 'admin', '--remote', '--expires-days', 'soon'], /--expires-days/],
  ])('refuses %j', async (argv, message) => {
    const io = captureIo();
    expect(await runTokenCommand(argv, io)).toBe(2);
    expect(io.err.join('')).toMatch(message);
  });
});

describe('mantissa lake ddl', () => {
  it('prints one CREATE per source', async () => {
    const io = captureIo();
    expect(await runLakeCommand(['ddl', '--engine', 'athena', '--location', 's3://acme-lake/mantissa'], io)).toBe(0);
    const out = io.out.join('');
    expect(out).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `mantissa`.`mantissa_okta`');
    expect(out).toContain('`mantissa_cloudtrail`');
  });

  it.each([
    [['ddl', '--engine', 'snowflake', '--location', 's3://x/y'], /--engine must be one of/],
    [['ddl', '--engine', 'athena'], /--location is required/],
    [['ddl', '--engine', 'bigquery', '--location', 's3://x/y'], /--location for bigquery/],
    [['ddl', '--engine', 'athena', '--location', 's3://acme/x', '--source', 'nosuch'], /unknown source/],
  ])('refuses %j', async (argv, message) => {
    const io = captureIo();
    expect(await runLakeCommand(argv, io)).toBe(2);
    expect(io.err.join('')).toMatch(message);
  });
});
