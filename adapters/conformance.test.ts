/**
 * Conformance of the parsers on real and generated data:
 * - every line of the shared corpus's Okta samples (real third-party events, ../shared/corpus/logs/okta,
 *   keys starting with p_ dropped as Panther's test metadata) is accepted, one event per line;
 * - every event of the demo organisation (core/demo) parses without error, with the identity actions the
 *   attack stories depend on.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iterateDemoEvents } from '../core/demo/dataset';
import { parseBatch } from '../core/ingest/parse-batch';
import { sourceAdapters } from './sources';

const corpus = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const oktaDir = `${corpus}logs/okta/`;

describe('Okta corpus', () => {
  it('is present (the shared corpus sits beside the repository; set MANTISSA_CORPUS to move it)', () => {
    expect(existsSync(oktaDir), oktaDir).toBe(true);
  });

  const files = existsSync(oktaDir) ? readdirSync(oktaDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')) : [];
  it.each(files)('accepts every line of %s', async (file) => {
    const body = readFileSync(`${oktaDir}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))))
      .join('\n');
    const result = await parseBatch(body, sourceAdapters.get('okta')!, { source: 'okta', batchId: 'b', ingestTime: '2026-01-01T00:00:00.000Z' });
    if (!result.ok) throw new Error(result.message);
    expect(result.deadLetters).toEqual([]);
    expect(result.accepted).toBe(body.split('\n').length);
    expect(result.events).toHaveLength(result.accepted);
  });
});

describe('demo organisation', () => {
  const options = { end: '2026-11-27T16:00:00.000Z' };
  it.each(['okta', 'cloudtrail'] as const)('every %s event parses', (source) => {
    const adapter = sourceAdapters.get(source)!;
    const actions = new Set<string>();
    let n = 0;
    for (const event of iterateDemoEvents(options, source)) {
      const result = adapter.parse(event, { source, ingestTime: '2026-11-27T16:00:00.000Z' });
      if (!result.ok) throw new Error(`${source} event ${n}: ${result.message}`);
      expect(result.event.event_time_inferred).toBe(false);
      if (result.event.identity_action) actions.add(result.event.identity_action);
      n++;
    }
    expect(n).toBeGreaterThan(1000);
    const needed = source === 'okta' ? ['auth_failure', 'mfa_deny', 'mfa_accept', 'session_start', 'privilege_grant'] : ['auth_success', 'token_issue', 'privilege_grant'];
    for (const action of needed) expect(actions, action).toContain(action);
  });
});
