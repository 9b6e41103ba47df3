/**
 * Conformance on real data: every sample file of the shared corpus (../shared/corpus/logs, real third-party
 * events; see its SOURCES.md) goes through the real `POST /ingest/:source` route, exactly as
 * ../shared/tools/ingest-corpus sends it (keys starting with p_ — Panther's test metadata — dropped;
 * .labels.ndjson and cribl-parsed files skipped). Well-formed vendor events must never be rejected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { callJson, sql, tokensByRole } from './helpers';

/** Corpus directory → source id (the same table as ../shared/tools/ingest-corpus). */
export const corpusSources: Record<string, string> = {
  '1password': 'onepassword',
  'aws-cloudtrail': 'cloudtrail',
  'aws-guardduty': 'guardduty',
  'aws-vpcflow': 'vpc_flow',
  'azure-activity': 'azure_activity',
  'azure-ad': 'entra_id',
  crowdstrike: 'crowdstrike',
  duo: 'duo',
  'gcp-audit': 'gcp_audit',
  'github-audit': 'github',
  'google-workspace': 'google_workspace',
  'kubernetes-audit': 'kubernetes_audit',
  m365: 'm365',
  okta: 'okta',
  onelogin: 'onelogin',
  salesforce: 'salesforce',
  'slack-audit': 'slack',
  snowflake: 'snowflake',
};

const files = import.meta.glob<string>('../../shared/corpus/logs/*/*.ndjson', { query: '?raw', import: 'default', eager: true });
const corpusFiles = Object.entries(files)
  .map(([path, text]) => {
    const [, dir, name] = /logs\/([^/]+)\/([^/]+)$/.exec(path)!;
    return { dir: dir!, name: name!, text };
  })
  .filter((f) => !f.name.endsWith('.labels.ndjson') && !f.name.includes('cribl-parsed') && corpusSources[f.dir]);

function asSent(text: string): { body: string; lines: number } {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        const value = JSON.parse(l) as unknown;
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          return JSON.stringify(Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('p_'))));
        }
        return l;
      } catch {
        return l;
      }
    });
  return { body: `${lines.join('\n')}\n`, lines: lines.length };
}

let tokens: Record<Role, string>;
beforeAll(async () => {
  tokens = await tokensByRole();
});

describe('shared corpus through POST /ingest/:source', () => {
  it('is present (it sits beside the repository as ../shared/corpus)', () => {
    expect(corpusFiles.length).toBeGreaterThan(40);
  });

  it.each(corpusFiles.map((f) => [`${f.dir}/${f.name}`, f] as const))('%s: every line accepted', async (_label, file) => {
    const { body, lines } = asSent(file.text);
    const res = await callJson<{ accepted: number; rejected: number; errors: { line: number; message: string }[] }>('POST', `/ingest/${corpusSources[file.dir]}`, {
      token: tokens.ingest,
      body,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.body.errors ?? res.body, JSON.stringify(res.body).slice(0, 400)).toEqual([]);
    expect([res.status, res.body.accepted, res.body.rejected]).toEqual([200, lines, 0]);
  });

  it('names the action of nearly every event (docs/sources-coverage.md has every column)', async () => {
    const { rows } = await sql(
      tokens.analyst,
      `SELECT source, count(*) AS events, round(avg(action <> 'unknown') * 100) AS action_pct FROM events GROUP BY source ORDER BY source`,
    );
    expect(rows.length).toBe(new Set(corpusFiles.map((f) => corpusSources[f.dir])).size);
    for (const [source, events, actionPct] of rows as [string, number, number][]) {
      expect(events, source).toBeGreaterThan(0);
      expect(actionPct, `${source}: share of events with an action`).toBeGreaterThanOrEqual(90);
    }
  });
});
