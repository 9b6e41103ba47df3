/**
 * Where the conformance suites find the shared corpus (`../shared/corpus` beside the repository, or
 * `MANTISSA_CORPUS`), and the SigmaHQ rule files in it. A suite whose corpus is missing must fail saying so,
 * never skip: `requireCorpusPath` throws with the path it looked at.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url).href);
export const corpusRoot = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url).href);

/** The absolute path of `relative` inside the corpus; throws when it does not exist. */
export function requireCorpusPath(relative: string): string {
  const path = join(corpusRoot, relative);
  if (!existsSync(path)) {
    throw new Error(`The shared corpus is missing: ${path} does not exist (expected ../shared/corpus beside the repository, or set MANTISSA_CORPUS).`);
  }
  return path;
}

/** The SigmaHQ folders of the corpus whose rules the coverage report lists (in this order). */
export const sigmaRuleDirectories = ['rules', 'rules-threat-hunting', 'rules-placeholder', 'rules-emerging-threats', 'deprecated', 'unsupported'] as const;

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yml') || name.endsWith('.yaml') ? [path] : [];
  });
}

export interface CorpusRuleFile {
  /** Path relative to the corpus' `sigma/` folder, e.g. `rules/cloud/aws/…/x.yml`. */
  readonly file: string;
  readonly directory: (typeof sigmaRuleDirectories)[number];
  readonly text: string;
}

/** Every rule file of the SigmaHQ folders, sorted by path. */
export function corpusSigmaRules(): CorpusRuleFile[] {
  const sigmaDir = requireCorpusPath('sigma');
  return sigmaRuleDirectories
    .flatMap((directory) =>
      yamlFiles(join(sigmaDir, directory)).map((path) => ({ file: path.slice(sigmaDir.length + 1), directory, text: readFileSync(path, 'utf8') })),
    )
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Values for the %placeholder%s the corpus uses (rules-placeholder/ and deprecated/), as an operator would
 * configure them; the same table as parse/corpus.test.ts.
 */
export const corpusPlaceholders: Readonly<Record<string, readonly string[]>> = {
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
