import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io';
import { runRoutingCommand } from './routing-command';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, fetch, now: () => Date.now() };
}

const example = fileURLToPath(new URL('../config/routing.example.yml', import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('mantissa routing', () => {
  it('validates the example document and lists the secrets it names', async () => {
    const io = captureIo();
    expect(await runRoutingCommand(['validate', example], io)).toBe(0);
    expect(io.err.join('')).toBe(
      `✓ ${example}: 4 destination(s), 3 route(s); secrets it names: ABUSEIPDB_API_KEY, JIRA_API_TOKEN, JIRA_EMAIL, MANTISSA_WEBHOOK_SECRET, PAGERDUTY_ROUTING_KEY, SLACK_BOT_TOKEN\n`,
    );
  });

  it('names every problem of an invalid document by its path', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routing.yml');
    writeFileSync(file, 'destinations:\n  - id: chat\n    type: slack\n    mode: bot\n    tokenSecret: SLACK_BOT_TOKEN\nroutes:\n  - name: all\n    destinations: [chat, pager]\n    quietHours: {timezone: Mars/Olympus, start: "22:00", end: "07:00"}\n');
    const io = captureIo();
    expect(await runRoutingCommand(['validate', file], io)).toBe(1);
    const err = io.err.join('');
    expect(err).toContain('destinations.0.channel');
    expect(err).toContain('routes.0.quietHours.timezone: an IANA time zone');
    expect(err).toContain('routes[0] (all).destinations names "pager", which is not a destination');
  });

  it('pushes the YAML to PUT /api/routing and prints the server’s warnings', async () => {
    const seen: { method?: string; type?: string; auth?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ version: 7, warnings: ['secret JIRA_EMAIL is not set'] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const io = captureIo();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await runRoutingCommand(['push', example, '--url', url, '--token', 'tok'], io)).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'PUT', type: 'application/yaml', auth: 'Bearer tok' });
    expect(seen[0]!.body).toContain('pagerduty-oncall');
    expect(io.out.join('')).toBe(`routing: version 7 stored on ${url}\n`);
    expect(io.err.join('')).toContain('⚠ secret JIRA_EMAIL is not set');
  });
});
