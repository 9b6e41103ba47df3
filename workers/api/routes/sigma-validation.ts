/**
 * Validation of a Sigma rule being saved: the candidate is compiled together with every other stored Sigma rule
 * (correlations refer to rules by id or name), and its errors come back with their line and column.
 */
import { compileRuleBook, severityOfLevel, type BookEntry } from '../../../core/sigma/rule-book';
import { sigmaMappings } from '../../../core/sigma/mappings';
import type { SigmaError } from '../../../core/sigma/ir';
import { RulesRepository, type RuleRow } from '../../../adapters/d1/rules-repository';
import { ApiError } from '../../errors';

export interface SigmaDerived {
  name: string;
  description: string;
  severity: RuleRow['severity'];
  querySql: string;
  sigmaId: string | null;
  tags: readonly string[];
}

const candidate = '__candidate__';

export async function validateSigmaRule(db: D1Database, yaml: string, replacingRowId: string | null): Promise<SigmaDerived> {
  const others = (await new RulesRepository(db).sigmaTexts()).filter((r) => r.rowId !== replacingRowId);
  const book = compileRuleBook([...others, { rowId: candidate, yaml }], sigmaMappings);
  const problems = book.problems.filter((p) => p.rowId === candidate).flatMap((p) => p.errors);
  const entries = book.entries.filter((e) => e.rowId === candidate);
  if (problems.length > 0 || entries.length === 0) {
    const errors = problems.map(errorView);
    throw new ApiError(
      'invalid_rule',
      errors.length > 0 ? `The Sigma rule was refused: ${errors.map((e) => e.text).join('; ')}` : 'The YAML holds no Sigma rule or correlation.',
      { errors: errors.map(({ text: _text, ...e }) => e) },
    );
  }
  const main = mainEntry(entries);
  const clash = others.length > 0 && main.document.id ? await sigmaIdOwner(db, main.document.id, replacingRowId) : null;
  if (clash) throw new ApiError('conflict', `A rule with Sigma id ${main.document.id} is already stored (${clash}).`);
  return {
    name: main.document.title,
    description: main.document.description ?? '',
    severity: severityOfLevel(main.document.level),
    querySql: entries.map((e) => `-- ${e.document.title}\n${e.query.sql}`).join(';\n\n'),
    sigmaId: main.document.id,
    tags: main.document.tags,
  };
}

/** The document that names a multi-document rule: its correlation, else its first rule. */
function mainEntry(entries: readonly BookEntry[]): BookEntry {
  return entries.find((e) => e.document.kind === 'correlation') ?? entries[0]!;
}

async function sigmaIdOwner(db: D1Database, sigmaId: string, replacingRowId: string | null): Promise<string | null> {
  const row = await db.prepare('SELECT id, name FROM detection_rules WHERE sigma_id = ?1').bind(sigmaId).first<{ id: string; name: string }>();
  return row && row.id !== replacingRowId ? `${row.name}, ${row.id}` : null;
}

export function errorView(error: SigmaError) {
  const where = error.location ? `line ${error.location.line}, column ${error.location.column}` : null;
  return {
    code: error.code,
    message: error.message,
    line: error.location?.line ?? null,
    column: error.location?.column ?? null,
    text: where ? `${where}: ${error.message}` : error.message,
  };
}
