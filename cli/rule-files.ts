/**
 * Loading a directory of detection rules for `mantissa rules import`: scheduled SQL rules (rules/sql format,
 * core/detect/sql-rule-file) and Sigma rules (any SigmaHQ-style tree), told apart by their content. Every file is
 * checked here with the server's own code before anything is sent: SQL rules against their schema, Sigma rules
 * compiled together (parse → strict field resolution → D1 SQL, correlations against every rule of the tree).
 *
 * Licence: a Sigma rule's own `license:` attribute wins; otherwise a LICENSE file in the rule's directory or an
 * ancestor naming the Detection Rule License marks it `DRL-1.1`, with the attribution DRL 1.1 §2 asks for (the
 * rule's author, where it comes from, the licence and its link). `--license`/`--attribution` override both.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { ruleInputFromFile, sqlRuleFileSchema } from '../core/detect/sql-rule-file';
import type { SigmaRuleInput, SqlRuleInput } from '../core/detect/sql-rule';
import { sigmaMappings } from '../core/sigma/mappings';
import { compileRuleBook } from '../core/sigma/rule-book';

export type LoadedRule =
  | { kind: 'sql'; file: string; name: string; input: SqlRuleInput }
  | { kind: 'sigma'; file: string; name: string; sigmaId: string | null; correlation: boolean; input: SigmaRuleInput };

export interface RuleProblem {
  file: string;
  message: string;
}

export type LoadedRules = { ok: true; rules: LoadedRule[]; problems: RuleProblem[] } | { ok: false; message: string };

export interface LicenseOverride {
  license?: string;
  attribution?: string;
}

const drlUrl = 'https://github.com/SigmaHQ/Detection-Rule-License';

/** Every rule file under `dir` (recursively; `*.tests.yml` are rule test events, not rules). */
function ruleFilePaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : ruleFilePaths(full);
      return /\.ya?ml$/.test(entry.name) && !/\.tests\.ya?ml$/.test(entry.name) ? [full] : [];
    });
}

/**
 * Loads and checks every rule under `dir`. A directory that cannot be read, or holds no rule, is an error;
 * a file that does not hold a valid rule is a problem, reported with its line and column where known.
 */
export function loadRuleFiles(dir: string, override: LicenseOverride = {}): LoadedRules {
  let paths: string[];
  try {
    if (!statSync(dir).isDirectory()) return { ok: false, message: `${dir} is not a directory` };
    paths = ruleFilePaths(dir);
  } catch (err) {
    return { ok: false, message: `cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (paths.length === 0) return { ok: false, message: `no .yml rule files in ${dir}` };

  const rules: LoadedRule[] = [];
  const problems: RuleProblem[] = [];
  const sigma: { file: string; yaml: string; first: Record<string, unknown> }[] = [];
  for (const file of paths) {
    const text = readFileSync(file, 'utf8');
    let documents: unknown[];
    try {
      documents = loadAll(text);
    } catch (err) {
      problems.push({ file, message: `not valid YAML: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const first = documents[0];
    if (!first || typeof first !== 'object' || Array.isArray(first)) {
      problems.push({ file, message: 'expected a YAML map (a SQL rule with name/severity/sql, or a Sigma rule)' });
      continue;
    }
    const map = first as Record<string, unknown>;
    if ('sql' in map && documents.length === 1) {
      const parsed = sqlRuleFileSchema.safeParse(load(text));
      if (!parsed.success) {
        problems.push({ file, message: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ') });
        continue;
      }
      const input = ruleInputFromFile(parsed.data);
      rules.push({ kind: 'sql', file, name: input.name, input });
    } else if ('detection' in map || 'correlation' in map || 'logsource' in map) {
      sigma.push({ file, yaml: text, first: map });
    } else {
      problems.push({ file, message: 'neither a SQL rule (name, severity, sql) nor a Sigma rule (logsource and detection, or correlation)' });
    }
  }

  if (sigma.length > 0) {
    const book = compileRuleBook(
      sigma.map((s) => ({ rowId: s.file, yaml: s.yaml })),
      sigmaMappings,
    );
    const licenses = new LicenseFinder();
    for (const { file, yaml, first } of sigma) {
      const problem = book.problems.find((p) => p.rowId === file);
      const entries = book.entries.filter((e) => e.rowId === file);
      if (problem || entries.length === 0) {
        const message = problem
          ? problem.errors.map((e) => (e.location ? `line ${e.location.line}, column ${e.location.column}: ${e.message}` : e.message)).join('; ')
          : 'holds no Sigma rule or correlation';
        problems.push({ file, message });
        continue;
      }
      const main = entries.find((e) => e.document.kind === 'correlation') ?? entries[0]!;
      const found = licenses.forFile(file);
      const ownLicense = typeof first.license === 'string' && first.license.trim() ? first.license.trim() : undefined;
      const license = override.license ?? ownLicense ?? found?.license;
      const attribution =
        override.attribution ??
        (license === 'DRL-1.1' ? drlAttribution(main.document.title, main.document.kind === 'rule' ? main.document.author : stringOr(first.author), file, found) : undefined);
      rules.push({
        kind: 'sigma',
        file,
        name: main.document.title,
        sigmaId: main.document.id,
        correlation: main.document.kind === 'correlation',
        input: { yaml, enabled: true, intervalMinutes: 5, lookbackMinutes: 60, ...(license ? { license } : {}), ...(attribution ? { attribution } : {}) },
      });
    }
  }
  if (rules.length === 0 && problems.length === 0) return { ok: false, message: `no rules in ${dir}` };
  return { ok: true, rules, problems };
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

interface FoundLicense {
  license: string;
  root: string;
  sigmaHq: boolean;
}

/** The Detection Rule License named by a LICENSE file in a rule's directory or above (cached per directory). */
class LicenseFinder {
  private readonly cache = new Map<string, FoundLicense | null>();

  forFile(file: string): FoundLicense | null {
    return this.forDir(dirname(resolve(file)));
  }

  private forDir(dir: string): FoundLicense | null {
    const cached = this.cache.get(dir);
    if (cached !== undefined) return cached;
    let found: FoundLicense | null = null;
    for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENSE.Detection.Rules.md']) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8');
      if (/Detection Rule License/i.test(text)) found = { license: 'DRL-1.1', root: dir, sigmaHq: /SigmaHQ/i.test(text) };
      break;
    }
    const parent = dirname(dir);
    if (!found && parent !== dir) found = this.forDir(parent);
    this.cache.set(dir, found);
    return found;
  }
}

/** DRL 1.1 §2: keep the author identification, a link to the rule set, and name the licence with its link. */
function drlAttribution(title: string, author: string | null, file: string, found: FoundLicense | null): string {
  const path = found ? relative(found.root, resolve(file)) : file;
  const origin = found?.sigmaHq ? `SigmaHQ rule ${path} (https://github.com/SigmaHQ/sigma)` : `rule ${path}`;
  return `"${title}" by ${author ?? 'an unnamed author'}; ${origin}; licensed under the Detection Rule License (DRL) 1.1, ${drlUrl}`;
}
