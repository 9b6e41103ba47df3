/**
 * Conformance on real rules: every SigmaHQ rule of the shared corpus (../shared/corpus/sigma: the cloud,
 * identity and application rules, their placeholder, threat-hunting, emerging-threats, deprecated and
 * unsupported siblings, and the Windows/Cisco rules the regression data refers to) parses, except the
 * failures listed below with their reason. Also times the parser on the ~380 cloud/identity/application rules.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SigmaError } from '../ir';
import { checkSigmaReferences, parseSigmaDocuments } from './parse-documents';

const corpus = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const sigmaDir = join(corpus, 'sigma');
const directories = ['rules', 'rules-threat-hunting', 'rules-placeholder', 'rules-emerging-threats', 'deprecated', 'unsupported'];

/** Values for every %placeholder% the corpus uses (rules-placeholder/ and deprecated/). */
const placeholders: Record<string, readonly string[]> = {
  Administrators: ['admin*'],
  ApprovedUserUpn: ['admin@example.com'],
  Approved_Inviters: ['hr@example.com', 'it@example.com'],
  ClosingTime: ['18:00'],
  HomeTenantID: ['00000000-0000-0000-0000-000000000000'],
  Important_AppIds: ['11111111-1111-1111-1111-111111111111'],
  KNOWN_LOCATION: ['Paris'],
  Known_Location: ['Paris'],
  LegitCountries: ['FR', 'DE'],
  Legitimate_Countries: ['FR', 'DE'],
  Legitimate_IP_Ranges: ['10.*', '192.168.*'],
  UnApprovedDevice: ['unknown-device'],
  UnApprovedIp: ['203.0.113.*'],
  UnLegitCountries: ['XX'],
  legtimate_identifiers: ['@example.com'],
};

/** Rules that must fail, and why. Everything else must parse. */
const expectedFailures: Readonly<Record<string, { readonly code: SigmaError['code']; readonly reason: string }>> = {
  'unsupported/cloud/aws_lambda_function_created_or_invoked.yml': {
    code: 'unsupported_feature',
    reason: "condition 'selection1 | near selection2': the obsolete near aggregation has no IR form (a temporal correlation expresses it)",
  },
};

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yml') || name.endsWith('.yaml') ? [path] : [];
  });
}

const regressionList = existsSync(join(sigmaDir, 'regression_rules.txt'))
  ? readFileSync(join(sigmaDir, 'regression_rules.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
  : [];
const files = [...new Set([...directories.flatMap((d) => yamlFiles(join(sigmaDir, d)).map((p) => p.slice(sigmaDir.length + 1))), ...regressionList])].sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(sigmaDir, f), 'utf8')]));
const results = new Map(files.map((f) => [f, parseSigmaDocuments(texts.get(f) as string, f, { placeholders })]));

describe('SigmaHQ corpus', () => {
  it('is present (../shared/corpus beside the repository)', () => {
    expect(files.length).toBeGreaterThan(500);
    expect(regressionList.length).toBeGreaterThan(200);
  });

  const summary = directories.map((d) => {
    const inDir = files.filter((f) => f.startsWith(`${d}/`));
    const parsed = inDir.filter((f) => results.get(f)?.ok).length;
    const warnings = inDir.reduce((n, f) => {
      const result = results.get(f);
      return n + (result?.ok ? result.warnings.length : 0);
    }, 0);
    return { directory: d, files: inDir.length, parsed, failed: inDir.length - parsed, warnings };
  });
  const parsedTotal = summary.reduce((n, s) => n + s.parsed, 0);

  it(`parses ${parsedTotal} of ${files.length} rule files; the only failures are the expected ones`, () => {
    console.table(summary);
    const unexpected = files.flatMap((f) => {
      const result = results.get(f);
      return result && !result.ok && !expectedFailures[f] ? [[f, result.errors]] : [];
    });
    expect(unexpected).toEqual([]);
  });

  it('parses 100% of rules/ and of the regression rules', () => {
    const failing = files.filter((f) => (f.startsWith('rules/') || regressionList.includes(f)) && !results.get(f)?.ok);
    expect(failing).toEqual([]);
  });

  it.each(Object.entries(expectedFailures))('%s fails as expected: %j', (file, expected) => {
    const result = results.get(file);
    expect(result?.ok).toBe(false);
    expect(result && !result.ok && result.errors.map((e) => e.code)).toEqual([expected.code]);
  });

  it('gives every rule a location and the plain-data IR of ir.ts', () => {
    for (const [file, result] of results) {
      if (!result.ok) continue;
      for (const document of result.value) expect(document.location.file).toBe(file);
      expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
    }
  });

  it('has unique ids and names across the corpus', () => {
    const documents = [...results.values()].flatMap((r) => (r.ok ? r.value : []));
    expect(checkSigmaReferences(documents, { requireResolved: true })).toEqual([]);
  });

  it('parses the ~380 cloud, identity and application rules (time printed; the benchmark is bench/sigma.bench.ts)', () => {
    const cloud = files.filter((f) => !regressionList.includes(f));
    // Wall time and CPU time (the latter is steadier on a busy machine).
    const run = () => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      for (const file of cloud) parseSigmaDocuments(texts.get(file) as string, file, { placeholders });
      const used = process.cpuUsage(cpu);
      return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
    };
    const first = run();
    const warmRuns = [run(), run(), run()];
    const warm = Math.min(...warmRuns.map((r) => r.wall));
    const warmCpu = Math.min(...warmRuns.map((r) => r.cpu));
    console.info(
      `parse time for ${cloud.length} rules: first run ${first.wall.toFixed(0)} ms (cpu ${first.cpu.toFixed(0)} ms), ` +
        `warm ${warm.toFixed(0)} ms (cpu ${warmCpu.toFixed(0)} ms, ${((warm / cloud.length) * 1000).toFixed(0)} µs per rule)`,
    );
    expect(cloud.length).toBeGreaterThan(350);
  });
});
