/**
 * Collects the errors and warnings of one parse. The parser never stops at the first problem: every stage
 * reports into one `Diagnostics` and the entry point turns it into a `SigmaResult` (errors win: any error
 * makes the whole result a failure, so a half-understood rule never reaches a backend).
 */
import type { SigmaError, SigmaResult, SourceLocation } from '../ir';

export type SigmaErrorCode = SigmaError['code'];

export interface Diagnostics {
  readonly errors: SigmaError[];
  readonly warnings: string[];
}

export function newDiagnostics(): Diagnostics {
  return { errors: [], warnings: [] };
}

export function addError(diagnostics: Diagnostics, code: SigmaErrorCode, message: string, location: SourceLocation | null): void {
  diagnostics.errors.push({ code, message, location });
}

/** Warnings are plain strings in `SigmaResult`, so the location is written into the text. */
export function addWarning(diagnostics: Diagnostics, message: string, location: SourceLocation | null): void {
  diagnostics.warnings.push(location ? `${formatLocation(location)}: ${message}` : message);
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

export function toResult<T>(diagnostics: Diagnostics, value: T): SigmaResult<T> {
  if (diagnostics.errors.length > 0) return { ok: false, errors: diagnostics.errors };
  return { ok: true, value, warnings: diagnostics.warnings };
}
