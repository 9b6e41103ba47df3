import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countDemoEvents } from '../core/demo/dataset';
import type { CliIo } from './cli-io';
import { main } from './main';
import { parseSeedArgs } from './seed-command';

function captureIo(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    fetch: () => {
      throw new Error('no request may be made');
    },
    now: () => Date.parse('2026-11-27T16:42:17.512Z'),
  };
}

describe('mantissa', () => {
  it('lists its commands for --help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Usage: mantissa <command>/);
    expect(io.out()).toMatch(/^\s+seed\s+/m);
  });

  it('prints the usage and exits 2 without a command', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('Commands:');
  });

  it('names an unknown command and exits 2', async () => {
    const io = captureIo();
    expect(await main(['sed'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "sed"');
  });

  it('prints a command help through `help <command>`', async () => {
    const io = captureIo();
    expect(await main(['help', 'seed'], io)).toBe(0);
    expect(io.out()).toContain('Usage: mantissa seed');
  });

  it('prints the package version', async () => {
    const io = captureIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^mantissa \d+\.\d+\.\d+/);
  });
});

describe('mantissa seed arguments', () => {
  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['extra'], 'unexpected argument "extra"'],
    [['--users'], '--users needs a value'],
    [['--users', 'ten'], '--users must be a whole number, got "ten"'],
    [['--users=-5'], '--users must be a whole number, got "-5"'],
    [['--users', '-5'], '--users needs a value (write --users=-… for one that starts with "-")'],
    [['--users', '5'], '--users must be at least 10'],
    [['--days', '3'], '--days must be at least 4'],
    [['--seed', '1.5'], '--seed must be a whole number, got "1.5"'],
    [['--end', 'yesterday'], '--end must be an ISO-8601 time with a zone'],
    [['--end', '2026-11-27T16:00:00'], '--end must be an ISO-8601 time with a zone'],
    [['--batch', '0'], '--batch must be between 1 and 10000, got 0'],
    [['--batch', '20000'], '--batch must be between 1 and 10000, got 20000'],
    [['--url', 'ftp://example.test'], '--url must be an http(s) URL'],
    [['--url', 'not a url'], '--url must be an http(s) URL'],
    [['--out', 'dir', '--url', 'http://127.0.0.1:8787'], '--out writes files and sends nothing'],
  ])('refuses %j with a clear message', async (args, message) => {
    const io = captureIo({ MANTISSA_TOKEN: 'mlt_x' });
    expect(await main(['seed', ...args], io)).toBe(2);
    expect(io.err()).toContain(`mantissa seed: ${message}`);
    expect(io.err()).toContain("Run 'mantissa seed --help' for usage.");
    expect(io.out()).toBe('');
  });

  it('asks for a token when sending without one', async () => {
    const io = captureIo();
    expect(await main(['seed'], io)).toBe(2);
    expect(io.err()).toContain('sending needs an API token: pass --token or set MANTISSA_TOKEN');
  });

  it('defaults to the local server, the 50-user fortnight, and now rounded down to the hour', () => {
    const parsed = parseSeedArgs([], { MANTISSA_TOKEN: ' mlt_env ' }, Date.parse('2026-11-27T16:42:17.512Z'));
    expect(parsed).toEqual({
      ok: true,
      command: {
        mode: 'server',
        url: 'http://127.0.0.1:8787',
        token: 'mlt_env',
        batchSize: 1000,
        demo: { seed: 1, users: 50, days: 14, end: '2026-11-27T16:00:00.000Z' },
      },
    });
  });

  it('prefers --token to MANTISSA_TOKEN', () => {
    const parsed = parseSeedArgs(['--token', 'mlt_flag', '--url', 'https://siem.example.test/'], { MANTISSA_TOKEN: 'mlt_env' }, Date.parse('2026-11-27T16:42:17.512Z'));
    expect(parsed.ok && parsed.command.mode === 'server' && [parsed.command.token, parsed.command.url]).toEqual(['mlt_flag', 'https://siem.example.test']);
  });
});

describe('mantissa seed --out', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one NDJSON file per source with exactly the generated events, identical on a re-run', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantissa-seed-'));
    const args = ['seed', '--out', dir, '--users', '10', '--days', '4', '--seed', '5', '--end', '2026-11-27T16:00:00Z'];
    const io = captureIo();
    expect(await main(args, io)).toBe(0);

    const totals = countDemoEvents({ users: 10, days: 4, seed: 5, end: '2026-11-27T16:00:00Z' });
    const okta = await readFile(join(dir, 'okta.ndjson'), 'utf8');
    const cloudtrail = await readFile(join(dir, 'cloudtrail.ndjson'), 'utf8');
    expect(okta.endsWith('\n')).toBe(true);
    const oktaLines = okta.trimEnd().split('\n');
    const cloudtrailLines = cloudtrail.trimEnd().split('\n');
    expect(oktaLines).toHaveLength(totals.okta);
    expect(cloudtrailLines).toHaveLength(totals.cloudtrail);
    expect((JSON.parse(oktaLines[0]!) as { version: string }).version).toBe('0');
    expect((JSON.parse(cloudtrailLines[0]!) as { eventVersion: string }).eventVersion).toMatch(/^1\.\d\d$/);
    expect(io.out()).toMatch(new RegExp(`okta\\s+${totals.okta.toLocaleString('en-US')} events`));

    expect(await main(args, captureIo())).toBe(0);
    expect(await readFile(join(dir, 'okta.ndjson'), 'utf8')).toBe(okta);
  });

  it('exits 1 when the directory cannot be written', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantissa-seed-'));
    const blocked = join(dir, 'okta.ndjson', 'inside-a-file');
    await main(['seed', '--out', dir, '--users', '10', '--days', '4', '--end', '2026-11-27T16:00:00Z'], captureIo());
    const io = captureIo();
    expect(await main(['seed', '--out', blocked, '--users', '10', '--days', '4', '--end', '2026-11-27T16:00:00Z'], io)).toBe(1);
    expect(io.err()).toContain('could not write to');
  });
});
