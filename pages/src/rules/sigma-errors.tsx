/**
 * A refused Sigma rule's problems, each as "line L, column C: message". Clicking one selects that place in the
 * YAML editor, so the author lands on the typo. Problems without a place are listed plainly.
 *
 * Lines and columns are the API's: 1-based, counted in UTF-16 code units like a textarea's offsets.
 */
import type { ApiError } from '../api/api-client';
import type { SigmaProblem } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';

/** The located problems the API listed beside its error (`errors`), read defensively. */
export function sigmaProblemsOf(error: ApiError): SigmaProblem[] {
  const listed = error.details?.errors;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((item: unknown): SigmaProblem[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { code, message, line, column } = item as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    return [
      {
        code: typeof code === 'string' ? code : 'invalid_rule',
        message,
        line: typeof line === 'number' ? line : null,
        column: typeof column === 'number' ? column : null,
      },
    ];
  });
}

/** The textarea offset of a 1-based line and column, clamped to the text (a stale error may point past it). */
export function offsetOfLineColumn(text: string, line: number, column: number): number {
  let lineStart = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) return text.length;
    lineStart = newline + 1;
  }
  const newline = text.indexOf('\n', lineStart);
  const lineEnd = newline < 0 ? text.length : newline;
  return Math.min(lineStart + Math.max(column, 1) - 1, lineEnd);
}

/**
 * Focus the textarea and select the token at the problem's place (a field name up to its colon, a word of the
 * condition), scrolling its line into view.
 */
export function selectProblem(textarea: HTMLTextAreaElement, problem: SigmaProblem): void {
  if (problem.line === null) return;
  const text = textarea.value;
  const start = offsetOfLineColumn(text, problem.line, problem.column ?? 1);
  const token = /^[^\s:,'"]*/.exec(text.slice(start))?.[0] ?? '';
  textarea.focus();
  textarea.setSelectionRange(start, start + token.length);
  const lineHeight = Number.parseFloat(getComputedStyle(textarea).lineHeight) || 18;
  textarea.scrollTop = Math.max(0, (problem.line - 1) * lineHeight - textarea.clientHeight / 3);
}

export function SigmaProblemList({ problems, onSelect }: { problems: readonly SigmaProblem[]; onSelect: (problem: SigmaProblem) => void }) {
  return (
    <ul className="sigma-problems" data-testid="sigma-errors">
      {problems.map((problem, index) => (
        <li key={index}>
          {problem.line !== null ? (
            <button type="button" className="sigma-problem-link" onClick={() => onSelect(problem)} data-testid="sigma-error">
              <span className="mono">
                line {problem.line}, column {problem.column ?? 1}
              </span>
              : {problem.message}
            </button>
          ) : (
            <span data-testid="sigma-error">{problem.message}</span>
          )}{' '}
          <span className="mono dim small">{problem.code}</span>
        </li>
      ))}
    </ul>
  );
}

/** An API refusal of a Sigma rule: its located problems when it lists some, otherwise the usual error box. */
export function SigmaErrorBox({ error, title, onSelect }: { error: ApiError; title: string; onSelect: (problem: SigmaProblem) => void }) {
  const problems = sigmaProblemsOf(error);
  if (problems.length === 0) return <ErrorBox error={error} title={title} testId="sigma-refusal" />;
  return (
    <div className="error-box" role="alert" data-testid="sigma-refusal">
      <div className="error-title">
        {title}: {problems.length === 1 ? '1 problem' : `${problems.length} problems`}
      </div>
      <SigmaProblemList problems={problems} onSelect={onSelect} />
      <div className="error-meta">
        <span className="mono">{error.code}</span>
        <span className="mono">HTTP {error.status}</span>
        {error.requestId && (
          <span>
            request id <span className="mono selectable">{error.requestId}</span>
          </span>
        )}
      </div>
    </div>
  );
}
